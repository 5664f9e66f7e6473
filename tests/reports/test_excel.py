"""The workbook, reopened with openpyxl: real values, formats, frozen headers, print set-up."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from frontdesk.errors import UserError
from frontdesk.reports import (
    Column,
    DetailSheet,
    KeyFigure,
    KeyFigures,
    Kind,
    Note,
    Report,
    ReportKind,
    Section,
    Standard,
    Table,
    write_xlsx,
)
from tests.reports.samples import NOTES, VISIT_COLUMNS, daily_report, monthly_report


@pytest.fixture(scope="module")
def daily_book(tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "日报.xlsx"
    report = daily_report()
    write_xlsx(report, path)
    return openpyxl.load_workbook(path)


def report_with(*blocks, details=()) -> Report:
    return Report(ReportKind.DAILY, "营业厅日报", "测试营业厅", "2026年11月20日", "王芳",
                  datetime(2026, 11, 20, 17, 45), sections=[Section("s", "一、来访", blocks)],
                  details=details)


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_a_summary_sheet_then_one_sheet_per_detail_sheet(daily_book) -> None:
    assert daily_book.sheetnames == ["汇总", "来访明细"]
    summary = rows_of(daily_book["汇总"])
    first_column = [row[0] for row in summary if row]
    for expected in ("营业厅日报", "一、来访与等候", "二、投诉工单", "三、检查巡检", "按业务类型",
                     "分时段来访人数"):
        assert expected in first_column, expected
    assert any(str(v).startswith("值班经理签字") for v in first_column)


def test_the_detail_sheet_holds_real_values(daily_book) -> None:
    sheet = daily_book["来访明细"]
    rows = rows_of(sheet)
    assert rows[0] == tuple(column.header for column in VISIT_COLUMNS)
    assert len(rows) == 501
    expected = daily_report().details[0].rows
    headers = rows[0]
    arrival, wait = headers.index("到达时间"), headers.index("等候（分钟）")
    for got, want in zip(rows[1:], expected, strict=True):
        assert got[0] == want[0] and isinstance(got[0], int)
        assert isinstance(got[arrival], datetime) and got[arrival] == want[arrival]
        if want[wait] is None:
            assert got[wait] is None
        else:
            assert isinstance(got[wait], timedelta)
            assert abs(got[wait] - want[wait]) < timedelta(seconds=1)
    cell = sheet.cell(row=2, column=wait + 1)
    assert cell.number_format == "[h]:mm:ss"
    assert sheet.cell(row=2, column=arrival + 1).is_date


def test_headers_freeze_filter_and_print(daily_book) -> None:
    sheet = daily_book["来访明细"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M501"
    assert sheet.page_setup.orientation == "landscape"  # 13 columns
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    for each in (sheet, daily_book["汇总"]):
        assert each.oddFooter.right.text == "第 &P 页 共 &N 页"
        assert each.oddFooter.left.text == "生成：李娜 2026-11-20 18:05"
        assert "平安人寿深圳福田营业厅" in each.oddHeader.center.text
    summary = daily_book["汇总"]
    assert summary.page_setup.orientation == "portrait"
    assert summary.sheet_properties.pageSetUpPr.fitToPage


def test_column_widths_fit_chinese_text(daily_book) -> None:
    sheet = daily_book["来访明细"]
    notes_column = "M"
    # Chinese characters and full-width punctuation count double.
    widest_note = max(sum(2 if ord(ch) >= 0x3000 else 1 for ch in note) for note in NOTES)
    assert sheet.column_dimensions[notes_column].width >= min(widest_note, 60)
    assert sheet.column_dimensions["B"].width >= len("2026-11-20 09:05")


def test_summary_values_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(report_with(
        KeyFigures([
            KeyFigure("平均等候", timedelta(minutes=12, seconds=18), Kind.MINUTES,
                      standard=Standard(timedelta(minutes=15))),
            KeyFigure("超 15 分钟占比", 0.235, Kind.PERCENT, standard=Standard(0.2)),
            KeyFigure("来访人数", 312, unit="人"),
            KeyFigure("最长等候", None, Kind.MINUTES),
        ]),
        Table([Column("日期", Kind.DATE), Column("星期", Kind.WEEKDAY),
               Column("平均等候（分钟）", Kind.MINUTES), Column("合格率", Kind.PERCENT),
               Column("评分", Kind.NUMBER)],
              [(date(2026, 11, 1), date(2026, 11, 1), timedelta(minutes=9), 0.95, 92.25)],
              totals=(None, None, timedelta(minutes=9), 0.95, 92.25)),
        Note("说明：占比按已叫号客户计算"),
    ), path)
    sheet = openpyxl.load_workbook(path)["汇总"]
    by_label = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    wait = by_label["平均等候"]
    assert wait[1].value == timedelta(minutes=12, seconds=18)
    assert wait[1].number_format == "[h]:mm:ss"
    assert (wait[2].value, wait[3].value) == ("≤ 15 分钟", "达标")
    share = by_label["超 15 分钟占比"]
    assert share[1].value == pytest.approx(0.235) and share[1].number_format == "0.0%"
    assert share[3].value == "未达标"
    assert by_label["来访人数（人）"][1].value == 312
    assert by_label["最长等候"][1].value == "—"
    day = next(row for row in sheet.iter_rows() if isinstance(row[0].value, datetime))
    assert day[0].value == datetime(2026, 11, 1) and day[0].number_format == "yyyy-mm-dd"
    assert day[1].value == "星期日"
    assert day[2].value == timedelta(minutes=9)
    assert day[3].number_format == "0.0%"
    assert day[4].value == pytest.approx(92.25) and day[4].number_format == "0.0"
    assert "说明：占比按已叫号客户计算" in by_label


def test_charts_are_native_excel_charts(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(daily_report(20), path)
    with zipfile.ZipFile(path) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2  # by-hour visitors and by-hour wait


def test_the_monthly_workbook(tmp_path: Path) -> None:
    path = tmp_path / "月报.xlsx"
    write_xlsx(monthly_report(visits=300), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "每日汇总", "来访明细"]
    days = rows_of(book["每日汇总"])
    assert len(days) == 31
    assert days[1][:2] == (datetime(2026, 11, 1), "星期日")
    assert book["每日汇总"].page_setup.orientation == "landscape"  # 7 columns
    assert len(rows_of(book["来访明细"])) == 301


def test_sheet_names_are_made_valid_and_unique(tmp_path: Path) -> None:
    columns = [Column("序号", Kind.INTEGER)]
    details = [DetailSheet("来访/明细[全部]:*?", columns, [(1,)]),
               DetailSheet("汇总", columns, [(2,)]),
               DetailSheet("一个非常非常非常非常非常长的工作表名称超过三十一个字符的限制一定会被截断", columns,
                           [(3,)]),
               DetailSheet("一个非常非常非常非常非常长的工作表名称超过三十一个字符的限制一定会被截断", columns,
                           [(4,)])]
    path = tmp_path / "r.xlsx"
    write_xlsx(report_with(Note("x"), details=details), path)
    names = openpyxl.load_workbook(path).sheetnames
    assert len(names) == len(set(names)) == 5
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
    assert names[1] == "来访_明细_全部____"
    assert names[2] == "汇总 (2)"


def test_a_stream_gets_the_whole_workbook() -> None:
    stream = io.BytesIO()
    write_xlsx(report_with(Note("x")), stream)
    assert zipfile.is_zipfile(io.BytesIO(stream.getvalue()))


def test_an_unwritable_target_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="文件夹不存在"):
        write_xlsx(report_with(Note("x")), tmp_path / "missing" / "日报.xlsx")


def test_long_text_wraps_in_a_capped_column(daily_book) -> None:
    sheet = daily_book["汇总"]
    long_cells = [cell for row in sheet.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value.startswith("客户反映上午高峰期")]
    assert long_cells and all(cell.alignment.wrap_text for cell in long_cells)
    assert sheet.column_dimensions[long_cells[0].column_letter].width <= 62


def test_a_second_reader_opens_the_workbook_with_the_same_values(tmp_path: Path) -> None:
    """calamine (the reader behind many viewers, stricter than openpyxl about the file's XML)
    reads every sheet, the Chinese text and the typed values back."""
    from python_calamine import CalamineWorkbook

    path = tmp_path / "日报.xlsx"
    report = daily_report()
    write_xlsx(report, path)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["汇总", "来访明细"]
    rows = book.get_sheet_by_name("来访明细").to_python()
    assert tuple(rows[0]) == tuple(column.header for column in VISIT_COLUMNS)
    expected = report.details[0].rows
    assert len(rows) == 1 + len(expected)
    arrival = rows[0].index("到达时间")
    customer = rows[0].index("客户")
    for got, want in zip(rows[1:], expected, strict=True):
        assert int(got[0]) == want[0]
        assert got[arrival] == want[arrival]  # a real date-time, not text
        assert (got[customer] or None) == (want[customer] or None)
    summary = [cell for row in book.get_sheet_by_name("汇总").to_python() for cell in row]
    assert "营业厅日报" in summary and report.branch in " ".join(str(c) for c in summary)


def test_columns_follow_each_other_on_the_summary_sheet(tmp_path: Path) -> None:
    from frontdesk.reports import Columns

    left = Table([Column("业务类型"), Column("人数", Kind.INTEGER)], [("理赔", 27)], title="按业务类型")
    right = Table([Column("特殊客户类别"), Column("人数", Kind.INTEGER)], [("老年人", 7)], title="特殊客户")
    path = tmp_path / "并排.xlsx"
    write_xlsx(report_with(Columns([left, right])), path)
    cells = [row[0] for row in rows_of(openpyxl.load_workbook(path)["汇总"]) if row]
    assert cells.index("按业务类型") < cells.index("理赔") < cells.index("特殊客户") < cells.index("老年人")
