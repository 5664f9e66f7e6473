"""The branch's local clock, to whole seconds (see ``frontdesk.db.database`` on time storage).

Every "now" and "today" of the program comes from here: the demo, the register, the reports
and the deadlines. Nothing else asks the operating system for the date (a test reads the
package's source and fails on ``datetime.now``/``date.today``/``time.time`` elsewhere), so a
test can put the whole program at any moment — 03:00, New Year's Eve, the day after a holiday —
with :func:`pin`. The program itself never pins: only tests (and benchmarks) call it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

# While pinned: the moment given, and the monotonic reading taken when it was given.
_pinned: tuple[datetime, float] | None = None
_ticking = True


def now() -> datetime:
    if _pinned is None:
        return datetime.now().replace(microsecond=0)
    moment, since = _pinned
    if not _ticking:
        return moment
    return (moment + timedelta(seconds=time.monotonic() - since)).replace(microsecond=0)


def today() -> date:
    return now().date()


def pin(moment: datetime, *, ticking: bool = True) -> None:
    """Put the clock at ``moment``; it then runs on from there (``ticking``) or stands still."""
    global _pinned, _ticking
    _pinned = (moment.replace(microsecond=0), time.monotonic())
    _ticking = ticking


def unpin() -> None:
    """Back to the computer's own clock."""
    global _pinned
    _pinned = None


def is_pinned() -> bool:
    return _pinned is not None


@contextmanager
def pinned(moment: datetime, *, ticking: bool = True) -> Iterator[None]:
    """The clock at ``moment`` within the block, as it was before after it."""
    global _pinned, _ticking
    before = (_pinned, _ticking)
    pin(moment, ticking=ticking)
    try:
        yield
    finally:
        _pinned, _ticking = before


def parse_moment(text: str) -> datetime:
    """``2027-12-31T23:59:30`` (or with a space) → a naive local date-time, for test settings."""
    return datetime.fromisoformat(text.strip()).replace(tzinfo=None, microsecond=0)
