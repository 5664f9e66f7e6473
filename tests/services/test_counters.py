"""Counters opened and closed for the day (issue 10, item 7), on SQLite and PostgreSQL: the duty
manager and the administrator change them, a guide only reads; each change is a row and an audit
entry; the next day every counter is open again; a registration to a closed counter is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, CounterDay
from frontdesk.errors import PermissionDeniedError, ValidationError
from frontdesk.services import clock, counters, lists, session, visitors
from frontdesk.services.visitors import VisitInput

DAY = date(2026, 11, 18)
AT = datetime.combine(DAY, datetime.min.time()).replace(hour=9)


def _queue_ids() -> list[int]:
    return [e.id for e in lists.entries("destination") if e.queues]


def test_every_counter_is_open_until_closed_and_only_counters_that_queue_are_listed(kinds, sign_in_as):
    sign_in_as(session.FRONT_DESK, "guide")
    with clock.pinned(AT):
        states = counters.counters(DAY)
    assert [s.entry_id for s in states] == _queue_ids()
    assert all(s.open and s.at is None for s in states)
    _bts, dests = kinds
    assert dests["自助服务区"] not in {s.entry_id for s in states}


def test_duty_manager_closes_and_reopens_with_who_when_why_audited_and_tomorrow_all_open(kinds, sign_in_as):
    first, second = _queue_ids()[:2]
    sign_in_as(session.DUTY_MANAGER, "duty", "赵经理")
    with clock.pinned(AT, ticking=False):
        states = counters.set_counters(DAY, {first: False, second: True}, reason=" 人手不足 ")
    closed = {s.entry_id: s for s in states if not s.open}
    assert list(closed) == [first]
    assert (closed[first].at, closed[first].username, closed[first].reason) == (AT, "赵经理", "人手不足")
    assert CounterDay.select().count() == 1  # the counter already open wrote nothing
    with clock.pinned(AT + timedelta(hours=2), ticking=False):
        counters.set_counters(DAY, {first: True}, reason="人手不足")
        assert counters.closed_on(DAY) == {}
    rows = [(r.open, r.reason) for r in CounterDay.select().order_by(CounterDay.id)]
    assert rows == [(False, "人手不足"), (True, "")]
    audit = [(e.action, e.entity_id, e.username) for e in
             AuditEntry.select().where(AuditEntry.action.startswith("counter_")).order_by(AuditEntry.seq)]
    assert audit == [("counter_close", first, "duty"), ("counter_open", first, "duty")]
    detail = AuditEntry.get(AuditEntry.action == "counter_close").detail
    assert "2026-11-18" in detail and "人手不足" in detail

    with clock.pinned(AT + timedelta(hours=3), ticking=False):
        counters.set_counters(DAY, {second: False})
    with clock.pinned(AT + timedelta(days=1), ticking=False):
        assert list(counters.closed_on(DAY)) == [second]  # the day's record stays
        assert counters.closed_on(DAY + timedelta(days=1)) == {}  # tomorrow, all open again
        with pytest.raises(ValidationError, match="以前的日期不能更改"):
            counters.set_counters(DAY, {second: True})


def test_a_guide_reads_but_cannot_change_the_administrator_can(kinds, sign_in_as, make_user):
    first = _queue_ids()[0]
    sign_in_as(session.FRONT_DESK, "guide")
    with clock.pinned(AT), pytest.raises(PermissionDeniedError):
        counters.set_counters(DAY, {first: False})
    assert CounterDay.select().count() == 0
    sign_in_as(session.ADMIN, "boss")
    with clock.pinned(AT):
        counters.set_counters(DAY, {first: False})
        assert list(counters.closed_on(DAY)) == [first]


def test_only_active_counters_that_queue_can_be_changed(kinds, sign_in_as):
    _bts, dests = kinds
    sign_in_as(session.DUTY_MANAGER, "duty")
    with clock.pinned(AT), pytest.raises(ValidationError, match="不再排队"):
        counters.set_counters(DAY, {dests["自助服务区"]: False})
    with clock.pinned(AT), pytest.raises(ValidationError, match="最多 64 个字"):
        counters.set_counters(DAY, {_queue_ids()[0]: False}, reason="很" * 65)
    assert CounterDay.select().count() == 0


def test_a_registration_to_a_closed_counter_is_refused_at_the_destination(kinds, sign_in_as):
    bts, dests = kinds
    first, second = _queue_ids()[:2]
    label = lists.get_entry(first).label
    with clock.pinned(AT, ticking=False):
        early = visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=first, arrived_at=AT)).id
    sign_in_as(session.DUTY_MANAGER, "duty")
    with clock.pinned(AT + timedelta(hours=1), ticking=False):
        counters.set_counters(DAY, {first: False}, reason="设备故障")
    sign_in_as(session.FRONT_DESK, "guide")
    with clock.pinned(AT + timedelta(hours=2), ticking=False):
        with pytest.raises(ValidationError) as refused:
            visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=first))
        assert refused.value.fields == {"destination": f"窗口“{label}”今日已关闭（设备故障），请另选分流去向。"}
        # Another counter, and a destination that does not queue, still take customers.
        visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=second))
        visitors.register(VisitInput(business_type_id=bts["咨询"], destination_id=dests["自助服务区"]))
    with clock.pinned(AT + timedelta(days=1), ticking=False):
        # A late entry of yesterday, before the counter closed, is history and goes in.
        visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=first,
                                     arrived_at=AT + timedelta(minutes=30)))
        with pytest.raises(ValidationError, match="2026-11-18已关闭"):
            visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=first,
                                         arrived_at=AT + timedelta(hours=1, minutes=30)))
        visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=first))  # open today
    assert early in {r.id for r in visitors.waiting_now()}  # who waited before the closing still waits
