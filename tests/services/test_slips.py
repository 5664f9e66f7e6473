"""The 一次性告知 slip's rules, on SQLite and PostgreSQL: the papers per business type (preset,
then the administrator's list), the draft of one visit, the slip given recorded and audited, and
the daily report's count of visits given one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, Setting, VisitCare
from frontdesk.errors import NotFoundError, PermissionDeniedError, ValidationError
from frontdesk.reports import KeyFigures
from frontdesk.services import clock, reporting, session, settings, slips, visitors
from frontdesk.services.presets import PRESETS
from frontdesk.services.slips import PRINTED, SAVED_PDF, Paper
from frontdesk.services.visitors import VisitInput

DAY = date(2026, 11, 18)  # a Wednesday
AT = datetime.combine(DAY, datetime.min.time()).replace(hour=10)


def _register(kinds, business="理赔", missing=(), at=AT, **kw) -> int:
    bts, dests = kinds
    with clock.pinned(at, ticking=False):
        return visitors.register(VisitInput(
            business_type_id=bts[business], destination_id=dests["1号窗口"], arrived_at=at,
            documents_complete=not missing, missing_documents=tuple(missing), **kw)).id


def test_a_business_starts_with_its_presets_papers_and_what_each_is_for(kinds):
    bts, _dests = kinds
    papers = slips.papers_for(bts["理赔"])
    assert papers == tuple(Paper(label, purpose) for label, purpose in PRESETS["insurance"].papers["理赔"])
    assert Paper("理赔申请书", "申请理赔") in papers and any(p.label == "病历/诊断证明" for p in papers)
    assert slips.papers_for(bts["咨询"]) == ()  # nothing to bring to ask a question


def test_the_administrator_replaces_a_list_audited_and_the_preset_no_longer_applies(kinds):
    bts, _dests = kinds
    saved = slips.save_papers(bts["理赔"], (Paper(" 理赔申请书 ", "申请理赔"), Paper("", ""),
                                           Paper("事故证明", "意外事故需要")))
    assert saved == (Paper("理赔申请书", "申请理赔"), Paper("事故证明", "意外事故需要"))
    assert slips.papers_for(bts["理赔"]) == saved
    entry = AuditEntry.select().where(AuditEntry.action == "slip_papers").get()
    assert entry.entity_id == bts["理赔"] and "事故证明" in entry.after and "病历" in entry.before
    slips.save_papers(bts["理赔"], saved)  # the same list again changes nothing: no entry
    assert AuditEntry.select().where(AuditEntry.action == "slip_papers").count() == 1
    assert slips.save_papers(bts["理赔"], ()) == ()
    assert slips.papers_for(bts["理赔"]) == ()  # an empty list is a choice, not the preset again


@pytest.mark.parametrize(("papers", "message"), [
    ((Paper("身份证"), Paper("身份证")), "重复"),
    ((Paper("", "用途"),), "没有资料名称"),
    ((Paper("证" * 41),), "第 1 项资料"),
    ((Paper("身份证\x07"),), "第 1 项资料"),
    (tuple(Paper(f"资料{n}") for n in range(31)), "最多 30 项"),
])
def test_a_bad_list_is_refused_whole(kinds, papers, message):
    bts, _dests = kinds
    before = slips.papers_for(bts["理赔"])
    with pytest.raises(ValidationError) as refused:
        slips.save_papers(bts["理赔"], papers)
    assert message in refused.value.fields["papers"]
    assert slips.papers_for(bts["理赔"]) == before
    assert Setting.get_or_none(Setting.key == f"slip_papers:{bts['理赔']}") is None


def test_only_the_administrator_edits_the_lists(kinds, sign_in_as):
    bts, _dests = kinds
    sign_in_as(session.DUTY_MANAGER)
    with pytest.raises(PermissionDeniedError):
        slips.save_papers(bts["理赔"], (Paper("身份证"),))


def test_the_draft_ticks_what_the_guide_marked_and_adds_what_the_list_lacks(kinds, sign_in_as):
    saved = settings.load()
    settings.save(replace(saved, branch_phone="010-6552 1234"))
    visit = _register(kinds, missing=("病历/诊断证明", "医疗费用发票原件", "事故证明"))
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    with clock.pinned(AT + timedelta(minutes=2), ticking=False):
        draft = slips.draft(visit)
    ticked = [p.label for p in draft.papers if p.missing]
    assert ticked == ["病历/诊断证明", "医疗费用发票原件", "事故证明"]
    assert [p.label for p in draft.papers if not p.missing] == [
        label for label, _purpose in PRESETS["insurance"].papers["理赔"]
        if label not in ("病历/诊断证明", "医疗费用发票原件")]
    assert draft.papers[-1].purpose == ""  # typed by the guide, not on the list
    assert (draft.branch, draft.business_type, draft.guide, draft.phone, draft.day) == (
        "测试支行营业厅", "理赔", "李娜", "010-6552 1234", DAY)
    assert draft.opening_hours == "09:00–17:00"


def test_a_slip_given_is_recorded_on_the_visit_and_audited_in_one_go(kinds, sign_in_as):
    visit = _register(kinds, missing=("理赔申请书",))
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    with clock.pinned(AT + timedelta(minutes=3), ticking=False):
        record = slips.record_slip(visit, ("理赔申请书",), "小票 80 毫米", PRINTED, "收据打印机")
    assert record.at == AT + timedelta(minutes=3) and record.username == "李娜"
    assert slips.slips_of(visit) == [record]
    entry = AuditEntry.select().where(AuditEntry.action == "slip").get()
    assert entry.entity == "visit" and entry.entity_id == visit and entry.username == "guide"
    assert "理赔申请书" in entry.detail and "收据打印机" in entry.detail and "80" in entry.detail
    with pytest.raises(ValueError):
        slips.record_slip(visit, (), "A5 纸", "fax", "x")
    with pytest.raises(NotFoundError):
        slips.record_slip(visit + 99, (), "A5 纸", SAVED_PDF, "/tmp/x.pdf")
    assert VisitCare.select().count() == 1


def test_no_slip_for_a_voided_visit(kinds):
    visit = _register(kinds, missing=("理赔申请书",))
    visitors.void(visit, "登记错误")
    with pytest.raises(ValidationError):
        slips.draft(visit)
    with pytest.raises(ValidationError):
        slips.record_slip(visit, ("理赔申请书",), "A5 纸", PRINTED, "p")
    assert VisitCare.select().count() == 0 and not AuditEntry.select().where(AuditEntry.action == "slip").exists()


def _slip_figure(day: date) -> object:
    with clock.pinned(datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(hour=8)):
        report = reporting.daily_report(day)
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, KeyFigures):
                for figure in block.figures:
                    if figure.label == "发出一次性告知单":
                        return figure.value
    raise AssertionError("no slip figure in the daily report")


def test_the_daily_report_counts_the_visits_given_a_slip(kinds):
    given = []
    for n, hour in enumerate((9, 10, 11, 15)):
        visit = _register(kinds, missing=("理赔申请书",), at=AT.replace(hour=hour))
        if n < 3:
            given.append(visit)
    _register(kinds, at=AT.replace(hour=12))  # papers complete, no slip
    other_day = _register(kinds, missing=("理赔申请书",), at=AT + timedelta(days=1))
    with clock.pinned(AT.replace(hour=16), ticking=False):
        for visit in given:
            slips.record_slip(visit, ("理赔申请书",), "A5 纸", PRINTED, "p")
        slips.record_slip(given[0], ("理赔申请书",), "A5 纸", PRINTED, "p")  # a reprint: still one visit
        visitors.void(given[2], "重复登记")  # voided: counts nowhere
    with clock.pinned(AT + timedelta(days=1, hours=1), ticking=False):
        slips.record_slip(other_day, ("理赔申请书",), "A5 纸", SAVED_PDF, "/tmp/slip.pdf")
    by_hand = len({v for v in given if v != given[2]})
    assert _slip_figure(DAY) == by_hand == 2
    assert _slip_figure(DAY + timedelta(days=1)) == 1
