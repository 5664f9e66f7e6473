"""The branch's local clock, to whole seconds (see ``frontdesk.db.database`` on time storage)."""

from datetime import date, datetime


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()
