"""Care while waiting (seeds 000, 003), on SQLite and PostgreSQL: water and calming recorded with
the time and who, audited; only for someone waiting; the daily report's share of the customers
who waited the water standard that got one, against a count made here."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, VisitCare
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.reports import KeyFigures
from frontdesk.services import care, clock, reporting, session, visitors
from frontdesk.services.visitors import VisitInput

DAY = date(2026, 11, 18)
AT = datetime.combine(DAY, datetime.min.time()).replace(hour=9)


def _arrive(kinds, at: datetime) -> int:
    bts, dests = kinds
    with clock.pinned(at, ticking=False):
        return visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=dests["1号窗口"],
                                            arrived_at=at)).id


def test_water_and_calm_are_recorded_with_time_and_who_and_audited(kinds, sign_in_as):
    visit = _arrive(kinds, AT)
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    with clock.pinned(AT + timedelta(minutes=6), ticking=False):
        water = care.record(visit, care.WATER)
    with clock.pinned(AT + timedelta(minutes=9), ticking=False):
        care.record(visit, care.CALM)
    assert (water.at, water.username, water.label) == (AT + timedelta(minutes=6), "李娜", "已递水")
    assert [(r.kind, r.at) for r in care.care_of([visit])[visit]] == [
        (care.WATER, AT + timedelta(minutes=6)), (care.CALM, AT + timedelta(minutes=9))]
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.entity_id == visit).order_by(AuditEntry.seq)]
    assert actions[-2:] == ["care_water", "care_calm"]


def test_care_only_for_someone_waiting(kinds):
    visit = _arrive(kinds, AT)
    with clock.pinned(AT + timedelta(minutes=3), ticking=False):
        visitors.call(visit)
    with pytest.raises(ValidationError):
        care.record(visit, care.WATER)
    with pytest.raises(NotFoundError):
        care.record(visit + 50, care.WATER)
    with pytest.raises(ValueError):
        care.record(visit, "tea")
    assert VisitCare.select().count() == 0
    assert care.care_of([]) == {}


def _care_figure(day: date):
    with clock.pinned(datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(hour=8)):
        report = reporting.daily_report(day)
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, KeyFigures):
                for figure in block.figures:
                    if figure.label == "等候满 5 分钟已送水/安抚":
                        return figure.value
    raise AssertionError("no care figure in the daily report")


def test_the_daily_report_gives_the_share_of_long_waits_looked_after(kinds):
    # (minutes waited until called, or None: left after 8 minutes), cared?
    plan = [(2, False), (4.9, True), (5, True), (7, False), (12, True), (20, False), (None, True)]
    ids = []
    for n, (wait, cared) in enumerate(plan):
        arrived = AT + timedelta(minutes=10 * n)
        visit = _arrive(kinds, arrived)
        ids.append(visit)
        if cared:
            with clock.pinned(arrived + timedelta(minutes=1), ticking=False):
                care.record(visit, care.WATER)
        end = arrived + timedelta(minutes=wait if wait is not None else 8)
        with clock.pinned(end, ticking=False):
            if wait is None:
                visitors.mark_left(visit)
            else:
                visitors.call(visit)
    long_waits = [(w, c) for w, c in plan if w is None or w >= 5]  # the one who left waited 8
    by_hand = sum(1 for _w, c in long_waits if c) / len(long_waits)
    assert _care_figure(DAY) == pytest.approx(by_hand) == pytest.approx(3 / 5)
