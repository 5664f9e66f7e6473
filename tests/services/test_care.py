"""Care while waiting (seeds 000, 003), on SQLite and PostgreSQL: actions from the administrator's
list recorded with the time and who, audited; only for someone waiting; the visit's care history;
the duty manager's escalation; the daily report's figures against counts made here."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, VisitCare
from frontdesk.errors import NotFoundError, PermissionDeniedError, ValidationError
from frontdesk.reports import KeyFigures
from frontdesk.services import care, clock, lists, reporting, session, slips, visitors
from frontdesk.services.presets import CARE_ACTION
from frontdesk.services.visitors import VisitInput

DAY = date(2026, 11, 18)
AT = datetime.combine(DAY, datetime.min.time()).replace(hour=9)


def _arrive(kinds, at: datetime) -> int:
    bts, dests = kinds
    with clock.pinned(at, ticking=False):
        return visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=dests["1号窗口"],
                                            arrived_at=at)).id


def _action(label: str) -> int:
    return next(e.id for e in lists.entries(CARE_ACTION) if e.label == label)


def test_the_care_list_starts_with_the_five_actions_of_the_seeds(configured):
    assert [e.label for e in lists.entries(CARE_ACTION)] == [
        "已送水", "已安抚", "已告知预计等候时间", "已引导至自助", "已报告值班经理"]


def test_care_is_recorded_with_time_and_who_and_audited(kinds, sign_in_as):
    visit = _arrive(kinds, AT)
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    with clock.pinned(AT + timedelta(minutes=6), ticking=False):
        water = care.record(visit, _action("已送水"))
    with clock.pinned(AT + timedelta(minutes=9), ticking=False):
        care.record(visit, _action("已报告值班经理"))
    assert (water.at, water.username, water.label) == (AT + timedelta(minutes=6), "李娜", "已送水")
    assert [(r.label, r.at) for r in care.care_of([visit])[visit]] == [
        ("已送水", AT + timedelta(minutes=6)), ("已报告值班经理", AT + timedelta(minutes=9))]
    entries = list(AuditEntry.select().where(AuditEntry.entity_id == visit).order_by(AuditEntry.seq))
    assert [(e.action, e.detail) for e in entries[-2:]] == [("care", "已送水"), ("care", "已报告值班经理")]


def test_care_only_for_someone_waiting_and_from_the_active_list(kinds, sign_in_as):
    visit = _arrive(kinds, AT)
    water = _action("已送水")
    retired = _action("已引导至自助")
    lists.update_entry(retired, active=False)
    with pytest.raises(ValidationError):
        care.record(visit, retired)
    with pytest.raises(ValidationError):
        care.record(visit, kinds[0]["缴费"])  # a business type is no care action
    with clock.pinned(AT + timedelta(minutes=3), ticking=False):
        visitors.call(visit)
    with pytest.raises(ValidationError):
        care.record(visit, water)
    with pytest.raises(NotFoundError):
        care.record(visit + 50, water)
    assert VisitCare.select().count() == 0
    assert care.care_of([]) == {}
    sign_in_as(session.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        care.first_care(DAY, DAY)  # the report's figures: duty manager and administrator


def test_a_renamed_action_keeps_the_name_it_was_done_under(kinds):
    visit = _arrive(kinds, AT)
    water = _action("已送水")
    with clock.pinned(AT + timedelta(minutes=6), ticking=False):
        care.record(visit, water)
    lists.update_entry(water, label="已递送饮用水")
    assert [r.label for r in care.care_of([visit])[visit]] == ["已送水"]


def test_the_visits_history_lists_care_and_slips_in_order(kinds, sign_in_as):
    visit = _arrive(kinds, AT)
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    with clock.pinned(AT + timedelta(minutes=6), ticking=False):
        care.record(visit, _action("已安抚"))
    with clock.pinned(AT + timedelta(minutes=8), ticking=False):
        slips.record_slip(visit, ("身份证",), "80 mm", slips.PRINTED, "XP-80")
    history = care.history_of(visit)
    assert [(e.at, e.username) for e in history] == [(AT + timedelta(minutes=6), "李娜"),
                                                    (AT + timedelta(minutes=8), "李娜")]
    assert history[0].text == "已安抚"
    assert history[1].text.startswith("一次性告知单：80 mm，打印到 XP-80：身份证")


def test_escalation_counts_those_past_the_standard_in_force(kinds):
    # Peak periods by default: 9:00–11:00 and 14:00–16:00 (settings); 13:00 is outside.
    noon = AT.replace(hour=13)
    for minutes_before in (40, 20, 16, 14, 3):
        _arrive(kinds, noon - timedelta(minutes=minutes_before))
    with clock.pinned(noon, ticking=False):
        found = care.escalation()
    assert (found.minutes, found.peak, found.count, found.longest) == (15, False, 3, 40)
    with clock.pinned(noon + timedelta(minutes=2), ticking=False):
        assert care.escalation().count == 4  # the one at 14 minutes crossed
    _arrive(kinds, noon.replace(minute=50))
    with clock.pinned(noon.replace(hour=14, minute=5), ticking=False):  # a peak period: 30 minutes
        found = care.escalation()
    assert (found.minutes, found.peak, found.count) == (30, True, 5)  # not the one waiting 15


def _figures(day: date) -> dict[str, object]:
    with clock.pinned(datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(hour=8)):
        report = reporting.daily_report(day)
    return {figure.label: figure.value
            for section in report.sections for block in section.blocks if isinstance(block, KeyFigures)
            for figure in block.figures}


def test_the_daily_report_says_how_many_long_waits_got_care_and_how_soon(kinds):
    # (minutes waited until called, or None: left after 8 minutes), minutes after arrival of the
    # first care action (None: none)
    plan = [(2, None), (4.9, 1), (5, 6), (7, None), (12, 9), (20, None), (None, 3), (30, 17)]
    for n, (wait, cared_at) in enumerate(plan):
        arrived = AT + timedelta(minutes=40 * n)
        visit = _arrive(kinds, arrived)
        if cared_at is not None:
            with clock.pinned(arrived + timedelta(minutes=cared_at), ticking=False):
                care.record(visit, _action("已送水"))
            with clock.pinned(arrived + timedelta(minutes=cared_at + 0.5), ticking=False):
                care.record(visit, _action("已安抚"))  # a second action: the first one counts
        end = arrived + timedelta(minutes=wait if wait is not None else 8)
        with clock.pinned(end, ticking=False):
            if wait is None:
                visitors.mark_left(visit)
            else:
                visitors.call(visit)
    long_waits = [(w, c) for w, c in plan if w is None or w >= 5]  # the one who left waited 8
    cared = [c for _w, c in long_waits if c is not None]
    # From crossing the 5 minutes: 6 → 1, 9 → 4, 3 → 0 (looked after before), 17 → 12.
    delays = sorted(max(0, c - 5) for c in cared)
    median = (delays[1] + delays[2]) / 2
    figures = _figures(DAY)
    assert figures["等候满 5 分钟"] == len(long_waits) == 6
    assert figures["其中已照护"] == len(cared) == 4
    assert figures["满 5 分钟后照护用时（中位）"] == timedelta(minutes=median) == timedelta(minutes=2.5)
