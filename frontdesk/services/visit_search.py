"""Searching and sorting the register's whole history fast (a million visits and more).

The register's query (``services/visitors.py``) says *what* a view holds; this module makes the
database find it without reading every visit:

- ``narrowed``: a free-text search of 3 or more characters is first looked up in the trigram
  index (SQLite: the FTS5 table ``visit_text``; PostgreSQL: ``pg_trgm`` indexes, which serve the
  search's own ``ILIKE`` with no help from here). The index only narrows: the register's exact
  condition is still applied to what it finds, so the visits found are the same as without it.
  Trigrams need 3 characters: a shorter text (a two-character name, say 张三) reads every visit
  of the range, as before — correct, and slower on a long history (README, "Speed").
- ``date_range``: a view sorted by another column than the arrival, over most of the history,
  is read in that column's index (migration ``m009_register_search``), the date range checked in
  the index; SQLite's planner, which cannot tell how much of the table a date range holds, is
  told so by writing the range so that it does not pick the arrival index.
- ``sort_expression``: the wait and the service durations in the form their indexes hold.
"""

from __future__ import annotations

from datetime import datetime

import peewee

from frontdesk.db.database import current_database, is_postgres
from frontdesk.db.models import Visit
from frontdesk.services import kit

TEXT_TABLE = "visit_text"
TRIGRAM = 3  # the shortest text a trigram index can find
TEXT_COLUMNS = "{customer_name ticket_no notes served_by}"
# From this many visits in a view on, a sort by another column reads that column's index instead
# of sorting the view: 20,000 rows sort in ~12 ms; an index read for the first page of a view that
# holds 2 % of the register passes ~2,500 index entries (< 2 ms).
SORT_BY_INDEX_FROM = 20_000
# Sort keys read in an index (migration m005; the list columns in their foreign-key index).
INDEXED_SORT_KEYS = frozenset({
    "business_type", "destination", "ticket_no", "customer_name", "status", "called_at", "finished_at", "outcome", "served_by",
    "wait", "service",
})


@kit.exempt("builds part of a register query: it runs inside the caller's kit.query, which checks the role")
def has_text_index(db: peewee.Database | None = None) -> bool:
    """Whether this SQLite database has the trigram table (SQLite 3.34+ at migration time)."""
    db = db or current_database()
    if is_postgres(db):
        return False
    row = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TEXT_TABLE,)).fetchone()
    return row is not None


def _phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: every character literal (a quote is doubled)."""
    return '"' + text.replace('"', '""') + '"'


@kit.exempt("builds part of a register query: it runs inside the caller's kit.query, which checks the role")
def narrowed(match: peewee.Node, text: str, phone_digits: str = "") -> peewee.Node:
    """``match`` (the register's exact text condition), looked up in the trigram index first.

    ``phone_digits``: the digits the search also looks for in phones (4 last digits or a whole
    number), "" when it does not. Returns ``match`` unchanged when the index cannot help: a text
    shorter than 3 characters, PostgreSQL (its indexes serve ``match`` itself), or no index.
    """
    if len(text) < TRIGRAM or not has_text_index():
        return match
    query = f"{TEXT_COLUMNS} : {_phrase(text)}"
    if phone_digits:
        query = f"({query}) OR (phone : {_phrase(phone_digits)})"
    candidates = peewee.SQL(f"(SELECT rowid FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH ?)", [query])
    return Visit.id.in_(candidates) & match


def _unindexed(field: peewee.Field) -> peewee.Node:
    """``field`` in a form SQLite's planner does not look an index up by (unary plus)."""
    return peewee.NodeList((peewee.SQL("+"), field), glue="")


@kit.exempt("builds part of a register query: it runs inside the caller's kit.query, which checks the role")
def date_range(start: datetime, end: datetime, *, sort_key: str, total: int | None,
               text_search: bool) -> peewee.Node:
    """The view's date range, written for the index that serves the view best.

    SQLite takes the arrival index for any date range (it cannot tell a day from ten years).
    That is right for a short range, or a view in arrival order, but a view of most of the
    history sorted by another column would then sort all of it: there the range is written so
    that the sort column's index is read instead. A text search narrowed by the trigram index
    is read from what the index found, not from the arrival index either.
    """
    big = total is not None and total >= SORT_BY_INDEX_FROM and sort_key in INDEXED_SORT_KEYS
    if is_postgres() or not (big or text_search):
        return (Visit.arrived_at >= start) & (Visit.arrived_at < end)
    arrived = _unindexed(Visit.arrived_at)
    return (arrived >= start) & (arrived < end)


@kit.exempt("builds part of a register query: it runs inside the caller's kit.query, which checks the role")
def sort_expression(sort_key: str) -> peewee.Node | None:
    """The wait or service duration as its SQLite index holds it (same order as in minutes);
    ``None`` for another key or on PostgreSQL (the register's own expression is used)."""
    if is_postgres():
        return None
    if sort_key == "wait":
        return peewee.fn.julianday(Visit.called_at) - peewee.fn.julianday(Visit.arrived_at)
    if sort_key == "service":
        return peewee.fn.julianday(Visit.finished_at) - peewee.fn.julianday(Visit.called_at)
    return None
