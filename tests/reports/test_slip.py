"""The 一次性告知单 PDF: the text read back, the fonts embedded, the paper exactly as wide as the
format (58 and 80 mm rolls, A5, A4), a roll exactly as long as its text."""

from __future__ import annotations

import io

import pytest

from frontdesk.reports import slip
from frontdesk.reports.slip import Slip, SlipPaper, write_slip
from tests.reports.conftest import page_count, pdf_text, poppler, squeeze

POINTS_PER_MM = 72 / 25.4


def _slip(papers: int = 3, phone: str = "010-6552 1234") -> Slip:
    listed = [
        SlipPaper("理赔申请书", "申请理赔", True),
        SlipPaper("病历/诊断证明", "证明病情及治疗经过", True),
        SlipPaper("银行卡/存折", "领取理赔款", False),
    ] + [SlipPaper(f"补充材料{n}", "", n % 2 == 0) for n in range(max(0, papers - 3))]
    return Slip("测试支行营业厅", "2026年12月2日", "理赔", tuple(listed[:papers]), "09:00–17:00", phone, "李娜")


def _page_size(path) -> tuple[float, float]:
    line = next(line for line in poppler("pdfinfo", str(path)).splitlines() if line.startswith("Page size:"))
    width, _x, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


@pytest.mark.parametrize(("fmt", "width_mm"), [(slip.ROLL_58, 58), (slip.ROLL_80, 80), (slip.SHEET_A5, 148),
                                                  (slip.SHEET_A4, 210)])
def test_every_format_says_it_all_on_paper_of_its_width(tmp_path, fmt, width_mm):
    path = tmp_path / f"{fmt}.pdf"
    write_slip(_slip(), path, fmt)
    text = squeeze(pdf_text(path))
    for expected in ("测试支行营业厅", "一次性告知单", "2026年12月2日", "办理业务：理赔", "理赔申请书",
                     "用途：申请理赔", "病历/诊断证明", "银行卡/存折", "营业时间：09:00–17:00",
                     "网点电话：010-65521234", "请备齐以上资料后再来办理，谢谢！", "告知人：李娜"):
        assert expected in text, expected
    assert page_count(path) == 1
    width, _height = _page_size(path)
    assert width == pytest.approx(width_mm * POINTS_PER_MM, abs=0.5)
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded


def test_a_roll_is_as_long_as_its_papers(tmp_path):
    heights = []
    for count in (1, 3, 12):
        path = tmp_path / f"{count}.pdf"
        write_slip(_slip(count), path, slip.ROLL_80)
        assert page_count(path) == 1  # a long list is one longer slip, never a second page
        heights.append(_page_size(path)[1])
    assert heights[0] < heights[1] < heights[2]
    assert heights[0] > 50 * POINTS_PER_MM  # a roll slip is not an A4 page …
    assert heights[2] < 297 * POINTS_PER_MM  # … even with a dozen papers


def test_no_phone_no_phone_line_and_the_stream_gets_the_same_pdf(tmp_path):
    buffer = io.BytesIO()
    write_slip(_slip(phone=""), buffer, slip.ROLL_58)
    path = tmp_path / "slip.pdf"
    path.write_bytes(buffer.getvalue())
    assert "网点电话" not in squeeze(pdf_text(path))
    again = tmp_path / "again.pdf"
    again.write_bytes(slip.slip_bytes(_slip(phone=""), slip.ROLL_58))
    assert squeeze(pdf_text(again)) == squeeze(pdf_text(path))


def test_ticked_boxes_are_drawn_for_the_missing_papers_only(tmp_path):
    """The ticks are lines, not a glyph: more papers missing, more ink at the boxes."""
    from PySide6.QtGui import QImage

    inks = []
    for missing in (0, 3):
        papers = tuple(SlipPaper(f"资料{n}", "", n < missing) for n in range(3))
        path = tmp_path / f"m{missing}.pdf"
        write_slip(Slip("网点", "2026年12月2日", "理赔", papers, "09:00–17:00", "", "李娜"), path, slip.ROLL_80)
        poppler("pdftoppm", "-r", "100", "-png", str(path), str(tmp_path / f"m{missing}"))
        image = QImage(str(next(tmp_path.glob(f"m{missing}*.png"))))
        column = int(image.width() * 0.1)  # the boxes' column
        inks.append(sum(image.pixelColor(x, y).lightness() < 128
                        for y in range(image.height()) for x in range(column - 8, column + 8)))
    assert inks[1] > inks[0] > 0


def test_an_unknown_format_is_refused_before_writing(tmp_path):
    with pytest.raises(ValueError):
        write_slip(_slip(), tmp_path / "x.pdf", "a4-landscape")
    assert not (tmp_path / "x.pdf").exists()
