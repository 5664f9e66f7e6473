"""The PDF, read back with poppler: Chinese text present, fonts embedded, pages numbered."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.errors import FontMissingError, UserError
from frontdesk.reports import (
    Column,
    Columns,
    KeyFigure,
    KeyFigures,
    Kind,
    Note,
    Report,
    ReportKind,
    Section,
    Standard,
    Table,
    write_pdf,
)
from frontdesk.reports import fonts as fonts_module
from tests.reports.conftest import WQY, page_count, pdf_text, poppler, squeeze
from tests.reports.samples import BUSINESS, daily_report, monthly_report

A4_WIDTH = 595.28


def one_section_report(*blocks, signature: bool = False) -> Report:
    return Report(ReportKind.DAILY, "营业厅日报", "测试营业厅", "2026年11月20日 星期五（工作日）",
                  "王芳", datetime(2026, 11, 20, 17, 45), signature=signature,
                  sections=[Section("visitors", "一、来访与等候", blocks)])


@pytest.fixture(scope="module")
def daily_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "日报.pdf"
    write_pdf(daily_report(), path)
    return path


def test_the_daily_report_reads_back_in_chinese(daily_pdf: Path) -> None:
    text = squeeze(pdf_text(daily_pdf))
    pages = page_count(daily_pdf)
    assert 1 <= pages <= 2, "the daily report fits on one or two A4 pages"
    for expected in ("平安人寿深圳福田营业厅", "营业厅日报", "2026年11月20日星期五（工作日）",
                     "一、来访与等候", "二、投诉工单", "三、检查巡检", "分时段来访人数", "高峰",
                     "标准15分钟", "按业务类型", *BUSINESS, "合计", "值班经理签字", "日期：",
                     "生成：李娜2026-11-2018:05"):
        assert squeeze(expected) in text, expected
    for page in range(1, pages + 1):
        assert f"第{page}页共{pages}页" in squeeze(pdf_text(daily_pdf, first=page, last=page))


def test_key_figures_show_values_standards_and_whether_they_are_met(tmp_path: Path) -> None:
    path = tmp_path / "figures.pdf"
    write_pdf(one_section_report(KeyFigures([
        KeyFigure("平均等候", timedelta(minutes=12, seconds=18), Kind.MINUTES,
                  standard=Standard(timedelta(minutes=15))),
        KeyFigure("高峰平均等候", timedelta(minutes=31), Kind.MINUTES,
                  standard=Standard(timedelta(minutes=30))),
        KeyFigure("等候超过 15 分钟占比", 0.235, Kind.PERCENT),
        KeyFigure("来访人数", 312, unit="人"),
        KeyFigure("最长等候", None, Kind.MINUTES),
    ])), path)
    text = squeeze(pdf_text(path))
    # poppler reads the grid row by row, so check each cell's pieces.
    for expected in ("平均等候", "12.3分钟", "标准≤15分钟达标", "31.0分钟", "标准≤30分钟未达标",
                     "23.5%", "312人", "—"):
        assert expected in text, expected
    assert text.count("未达标") == 1


def test_only_embedded_truetype_fonts(daily_pdf: Path) -> None:
    lines = poppler("pdffonts", str(daily_pdf)).splitlines()[2:]
    assert lines, "the PDF uses some font"
    for line in lines:
        assert "Type 3" not in line and "CID Type 0" not in line, line
        name, font_type = line.split()[0], line.split()[1]
        columns = line.split()
        emb = columns[-5]
        assert font_type == "TrueType" and emb == "yes", f"not embedded: {name} ({line})"
    assert any("WenQuanYi" in line for line in lines) or not WQY.exists()


def test_page_one_renders_to_an_image(daily_pdf: Path, tmp_path: Path) -> None:
    poppler("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(daily_pdf),
            str(tmp_path / "page"))
    image = next(tmp_path.glob("page*.png"))
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.stat().st_size > 10_000  # charts and text, not a blank page


def test_long_tables_repeat_their_header_and_stay_on_the_page(tmp_path: Path) -> None:
    long_text = "客户反映上午高峰期排队超过四十分钟，叫号屏长时间不更新，要求说明原因并改进窗口安排。" * 2
    wide_latin = "保单号 P2026112000012345 WWWWMMMMWWWWMMMM@@@@%%%% " * 3
    rows = [(number, f"事项{number}", long_text if number % 10 == 0 else
             wide_latin if number % 7 == 0 else "已处理") for number in range(1, 121)]
    path = tmp_path / "long.pdf"
    write_pdf(one_section_report(
        Table([Column("序号", Kind.INTEGER), Column("事项名称"), Column("处理情况说明")], rows)),
        path)
    pages = page_count(path)
    assert pages >= 3
    for page in range(2, pages + 1):
        text = squeeze(pdf_text(path, first=page, last=page))
        assert "处理情况说明" in text, f"no header row on page {page}"
    assert squeeze(long_text) in squeeze(pdf_text(path)), "wrapped text is complete"
    # Every word lies inside the page: nothing runs off its right edge.
    bbox = poppler("pdftotext", "-bbox", str(path), "-")
    right_edges = [float(part.split('"')[1]) for part in bbox.split() if part.startswith("xMax=")]
    assert right_edges and max(right_edges) <= A4_WIDTH - 30


def test_an_empty_table_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    write_pdf(one_section_report(Table([Column("投诉类别"), Column("件数", Kind.INTEGER)], [])),
              path)
    assert "无记录" in pdf_text(path)


def test_the_monthly_report_has_its_trends_and_days(tmp_path: Path) -> None:
    path = tmp_path / "月报.pdf"
    write_pdf(monthly_report(visits=50), path)
    text = squeeze(pdf_text(path))
    for expected in ("营业厅月报", "2026年11月", "每日来访人数", "每日平均等候", "2026-11-01", "星期日",
                     "2026-11-30", "星期一"):
        assert expected in text, expected
    assert "值班经理签字" not in text  # the monthly report asks for no signature here


def test_notes_escape_markup(tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    write_pdf(one_section_report(Note("备注 <b>未闭合 & 5 < 15")), path)
    assert "备注 <b>未闭合 & 5 < 15" in pdf_text(path)


def test_a_stream_gets_the_whole_pdf() -> None:
    stream = io.BytesIO()
    write_pdf(one_section_report(Note("内容")), stream)
    data = stream.getvalue()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_an_unwritable_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="报表无法保存到"):
        write_pdf(one_section_report(Note("x")), tmp_path / "no-such-folder" / "日报.pdf")


def test_without_a_chinese_font_the_user_is_told_what_to_install(
        tmp_path: Path, monkeypatch, fresh_font_cache) -> None:
    monkeypatch.setattr(fonts_module, "system_font_candidates", lambda platform=None: iter(()))
    target = tmp_path / "日报.pdf"
    with pytest.raises(FontMissingError) as caught:
        write_pdf(dataclasses.replace(daily_report(10)), target)
    assert isinstance(caught.value, UserError)
    assert "fonts-wqy-microhei" in caught.value.message
    assert not target.exists() and not list(tmp_path.iterdir())


def test_a_font_chosen_in_the_settings_is_used(tmp_path: Path, fresh_font_cache) -> None:
    if not WQY.exists():
        pytest.skip("WenQuanYi Micro Hei is not installed")
    path = tmp_path / "日报.pdf"
    write_pdf(one_section_report(Note("指定字体")), path, font_path=str(WQY))
    assert "WenQuanYi" in poppler("pdffonts", str(path))


def test_columns_set_blocks_side_by_side_at_half_the_width(tmp_path: Path) -> None:
    left = Table([Column("业务类型"), Column("人数", Kind.INTEGER)],
                 [("理赔", 27), ("缴费", 22), ("咨询", 20)], title="按业务类型")
    right = Table([Column("特殊客户类别"), Column("人数", Kind.INTEGER)],
                  [("老年人", 7), ("孕妇", 1)], title="特殊客户")
    path = tmp_path / "并排.pdf"
    write_pdf(one_section_report(Columns([left, right])), path)
    lines = [squeeze(line) for line in poppler("pdftotext", "-layout", str(path), "-").splitlines()]
    assert any("按业务类型" in line and "特殊客户" in line for line in lines)
    assert any(line.startswith("理赔27") and line.endswith("老年人7") for line in lines)
    assert any(line.startswith("咨询20") for line in lines)
    # Each half is at most half the text width: the right table starts past the middle.
    boxes = poppler("pdftotext", "-bbox", str(path), "-")
    x_min = {word: float(box.split('xMin="')[1].split('"')[0])
             for box in boxes.splitlines() if 'xMin="' in box
             for word in [box.rsplit(">", 2)[-2].split("<")[0]]}
    assert x_min["老年人"] > A4_WIDTH / 2 - 20 > x_min["理赔"]


def test_columns_hold_two_or_three_blocks_never_nested() -> None:
    note = Note("说明")
    for blocks in ([note], [note] * 4, [note, Columns([note, note])]):
        with pytest.raises(ValueError):
            Columns(blocks)


def test_a_short_section_of_text_stays_at_the_foot_of_a_page_a_table_moves_on(tmp_path: Path) -> None:
    """A heading never sits alone at the foot of a page: a table needs 60 mm to start in, a
    section of notes only the room of its heading and a line (its text flows on overleaf)."""

    def pages(rows: int, then: Section | None) -> int:
        table = Table([Column("序号", Kind.INTEGER), Column("事项")], [(n, f"事项{n}") for n in range(rows)])
        report = dataclasses.replace(one_section_report(table), sections=[
            Section("visitors", "一、来访与等候", [table]), *([then] if then else [])])
        path = tmp_path / f"{rows}-{then.key if then else ''}.pdf"
        write_pdf(report, path)
        return page_count(path)

    low, high = 1, 200  # the most rows that fit on page one: bisected
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if pages(middle, None) == 1 else (low, middle - 1)
    rows = low - 6  # about 40 mm left under the table: less than 60, more than 20
    notes = Section("meetings", "四、晨会", [Note("晨会 08:30–08:50，出席 15/17 人。")])
    table = Section("inspections", "三、检查", [Table([Column("项")], [("一项",)])])
    assert pages(rows, notes) == 1
    assert pages(rows, table) == 2
