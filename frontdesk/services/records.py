"""Versioned records: the two-station conflict check every editable record gets.

Why it looks like this: two stations may open the same record (the front desk and the duty
manager both correct a visit; later, both update a complaint). Every editable table has a
``version`` column that each save adds one to. A save reads the record for update, and writes
only if the version is still the one it read (``conditional_update``); otherwise it is refused
with a ``ConflictError`` listing, field by field and as the user knows them, what the other
station changed (``changes``). Never a silent overwrite, and never a refusal that cannot say why.
Any peewee model with ``id``, ``version`` and ``updated_at`` columns can use these.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import peewee

from frontdesk.db.database import is_postgres
from frontdesk.errors import ConflictError, FieldChange, NotFoundError
from frontdesk.services import clock, kit
from frontdesk.services.fields import EMPTY, EntityFields, Lookup

M = TypeVar("M", bound=peewee.Model)

CLIP = 24  # characters of a value quoted in a message (the dialog lists them in full)
_INSIDE = "a building block of commands: it runs inside their transaction, which checked the role"


@kit.exempt(_INSIDE)
def get_for_update(model: type[M], record_id: int, missing: str) -> M:
    """The record, locked until the write transaction ends; ``missing`` (with ``{id}``) if gone.

    On PostgreSQL ``FOR UPDATE`` makes a second station's save wait for the first and then read
    what it saved, so its refusal can say why. SQLite needs nothing: the write transaction holds
    the database's write lock from its start.
    """
    query = model.select().where(model.id == record_id)
    if is_postgres():
        query = query.for_update()
    found = query.first()
    if found is None:
        raise NotFoundError(missing.format(id=record_id))
    return found


@kit.exempt(_INSIDE)
def conditional_update(model: type[peewee.Model], record_id: int, version: int, values: Mapping[str, Any]) -> bool:
    """Write ``values`` if the record is still at ``version``; False if another station was first.

    On SQLite the write transaction holds the lock from its start, so this cannot miss; on
    PostgreSQL another station may commit between our read and this write, and the version says so.
    """
    changed = (
        model.update(**values, updated_at=clock.now(), version=model.version + 1)
        .where((model.id == record_id) & (model.version == version))
        .execute()
    )
    return changed == 1


def times_shown(old: datetime | None, new: datetime | None, day: date | None) -> tuple[str, str]:
    """Two times as a person compares them: ``09:12 → 09:15``, with the date only when needed."""
    same_day = day is not None and all(t is None or t.date() == day for t in (old, new))
    pattern = "%H:%M" if same_day else "%Y-%m-%d %H:%M"

    def shown(value: datetime | None, fmt: str) -> str:
        return EMPTY if value is None else value.strftime(fmt)

    if shown(old, pattern) == shown(new, pattern):
        pattern += ":%S"
    return shown(old, pattern), shown(new, pattern)


def changes(described: EntityFields, old: Mapping[str, Any], new: Mapping[str, Any], *,
            lookup: Lookup = str, differs: Mapping[str, bool] | None = None,
            day: date | None = None) -> tuple[FieldChange, ...]:
    """What differs between two reads of one record, in the described order and words.

    ``old`` and ``new`` hold the fields to compare, as ``described`` shows them (list ids, which
    ``lookup`` names). ``differs`` decides for a field compared otherwise (a phone by its key);
    ``day`` lets times of that day be shown without their date.
    """
    found: list[FieldChange] = []
    for f in described.fields:
        if f.name not in old and f.name not in new:
            continue
        was, now = old.get(f.name), new.get(f.name)
        if not (differs or {}).get(f.name, was != now):
            continue
        if f.is_time:
            shown_was, shown_now = times_shown(was, now, day)
        else:
            shown_was, shown_now = described.show(f.name, was, lookup), described.show(f.name, now, lookup)
        found.append(FieldChange(f.name, f.label, shown_was, shown_now))
    return tuple(found)


def describe_changes(found: tuple[FieldChange, ...]) -> str:
    """``状态 等候中 → 办理中；备注 （空） → 客户要求回电`` — long values clipped."""

    def clip(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= CLIP else text[: CLIP - 1] + "…"

    return "；".join(f"{c.label} {clip(c.old)} → {clip(c.new)}" for c in found)


def refusal(template: str, fallback: str, found: tuple[FieldChange, ...]) -> ConflictError:
    """The conflict: ``template`` with ``{changes}`` when there are changes to name, else ``fallback``."""
    if not found:
        return ConflictError(fallback)
    return ConflictError(template.format(changes=describe_changes(found)), found)
