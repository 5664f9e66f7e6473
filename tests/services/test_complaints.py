"""Complaint tickets through the service: lifecycle, clocks, roles, two stations, views —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, ComplaintEvent
from frontdesk.errors import ConflictError, PermissionDeniedError, ValidationError
from frontdesk.services import audit_view, clock, session
from frontdesk.services import complaint_deadlines as dl
from frontdesk.services import complaints as cs
from frontdesk.services import visitors as v

MONDAY = datetime(2026, 9, 28, 10, 0)  # seven working days later: 2026-10-13, over National Day


@pytest.fixture
def at():
    """Move the pinned clock: ``at(moment)``."""
    def move(moment: datetime) -> None:
        clock.pin(moment, ticking=False)
    move(MONDAY)
    yield move
    clock.unpin()


def ticket(**kw) -> cs.ComplaintInput:
    base = dict(kind=cs.COMPLAINT, channel=cs.ON_SITE, category="服务态度及服务质量", customer_name="张先生",
                phone="13812345678", description="柜员态度生硬", motive="respect", request="要求道歉")
    base.update(kw)
    return cs.ComplaintInput(**base)


def test_a_complaint_gets_both_clocks_and_its_first_entry(configured, sign_in_as, at):
    guide = sign_in_as(session.FRONT_DESK, "guide", "王芳")
    row = cs.create(ticket())
    assert row.status == cs.ACCEPTED
    assert row.internal_due == date(2026, 10, 13)
    assert row.regulatory_due == date(2026, 9, 28) + timedelta(days=15)
    assert row.due_on == min(row.internal_due, row.regulatory_due)
    assert row.first_contact == "王芳"
    assert row.phone_masked == "138****5678"
    detail = cs.get_complaint(row.id)
    assert [e.kind for e in detail.events] == [cs.E_ACCEPTED]
    assert detail.events[0].who == guide.display_name
    assert "国庆节法定节假日" in detail.explanation()
    assert "监管时限" in detail.explanation()
    entry = AuditEntry.select().where((AuditEntry.entity == "complaint") & (AuditEntry.entity_id == row.id)).get()
    assert entry.action == "create"


def test_a_consultation_has_only_the_internal_clock(configured, at):
    row = cs.create(ticket(kind=cs.CONSULTATION, category="保全纠纷"))
    assert row.internal_due == date(2026, 9, 30)
    assert row.regulatory_due is None and row.regulatory_limit is None
    assert row.due_on == row.internal_due


def test_refusals_name_their_fields(configured, at):
    with pytest.raises(ValidationError) as caught:
        cs.create(ticket(category="", description=" ", phone="12", people=0))
    assert {"category", "description", "phone", "people"} <= set(caught.value.fields)
    with pytest.raises(ValidationError) as caught:
        cs.create(ticket(on_the_spot=True, reply_text=""))
    assert "reply_text" in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        cs.create(ticket(received_at=MONDAY + timedelta(hours=2)))
    assert "received_at" in caught.value.fields


def test_twenty_people_in_person_is_a_major_complaint(configured, at):
    assert cs.create(ticket(people=20)).major
    assert not cs.create(ticket(people=19)).major
    assert not cs.create(ticket(people=25, channel="phone")).major


def test_resolved_on_the_spot(configured, sign_in_as, at):
    sign_in_as(session.FRONT_DESK, "guide")
    by_guide = cs.create(ticket(on_the_spot=True, reply_text="已当面致歉"))
    assert by_guide.status == cs.REPLIED and by_guide.replied_at == MONDAY
    sign_in_as(session.DUTY_MANAGER, "manager")
    by_manager = cs.create(ticket(on_the_spot=True, reply_text="已当面致歉"))
    assert by_manager.status == cs.CLOSED
    assert [e.kind for e in cs.get_complaint(by_manager.id).events] == [cs.E_ACCEPTED, cs.E_REPLY, cs.E_CLOSED]


def test_the_front_desk_follows_up_but_only_the_duty_manager_handles(configured, sign_in_as, at):
    sign_in_as(session.FRONT_DESK, "guide")
    row = cs.create(ticket())
    row = cs.add_follow_up(row.id, cs.E_PROGRESS, "已电话告知客户处理进度", row)
    assert row.status == cs.IN_PROGRESS
    for attempt in (
        lambda: cs.extend(row.id, 30, "分公司客服部", "需调取录像", row),
        lambda: cs.pause(row.id, dl.APPRAISAL, "送鉴定", row),
        lambda: cs.assign(row.id, "李经理", row),
        lambda: cs.withdraw(row.id, "客户撤回", row),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()
    row = cs.reply(row.id, "经核实，已批评教育柜员并致歉", "phone", "通话录音 2026-09-29", row)
    assert row.status == cs.REPLIED
    with pytest.raises(PermissionDeniedError):
        cs.close(row.id, "satisfied", "valid", "", row)
    sign_in_as(session.DUTY_MANAGER, "manager")
    row = cs.close(row.id, "satisfied", "valid", "", row)
    assert row.status == cs.CLOSED and row.satisfaction == "satisfied" and row.validity == "valid"
    with pytest.raises(ValidationError):
        cs.close(row.id, "happy", "valid", "", row)
    reopened = cs.reopen(row.id, "客户再次来电不满", row)
    assert reopened.status == cs.IN_PROGRESS and reopened.closed_at is None
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.entity == "complaint").order_by(AuditEntry.seq)]
    assert actions == ["create", cs.E_PROGRESS, cs.E_REPLY, cs.E_CLOSED, cs.E_REOPENED]


def test_pause_extension_and_new_facts_move_the_regulators_clock(configured, sign_in_as, at):
    sign_in_as(session.DUTY_MANAGER, "manager")
    row = cs.create(ticket(kind=cs.COMPLAINT))  # received 09-28: day 15 is 10-13
    at(datetime(2026, 10, 2, 9, 0))
    row = cs.pause(row.id, dl.MEDIATION, "提交调解组织", row)
    assert row.paused and row.regulatory_due is None
    assert row.due_on == row.internal_due  # the internal clock does not stop
    with pytest.raises(ConflictError):
        cs.pause(row.id, dl.MEDIATION, "", row)
    at(datetime(2026, 10, 9, 9, 0))
    row = cs.resume(row.id, "调解未成", row)
    # 10-03 … 10-08 (six whole days) were paused.
    assert row.regulatory_due == date(2026, 10, 13) + timedelta(days=6)
    with pytest.raises(ValidationError) as caught:
        cs.extend(row.id, 45, "总公司", "复杂", row)
    assert "days" in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        cs.extend(row.id, 30, "", "复杂", row)
    assert "approved_by" in caught.value.fields
    row = cs.extend(row.id, 30, "分公司客服部张总", "涉及多份保单，情况复杂", row)
    assert row.regulatory_limit == 30
    assert row.regulatory_due == date(2026, 9, 28) + timedelta(days=30 + 6)
    at(datetime(2026, 10, 20, 9, 0))
    row = cs.new_facts(row.id, "客户提交新的病历资料", row)
    assert row.regulatory_due == date(2026, 10, 20) + timedelta(days=30)
    detail = cs.get_complaint(row.id)
    assert "2026-10-20 为第 0 天" in detail.regulatory.explain()
    extension = next(e for e in detail.events if e.kind == cs.E_EXTENSION)
    assert extension.approved_by == "分公司客服部张总" and "30 天" in extension.summary()


def test_a_withdrawal_ends_the_ticket(configured, at):
    row = cs.create(ticket())
    row = cs.withdraw(row.id, "客户书面撤回", row)
    assert row.status == cs.WITHDRAWN and row.regulatory_due is None
    assert not row.overdue(date(2027, 1, 1))
    with pytest.raises(ConflictError):
        cs.add_follow_up(row.id, cs.E_CONTACT, "再次联系", row)


def test_two_stations_cannot_overwrite_each_other(configured, at):
    row = cs.create(ticket())
    seen_here = cs.get_complaint(row.id).row
    seen_there = cs.get_complaint(row.id).row
    cs.assign(row.id, "李经理", seen_there)
    with pytest.raises(ConflictError) as caught:
        cs.reply(row.id, "答复", "phone", "", seen_here)
    assert "处理人" in str(caught.value) and "李经理" in str(caught.value)
    assert cs.get_complaint(row.id).row.status == cs.ACCEPTED
    assert ComplaintEvent.select().where(ComplaintEvent.kind == cs.E_REPLY).count() == 0


def test_views_follow_the_calendar(configured, at):
    first = cs.create(ticket(kind=cs.CONSULTATION, customer_name="李女士", phone="13900001111"))  # due 09-30
    second = cs.create(ticket(customer_name="王先生"))  # due 10-13
    answered = cs.create(ticket(on_the_spot=True, reply_text="已解决"))  # the administrator: closed at once
    closed = cs.create(ticket(customer_name="赵女士"))
    closed = cs.withdraw(closed.id, "撤回", closed)

    def ids(view: str, **kw) -> set[int]:
        q = cs.ComplaintQuery(view=view, **kw)
        total = cs.count_complaints(q)
        rows = cs.fetch_rows(q, 0, 50, total)
        assert len(rows) == total
        return {r.id for r in rows}

    assert answered.status == cs.CLOSED
    assert ids(cs.V_OPEN) == {first.id, second.id}
    assert ids(cs.V_CLOSED) == {answered.id, closed.id}
    assert ids(cs.V_ALL) == {first.id, second.id, answered.id, closed.id}
    at(datetime(2026, 9, 29, 9, 0))
    assert ids(cs.V_DUE_SOON) == {first.id}  # one working day left
    alerts = cs.alerts()
    assert (alerts.overdue, alerts.due_soon, alerts.provisional) == (0, 1, 0)
    assert alerts.soon_until == date(2026, 9, 30)
    at(datetime(2026, 10, 8, 9, 0))
    assert ids(cs.V_OVERDUE) == {first.id}
    at(datetime(2026, 10, 12, 9, 0))
    assert ids(cs.V_DUE_SOON) == {second.id}
    assert cs.alerts().overdue == 1
    assert ids(cs.V_ALL, text="李女士") == {first.id}
    assert ids(cs.V_ALL, text="1111") == {first.id}  # the phone's last four digits
    assert ids(cs.V_ALL, text="111") == set()
    assert ids(cs.V_ALL, kind=cs.CONSULTATION) == {first.id}
    assert ids(cs.V_ALL, date_from=date(2026, 9, 29)) == set()
    q = cs.ComplaintQuery(view=cs.V_ALL, sort_key="due_on")
    assert [r.id for r in cs.fetch_rows(q, 0, 2)][0] == first.id
    assert cs.position_of(q, first.id) == 0


def test_a_deadline_in_an_unknown_year_is_provisional(configured, at):
    at(datetime(2026, 12, 24, 10, 0))
    row = cs.create(ticket())
    assert row.due_provisional
    assert cs.alerts().provisional == 1
    assert "暂定" in cs.get_complaint(row.id).explanation()


def test_a_ticket_opened_from_a_visit_takes_its_phone_and_links_back(kinds, at):
    bts, dests = kinds
    visit = v.register(v.VisitInput(business_type_id=bts["投诉"], destination_id=dests["客户接待室"],
                                    customer_name="陈女士", phone="13755556666"))
    row = cs.create(ticket(visit_id=visit.id, phone=None, customer_name="陈女士"))
    assert row.visit_id == visit.id and row.phone_masked == "137****6666"
    assert [t.id for t in cs.tickets_of_visit(visit.id)] == [row.id]
    with pytest.raises(ValidationError) as caught:
        cs.create(ticket(visit_id=visit.id + 999))
    assert "visit" in caught.value.fields


def test_a_repeat_is_merged_into_the_open_ticket(configured, sign_in_as, at):
    first = cs.create(ticket())
    repeat = cs.create(ticket(channel="phone", description="客户再次来电投诉同一事项"))
    sign_in_as(session.FRONT_DESK, "guide")
    with pytest.raises(PermissionDeniedError):
        cs.merge(repeat.id, first.id, "", repeat)
    sign_in_as(session.DUTY_MANAGER, "manager")
    with pytest.raises(ValidationError) as caught:
        cs.merge(repeat.id, repeat.id, "", repeat)
    assert "into" in caught.value.fields
    merged = cs.merge(repeat.id, first.id, "同一客户同一事项", repeat)
    assert merged.status == cs.MERGED and merged.merged_into == first.id and merged.closed_at == MONDAY
    target = cs.get_complaint(first.id)
    assert target.row.version == first.version + 1
    assert [e.kind for e in target.events] == [cs.E_ACCEPTED, cs.E_REPEAT]
    assert f"#{repeat.id}" in target.events[-1].text
    q = cs.ComplaintQuery(view=cs.V_CLOSED)
    assert [r.id for r in cs.fetch_rows(q, 0, 10)] == [repeat.id]
    answered = cs.reply(first.id, "已答复", "phone", "", target.row)
    with pytest.raises(ValidationError) as caught:  # only into a ticket still awaiting its reply
        cs.merge(cs.create(ticket()).id, answered.id, "", 1)
    assert "into" in caught.value.fields


def test_the_id_number_is_checked_masked_and_revealed_with_an_audit_entry(configured, at):
    with pytest.raises(ValidationError) as caught:
        cs.create(ticket(id_number="110105194912310021"))  # wrong check character
    assert "校验位" in caught.value.fields["id_number"]
    with pytest.raises(ValidationError) as caught:
        cs.create(ticket(acting_for="agent"))
    assert "acting_note" in caught.value.fields
    row = cs.create(ticket(id_number="１１０１０５１９４９１２３１００２ｘ", acting_for="heir", acting_note="其子，持继承证明"))
    assert row.id_masked == "110105********002X"
    assert cs.reveal_id_number(row.id) == "11010519491231002X"
    entry = AuditEntry.select().where(AuditEntry.action == "reveal").get()
    assert entry.detail == "身份证号码" and entry.entity_id == row.id
    # The audit viewer shows the number as lists do.
    assert audit_view.shown_value("complaint", "id_number", "11010519491231002X") == "110105********002X"
    assert audit_view.shown_value("complaint", "phone", "13812345678") == "138****5678"
