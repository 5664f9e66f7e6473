"""The report as an A4 PDF (reportlab platypus), Chinese text embedded.

Layout: a title block (branch, title, period), the sections in order — each block drawn by the
renderer registered for its type — the duty manager's signature line, and on every page a footer
with "第 N 页 共 M 页" and who generated the report when. The page count needs the whole document,
so the canvas keeps each page and stamps the footers when it saves (two passes over the pages,
one layout).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from frontdesk.i18n import _

from . import model, registry
from .files import Target, write_atomically
from .fonts import cjk_font
from .formatting import generated_line, signature_line

MARGIN = 16 * mm
CELL_FONT_SIZE = 8
GREY = colors.HexColor("#666666")
RULE = colors.HexColor("#999999")


@dataclass(frozen=True)
class PdfContext:
    """What a block renderer needs: the font, the styles and the width it may use."""

    font: str
    width: float
    styles: dict[str, ParagraphStyle]
    report: model.Report

    def paragraph(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), self.styles[style])


def escape(text: str) -> str:
    """Plain text for a ``Paragraph`` (which parses a little XML)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_styles(font: str) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.35)
        return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kw)

    return {
        "branch": style("branch", 11, alignment=TA_CENTER, textColor=GREY),
        "title": style("title", 19, alignment=TA_CENTER, spaceBefore=2, spaceAfter=3),
        "period": style("period", 11, alignment=TA_CENTER, spaceAfter=4),
        "section": style("section", 13, spaceBefore=6, spaceAfter=3,
                         textColor=colors.HexColor("#1f3a5f")),
        "block_title": style("block_title", 10, spaceBefore=3, spaceAfter=2),
        "body": style("body", 9.5),
        "note": style("note", 9, textColor=GREY, spaceBefore=2, spaceAfter=2),
        "cell": style("cell", CELL_FONT_SIZE, leading=10),
                "header": style("header", CELL_FONT_SIZE, leading=10, alignment=TA_CENTER),
        "figure_label": style("figure_label", 8.5, textColor=GREY),
        "figure_value": style("figure_value", 13.5, leading=16),
        "figure_standard": style("figure_standard", 8, leading=10.5),
        "signature": style("signature", 11, spaceBefore=6, alignment=TA_LEFT),
    }


def write_pdf(report: model.Report, target: Target, *,
              font_path: str | os.PathLike[str] | None = None) -> None:
    """Render ``report`` as a PDF at ``target`` (a path, replaced atomically, or a binary stream).

    ``font_path`` is a TrueType Chinese font chosen in the settings; without it the system's is
    found. Raises ``FontMissingError`` / ``ReportError`` (``UserError``s) for what the user can fix.
    """
    font = cjk_font(font_path).name
    write_atomically(target, partial(_render, report, font))


def _render(report: model.Report, font: str, stream: BinaryIO) -> None:
    doc = SimpleDocTemplate(
        stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN + 4 * mm, title=f"{report.branch} {report.title} {report.period}",
        author=report.generated_by, creator="FrontDesk",
        initialFontName=font,  # else every page refers to a non-embedded Helvetica
    )
    context = PdfContext(font=font, width=doc.width, styles=make_styles(font), report=report)
    doc.build(story(report, context), canvasmaker=partial(NumberedCanvas, report=report, font=font))


def story(report: model.Report, context: PdfContext) -> list[Flowable]:
    """Everything on the pages, in order."""
    flow: list[Flowable] = [
        context.paragraph(report.branch, "branch"),
        context.paragraph(report.title, "title"),
        context.paragraph(report.period, "period"),
    ]
    for section in report.sections:
        blocks: list[Flowable] = []
        for block in section.blocks:
            blocks.extend(registry.renderer(block, "pdf")(block, context))
            blocks.append(Spacer(0, 3))
        heading = context.paragraph(section.title, "section")
        # A heading never sits alone at the foot of a page. Text flows on overleaf, so a
        # section of notes only needs room for a line or two; a table or chart starts whole.
        text_only = all(isinstance(block, model.Note) for block in section.blocks)
        flow.append(CondPageBreak(20 * mm if text_only else 60 * mm))
        flow.append(heading)
        flow.extend(blocks)
    if report.signature:
        flow.append(context.paragraph(signature_line(), "signature"))
    return flow


class NumberedCanvas(canvas.Canvas):
    """Keeps every page until the end, then stamps "第 N 页 共 M 页" and the running header."""

    def __init__(self, *args: Any, report: model.Report, font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._report = report
        self._font = font
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._stamp(total)
            super().showPage()
        super().save()

    def _stamp(self, total: int) -> None:
        report = self._report
        width, height = self._pagesize
        number = self._pageNumber
        self.saveState()
        self.setFont(self._font, 8)
        self.setFillColor(GREY)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        bottom = MARGIN
        self.line(MARGIN, bottom + 9, width - MARGIN, bottom + 9)
        self.drawString(MARGIN, bottom, generated_line(report.generated_by, report.generated_at))
        self.drawRightString(width - MARGIN, bottom,
                             _("第 {page} 页 共 {pages} 页").format(page=number, pages=total))
        if number > 1:
            top = height - MARGIN
            self.drawString(MARGIN, top, f"{report.branch}　{report.title}")
            self.drawRightString(width - MARGIN, top, report.period)
            self.line(MARGIN, top - 4, width - MARGIN, top - 4)
        self.restoreState()
