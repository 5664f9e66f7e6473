"""The holiday calendar lives in the database: every day the installed ``chinesecalendar`` marks as
a holiday or a make-up working day, of every year it knows, is copied into ``holiday_day``.

Why: from this step on deadlines are counted with the table alone. Two stations on one PostgreSQL
database with different library versions count alike, and upgrading the library moves no
deadline silently (the administrator copies a newly known year with 从日历库补充).

A day the administrator already has a row for is left as it is (the branch's own word wins). Each
copied row names its festival in Chinese and its source (``chinesecalendar 1.11.0``). Written in
batches of a few hundred rows. Without the library installed nothing is copied.

Frozen: the table, the columns and the names below are those of this version; nothing here
imports the live code.
"""

from datetime import date

import peewee

VERSION = 16

_BATCH = 200  # rows per INSERT: 800 parameters, under SQLite's oldest limit of 999

_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def apply(db: peewee.Database) -> None:
    try:
        from importlib.metadata import version

        import chinese_calendar

        source = f"chinesecalendar {version('chinesecalendar')}"[:60]
    except Exception:  # noqa: BLE001 - no library, nothing to copy
        return
    days: dict[date, tuple[str, str]] = {d: ("holiday", n) for d, n in chinese_calendar.holidays.items()}
    days.update({d: ("workday", n) for d, n in chinese_calendar.workdays.items()})
    taken = {str(row[0])[:10] for row in db.execute_sql("SELECT day FROM holiday_day").fetchall()}
    rows = [(d.isoformat(), kind, _NAMES.get(name or "", name or "")[:40], source)
            for d, (kind, name) in sorted(days.items()) if d.isoformat() not in taken]
    param = "%s" if isinstance(db, peewee.PostgresqlDatabase) else "?"
    cast = f"CAST({param} AS DATE)" if isinstance(db, peewee.PostgresqlDatabase) else param
    for start in range(0, len(rows), _BATCH):
        batch = rows[start:start + _BATCH]
        values = ", ".join(f"({cast}, {param}, {param}, {param})" for _row in batch)
        db.execute_sql(f"INSERT INTO holiday_day (day, kind, name, source) VALUES {values}",
                       [value for row in batch for value in row])
