"""Register search and sorting over a million visits: text indexes and one index per sort column.

Measured with ``benchmarks/bench_register_table.py`` (1,000,000 visits, SQLite 3.40): a search
over the whole history read every row (~1 s); sorting it by another column than the arrival
sorted every row (~0.6 s). After this step both take a few ms (README, "Speed").

- **Text.** SQLite: ``visit_text``, an FTS5 table with the trigram tokenizer over the searched
  columns (name, ticket, notes, served by, phone), an external-content index of ``visit`` kept in
  step by triggers. It narrows a search of 3 or more characters to the visits holding the text;
  the exact condition is still applied to them (``services/visit_search.py``). A SQLite without
  FTS5 or its trigram tokenizer (older than 3.34) gets no table: the search reads every row, as
  before, and still finds the same visits. PostgreSQL: ``pg_trgm`` GIN indexes on the same
  columns serve the search's ``ILIKE`` directly; where the extension may not be created (no
  right to), the step goes on without them, and the search reads every row.
- **Sorting.** For each sortable column of the visit itself, an index of the visits that count
  (not voided) in that column's order, with the id (the tie-break) and the arrival time (the date
  range, checked in the index). SQLite also gets the wait and service durations as expressions,
  written exactly as ``visit_search.SORT_EXPRESSIONS`` orders by them.

Frozen: the names below are those of this version; nothing here imports the live models.
"""

from __future__ import annotations

import peewee

VERSION = 9

TEXT_COLUMNS = ("customer_name", "ticket_no", "notes", "served_by", "phone")
SORT_COLUMNS = ("ticket_no", "customer_name", "status", "called_at", "finished_at", "outcome", "served_by")
SQLITE_SORT_EXPRESSIONS = {
    "wait": "(julianday(called_at) - julianday(arrived_at))",
    "service": "(julianday(finished_at) - julianday(called_at))",
}


def apply(db: peewee.Database) -> None:
    for column in SORT_COLUMNS:
        db.execute_sql(
            f"CREATE INDEX visit_sort_{column} ON visit ({column}, id, arrived_at) WHERE voided_at IS NULL")
    if isinstance(db, peewee.PostgresqlDatabase):
        _postgres_text(db)
        return
    for key, expression in SQLITE_SORT_EXPRESSIONS.items():
        db.execute_sql(
            f"CREATE INDEX visit_sort_{key} ON visit ({expression}, id, arrived_at) WHERE voided_at IS NULL")
    _sqlite_text(db)


def _sqlite_text(db: peewee.Database) -> None:
    columns = ", ".join(TEXT_COLUMNS)
    old = ", ".join(f"old.{c}" for c in TEXT_COLUMNS)
    new = ", ".join(f"new.{c}" for c in TEXT_COLUMNS)
    try:
        with db.atomic():  # a savepoint: a SQLite without trigram FTS5 leaves nothing behind
            db.execute_sql(
                f"CREATE VIRTUAL TABLE visit_text USING fts5({columns}, content='visit', "
                "content_rowid='id', tokenize='trigram')")
    except peewee.OperationalError:
        return
    db.execute_sql("INSERT INTO visit_text (visit_text) VALUES ('rebuild')")
    db.execute_sql(
        f"CREATE TRIGGER visit_text_insert AFTER INSERT ON visit BEGIN "
        f"INSERT INTO visit_text (rowid, {columns}) VALUES (new.id, {new}); END")
    db.execute_sql(
        f"CREATE TRIGGER visit_text_delete AFTER DELETE ON visit BEGIN "
        f"INSERT INTO visit_text (visit_text, rowid, {columns}) VALUES ('delete', old.id, {old}); END")
    db.execute_sql(
        f"CREATE TRIGGER visit_text_update AFTER UPDATE OF {columns} ON visit BEGIN "
        f"INSERT INTO visit_text (visit_text, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO visit_text (rowid, {columns}) VALUES (new.id, {new}); END")


def _postgres_text(db: peewee.Database) -> None:
    try:
        with db.atomic():  # a savepoint: a refused extension does not abort the migration
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except peewee.DatabaseError:
        return
    for column in TEXT_COLUMNS:
        db.execute_sql(f"CREATE INDEX visit_text_{column} ON visit USING gin ({column} gin_trgm_ops)")
