"""Equipment faults in the inspections section: figures against counts made here, the PDF read
back and the detail sheet reopened."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest

from frontdesk.reports import KeyFigures, write_pdf, write_xlsx
from frontdesk.services import clock, faults, reporting
from frontdesk.services.faults import FaultFollowUp

MONDAY = date(2026, 11, 16)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def device(label: str) -> int:
    return next(d.id for d in faults.devices() if d.label == label)


def log(label: str, reported: datetime, fixed: datetime | None, what: str) -> faults.FaultRow:
    with clock.pinned(reported):
        row = faults.report(device(label), what, sign_posted=True)
    if fixed is not None:
        with clock.pinned(fixed):
            row = faults.follow_up(row.id, row, FaultFollowUp(what, True, True, "厂家", True, "已修好"))
    return row


@pytest.fixture
def logged(configured):
    """Faults around Monday: (device, reported, fixed)."""
    made = [
        ("叫号机", at(date(2026, 11, 2), 9), at(date(2026, 11, 2), 15), "不出票"),  # earlier, fixed that day
        ("大厅电视", at(date(2026, 11, 12), 10), at(MONDAY, 11), "黑屏"),  # fixed on Monday
        ("POS机", at(MONDAY, 8, 30), at(MONDAY, 10, 30), "刷卡无反应"),  # reported and fixed on Monday
        ("饮水机", at(MONDAY, 14), None, "不出热水"),  # reported on Monday, still open
        ("自助终端", at(date(2026, 11, 20), 9), None, "卡纸"),  # later in the month, still open
    ]
    return [log(*m) for m in made]


def figures_of(section) -> dict[str, object]:
    return {f.label: f.value for b in section.blocks if isinstance(b, KeyFigures) for f in b.figures}


def section(report):
    return next(s for s in report.sections if s.key == "inspections")


def test_the_daily_figures_count_faults_reported_fixed_and_open(logged, tmp_path):
    with clock.pinned(at(MONDAY, 18)):
        report = reporting.daily_report(MONDAY)
    s = section(report)
    start, end = at(MONDAY, 0), at(MONDAY, 0) + timedelta(days=1)
    reported = sum(1 for f in logged if start <= f.reported_at < end)
    fixed = sum(1 for f in logged if f.fixed_at is not None and start <= f.fixed_at < end)
    still = sum(1 for f in logged if f.reported_at < end and (f.fixed_at is None or f.fixed_at >= end))
    assert (reported, fixed, still) == (2, 2, 1)
    fig = figures_of(s)
    assert fig["日终未修复设备"] == still and "新报设备故障" not in fig  # one box: the report stays on two pages

    pdf, xlsx = tmp_path / "d.pdf", tmp_path / "d.xlsx"
    write_pdf(report, pdf)
    write_xlsx(report, xlsx)
    from tests.reports.conftest import pdf_text, squeeze

    assert "日终未修复设备" in squeeze(pdf_text(pdf))
    sheet = openpyxl.load_workbook(xlsx)["设备故障"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["大厅电视", "POS机", "饮水机"]  # open at some time on Monday
    assert sum(1 for r in rows if start <= r[2] < end) == reported
    assert sum(1 for r in rows if r[7] is not None and start <= r[7] < end) == fixed
    pos = rows[1]
    assert pos[2] == at(MONDAY, 8, 30) and pos[7] == at(MONDAY, 10, 30)
    assert pos[9] == timedelta(hours=2)  # a real time value in Excel
    assert rows[2][7] is None and rows[2][9] is None


def test_the_monthly_figures_and_the_mean_repair_time(logged, tmp_path):
    with clock.pinned(at(date(2026, 12, 2), 9)):
        report = reporting.monthly_report(2026, 11)
    fig = figures_of(section(report))
    assert fig["新报设备故障"] == 5 and fig["修复设备故障"] == 3 and fig["月末未修复设备"] == 2
    hours = [(f.fixed_at - f.reported_at).total_seconds() / 3600 for f in logged if f.fixed_at is not None]
    assert fig["平均修复时长（小时）"] == pytest.approx(sum(hours) / len(hours))
    xlsx = tmp_path / "m.xlsx"
    write_xlsx(report, xlsx)
    assert openpyxl.load_workbook(xlsx)["设备故障"].max_row - 1 == 5
