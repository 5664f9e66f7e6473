"""The meetings' section of the reports: figures against counts made here from what the test did,
the PDF read back and the workbook reopened."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import openpyxl
import pytest

from frontdesk.reports import KeyFigures, Note, Table, write_pdf, write_xlsx
from frontdesk.services import clock, reporting, staff, workdays
from frontdesk.services import meetings as mt
from frontdesk.services.staff import StaffInput
from tests.reports.conftest import pdf_text, squeeze

NOVEMBER = [date(2026, 11, d) for d in range(1, 31)]
MONDAY = date(2026, 11, 16)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm)


def hold(kind: str, day: date, start: time | None, end: time | None, late: int = 0, absent: int = 0,
         actions: tuple[tuple[str, date | None], ...] = ()) -> mt.MeetingDetail:
    with clock.pinned(at(day, 8, 20)):
        m = mt.create_meeting(kind, day)
        rows = list(m.attendance)
        for n in range(late):
            rows[n] = mt.AttendanceRow(rows[n].staff_id, rows[n].staff_name, mt.LATE, 3)
        for n in range(late, late + absent):
            rows[n] = mt.AttendanceRow(rows[n].staff_id, rows[n].staff_name, mt.ABSENT)
        saved = mt.update_meeting(m.row.id, m.row.version, mt.MeetingInput(start, end, None, m.sections, tuple(rows),
                                                                           m.numbers))
        for text, due in actions:
            mt.add_action(saved.row.id, text, None, due)
    return mt.get_meeting(saved.row.id)


@pytest.fixture
def month(configured):
    """A November as a duty manager recorded it; every figure below is counted from this."""
    for n in range(5):
        staff.add_staff(StaffInput(f"员工{n}", f"R{n}", "teller"))
    working = [d for d in NOVEMBER if workdays.is_working_day(d)]
    held = [d for d in working if d.day % 7 != 3]  # a few working days without a morning meeting
    missed = next(d for d in working if d not in held)
    meetings = []
    for n, d in enumerate(held):
        meetings.append(hold(mt.MORNING, d, time(8, 30), time(8, 50), late=n % 3, absent=1 if n % 5 == 0 else 0,
                             actions=((f"事项{n}", d + timedelta(days=2)),) if n % 4 == 0 else ()))
    hold(mt.MORNING, missed, None, None)  # opened and left empty: not held
    hold(mt.AFTER_SHIFT, MONDAY, time(17, 30), time(17, 45), late=1)
    hold(mt.MONTHLY, date(2026, 11, 27), time(17, 30), time(18, 30))
    items = [a for m in meetings for a in m.raised]
    closed = [a for a in items if a.meeting_day <= date(2026, 11, 19)][::2]
    with clock.pinned(at(date(2026, 11, 20), 10)):
        for a in closed:
            mt.close_action(a.id, a)
    return {"held": held, "working": working, "meetings": meetings, "items": items, "closed": closed}


def _figures(section) -> dict[str, object]:
    return {f.label: f.value for block in section.blocks if isinstance(block, KeyFigures) for f in block.figures}


def test_the_monthly_section_counts_what_was_recorded(month, tmp_path):
    report = reporting.monthly_report(2026, 11)
    section = report.section("meetings")
    fig = _figures(section)
    mornings = month["meetings"]
    assert fig["晨会召开 / 工作日"] == f"{len(month['held'])} / {len(month['working'])}"
    expected = sum(len(m.attendance) for m in mornings)
    attended = sum(1 for m in mornings for a in m.attendance if a.status in (mt.PRESENT, mt.LATE))
    assert fig["晨会平均出席率"] == pytest.approx(attended / expected)
    assert fig["晨会迟到"] == sum(1 for m in mornings for a in m.attendance if a.status == mt.LATE)
    assert fig["月例会（30 日前）"] == "已召开"
    closed_ids = {a.id for a in month["closed"]}
    still = [a for a in month["items"] if a.id not in closed_ids]
    assert fig["新增待办"] == len(month["items"]) and fig["完成待办"] == len(closed_ids)
    assert fig["月末未完成待办"] == len(still)
    assert fig["其中逾期"] == sum(1 for a in still if a.due_on < date(2026, 11, 30))
    [table] = [b for b in section.blocks if isinstance(b, Table)]
    rows = {r[0]: r for r in table.rows}
    assert rows["晨会"][1] == len(month["held"]) and rows["班后会"][1:4:2] == [1, 1]
    assert rows["月例会"][1] == 1
    pdf = tmp_path / "月报.pdf"
    write_pdf(report, pdf)
    text = squeeze(pdf_text(pdf))
    assert f"{len(month['held'])}/{len(month['working'])}" in text and "各类会议" in text
    xlsx = tmp_path / "月报.xlsx"
    write_xlsx(report, xlsx)
    book = openpyxl.load_workbook(xlsx)
    sheet = book["会议记录"]
    assert sheet.max_row - 1 == len(month["held"]) + 3  # every meeting recorded, held or not


def _line(day: date) -> str:
    section = reporting.daily_report(day).section("meetings")
    [note] = section.blocks  # one line: the daily report stays within two pages
    assert isinstance(note, Note)
    return note.text


def test_the_daily_section_is_one_line_counted_here(month, tmp_path):
    day = MONDAY
    [morning] = [m for m in month["meetings"] if m.row.day == day]
    attended = sum(1 for a in morning.attendance if a.status in (mt.PRESENT, mt.LATE))
    late = sum(1 for a in morning.attendance if a.status == mt.LATE)
    closed_ids = {a.id for a in month["closed"]}
    closed_on = date(2026, 11, 20)  # after this day: its end still saw them open
    still = [a for a in month["items"] if a.meeting_day <= day and (a.id not in closed_ids or closed_on > day)]
    assert closed_ids & {a.id for a in still}, "the items closed later count as open that day"
    overdue = sum(1 for a in still if a.due_on < day)
    assert _line(day) == (f"晨会 08:30–08:50，出席 {attended}/{len(morning.attendance)} 人，迟到 {late} 人；"
                          f"日终未完成待办 {len(still)} 项（逾期 {overdue} 项）。")
    later = date(2026, 11, 25)
    open_later = [a for a in month["items"] if a.meeting_day <= later and a.id not in closed_ids]
    assert f"日终未完成待办 {len(open_later)} 项" in _line(later)
    pdf = tmp_path / "日报.pdf"
    write_pdf(reporting.daily_report(day), pdf)
    assert "晨会08:30–08:50" in squeeze(pdf_text(pdf))


def test_a_day_without_a_held_morning_meeting_says_so(month):
    missed = next(d for d in month["working"] if d not in month["held"])
    assert _line(missed).startswith("晨会未召开；")
