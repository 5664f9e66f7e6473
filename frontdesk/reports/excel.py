"""The report as an Excel workbook (openpyxl): a summary sheet laid out like the PDF, plus one
sheet per detail sheet.

Values stay real: numbers, dates, and durations as time values (``[h]:mm:ss``) — PRODUCT.md — so
the duty manager can sort, filter and sum. Charts are native Excel charts over a small data table
written next to them (Excel cannot draw a reference line on a bar chart simply; the standard is in
the chart's title instead). The workbook is written in write-only mode (streaming, ~20 % faster
on big detail sheets); the small summary sheet is collected first so its column widths are known
before its first row is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from frontdesk.i18n import _

from . import model, registry
from .files import Target, write_atomically
from .formatting import NO_VALUE, display_width, format_value, generated_line, signature_line

DURATION_FORMAT = "[h]:mm:ss"
NUMBER_FORMATS = {
    model.Kind.INTEGER: "0",
    model.Kind.NUMBER: "0.0",
    model.Kind.MINUTES: DURATION_FORMAT,
    model.Kind.PERCENT: "0.0%",
    model.Kind.DATE: "yyyy-mm-dd",
    model.Kind.TIME: "hh:mm",
    model.Kind.DATETIME: "yyyy-mm-dd hh:mm",
}
# How wide Excel shows each kind (characters), so widths need not look at every value.
KIND_WIDTHS = {
    model.Kind.INTEGER: 7, model.Kind.NUMBER: 7, model.Kind.MINUTES: 9, model.Kind.PERCENT: 7,
    model.Kind.DATE: 11, model.Kind.WEEKDAY: 7, model.Kind.TIME: 6, model.Kind.DATETIME: 17,
}
MAX_WIDTH = 60
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
THIN = Side(style="thin", color="B0B0B0")


@dataclass(frozen=True)
class XCell:
    """A summary-sheet cell before it is written: value, number format and a style name."""

    value: Any
    number_format: str | None = None
    style: str = "body"
    # Cells whose text may run over the next (empty) columns do not size their column.
    sizes_column: bool = True


@dataclass
class ExcelContext:
    """The summary sheet being collected: block renderers append rows and charts."""

    report: model.Report
    sheet: Any  # the write-only worksheet, for chart references
    rows: list[list[XCell | None]] = field(default_factory=list)
    charts: list[tuple[Any, str]] = field(default_factory=list)

    def append(self, cells: list[XCell | None]) -> int:
        """Add a row; returns its (1-based) row number."""
        self.rows.append(cells)
        return len(self.rows)

    def blank(self) -> None:
        self.rows.append([])

    def text(self, value: str, style: str = "body") -> XCell:
        return XCell(value, style=style, sizes_column=style in ("body", "header", "total"))

    def typed(self, value: Any, kind: model.Kind, style: str = "body") -> XCell:
        """``value`` as Excel stores it, with its number format; ``None`` shows as a dash."""
        if value is None:
            return XCell(NO_VALUE, style=style)
        return XCell(excel_value(value, kind), NUMBER_FORMATS.get(kind), style)

    def title(self, text: str) -> None:
        if text:
            self.append([self.text(text, "block_title")])

    def add_chart(self, chart: Any, column: int, row: int) -> None:
        self.charts.append((chart, f"{get_column_letter(column)}{row}"))


def excel_value(value: Any, kind: model.Kind) -> Any:
    if kind is model.Kind.WEEKDAY:
        return format_value(value, kind)
    if kind is model.Kind.TEXT:
        return str(value)
    return value


def write_xlsx(report: model.Report, target: Target) -> None:
    """Render ``report`` as an .xlsx at ``target`` (a path, replaced atomically, or a stream)."""
    write_atomically(target, partial(_render, report))


def _styles() -> dict[str, dict[str, Any]]:
    header_fill = PatternFill("solid", fgColor="DFE7F0")
    return {
        "title": {"font": Font(size=16, bold=True)},
        "subtitle": {"font": Font(size=11, color="555555")},
        "heading": {"font": Font(size=13, bold=True, color="1F3A5F")},
        "block_title": {"font": Font(size=11, bold=True)},
        "header": {"font": Font(bold=True), "fill": header_fill,
                   "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
                   "border": Border(top=THIN, bottom=THIN, left=THIN, right=THIN)},
        "body": {},
        "total": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor="E8E8E8"),
                  "border": Border(top=Side(style="thin", color="000000"))},
        "met": {"font": Font(color="2E7D32")},
        "not_met": {"font": Font(color="C62828", bold=True)},
        "note": {"font": Font(color="666666", italic=True)},
    }


def _render(report: model.Report, stream: BinaryIO) -> None:
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{report.branch} {report.title} {report.period}"
    workbook.properties.creator = report.generated_by
    styles = _styles()
    names = SheetNames()
    summary = workbook.create_sheet(names.add(_("汇总")))
    context = ExcelContext(report=report, sheet=summary)
    _collect_summary(report, context)
    _write_summary(context, styles)
    for detail in report.details:
        _write_detail(workbook.create_sheet(names.add(detail.name)), detail, report, styles)
    workbook.save(stream)


def _collect_summary(report: model.Report, context: ExcelContext) -> None:
    context.append([context.text(report.title, "title")])
    context.append([context.text(f"{report.branch}　{report.period}", "subtitle")])
    context.append([context.text(generated_line(report.generated_by, report.generated_at),
                                 "subtitle")])
    for section in report.sections:
        context.blank()
        context.append([context.text(section.title, "heading")])
        for index, block in enumerate(section.blocks):
            if index:
                context.blank()
            registry.renderer(block, "excel")(block, context)
    if report.signature:
        context.blank()
        context.blank()
        context.append([context.text(signature_line(), "block_title")])


WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet: Any, value: Any, number_format: str | None, style: dict[str, Any]) -> Any:
    cell = WriteOnlyCell(sheet, value)
    if number_format:
        cell.number_format = number_format
    for name, setting in style.items():
        setattr(cell, name, setting)
    if not style and isinstance(value, str) and display_width(value) > MAX_WIDTH:
        cell.alignment = WRAP  # a long remark wraps inside its (capped) column
    return cell


def _write_summary(context: ExcelContext, styles: dict[str, dict[str, Any]]) -> None:
    sheet = context.sheet
    widths: dict[int, int] = {}
    for row in context.rows:
        for index, cell in enumerate(row):
            if cell is not None and cell.sizes_column:
                widths[index] = max(widths.get(index, 6), _shown_width(cell))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, MAX_WIDTH) + 2
    _print_setup(sheet, context.report, landscape=False)
    for row in context.rows:
        sheet.append([
            None if cell is None else _cell(sheet, cell.value, cell.number_format,
                                            styles[cell.style])
            for cell in row
        ])
    for chart, anchor in context.charts:
        sheet.add_chart(chart, anchor)


def _shown_width(cell: XCell) -> int:
    value = cell.value
    if isinstance(value, str):
        return display_width(value)
    if cell.number_format == DURATION_FORMAT:
        return 9
    if isinstance(value, datetime):
        return 17
    return len(str(value)) + 1


def _print_setup(sheet: Any, report: model.Report, *, landscape: bool) -> None:
    """A4, fit to the page width, and the PDF's running header and page footer."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = _escape_header(f"{report.branch} {report.title} {report.period}")
    sheet.oddFooter.left.text = _escape_header(
        generated_line(report.generated_by, report.generated_at))
    sheet.oddFooter.right.text = _("第 &P 页 共 &N 页")


