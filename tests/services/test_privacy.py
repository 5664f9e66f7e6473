"""Personal data kept no longer than the retention setting, and a person's export and erase
(PIPL arts. 19, 45, 47), on SQLite and PostgreSQL: across a month boundary, all or nothing,
audited without the phone number; the figures of the cleared visits stay."""

from __future__ import annotations

import csv
import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, Complaint, Visit
from frontdesk.errors import NotFoundError, PermissionDeniedError, ValidationError
from frontdesk.services import backup, clock, complaints, privacy, session, settings, visitors
from frontdesk.services.visitors import VisitInput

TODAY = date(2026, 3, 2)  # retention of 30 days reaches back across February's end
PHONE = "13812345678"


def _arrive(kinds, day: date, *, phone: str = "", name: str = "王先生", notes: str = "代办") -> int:
    bts, dests = kinds
    at = datetime.combine(day, datetime.min.time()).replace(hour=10)
    with clock.pinned(at, ticking=False):
        visit = visitors.register(VisitInput(business_type_id=bts["理赔"], destination_id=dests["1号窗口"],
                                             arrived_at=at, phone=phone, customer_name=name, notes=notes)).id
    with clock.pinned(at + timedelta(minutes=6), ticking=False):
        visitors.call(visit)
    return visit


def _retention(days: int) -> None:
    settings.save(replace(settings.load(), retention_days=days))


def _personal(visit: int) -> tuple[str, str, str]:
    v = Visit.get_by_id(visit)
    return v.customer_name, v.phone, v.notes


def test_the_default_keeps_a_year_and_zero_must_be_within_range(configured):
    assert settings.load().retention_days == 365
    with pytest.raises(ValidationError) as refused:
        _retention(-1)
    assert "0 表示永久保留" in refused.value.fields["retention_days"]


def test_purge_clears_only_visits_past_the_period_across_a_month_boundary(kinds):
    _retention(30)
    cutoff_day = TODAY - timedelta(days=30)  # 2026-01-31
    assert cutoff_day == date(2026, 1, 31)
    old = [_arrive(kinds, date(2026, 1, 30), phone=PHONE), _arrive(kinds, date(2025, 12, 31))]
    kept = [_arrive(kinds, cutoff_day, phone=PHONE), _arrive(kinds, date(2026, 2, 28)), _arrive(kinds, TODAY)]
    nothing_to_clear = _arrive(kinds, date(2026, 1, 2), name="", notes="")
    waits_before = {v: Visit.get_by_id(v).called_at for v in old}
    with clock.pinned(datetime.combine(TODAY, datetime.min.time()).replace(hour=9)):
        assert privacy.purge_due_count() == len(old)
        assert privacy.purge() == len(old)
        assert privacy.purge() == 0  # done: the next run finds nothing, and notes nothing
    for visit in old:
        assert _personal(visit) == ("", "", "")
        v = Visit.get_by_id(visit)
        assert v.called_at == waits_before[visit] and v.business_type_id and v.version == 3  # figures stay
    for visit in kept:
        assert _personal(visit)[0] == "王先生"
    assert Visit.get_by_id(nothing_to_clear).version == 2
    [entry] = AuditEntry.select().where(AuditEntry.action == "privacy_purge")
    assert "30 天" in entry.detail and f"{len(old)} 条" in entry.detail and "2026-01-31" in entry.detail


def test_zero_keeps_everything(kinds):
    _retention(0)
    visit = _arrive(kinds, date(2020, 1, 6), phone=PHONE)
    with clock.pinned(datetime(2026, 3, 2, 9)):
        assert privacy.purge_due_count() == 0 and privacy.purge() == 0
    assert _personal(visit)[1] == PHONE


def test_a_failed_purge_clears_nothing(kinds, monkeypatch):
    _retention(30)
    visits = [_arrive(kinds, date(2026, 1, n)) for n in (5, 6, 7)]

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(privacy.audit, "record", broken)
    with clock.pinned(datetime(2026, 3, 2, 9)), pytest.raises(RuntimeError):
        privacy.purge()
    assert all(_personal(v)[0] == "王先生" for v in visits)


def test_only_duty_managers_and_administrators_handle_personal_data(kinds, sign_in_as):
    sign_in_as(session.FRONT_DESK)
    for call in (privacy.purge, privacy.purge_due_count, lambda: privacy.erase_person(PHONE, "当事人申请"),
                 lambda: privacy.find_person(PHONE)):
        with pytest.raises(PermissionDeniedError):
            call()


