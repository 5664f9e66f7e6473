"""How each kind of record's fields are named and shown: one description per entity.

Why it looks like this: the same field reaches the user in two places — the two-station conflict
message ("状态 等候中 → 办理中") and the audit viewer — and both must say it the same way, with
personal data masked in both. Each service declares its entity's fields once (``visitors``,
``users``, ``settings``, ``lists``; complaints and inspections will add theirs) with
``EntityFields``, and everything that shows a stored value asks the registry here.

A field's ``show`` turns a value as stored (a status code, a list id, a full phone number) into
text; list ids are turned into labels by the ``lookup`` the caller hands in (the audit viewer reads
them all beforehand, the conflict message has them in the rows it compares).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from frontdesk.i18n import _

EMPTY = _("（空）")

# Turns a list entry's id into its label.
Lookup = Callable[[Any], str]


def _no_lookup(value: Any) -> str:
    return str(value)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def mask_phone(phone: str) -> str:
    """``13812341234`` → ``138****1234``; a local landline ``87654321`` → ``****4321``: personal
    data is masked in lists, messages and exports, and never more than the last four digits show
    of a number shorter than a mobile's."""
    if not phone:
        return ""
    if len(phone) >= 11:
        return phone[:3] + "****" + phone[-4:]
    if len(phone) >= 7:
        return "****" + phone[-4:]
    return "****" + phone[-2:]


def joined(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(str(v) for v in value if not is_empty(v)) or EMPTY
    return str(value)


def plain(value: Any, lookup: Lookup = _no_lookup) -> str:
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return joined(value)


def yes_no(yes: str, no: str) -> Callable[[Any, Lookup], str]:
    """A flag shown in words (``齐全``/``不全``); ``None`` is empty."""

    def show(value: Any, lookup: Lookup = _no_lookup) -> str:
        if value is None:
            return EMPTY
        return yes if value else no

    return show


def choice(labels: Mapping[str, str]) -> Callable[[Any, Lookup], str]:
    """A code shown by its label (an unknown code as it is, so nothing is hidden)."""

    def show(value: Any, lookup: Lookup = _no_lookup) -> str:
        if is_empty(value):
            return EMPTY
        return labels.get(value, str(value))

    return show


def list_entry(value: Any, lookup: Lookup = _no_lookup) -> str:
    """A list entry (business type, destination) by its label."""
    return EMPTY if is_empty(value) else lookup(value)


def phone(value: Any, lookup: Lookup = _no_lookup) -> str:
    """Always masked: the full number leaves the services only through an audited reveal."""
    return EMPTY if is_empty(value) else (mask_phone(str(value)) or EMPTY)


def minutes(value: Any, lookup: Lookup = _no_lookup) -> str:
    return EMPTY if is_empty(value) else _("{n} 分钟").format(n=value)


def lines(value: Any, lookup: Lookup = _no_lookup) -> str:
    """Several lines (stored with line breaks, or as a list) shown as one: ``a、b``."""
    if is_empty(value):
        return EMPTY
    parts = value.split("\n") if isinstance(value, str) else value
    return joined([p for p in parts if p])


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    show: Callable[[Any, Lookup], str] = plain
    is_time: bool = False  # compared and shown as times by the conflict message


@dataclass(frozen=True)
class EntityFields:
    """The fields of one kind of record, in the order the user sees them."""

    entity: str
    fields: tuple[Field, ...]
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    @property
    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.fields}

    def get(self, name: str) -> Field | None:
        return self._by_name.get(name)

    def label(self, name: str) -> str:
        found = self._by_name.get(name)
        return found.label if found is not None else name

    def show(self, name: str, value: Any, lookup: Lookup = _no_lookup) -> str:
        """``value`` of ``name`` as the user reads it (a field not described: plainly)."""
        found = self._by_name.get(name)
        return (found.show if found is not None else plain)(value, lookup)

    def ordered(self, names: Iterable[str]) -> list[str]:
        """``names`` in the described order, any others after them, sorted."""
        names = set(names)
        return [f.name for f in self.fields if f.name in names] + sorted(names - set(self._by_name))


_REGISTRY: dict[str, EntityFields] = {}


def register(description: EntityFields) -> EntityFields:
    """Declare an entity's fields (once, beside its service); returns it for the module to keep."""
    _REGISTRY[description.entity] = description
    return description


def of(entity: str) -> EntityFields:
    """The fields of ``entity``; an unknown entity has none described (values shown plainly)."""
    return _REGISTRY.get(entity) or EntityFields(entity, ())
