"""Working days by China's official calendar (chinesecalendar), and the year it does not know."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.errors import UserError
from frontdesk.services import workdays
from frontdesk.services.workdays import CalendarUnknownError


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 9, 28), workdays.WORKDAY),  # a Monday
        (date(2026, 10, 1), workdays.HOLIDAY),  # National Day
        (date(2026, 10, 10), workdays.WORKDAY),  # a Saturday made a working day (调休)
        (date(2026, 9, 20), workdays.WORKDAY),  # a Sunday made a working day
        (date(2026, 11, 28), workdays.SATURDAY),
        (date(2026, 11, 29), workdays.SUNDAY),
    ],
)
def test_the_kind_of_a_day_follows_the_official_calendar(day, kind):
    assert workdays.day_kind(day) == kind
    assert workdays.is_working_day(day) == (kind == workdays.WORKDAY)


def test_seven_working_days_after_national_day_eve_counts_from_the_next_day():
    assert workdays.add_working_days(date(2026, 9, 28), 7) == date(2026, 10, 13)
    assert workdays.add_working_days(date(2026, 9, 28), 0) == date(2026, 9, 28)
    assert workdays.add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)  # Fri + 2 → Tue
    assert workdays.working_days_between(date(2026, 9, 28), date(2026, 10, 13)) == 7


def test_a_year_beyond_the_calendar_is_said_clearly_never_guessed():
    day = date(2027, 3, 1)
    with pytest.raises(CalendarUnknownError) as caught:
        workdays.day_kind(day)
    assert isinstance(caught.value, UserError)
    assert "2027 年" in caught.value.message and "尚未收录" in caught.value.message
    assert caught.value.day == day
    assert not workdays.is_known(day)
    assert workdays.is_known(date(2026, 12, 31))
    with pytest.raises(CalendarUnknownError):  # a deadline running into the unknown year
        workdays.add_working_days(date(2026, 12, 28), 7)


def test_an_override_table_is_consulted_first_and_makes_a_day_known():
    overrides = {date(2027, 1, 1): workdays.HOLIDAY, date(2027, 1, 4): workdays.WORKDAY,
                 date(2026, 10, 12): workdays.HOLIDAY}  # the branch closed that Monday
    assert workdays.day_kind(date(2027, 1, 1), overrides) == workdays.HOLIDAY
    assert workdays.is_known(date(2027, 1, 4), overrides)
    assert workdays.add_working_days(date(2026, 9, 28), 7, overrides) == date(2026, 10, 14)
    with pytest.raises(CalendarUnknownError):
        workdays.day_kind(date(2027, 1, 2), overrides)
    with pytest.raises(ValueError):
        workdays.day_kind(date(2027, 1, 1), {date(2027, 1, 1): "weekend"})


def test_a_negative_count_is_a_programming_error():
    with pytest.raises(ValueError):
        workdays.add_working_days(date(2026, 9, 28), -1)
