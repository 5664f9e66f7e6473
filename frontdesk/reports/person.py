"""What the branch holds about one person, as a file to hand them (PIPL art. 45): a PDF with the
app's embedded Chinese font, or an Excel workbook with one sheet of visits and one of complaints
and opinion entries. Plain data in (``PersonSheet``), the file out, whole or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from frontdesk.i18n import _

from .files import Target, write_atomically
from .fonts import cjk_font
from .formatting import display_width
from .pdf import escape

Row = Sequence[str]


@dataclass(frozen=True)
class PersonSheet:
    branch: str
    phone: str
    made_at: str  # e.g. "2026-03-02 09:00"
    visit_header: Row
    visits: Sequence[Row]
    ticket_header: Row
    tickets: Sequence[Row]


def title(sheet: PersonSheet) -> str:
    return _("{branch} 个人信息查询结果").format(branch=sheet.branch)


def intro(sheet: PersonSheet) -> str:
    return _("电话 {phone}：共 {visits} 条来访记录、{tickets} 条投诉/意见记录。生成时间：{at}").format(
        phone=sheet.phone, visits=len(sheet.visits), tickets=len(sheet.tickets), at=sheet.made_at)


def write_pdf(sheet: PersonSheet, target: Target, *, font_path: str | os.PathLike[str] | None = None) -> None:
    """The PDF at ``target``; ``FontMissingError`` when no Chinese font can be embedded."""
    font = cjk_font(font_path).name
    write_atomically(target, partial(_render_pdf, sheet, font))


def _render_pdf(sheet: PersonSheet, font: str, stream: BinaryIO) -> None:
    def style(name: str, size: float) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.35, wordWrap="CJK")

    heading, line, cell = style("heading", 15), style("line", 10), style("cell", 8)
    page = landscape(A4)
    width = page[0] - 30 * mm

    def table(header: Row, rows: Sequence[Row]) -> Table:
        data = [[Paragraph(escape(str(v)), cell) for v in row] for row in [header, *rows]]
        t = Table(data, colWidths=[width / len(header)] * len(header), repeatRows=1)
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    story = [Paragraph(escape(title(sheet)), heading), Spacer(0, 4), Paragraph(escape(intro(sheet)), line),
             Spacer(0, 8), Paragraph(escape(_("来访记录")), line), Spacer(0, 3)]
    story.append(table(sheet.visit_header, sheet.visits) if sheet.visits else Paragraph(escape(_("无")), line))
    story += [Spacer(0, 8), Paragraph(escape(_("投诉、咨询和意见簿记录")), line), Spacer(0, 3)]
    story.append(table(sheet.ticket_header, sheet.tickets) if sheet.tickets else Paragraph(escape(_("无")), line))
    doc = SimpleDocTemplate(stream, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title(sheet))
    doc.build(story)


def write_xlsx(sheet: PersonSheet, target: Target) -> None:
    write_atomically(target, partial(_render_xlsx, sheet))


def _render_xlsx(sheet: PersonSheet, stream: BinaryIO) -> None:
    book = Workbook()
    first = book.active
    for ws, name, header, rows in ((first, _("来访记录"), sheet.visit_header, sheet.visits),
                                   (None, _("投诉和意见"), sheet.ticket_header, sheet.tickets)):
        ws = ws or book.create_sheet()
        ws.title = name
        ws.append([title(sheet)])
        ws.append([intro(sheet)])
        ws.append(list(header))
        for c in ws[3]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
        for index, label in enumerate(header, start=1):
            widest = max([display_width(label)] + [display_width(str(r[index - 1])) for r in rows])
            ws.column_dimensions[ws.cell(3, index).column_letter].width = min(widest + 2, 60)
        for row in ws.iter_rows(min_row=4):
            for c in row:
                c.alignment = Alignment(vertical="top", wrap_text=True)
    book.save(stream)
