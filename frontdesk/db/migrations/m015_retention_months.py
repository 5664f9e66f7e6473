"""The retention of names and phones is counted in calendar months, no longer in days.

The setting ``retention_days`` (default 365; 0: kept for ever) becomes ``retention_months``
(default 12; 0: kept for ever). A branch that chose a number of days gets the number of months
that covers it, rounded up: ``ceil(days / (365.25 / 12))``, so 365 days are 12 months, 30 days 1
month, 31 days 2 months, 3650 days 120 months (the new maximum). Rounding up never clears a name
sooner than the administrator chose; it may keep it up to a month longer. An explicit "keep for
ever" (0) stays 0. A branch that never set it gets nothing stored: the new default applies.

Frozen: the keys and the arithmetic are those of this version; nothing here imports the live code.
"""

import peewee

VERSION = 15

_MAX_MONTHS = 120


def months_for(days: int) -> int:
    """The months covering ``days`` (rounded up; 0 stays 0, the explicit "keep for ever")."""
    if days <= 0:
        return 0
    return min(_MAX_MONTHS, -(-days * 48 // 1461))  # ceil(days * 12 / 365.25) in integers


def apply(db: peewee.Database) -> None:
    param = "%s" if isinstance(db, peewee.PostgresqlDatabase) else "?"
    row = db.execute_sql("SELECT value FROM setting WHERE key = 'retention_days'").fetchone()
    if row is None:
        return
    try:
        days = int(row[0])
    except (TypeError, ValueError):
        days = 365  # unreadable: the program read it as its default then
    db.execute_sql("DELETE FROM setting WHERE key = 'retention_months'")
    db.execute_sql(f"INSERT INTO setting (key, value) VALUES ('retention_months', {param})",
                   (str(months_for(days)),))
    db.execute_sql("DELETE FROM setting WHERE key = 'retention_days'")
