"""The two clocks of a complaint: exact over holidays and make-up days, explained, provisional
where the official calendar ends, with pauses, restarts and withdrawals on the regulator's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.services import complaint_deadlines as dl
from frontdesk.services import workdays

KNOWN_LAST = date(2026, 12, 31)  # chinesecalendar 1.11 knows up to here


def test_seven_working_days_over_national_day_and_its_make_up_saturday():
    due = dl.internal_due(date(2026, 9, 28), dl.COMPLAINT)
    assert due.due == date(2026, 10, 13)
    assert not due.provisional
    skipped = {n.day for n in due.notes if not n.counted}
    assert {date(2026, 10, d) for d in range(1, 8)} <= skipped
    saturday = next(n for n in due.notes if n.day == date(2026, 10, 10))
    assert saturday.counted and "调休" in saturday.why
    text = due.explain()
    assert "2026-09-28 为第 0 天" in text
    assert "2026-10-01 至 2026-10-07：不计（国庆节法定节假日）" in text
    assert "2026-10-10：计入（国庆节调休上班）" in text
    assert "截止 2026-10-13 当日结束" in text


def test_spring_festival_2026_with_both_make_up_saturdays():
    # 02-14 (Sat) and 02-28 (Sat) are make-up working days; 02-15 … 02-23 are off.
    due = dl.internal_due(date(2026, 2, 13), dl.COMPLAINT)
    counted = [n.day for n in due.notes if n.counted]
    assert counted[0] == date(2026, 2, 14)
    assert date(2026, 2, 28) in counted
    assert not any(date(2026, 2, 15) <= d <= date(2026, 2, 23) for d in counted)
    assert due.due == date(2026, 3, 2)
    assert "春节法定节假日" in due.explain()


def test_a_consultation_has_two_working_days():
    friday = date(2026, 11, 20)
    assert dl.internal_due(friday, dl.CONSULTATION).due == date(2026, 11, 24)
    assert dl.internal_due(friday, dl.OPINION).due == dl.internal_due(friday, dl.COMPLAINT).due


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        dl.internal_due(date(2026, 11, 20), "gossip")


def test_into_a_year_the_calendar_does_not_know_the_deadline_is_provisional_and_says_why():
    assert not workdays.is_known(date(2027, 1, 1))
    due = dl.internal_due(date(2026, 12, 24), dl.COMPLAINT)
    assert due.provisional
    assert "2027" in due.warning
    # Counted Monday to Friday: 12-25, 12-28 … 12-31, then Fri 01-01 and Mon 01-04.
    assert due.due == date(2027, 1, 4)
    assert "暂定" in due.explain() and "2027 年" in due.explain()


def test_overrides_fill_in_the_unknown_year():
    overrides = {
        date(2027, 1, 1): workdays.HOLIDAY,
        date(2027, 1, 2): workdays.SATURDAY,
        date(2027, 1, 3): workdays.SUNDAY,
        date(2027, 1, 4): workdays.WORKDAY,
        date(2027, 1, 5): workdays.WORKDAY,
    }
    due = dl.internal_due(date(2026, 12, 24), dl.COMPLAINT, overrides)
    assert due.due == date(2027, 1, 5)
    assert not due.provisional
    assert "2027-01-01：不计（法定节假日）" in due.explain()


def test_an_override_can_close_a_day_the_library_calls_a_working_day():
    overrides = {date(2026, 11, 23): workdays.HOLIDAY}
    plain = dl.internal_due(date(2026, 11, 20), dl.CONSULTATION).due
    assert dl.internal_due(date(2026, 11, 20), dl.CONSULTATION, overrides).due == plain + timedelta(days=1)


def test_regulatory_fifteen_calendar_days_and_a_holiday_landing_is_shown_not_rolled():
    due = dl.regulatory_due(date(2026, 9, 16))
    assert due.due == date(2026, 10, 1)
    assert "法定节假日" in due.lands_on
    assert "不顺延" in due.explain()
    plain = dl.regulatory_due(date(2026, 11, 2))
    assert plain.due == date(2026, 11, 17)
    assert plain.lands_on == "工作日"


def test_with_rolling_on_a_national_day_landing_moves_to_the_next_working_day_and_says_why():
    due = dl.regulatory_due(date(2026, 9, 18), roll=True)  # 15 days → Sat 10-03, National Day
    assert due.due == date(2026, 10, 8)  # 10-01…10-07 off; Thursday 10-08 is the first working day
    assert due.rolled_from == date(2026, 10, 3)
    assert due.lands_on == "工作日" and not due.provisional
    text = due.explain()
    assert "截止 2026-10-08 当日结束。原截止日 2026-10-03 为国庆节法定节假日，按投诉设置顺延至下一个工作日。" in text
    assert "不顺延" not in text
    off = dl.regulatory_due(date(2026, 9, 18))  # the setting off: as before
    assert off.due == date(2026, 10, 3) and off.rolled_from is None
    assert "不顺延" in off.explain() and "顺延至" not in off.explain()


def test_with_rolling_on_a_weekend_landing_moves_to_monday():
    due = dl.regulatory_due(date(2026, 10, 17), roll=True)  # → Sunday 11-01
    assert (due.due, due.rolled_from) == (date(2026, 11, 2), date(2026, 11, 1))
    assert "原截止日 2026-11-01 为周日" in due.explain()
    saturday = dl.regulatory_due(date(2026, 10, 16), roll=True)
    assert (saturday.due, saturday.rolled_from) == (date(2026, 11, 2), date(2026, 10, 31))
    assert dl.regulatory_due(date(2026, 10, 17)).due == date(2026, 11, 1)


@pytest.mark.parametrize("received", [date(2026, 9, 5), date(2026, 9, 25)])
def test_a_make_up_working_day_is_a_working_day_so_nothing_rolls(received):
    # Sunday 09-20 and Saturday 10-10 are National Day's make-up working days.
    due = dl.regulatory_due(received, roll=True)
    assert due.due == received + timedelta(days=15)
    assert due.due.weekday() >= 5
    assert due.rolled_from is None and due.lands_on == "工作日"
    assert "顺延" not in due.explain()


def test_rolling_follows_the_overrides_and_marks_an_unknown_year_provisional():
    overrides = {date(2026, 11, 17): workdays.HOLIDAY}
    due = dl.regulatory_due(date(2026, 11, 2), overrides=overrides, roll=True)
    assert (due.due, due.rolled_from) == (date(2026, 11, 18), date(2026, 11, 17))
    assert "原截止日 2026-11-17 为法定节假日" in due.explain()
    # 12-18 + 15 = Saturday 2027-01-02, a year the calendar does not know: Monday to Friday
    unknown = dl.regulatory_due(date(2026, 12, 18), roll=True)
    assert (unknown.due, unknown.rolled_from) == (date(2027, 1, 4), date(2027, 1, 2))
    assert unknown.provisional and "2027" in unknown.warning
    assert "暂定" in unknown.explain()
    # A weekday in the unknown year does not roll, but is provisional all the same
    weekday = dl.regulatory_due(date(2026, 12, 17), roll=True)
    assert weekday.due == date(2027, 1, 1) and weekday.rolled_from is None and weekday.provisional
    assert not dl.regulatory_due(date(2026, 12, 17)).provisional  # off: as before


def test_an_open_pause_or_a_withdrawal_has_nothing_to_roll():
    paused = dl.regulatory_due(date(2026, 9, 18), pauses=[dl.Pause(date(2026, 9, 20), None)], roll=True)
    assert paused.due is None and paused.rolled_from is None
    assert dl.regulatory_due(date(2026, 9, 18), withdrawn_on=date(2026, 9, 19), roll=True).due is None


@pytest.mark.parametrize("limit", dl.REGULATORY_LIMITS)
def test_complex_and_extended_limits(limit):
    assert dl.regulatory_due(date(2026, 11, 2), limit).due == date(2026, 11, 2) + timedelta(days=limit)


def test_no_other_limit_exists():
    with pytest.raises(ValueError):
        dl.regulatory_due(date(2026, 11, 2), 45)


def test_a_pause_takes_out_the_whole_days_between_its_start_and_its_end():
    pause = dl.Pause(date(2026, 11, 5), date(2026, 11, 10), dl.APPRAISAL)
    due = dl.regulatory_due(date(2026, 11, 1), pauses=[pause])
    # 11-06 … 11-09 not counted: four days later than 11-16.
    assert due.due == date(2026, 11, 20)
    assert "2026-11-06 至 2026-11-09：不计（暂停计时：鉴定/检测/评估）" in due.explain()


def test_an_open_pause_stops_the_clock_and_says_how_much_is_left():
    pause = dl.Pause(date(2026, 11, 5), None, dl.MEDIATION)
    due = dl.regulatory_due(date(2026, 11, 1), pauses=[pause])
    assert due.due is None
    assert "调解" in due.stopped and "已计 4 天" in due.stopped and "余下 11 天" in due.stopped


def test_new_facts_restart_the_clock_and_earlier_pauses_no_longer_matter():
    pause = dl.Pause(date(2026, 11, 3), date(2026, 11, 6), dl.APPRAISAL)
    due = dl.regulatory_due(date(2026, 11, 1), pauses=[pause], restarted_on=date(2026, 11, 10))
    assert due.start == date(2026, 11, 10)
    assert due.due == date(2026, 11, 25)


def test_a_withdrawal_ends_the_clock():
    due = dl.regulatory_due(date(2026, 11, 1), withdrawn_on=date(2026, 11, 4))
    assert due.due is None and "撤回" in due.explain()


def test_the_effective_deadline_is_the_earlier_one():
    internal = dl.internal_due(date(2026, 9, 28), dl.COMPLAINT)  # 10-13
    regulatory = dl.regulatory_due(date(2026, 9, 28))  # 10-13 too
    assert dl.effective(internal, regulatory).due == date(2026, 10, 13)
    late = dl.regulatory_due(date(2026, 9, 28), dl.COMPLEX_DAYS)
    assert dl.effective(internal, late) is internal
    stopped = dl.regulatory_due(date(2026, 9, 28), withdrawn_on=date(2026, 9, 29))
    assert dl.effective(stopped, None) is None


def test_due_soon_means_one_working_day_left():
    assert dl.due_soon_until(date(2026, 10, 9)) == date(2026, 10, 10)  # a make-up Saturday
    assert dl.due_soon_until(date(2026, 9, 30)) == date(2026, 10, 8)  # over National Day
    assert dl.due_soon_until(date(2026, 12, 31)) == date(2027, 1, 1)  # unknown year: weekdays


known_days = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 12, 1))


@settings(max_examples=150, deadline=None)
@given(known_days, st.sampled_from(sorted(dl.INTERNAL_WORKING_DAYS)))
def test_internal_clock_agrees_with_the_working_day_calendar(start, kind):
    due = dl.internal_due(start, kind)
    n = dl.INTERNAL_WORKING_DAYS[kind]
    assert due.due == workdays.add_working_days(start, n)
    assert workdays.is_working_day(due.due)
    assert [x.number for x in due.notes if x.counted] == list(range(1, n + 1))
    assert due.notes[-1].day == due.due and not due.provisional


pauses = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 10)).map(
        lambda t: dl.Pause(date(2026, 3, 1) + timedelta(days=t[0]),
                           date(2026, 3, 1) + timedelta(days=t[0] + t[1]))),
    max_size=3)


@settings(max_examples=200, deadline=None)
@given(pauses, st.sampled_from(dl.REGULATORY_LIMITS))
def test_regulatory_clock_counts_every_unpaused_day_once(pause_list, limit):
    start = date(2026, 3, 1)
    due = dl.regulatory_due(start, limit, pause_list)
    assert due.due is not None
    counted = [x for x in due.notes if x.counted]
    assert len(counted) == limit
    skipped = [x.day for x in due.notes if not x.counted]
    assert (due.due - start).days == limit + len(skipped)
    for day in skipped:
        assert any(p.start < day < p.end for p in pause_list)
    assert due.due >= start + timedelta(days=limit)
