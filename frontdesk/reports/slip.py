"""The 一次性告知 slip: every missing paper told at once, on paper the customer takes home (seed 002).

Plain data in (``Slip``), a PDF out, in one of three formats: a receipt roll 58 or 80 mm wide
(the common front-desk printer in Chinese halls) whose page is exactly as tall as the text, or
an A5 or A4 sheet. The papers are a checklist: a ticked box for each paper still to bring, an empty
one for those of the business's list the customer already has; what a paper is for follows it
where the list says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from frontdesk.i18n import _

from .files import Target, write_atomically
from .fonts import cjk_font
from .pdf import escape

ROLL_58, ROLL_80, SHEET_A5, SHEET_A4 = "roll58", "roll80", "a5", "a4"
FORMATS: dict[str, str] = {
    ROLL_80: _("小票 80 毫米"),
    ROLL_58: _("小票 58 毫米"),
    SHEET_A5: _("A5 纸"),
    SHEET_A4: _("A4 纸"),
}
SHEETS = {SHEET_A5: A5, SHEET_A4: A4}  # the sheet formats' page sizes in points
# The paper's width in millimetres, and the printable margin either side of a roll (a receipt
# printer prints 48 of 58 mm and 72 of 80 mm).
ROLL_WIDTH_MM = {ROLL_58: 58, ROLL_80: 80}
ROLL_MARGIN_MM = {ROLL_58: 5, ROLL_80: 4}
CLOSING = _("请备齐以上资料后再来办理，谢谢！")
GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class SlipPaper:
    label: str
    purpose: str = ""  # what it is for, where the list says so
    missing: bool = True  # ticked: the customer still has to bring it


@dataclass(frozen=True)
class Slip:
    branch: str
    day: str  # as printed, e.g. "2026年12月2日"
    business_type: str
    papers: tuple[SlipPaper, ...]
    opening_hours: str  # e.g. "09:00–17:00"
    phone: str  # the branch's phone ("" if none is set)
    guide: str  # who told the customer


def page_width_mm(fmt: str) -> float:
    """The page width of a format in millimetres (A5: 148, A4: 210)."""
    if fmt in ROLL_WIDTH_MM:
        return float(ROLL_WIDTH_MM[fmt])
    if fmt in SHEETS:
        return SHEETS[fmt][0] / mm
    raise ValueError(f"unknown slip format {fmt!r}")


def write_slip(slip: Slip, target: Target, fmt: str = ROLL_80, *,
               font_path: str | os.PathLike[str] | None = None) -> None:
    """Render ``slip`` in ``fmt`` at ``target`` (a path, replaced atomically, or a binary stream).

    Raises ``FontMissingError`` (a ``UserError``) when no Chinese font can be embedded.
    """
    page_width_mm(fmt)  # refuses an unknown format before anything is written
    font = cjk_font(font_path).name
    write_atomically(target, partial(_render, slip, fmt, font))


def slip_bytes(slip: Slip, fmt: str = ROLL_80, *, font_path: str | os.PathLike[str] | None = None) -> bytes:
    """The slip's PDF as bytes (for the print preview)."""
    import io

    buffer = io.BytesIO()
    write_slip(slip, buffer, fmt, font_path=font_path)
    return buffer.getvalue()


class CheckBox(Flowable):
    """A square, ticked or empty, drawn with lines (no font has to carry a ballot-box glyph)."""

    def __init__(self, size: float, ticked: bool) -> None:
        super().__init__()
        self.size = size
        self.ticked = ticked

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size * 1.3

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.saveState()
        c.setLineWidth(0.7)
        bottom = s * 0.2
        c.rect(0, bottom, s, s)
        if self.ticked:
            c.setLineWidth(1.2)
            path = c.beginPath()
            path.moveTo(s * 0.18, bottom + s * 0.5)
            path.lineTo(s * 0.42, bottom + s * 0.2)
            path.lineTo(s * 0.85, bottom + s * 0.85)
            c.drawPath(path, stroke=1, fill=0)
        c.restoreState()


def _styles(font: str, roll: bool) -> dict[str, ParagraphStyle]:
    base = 8.5 if roll else 11.0

    def style(name: str, size: float, **kw) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.4)
        return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kw)

    return {
        "branch": style("branch", base + 1.5, alignment=TA_CENTER),
        "title": style("title", base + 4, alignment=TA_CENTER, spaceBefore=2, spaceAfter=2),
        "line": style("line", base),
        "paper": style("paper", base),
        "purpose": style("purpose", base - 1.5, textColor=GREY),
        "closing": style("closing", base + 0.5, alignment=TA_CENTER, spaceBefore=4),
        "small": style("small", base - 1, textColor=GREY),
    }


def _story(slip: Slip, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    font = styles["line"].fontName
    def p(text: str, style: str) -> Paragraph:
        return Paragraph(escape(text), styles[style])

    flow: list[Flowable] = [
        p(slip.branch, "branch"),
        p(_("一次性告知单"), "title"),
        p(_("日期：{day}").format(day=slip.day), "line"),
        p(_("办理业务：{business}").format(business=slip.business_type), "line"),
        Spacer(0, 3),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=3),
        p(_("请补齐以下资料（打 √ 的为尚缺资料）："), "line"),
        Spacer(0, 2),
    ]
    box_width = styles["paper"].fontSize * 1.8
    rows = []
    for paper in slip.papers:
        cell: list[Flowable] = [p(paper.label, "paper")]
        if paper.purpose:
            cell.append(p(_("用途：{purpose}").format(purpose=paper.purpose), "purpose"))
        rows.append([CheckBox(styles["paper"].fontSize, paper.missing), cell])
    if rows:
        table = Table(rows, colWidths=(box_width, width - box_width))
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),  # else the page refers to a non-embedded Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        flow.append(table)
    flow += [
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=3),
        p(_("营业时间：{hours}").format(hours=slip.opening_hours), "line"),
    ]
    if slip.phone:
        flow.append(p(_("网点电话：{phone}").format(phone=slip.phone), "line"))
    flow += [
        p(CLOSING, "closing"),
        Spacer(0, 3),
        p(_("告知人：{guide}").format(guide=slip.guide), "small"),
    ]
    return flow


def _render(slip: Slip, fmt: str, font: str, stream: BinaryIO) -> None:
    roll = fmt in ROLL_WIDTH_MM
    styles = _styles(font, roll)
    if roll:
        margin = ROLL_MARGIN_MM[fmt] * mm
        page_width = ROLL_WIDTH_MM[fmt] * mm
        width = page_width - 2 * margin
        # A roll is cut where the text ends: measure the story, then lay it out on a page that tall.
        height = sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                     for f in _story(slip, styles, width))
        top = bottom = 4 * mm
        pagesize = (page_width, height + top + bottom + 6 * mm)  # a little slack for reportlab
    else:
        margin = top = bottom = 14 * mm
        pagesize = SHEETS[fmt]
        width = pagesize[0] - 2 * margin
    doc = SimpleDocTemplate(
        stream, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=top,
        bottomMargin=bottom, title=f"{slip.branch} {_('一次性告知单')}", author=slip.guide,
        creator="FrontDesk", initialFontName=font,
    )
    doc.build(_story(slip, styles, width))
