"""Server-side paging over any record table: what a lazy table on screen asks of its service.

Why it looks like this (Anki's browser: the view holds ordered ids, rows are fetched as they come
into sight): a register of years holds a million rows, so a view is counted, paged and searched
in SQL, never loaded. Every table (visits today; complaints, inspections, meetings next) needs
the same few questions answered fast, and these functions answer them for any peewee model with
``id``, ``version`` and ``updated_at`` columns, given its filter and its ordering:

- ``count``: rows of the view;
- ``page_ids``: the ids of one page by offset, in a stable order (the id breaks ties), read from
  the far end past the middle, so the last page costs no more than the first;
- ``rows_by_id``: those rows, in that order;
- ``first_ids``: a small view's ids in one ordered read (count and first page at once);
- ``position_of``: where an id stands, to keep the selection after a refresh;
- ``change_stamp``: a fingerprint cheap enough to poll, that moves with every save.

The caller runs them inside its query's ``read_only`` (``kit.query``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import peewee

T = TypeVar("T")

# The ORDER BY of a view, forwards (False) or backwards (True); it must end with the id.
Ordering = Callable[[bool], Sequence[peewee.Node]]


def ordered_by(expr: peewee.Node, id_field: peewee.Field, *, descending: bool = False) -> Ordering:
    """The usual ordering: one expression (empty values last going up), then the id."""

    def ordering(reverse: bool) -> list[peewee.Node]:
        if descending != reverse:
            return [expr.desc(nulls="FIRST"), id_field.desc()]
        return [expr.asc(nulls="LAST"), id_field.asc()]

    return ordering


def count(model: type[peewee.Model], where: peewee.Node) -> int:
    return model.select(peewee.fn.COUNT(model.id)).where(where).scalar() or 0


def page_ids(ids_query: peewee.ModelSelect, ordering: Ordering, offset: int, limit: int,
             total: int) -> list[int]:
    """Ids ``offset`` … ``offset + limit`` of the view (``ids_query`` selects the id alone)."""
    offset = max(0, min(offset, total))
    limit = min(limit, total - offset)
    if limit <= 0:
        return []
    reverse = offset > total // 2
    if reverse:
        query = ids_query.order_by(*ordering(True)).offset(total - offset - limit)
    else:
        query = ids_query.order_by(*ordering(False)).offset(offset)
    ids = [record_id for (record_id,) in query.limit(limit).tuples()]
    if reverse:
        ids.reverse()
    return ids


def rows_by_id(query: peewee.ModelSelect, id_field: peewee.Field, ids: Sequence[int],
               to_row: Callable[[peewee.Model], T]) -> list[T]:
    """The rows of ``ids`` made by ``to_row``, in the order of ``ids`` (ids no longer there: left out)."""
    if not ids:
        return []
    found = {record.id: to_row(record) for record in query.where(id_field.in_(list(ids))).objects()}
    return [found[record_id] for record_id in ids if record_id in found]


def first_ids(ids_query: peewee.ModelSelect, ordering: Ordering, at_most: int) -> list[int] | None:
    """All ids of the view in order if there are at most ``at_most``, else ``None`` (count instead)."""
    ids = [i for (i,) in ids_query.order_by(*ordering(False)).limit(at_most + 1).tuples()]
    return ids if len(ids) <= at_most else None


def position_of(model: type[peewee.Model], view: peewee.ModelSelect, ordering: Ordering,
                record_id: int) -> int | None:
    """Where ``record_id`` stands in ``view`` (0-based), ``None`` if it is not in it.

    ``view`` is the view's query with whatever joins its ordering needs, selecting nothing yet.
    """
    ranked = view.select(
        model.id.alias("rid"), peewee.fn.ROW_NUMBER().over(order_by=list(ordering(False))).alias("rn")
    ).alias("ranked")
    rn = model.select(ranked.c.rn).from_(ranked).where(ranked.c.rid == record_id).scalar()
    return None if rn is None else int(rn) - 1


@dataclass(frozen=True)
class ChangeStamp:
    """A fingerprint of part of a table, cheap enough to take every few seconds.

    It moves with every new row (``rows``), every save (each adds one to a version, so
    ``versions`` grows whatever the stations' clocks say and however many saves fall in one
    second), and ``last_update`` for good measure.
    """

    rows: int
    versions: int
    last_update: datetime | None

    @property
    def visits(self) -> int:
        """The register's name for ``rows``."""
        return self.rows


def as_datetime(value: datetime | str) -> datetime:
    """A time as SQLite may hand back an aggregate of times: as text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def change_stamp(model: type[peewee.Model], where: peewee.Node) -> ChangeStamp:
    rows, versions, last = (
        model.select(peewee.fn.COUNT(model.id), peewee.fn.SUM(model.version), peewee.fn.MAX(model.updated_at))
        .where(where)
        .tuples()
        .get()
    )
    return ChangeStamp(int(rows or 0), int(versions or 0), None if last is None else as_datetime(last))