def test_the_daily_backup_applies_retention_as_the_program(kinds, tmp_path, sign_in_as):
    _retention(30)
    visit = _arrive(kinds, date(2026, 1, 5), phone=PHONE)
    sign_in_as(session.FRONT_DESK)  # whoever is signed in, the program does it in its own name
    with clock.pinned(datetime(2026, 3, 2, 9)):
        backup.record_backup(tmp_path / "daily.sqlite", automatic=True)
    assert _personal(visit) == ("", "", "")
    entry = AuditEntry.select().where(AuditEntry.action == "privacy_purge").get()
    assert entry.username == session.SYSTEM.username


def test_a_person_gets_their_visits_and_the_audit_keeps_no_phone(kinds, tmp_path):
    mine = [_arrive(kinds, date(2026, 2, 27), phone=PHONE, name="李女士"),
            _arrive(kinds, date(2026, 3, 1), phone="138 1234 5678", notes="第二次来")]
    other = _arrive(kinds, date(2026, 3, 1), phone="13912345678")
    held = privacy.find_person("138-1234-5678").visits
    assert [h.id for h in held] == mine and held[0].customer_name == "李女士"
    target = tmp_path / "给当事人.csv"
    assert privacy.export_person(PHONE, target) == 2
    with target.open(encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["到达时间", "业务类型", "分流去向"] and len(rows) == 3
    assert rows[1][3:5] == ["李女士", PHONE] and rows[2][5] == "第二次来"
    assert other not in [h.id for h in held]
    for action in ("privacy_find", "privacy_export"):
        entry = AuditEntry.select().where(AuditEntry.action == action).get()
        assert "2 条" in entry.detail and "5678" not in entry.detail + entry.before + entry.after


def test_erase_clears_one_persons_visits_with_a_reason_audited_without_the_phone(kinds):
    mine = [_arrive(kinds, date(2026, 2, 27), phone=PHONE), _arrive(kinds, date(2026, 3, 1), phone=PHONE)]
    other = _arrive(kinds, date(2026, 3, 1), phone="13912345678")
    with pytest.raises(ValidationError):
        privacy.erase_person(PHONE, "x")
    assert privacy.erase_person(PHONE, "当事人书面申请") == 2
    assert all(_personal(v) == ("", "", "") for v in mine)
    assert _personal(other)[1] == "13912345678"
    entry = AuditEntry.select().where(AuditEntry.action == "privacy_erase").get()
    assert "2 条" in entry.detail and "当事人书面申请" in entry.detail
    assert "5678" not in entry.detail + entry.before + entry.after
    with pytest.raises(NotFoundError):
        privacy.erase_person(PHONE, "再次申请")  # nothing left to find by that number
    with pytest.raises(ValidationError):
        privacy.find_person("12")


def pdf_text(pdf) -> str:
    """The PDF's text as poppler extracts it, spaces and line breaks dropped."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return "".join(out.split())


def _ticket(day: date, *, phone: str = PHONE, closed: bool = True, kind: str = complaints.COMPLAINT,
            channel: str = complaints.ON_SITE) -> int:
    """A ticket received (and, ``closed``, replied and closed on the spot) on ``day``."""
    at = datetime.combine(day, datetime.min.time()).replace(hour=11)
    with clock.pinned(at, ticking=False):
        return complaints.create(complaints.ComplaintInput(
            kind=kind, channel=channel, category="服务态度及服务质量", customer_name="张先生", phone=phone,
            id_number="110101199003071233", acting_note="代母亲投诉", description="柜员态度生硬",
            request="要求道歉", on_the_spot=closed, reply_text="已当面致歉" if closed else "")).id


def _ticket_personal(ticket: int) -> tuple[str, str, str, str]:
    c = Complaint.get_by_id(ticket)
    return c.customer_name, c.phone, c.id_number, c.acting_note


def test_retention_covers_closed_complaints_and_opinion_entries_across_a_month_boundary(kinds):
    _retention(30)
    old = [_ticket(date(2026, 1, 30)),
           _ticket(date(2025, 12, 31), kind=complaints.OPINION, channel="opinion_book")]
    kept = [_ticket(date(2026, 1, 31)), _ticket(date(2026, 2, 28), kind=complaints.OPINION, channel="opinion_book")]
    still_open = _ticket(date(2026, 1, 5), closed=False)  # the customer is owed a reply: contact stays
    with clock.pinned(datetime(2026, 3, 2, 9)):
        assert privacy.tickets_due_count() == len(old)
        assert privacy.purge() == len(old)
    for ticket in old:
        assert _ticket_personal(ticket) == ("", "", "", "")
        c = Complaint.get_by_id(ticket)  # the figures stay
        assert (c.category, c.description, c.request, c.status) == ("服务态度及服务质量", "柜员态度生硬", "要求道歉",
                                                                    complaints.CLOSED)
        assert c.closed_at is not None and c.internal_due is not None
    for ticket in [*kept, still_open]:
        assert _ticket_personal(ticket)[1] == PHONE
    [entry] = AuditEntry.select().where(AuditEntry.action == "privacy_purge")
    assert f"{len(old)} 条已办结的投诉/意见" in entry.detail and PHONE not in entry.detail


def test_the_program_purges_at_most_once_a_day_whichever_station_starts(kinds, sign_in_as):
    _retention(30)
    first = _arrive(kinds, date(2026, 1, 5), phone=PHONE)
    sign_in_as(session.FRONT_DESK)  # whoever is signed in, the program does it in its own name
    with clock.pinned(datetime(2026, 3, 2, 9)):
        assert privacy.daily_purge() == 1
    with session.act_as(session.SYSTEM):
        assert privacy.purged_on() == date(2026, 3, 2)
    second = _arrive(kinds, date(2026, 1, 6), phone=PHONE)  # e.g. an old log imported later that day
    with clock.pinned(datetime(2026, 3, 2, 16)):
        assert privacy.daily_purge() is None  # another start the same day: nothing
    assert _personal(first)[1] == "" and _personal(second)[1] == PHONE
    with clock.pinned(datetime(2026, 3, 3, 8)):  # the next day runs again
        assert privacy.daily_purge() == 1
    assert _personal(second)[1] == ""
    entries = list(AuditEntry.select().where(AuditEntry.action == "privacy_purge").order_by(AuditEntry.seq))
    assert len(entries) == 2 and all(e.username == session.SYSTEM.username for e in entries)


def test_a_persons_complaints_and_opinion_entries_are_found_exported_and_erased(kinds, tmp_path):
    from openpyxl import load_workbook

    visit = _arrive(kinds, date(2026, 2, 27), phone=PHONE, name="李女士")
    tickets = [_ticket(date(2026, 2, 27)),
               _ticket(date(2026, 3, 1), closed=False, kind=complaints.OPINION, channel="opinion_book")]
    other = _ticket(date(2026, 3, 1), phone="13912345678")
    person = privacy.find_person(PHONE)
    assert [v.id for v in person.visits] == [visit] and [t.id for t in person.tickets] == tickets
    assert person.tickets[1].kind == "意见" and person.tickets[0].id_number == "110101199003071233"

    pdf, xlsx = tmp_path / "当事人.pdf", tmp_path / "当事人.xlsx"
    assert privacy.export_person(PHONE, pdf) == 3
    assert privacy.export_person(PHONE, xlsx) == 3
    text = pdf_text(pdf)
    assert "个人信息查询结果" in text and "李女士" in text and "柜员态度生硬" in text and PHONE in text
    book = load_workbook(xlsx)
    visits_sheet, tickets_sheet = book.worksheets
    assert visits_sheet.title == "来访记录" and visits_sheet.cell(4, 4).value == "李女士"
    assert [r[5] for r in tickets_sheet.iter_rows(min_row=4, values_only=True)] == [PHONE, PHONE]

    assert privacy.erase_person(PHONE, "当事人书面申请") == 3
    assert all(_ticket_personal(t) == ("", "", "", "") for t in tickets)
    assert _ticket_personal(other)[1] == "13912345678"
    assert Complaint.get_by_id(tickets[0]).description == "柜员态度生硬"  # the figures and the text stay
    entry = AuditEntry.select().where(AuditEntry.action == "privacy_erase").get()
    assert "1 条来访" in entry.detail and "2 条投诉/意见" in entry.detail and "5678" not in entry.detail
    with pytest.raises(NotFoundError):
        privacy.export_person(PHONE, pdf)
