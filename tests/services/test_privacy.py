"""Personal data kept no longer than the retention setting, and a person's export and erase
(PIPL arts. 19, 45, 47), on SQLite and PostgreSQL: across a month boundary, all or nothing,
audited without the phone number; the figures of the cleared visits stay."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, Visit
from frontdesk.errors import NotFoundError, PermissionDeniedError, ValidationError
from frontdesk.services import backup, clock, privacy, session, settings, visitors
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
    held = privacy.find_person("138-1234-5678")
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
