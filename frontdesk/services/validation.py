"""Checking typed text, one policy for every form: refuse, name the field, never rewrite.

Why it looks like this: the register used to refuse control characters while the lists and the
settings silently dropped them, so the same slip (a scanner's escape code, a paste from another
program) was an error on one screen and a quiet change on the next. Now every service refuses
such input with a Chinese message naming the field, shown next to it, and keeps what the user
typed on the screen. Leading and trailing spaces are trimmed (and, for one-line names, runs of
spaces made one): that is all that is ever changed. A search box, where nothing is stored, may
still drop control characters (``text.without_control_characters``).
"""

from __future__ import annotations

from frontdesk.errors import ValidationError
from frontdesk.i18n import _
from frontdesk.services.text import has_control_characters


def control_characters_message(label: str) -> str:
    return _("{label}中有无法保存的控制字符，请删去后重试。").format(label=label)


def too_long_message(label: str, limit: int) -> str:
    return _("{label}最多 {n} 个字。").format(label=label, n=limit)


class Errors:
    """Collects one message per field, so a form shows every problem at once."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def __contains__(self, field: str) -> bool:
        return field in self.fields

    def __bool__(self) -> bool:
        return bool(self.fields)

    def add(self, field: str, message: str) -> None:
        """The message of ``field`` (a later check of the same field says more: it replaces)."""
        self.fields[field] = message

    def update(self, other: ValidationError) -> None:
        for field, message in other.fields.items():
            self.add(field, message)

    def text(self, field: str, value: str | None, *, label: str, limit: int,
             multiline: bool = False, collapse_spaces: bool = False, required: str = "") -> str:
        """``value`` trimmed; a message on ``field`` if it is refused (``required``: if empty)."""
        try:
            return clean_text(field, value, label=label, limit=limit, multiline=multiline,
                              collapse_spaces=collapse_spaces, required=required)
        except ValidationError as exc:
            self.update(exc)
            return (value or "").strip()

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(self.fields)


def clean_text(field: str, value: str | None, *, label: str, limit: int, multiline: bool = False,
               collapse_spaces: bool = False, required: str = "") -> str:
    """``value`` trimmed, or a ``ValidationError`` on ``field``: control characters, too long,
    or empty when ``required`` (the message to show then) is given."""
    value = value or ""
    if has_control_characters(value, multiline=multiline):
        raise ValidationError.single(field, control_characters_message(label))
    value = " ".join(value.split()) if collapse_spaces else value.strip()
    if required and not value:
        raise ValidationError.single(field, required)
    if len(value) > limit:
        raise ValidationError.single(field, too_long_message(label, limit))
    return value