def _escape_header(text: str) -> str:
    """Literal text for an Excel header or footer, where ``&`` starts a code."""
    return text.replace("&", "&&")


def _write_detail(sheet: Any, detail: model.DetailSheet, report: model.Report,
                  styles: dict[str, dict[str, Any]]) -> None:
    """One row per record, streamed: typed cells, frozen header, filter, fit-to-width print."""
    columns = detail.columns
    rows = detail.rows
    last_column = get_column_letter(len(columns))
    for index, column in enumerate(columns):
        width = max(display_width(column.header), KIND_WIDTHS.get(column.kind, 0))
        if column.kind is model.Kind.TEXT:
            # Distinct values only: a month of visits repeats the same few types and names.
            distinct = {str(row[index]) for row in rows if row[index] is not None}
            width = max([width, *map(display_width, distinct)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last_column}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, report, landscape=detail.prints_landscape)
    header = styles["header"]
    sheet.append([_cell(sheet, column.header, None, header) for column in columns])
    # Per column: plain values where openpyxl's own format is right, a formatted cell otherwise.
    plans = []
    for index, column in enumerate(columns):
        kind = column.kind
        if kind is model.Kind.WEEKDAY:
            plans.append((index, "weekday", None))
        elif kind in (model.Kind.INTEGER, model.Kind.TEXT):
            plans.append((index, "plain", None))
        else:
            plans.append((index, "formatted", NUMBER_FORMATS[kind]))
    append = sheet.append
    for row in rows:
        values = list(row)
        for index, how, number_format in plans:
            value = values[index]
            if value is None or how == "plain":
                continue
            if how == "weekday":
                values[index] = format_value(value, model.Kind.WEEKDAY)
            else:
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = number_format
                values[index] = cell
        append(values)


class SheetNames:
    """Valid, unique sheet names: at most 31 characters, none of ``[]:*?/\\``."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def add(self, wanted: str) -> str:
        base = INVALID_SHEET_CHARS.sub("_", wanted).strip().strip("'") or "Sheet"
        if base.lower() == "history":  # reserved by Excel
            base = f"{base}_"
        name = base[:31]
        number = 2
        while name.lower() in self._taken:
            suffix = f" ({number})"
            name = base[: 31 - len(suffix)] + suffix
            number += 1
        self._taken.add(name.lower())
        return name
