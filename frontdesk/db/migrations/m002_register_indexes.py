"""Version 2: indexes that keep the register table instant on a million visits.

Measured with ``benchmarks/bench_register_table.py`` (1,000,000 visits, SQLite):

- ``visit_live_arrived_at``: the visits that count (not voided) in arrival order. Deep pages of
  a big view are read from this index alone (``OFFSET`` 500,000: 255 → 55 ms), and so are counts
  of a date range.
- ``visit_voided_arrived_at``: the few voided visits, so that the number of live visits in a
  range can be had as "all in the range − voided in the range", and the count of the whole
  history as "all − outside the range − voided": 450 → ~6 ms.

Both are partial indexes (SQLite ≥ 3.8, PostgreSQL), written in the SQL both understand.
"""

import peewee

VERSION = 2


def apply(db: peewee.Database) -> None:
    db.execute_sql(
        "CREATE INDEX visit_live_arrived_at ON visit (arrived_at, id) WHERE voided_at IS NULL"
    )
    db.execute_sql(
        "CREATE INDEX visit_voided_arrived_at ON visit (arrived_at) WHERE voided_at IS NOT NULL"
    )
