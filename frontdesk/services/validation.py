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

from datetime import date

from frontdesk.errors import ValidationError
from frontdesk.i18n import _
from frontdesk.services.text import has_control_characters, without_control_characters

# What a date filter may ask for: the register began this century, and no hall plans past it.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
MAX_SEARCH = 100  # characters of a search text: a name, a number, a few words of a note


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


def check_period(start: date | None, end: date | None, *, start_field: str = "date_from",
                 end_field: str = "date_to") -> None:
    """A date filter within 2000–2099 and not ending before it starts; a message on the field.

    Bounded here, not widget by widget: 9999-12-31 typed into a date box, or sent by any other
    caller, must be a message, never an overflow deep in a query.
    """
    for field, day in ((start_field, start), (end_field, end)):
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise ValidationError.single(field, _("日期应在 {first} 至 {last} 之间。").format(
                first=EARLIEST_DAY.isoformat(), last=LATEST_DAY.isoformat()))
    if start is not None and end is not None and end < start:
        raise ValidationError.single(end_field, _("结束日期不能早于开始日期。"))


def clean_search(text: str | None, *, field: str = "text", limit: int = MAX_SEARCH) -> str:
    """A search text as it is matched: control characters dropped (nothing is stored), trimmed,
    and at most ``limit`` characters (a message on ``field`` beyond that)."""
    cleaned = without_control_characters(text or "").strip()
    if len(cleaned) > limit:
        raise ValidationError.single(field, _("搜索内容最多 {n} 个字。").format(n=limit))
    return cleaned
