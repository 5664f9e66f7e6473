"""The administrator's holiday calendar: a notice typed in makes an unknown year known, open
tickets' deadlines follow at once, and every change is audited — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from frontdesk.db.models import AuditEntry
from frontdesk.errors import PermissionDeniedError, ValidationError
from frontdesk.services import clock, holidays, session
from frontdesk.services import complaints as cs

NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01~2027-01-03 休 元旦
2027-02-06至2027-02-13 休 春节
2027-02-14 班 春节
"""


def test_a_notice_is_read_as_lines_of_ranges_or_csv():
    days = holidays.parse(NOTICE_2027 + "2027-9-30,班,国庆节\n")
    assert len(days) == 3 + 8 + 1 + 1
    assert days[0] == holidays.HolidayEntry(date(2027, 1, 1), holidays.HOLIDAY, "元旦")
    assert holidays.HolidayEntry(date(2027, 2, 14), holidays.WORKDAY, "春节") in days
    assert days[-1].day == date(2027, 9, 30) and days[-1].kind == holidays.WORKDAY


@pytest.mark.parametrize(("text", "words"), [
    ("2027-01-01 假 元旦", "第 1 行无法识别"),
    ("\n2027-02-30 休", "第 2 行的日期不存在"),
    ("2027-03-01~2027-02-01 休", "日期范围不正确"),
    ("2027-01-01~2027-03-01 休", "一段最多"),
    ("  \n# only a comment", "请输入"),
])
def test_a_line_that_cannot_be_read_is_named(text, words):
    with pytest.raises(ValidationError) as caught:
        holidays.parse(text)
    assert words in caught.value.fields["text"]


def test_typing_the_notice_makes_provisional_deadlines_exact(configured, sign_in_as):
    with clock.pinned(datetime(2026, 12, 24, 10, 0), ticking=False):
        row = cs.create(cs.ComplaintInput(category="服务态度及服务质量", description="柜员态度生硬"))
        assert row.due_provisional and row.internal_due == date(2027, 1, 4)
        assert holidays.unknown_years(date(2026, 12, 24)) == [2027]
        sign_in_as(session.FRONT_DESK, "guide")
        with pytest.raises(PermissionDeniedError):
            holidays.import_days(NOTICE_2027)
        sign_in_as(session.ADMIN, "boss")
        change = holidays.import_days(NOTICE_2027, "国办发明电〔2026〕")
        assert change == holidays.Change(days=12, tickets_moved=1)
        moved = cs.get_complaint(row.id)
        # 12-25, 12-28 … 12-31, then 01-01 … 01-03 off: 01-04 and 01-05 are days 6 and 7.
        assert moved.row.internal_due == date(2027, 1, 5) and not moved.row.due_provisional
        assert moved.row.version == row.version + 1
        assert "2027-01-01 至 2027-01-03：不计（法定节假日）" in moved.internal.explain()
        assert holidays.unknown_years(date(2026, 12, 24)) == []
        assert [e.day for e in holidays.entries()][:3] == [date(2027, 1, d) for d in (1, 2, 3)]
        detail = AuditEntry.select().where(AuditEntry.action == "holidays").get().detail
        assert "12 天" in detail and "国办发明电" in detail and "工单 1 张" in detail
        assert holidays.remove_year(2027) == holidays.Change(days=12, tickets_moved=1)
        back = cs.get_complaint(row.id).row
        assert back.due_provisional and back.internal_due == date(2027, 1, 4)


def test_a_day_of_a_known_year_overrides_that_day_only(configured):
    with clock.pinned(datetime(2026, 11, 20, 10, 0), ticking=False):  # a Friday
        row = cs.create(cs.ComplaintInput(kind=cs.CONSULTATION, category="保全纠纷", description="咨询"))
        assert row.internal_due == date(2026, 11, 24)
        holidays.import_days("2026-11-23 休 网点停业")
        assert cs.get_complaint(row.id).row.internal_due == date(2026, 11, 25)
        assert holidays.load_overrides() == {date(2026, 11, 23): holidays.HOLIDAY}
