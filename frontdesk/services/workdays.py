"""Working days by China's official calendar: what complaint deadlines are counted in.

Why it looks like this: statutory holidays are not working days and make-up working days (调休)
are, as the State Council announces them each year. ``chinesecalendar`` holds those notices; it
knows each year only once the notice is out (usually in November for the next year) and raises
``NotImplementedError`` for a later year. A deadline must never be guessed from the plain
weekday rule for such a year, so every function here raises ``CalendarUnknownError`` (a
``UserError``: the screen says why) for a date beyond what the calendar knows.

The administrator's override table (a day the branch declares open or closed, or the next
year's notice typed in before the library ships it) is the ``overrides`` argument: a mapping of
dates to day kinds, consulted before the library. Whoever loads that table hands it in; a date
found there is known whatever the library says. The database's holiday table, where the library's
days are copied (``services.holidays``), is handed in as a ``TableCalendar``: it alone decides,
the library is not read at all — two stations with different library versions count alike, and an
upgrade of the library moves no deadline.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta

from frontdesk.errors import UserError
from frontdesk.i18n import _

WORKDAY, SATURDAY, SUNDAY, HOLIDAY = "workday", "saturday", "sunday", "holiday"
DAY_KINDS: dict[str, str] = {
    WORKDAY: _("工作日"),
    SATURDAY: _("周六"),
    SUNDAY: _("周日"),
    HOLIDAY: _("法定节假日"),
}

# What an override table holds: the kind of each day it names.
Overrides = Mapping[date, str]

# A deadline counted in working days never reaches further than this many calendar days.
_MAX_SPAN_DAYS = 3660


class CalendarUnknownError(UserError):
    """``day`` lies beyond the official holiday calendar this program knows."""

    def __init__(self, day: date) -> None:
        super().__init__(
            _("{year} 年的国家法定节假日安排尚未收录（{day}），无法按工作日计算。"
              "请更新程序，或由管理员录入当年的节假日安排。").format(year=day.year, day=day.isoformat())
        )
        self.day = day


def _weekend_kind(day: date) -> str:
    return SATURDAY if day.weekday() == 5 else SUNDAY


def plain_kind(day: date) -> str:
    """The kind of a day no notice names: Monday to Friday working days."""
    return WORKDAY if day.weekday() < 5 else _weekend_kind(day)


class TableCalendar(Mapping[date, str]):
    """The holiday table as ``overrides``: it knows every year it has a row in (a day of such a year
    not in the table is a plain weekday or weekend day) and no other — the library is never read."""

    def __init__(self, days: Mapping[date, str], names: Mapping[date, str] | None = None) -> None:
        self.days = dict(days)
        self.names = dict(names or {})
        self.years = frozenset(d.year for d in self.days)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day.year in self.years

    def __getitem__(self, day: date) -> str:
        if day not in self:
            raise KeyError(day)
        return self.days.get(day) or plain_kind(day)

    def __iter__(self) -> Iterator[date]:
        for year in sorted(self.years):
            day = date(year, 1, 1)
            while day.year == year:
                yield day
                day += timedelta(days=1)

    def __len__(self) -> int:
        return sum((date(y + 1, 1, 1) - date(y, 1, 1)).days for y in self.years)


def day_kind(day: date, overrides: Overrides | None = None) -> str:
    """``workday``, ``saturday``, ``sunday`` or ``holiday``; make-up working days are workdays.

    Raises ``CalendarUnknownError`` when neither ``overrides`` nor the library know the day (a
    ``TableCalendar`` alone: the library is not asked).
    """
    if overrides is not None and day in overrides:
        kind = overrides[day]
        if kind not in DAY_KINDS:
            raise ValueError(f"unknown day kind {kind!r} for {day}")
        return kind
    if isinstance(overrides, TableCalendar):
        raise CalendarUnknownError(day)
    import chinese_calendar  # imported when first needed: kept off the start-up path

    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        raise CalendarUnknownError(day) from None
    if not on_holiday:
        return WORKDAY
    if name is not None:
        return HOLIDAY
    return _weekend_kind(day)


def is_known(day: date, overrides: Overrides | None = None) -> bool:
    """Whether the calendar (or the overrides) knows ``day``: a screen can warn ahead of time."""
    try:
        day_kind(day, overrides)
    except CalendarUnknownError:
        return False
    return True


def is_working_day(day: date, overrides: Overrides | None = None) -> bool:
    return day_kind(day, overrides) == WORKDAY


def add_working_days(start: date, n: int, overrides: Overrides | None = None) -> date:
    """The ``n``-th working day after ``start`` (counting begins the next day; ``n`` ≥ 0).

    ``add_working_days(date(2026, 9, 28), 7)`` is 2026-10-13 (National Day week off, 10-10 a
    make-up working day). ``n`` = 0 gives ``start`` itself.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day, left = start, n
    for _step in range(_MAX_SPAN_DAYS):
        if left == 0:
            return day
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            left -= 1
    raise ValueError(f"{n} working days after {start} is beyond any calendar")


def working_days_between(start: date, end: date, overrides: Overrides | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            count += 1
    return count
