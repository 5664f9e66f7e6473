"""The complaint settings through the services: the category list with its industry presets, and
the internal deadlines — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from frontdesk.db.models import AuditEntry
from frontdesk.errors import PermissionDeniedError, ValidationError
from frontdesk.services import clock, lists, session, settings
from frontdesk.services import complaints as cs
from frontdesk.services.presets import (
    BUSINESS_TYPE,
    COMPLAINT_CATEGORIES,
    COMPLAINT_CATEGORY,
    PRESETS,
)

MONDAY = datetime(2026, 9, 28, 10, 0)  # over National Day: 7 working days → 10-13


@pytest.fixture
def at():
    clock.pin(MONDAY, ticking=False)
    yield lambda moment: clock.pin(moment, ticking=False)
    clock.unpin()


def ticket(**kw) -> cs.ComplaintInput:
    base = dict(kind=cs.COMPLAINT, channel=cs.ON_SITE, category="理赔纠纷", customer_name="张先生",
                description="理赔进度慢")
    base.update(kw)
    return cs.ComplaintInput(**base)


def _entry(label: str) -> lists.ListEntry:
    return next(e for e in lists.entries(COMPLAINT_CATEGORY, include_inactive=True) if e.label == label)


def _audit(action: str, entity: str) -> AuditEntry:
    return (AuditEntry.select().where((AuditEntry.action == action) & (AuditEntry.entity == entity))
            .order_by(AuditEntry.seq.desc()).get())


def test_every_preset_brings_its_complaint_categories():
    assert set(COMPLAINT_CATEGORIES) == set(PRESETS)
    bank = COMPLAINT_CATEGORIES["bank"]
    assert {"服务态度及服务质量", "营销方式和手段", "服务设施、设备、业务系统", "信息披露"} <= set(bank)
    assert {"销售纠纷", "理赔纠纷", "退保纠纷"} <= set(COMPLAINT_CATEGORIES["insurance"])
    for labels in COMPLAINT_CATEGORIES.values():
        assert labels[-1] == "其他" and len(set(labels)) == len(labels)
        assert all(len(label) <= lists.MAX_LABEL for label in labels)


def test_a_new_branch_starts_with_its_presets_categories(configured):
    assert cs.categories() == list(COMPLAINT_CATEGORIES["insurance"])


def test_a_ticket_takes_an_active_category_and_keeps_it_renamed_or_deactivated(configured, at):
    row = cs.create(ticket())
    assert row.category == "理赔纠纷"
    entry = _entry("理赔纠纷")
    lists.update_entry(entry.id, label="理赔争议")
    lists.add_entry(COMPLAINT_CATEGORY, "营业厅环境")
    lists.move_entry(_entry("营业厅环境").id, -100)
    assert cs.categories()[:2] == ["营业厅环境", "销售纠纷"]
    assert cs.get_complaint(row.id).row.category == "理赔纠纷"  # the ticket keeps what it was given
    lists.update_entry(entry.id, active=False)
    assert "理赔争议" not in cs.categories() and "理赔争议" in cs.categories(include_inactive=True)
    with pytest.raises(ValidationError) as refused:
        cs.create(ticket(category="理赔争议"))
    assert "不在启用的投诉类别中" in refused.value.fields["category"]
    with pytest.raises(ValidationError) as refused:
        cs.create(ticket(category=""))
    assert refused.value.fields["category"] == "请选择类别。"
    assert cs.create(ticket(category="营业厅环境")).category == "营业厅环境"
    found = cs.fetch_rows(cs.ComplaintQuery(view=cs.V_ALL, category="理赔纠纷"), 0, 10)
    assert [r.id for r in found] == [row.id]


def test_one_list_goes_back_to_a_preset_audited_old_tickets_unchanged(configured, at):
    row = cs.create(ticket(category="销售纠纷"))
    lists.add_entry(COMPLAINT_CATEGORY, "自建类别")
    business_types = [e.label for e in lists.entries(BUSINESS_TYPE)]
    entries = lists.apply_list_preset("bank", COMPLAINT_CATEGORY)
    assert [e.label for e in entries if e.active] == list(COMPLAINT_CATEGORIES["bank"])
    assert cs.categories() == list(COMPLAINT_CATEGORIES["bank"])
    inactive = {e.label for e in entries if not e.active}
    assert {"销售纠纷", "理赔纠纷", "自建类别"} <= inactive
    assert [e.label for e in lists.entries(BUSINESS_TYPE)] == business_types  # only that list
    assert cs.get_complaint(row.id).row.category == "销售纠纷"
    entry = _audit("list_preset", "list_item")
    assert "银行网点" in entry.detail and "投诉类别" in entry.detail
    assert "服务态度及服务质量" in json.loads(entry.after)["entries"]
    # Back to the insurer's: its categories again, in its order, "其他" shared
    lists.apply_list_preset("insurance", COMPLAINT_CATEGORY)
    assert cs.categories() == list(COMPLAINT_CATEGORIES["insurance"])
    with pytest.raises(ValidationError):
        lists.apply_list_preset("airline", COMPLAINT_CATEGORY)


def test_switching_the_branchs_preset_switches_the_categories_too(configured):
    settings.save(replace(settings.load(), preset="hospital"))
    assert cs.categories() == list(COMPLAINT_CATEGORIES["hospital"])


def test_only_the_administrator_edits_categories_and_deadlines(configured, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager")
    with pytest.raises(PermissionDeniedError):
        lists.apply_list_preset("bank", COMPLAINT_CATEGORY)
    with pytest.raises(PermissionDeniedError):
        lists.add_entry(COMPLAINT_CATEGORY, "新类别")
    with pytest.raises(PermissionDeniedError):
        cs.save_internal_days(cs.InternalDays(complaint=5))
    assert cs.internal_days() == cs.InternalDays()  # anyone signed in reads them


def test_the_internal_deadlines_default_to_seed_002():
    assert cs.InternalDays() == cs.InternalDays(complaint=7, consultation=2, opinion=7)
    assert cs.InternalDays(opinion=4).of(cs.SUGGESTION) == 4


def test_deadlines_out_of_range_are_refused_at_their_field(configured):
    with pytest.raises(ValidationError) as refused:
        cs.save_internal_days(cs.InternalDays(complaint=0, consultation=61, opinion=60))
    assert set(refused.value.fields) == {"internal_days_complaint", "internal_days_consultation"}
    assert refused.value.fields["internal_days_complaint"] == "请填写 1 到 60 之间的工作日数。"
    assert cs.internal_days() == cs.InternalDays()


def test_new_deadlines_apply_to_new_tickets_and_recompute_the_open_ones(configured, at):
    open_complaint = cs.create(ticket())
    consultation = cs.create(ticket(kind=cs.CONSULTATION))
    closed = cs.create(ticket(on_the_spot=True, reply_text="当场解释"))
    opinion = cs.create(ticket(kind=cs.SUGGESTION, channel="opinion_box", category="其他"))
    assert (open_complaint.internal_due, consultation.internal_due) == (date(2026, 10, 13), date(2026, 9, 30))
    assert closed.status == cs.CLOSED and closed.internal_due == date(2026, 10, 13)

    moved = cs.save_internal_days(cs.InternalDays(complaint=10, consultation=3, opinion=5))
    assert moved == 3  # the closed one stays as it was
    assert cs.internal_days() == cs.InternalDays(complaint=10, consultation=3, opinion=5)
    again = cs.get_complaint(open_complaint.id)
    assert again.row.internal_due == date(2026, 10, 16)  # 10 working days over National Day
    assert again.row.version == open_complaint.version + 1  # other stations see the change
    assert "数 10 个工作日" in again.explanation()
    assert cs.get_complaint(consultation.id).row.internal_due == date(2026, 10, 8)  # 09-29, 09-30, 10-08
    assert cs.get_complaint(opinion.id).row.internal_due == date(2026, 10, 10)  # the make-up Saturday
    assert cs.get_complaint(closed.id).row.internal_due == date(2026, 10, 13)
    assert cs.create(ticket()).internal_due == date(2026, 10, 16)

    entry = _audit("settings", "complaint_settings")
    assert json.loads(entry.before) == {"internal_days_complaint": "7", "internal_days_consultation": "2",
                                        "internal_days_opinion": "7"}
    assert json.loads(entry.after)["internal_days_complaint"] == "10"
    assert "3 张未办结工单" in entry.detail

    # Saving the same again changes nothing and writes no entry
    count = AuditEntry.select().count()
    assert cs.save_internal_days(cs.InternalDays(complaint=10, consultation=3, opinion=5)) == 0
    assert AuditEntry.select().count() == count


def test_rolling_regulatory_deadlines_is_off_by_default_administrator_only(configured, sign_in_as):
    assert cs.regulatory_roll() is False
    sign_in_as(session.DUTY_MANAGER, "manager")
    with pytest.raises(PermissionDeniedError):
        cs.save_regulatory_roll(True)
    assert cs.regulatory_roll() is False


def test_rolling_on_recomputes_the_open_tickets_audited_and_off_puts_them_back(configured, at):
    at(datetime(2026, 9, 18, 10, 0))  # 15 calendar days → Saturday 10-03, National Day
    open_one = cs.create(ticket())
    closed = cs.create(ticket(on_the_spot=True, reply_text="当场解释"))
    assert open_one.regulatory_due == date(2026, 10, 3)
    assert "不顺延" in cs.get_complaint(open_one.id).explanation()

    assert cs.save_regulatory_roll(True) == 1  # the closed one stays as it was
    assert cs.regulatory_roll() is True
    again = cs.get_complaint(open_one.id)
    assert again.row.regulatory_due == date(2026, 10, 8)
    assert again.row.version == open_one.version + 1
    assert "原截止日 2026-10-03 为国庆节法定节假日，按投诉设置顺延至下一个工作日。" in again.explanation()
    assert cs.get_complaint(closed.id).row.regulatory_due == date(2026, 10, 3)
    assert cs.create(ticket()).regulatory_due == date(2026, 10, 8)  # new tickets roll too

    entry = _audit("settings", "complaint_settings")
    assert (json.loads(entry.before), json.loads(entry.after)) == ({"regulatory_roll": False},
                                                                   {"regulatory_roll": True})
    assert "1 张未办结工单" in entry.detail

    count = AuditEntry.select().count()
    assert cs.save_regulatory_roll(True) == 0  # unchanged: nothing written
    assert AuditEntry.select().count() == count

    assert cs.save_regulatory_roll(False) == 2
    assert cs.get_complaint(open_one.id).row.regulatory_due == date(2026, 10, 3)
