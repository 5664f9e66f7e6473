"""Teaching cases in fields: the situation (情况), what was done (处理), the lesson (启示), tags,
and the closed complaint a case was made from.

A case written before this step kept everything in one text: it becomes the situation, so
nothing is lost and nothing is guessed; its category becomes its first tag. A complaint gives
at most one case (a unique index: two stations cannot make it twice).

Frozen: the table and column names below are those of this version; nothing here imports the
live models.
"""

from __future__ import annotations

import peewee

VERSION = 11

MAX_TAGS = 200


def apply(db: peewee.Database) -> None:
    db.execute_sql("ALTER TABLE teaching_case RENAME COLUMN text TO situation")
    db.execute_sql("ALTER TABLE teaching_case RENAME COLUMN category TO tags")
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql(f"ALTER TABLE teaching_case ALTER COLUMN tags TYPE VARCHAR({MAX_TAGS})")
    db.execute_sql("ALTER TABLE teaching_case ADD COLUMN handling TEXT NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE teaching_case ADD COLUMN lesson TEXT NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE teaching_case ADD COLUMN complaint_id INTEGER NULL REFERENCES complaint (id)")
    db.execute_sql("CREATE UNIQUE INDEX teaching_case_complaint_id ON teaching_case (complaint_id)")
