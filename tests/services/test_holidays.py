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
        assert "2027-01-01 至 2027-01-03：不计（元旦法定节假日）" in moved.internal.explain()
        assert holidays.unknown_years(date(2026, 12, 24)) == []
        assert [e.day for e in holidays.entries() if e.day.year == 2027][:3] == [date(2027, 1, d) for d in (1, 2, 3)]
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
        table = holidays.load_overrides()
        assert table[date(2026, 11, 23)] == holidays.HOLIDAY and table[date(2026, 11, 24)] == holidays.WORKDAY
        assert table[date(2026, 10, 1)] == holidays.HOLIDAY and table.names[date(2026, 10, 1)] == "国庆节"


LIBRARY = "chinesecalendar " + __import__("importlib.metadata").metadata.version("chinesecalendar")


def test_the_library_days_are_in_the_table_with_their_source_and_names(configured):
    import chinese_calendar

    entries = {e.day: e for e in holidays.entries()}
    assert len(entries) == len(chinese_calendar.holidays) + len(chinese_calendar.workdays)
    assert entries[date(2026, 10, 1)] == holidays.HolidayEntry(date(2026, 10, 1), holidays.HOLIDAY, "国庆节", LIBRARY)
    assert entries[date(2026, 9, 20)].kind == holidays.WORKDAY and entries[date(2026, 9, 20)].name == "国庆节"
    assert holidays.load_overrides().years == frozenset(range(2004, 2027))


def test_deadlines_by_the_table_are_those_by_the_library_day_by_day():
    """Every 2025–2026 acceptance day and every clock length: the table (as migration 16 copies
    it) and the library give the same deadline and the same explanation."""
    from frontdesk.services import complaint_deadlines as dl
    from frontdesk.services import workdays

    _source, days = holidays.library_days()
    table = workdays.TableCalendar({e.day: e.kind for e in days}, {e.day: e.name for e in days})
    day = date(2004, 1, 1)
    while day.year < 2027:
        assert workdays.day_kind(day, table) == workdays.day_kind(day), day
        day = date.fromordinal(day.toordinal() + 1)
    start = date(2025, 1, 1)
    while start < date(2026, 12, 1):
        for n in (1, 2, 7):
            assert workdays.add_working_days(start, n, table) == workdays.add_working_days(start, n), (start, n)
            by_table, by_library = dl.internal_due(start, cs.COMPLAINT, table, days=n), dl.internal_due(
                start, cs.COMPLAINT, days=n)
            assert by_table == by_library and by_table.explain() == by_library.explain(), (start, n)
        for roll in (False, True):
            assert dl.regulatory_due(start, overrides=table, roll=roll) == dl.regulatory_due(start, roll=roll), start
        start = date.fromordinal(start.toordinal() + 1)


def test_a_deleted_library_day_is_a_working_day_and_the_library_is_not_read(configured, sign_in_as):
    with clock.pinned(datetime(2026, 9, 28, 10, 0), ticking=False):
        row = cs.create(cs.ComplaintInput(category="服务态度及服务质量", description="柜员态度生硬"))
        assert row.internal_due == date(2026, 10, 13)
        sign_in_as(session.ADMIN, "boss")
        assert holidays.remove_days(date(2026, 10, 7), date(2026, 10, 6)) == holidays.Change(2, 1)
        moved = cs.get_complaint(row.id)
        # 09-29, 09-30, then (10-01 … 10-05 off) 10-06, 10-07, 10-08, 10-09, 10-10 (make-up): day 7.
        assert moved.row.internal_due == date(2026, 10, 10) and not moved.row.due_provisional
        assert "2026-10-06 至 2026-10-09：计入（工作日）" in moved.internal.explain()
        assert "删除 2026-10-06 至 2026-10-07 的 2 天" in AuditEntry.select().where(
            AuditEntry.action == "holidays").order_by(AuditEntry.id.desc()).get().detail


def test_the_library_fills_only_the_years_the_table_lacks(configured, sign_in_as):
    import chinese_calendar

    sign_in_as(session.ADMIN, "boss")
    holidays.import_days("2025-05-06 休 网点停业")  # the branch's own day in a copied year
    holidays.remove_year(2026)
    with clock.pinned(datetime(2026, 9, 28, 10, 0), ticking=False):
        assert holidays.unknown_years(date(2026, 9, 28)) == [2026, 2027]
        row = cs.create(cs.ComplaintInput(category="服务态度及服务质量", description="柜员态度生硬"))
        assert row.due_provisional  # the library knows 2026, the table does not: not read
        change = holidays.fill_from_library()
        in_2026 = [d for d in {**chinese_calendar.holidays, **chinese_calendar.workdays} if d.year == 2026]
        assert change == holidays.Change(days=len(in_2026), tickets_moved=1)
        fixed = cs.get_complaint(row.id).row
        assert fixed.internal_due == date(2026, 10, 13) and not fixed.due_provisional
    assert holidays.fill_from_library() == holidays.Change(0, 0)
    assert next(e for e in holidays.entries() if e.day == date(2025, 5, 6)).name == "网点停业"
    assert "补充 2026 年" in AuditEntry.select().where(AuditEntry.action == "holidays").order_by(
        AuditEntry.id.desc()).get().detail
    with pytest.raises(PermissionDeniedError):
        sign_in_as(session.FRONT_DESK, "guide")
        holidays.fill_from_library()
