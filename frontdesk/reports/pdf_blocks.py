"""PDF renderers of the built-in blocks (registered in ``registry``).

Charts are reportlab vector drawings, not images: sharp on paper and text stays text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from frontdesk.i18n import _

from . import model, registry
from .formatting import (
    display_width,
    format_figure,
    format_standard,
    format_value,
    is_numeric,
    met_word,
)
from .pdf import CELL_FONT_SIZE, PdfContext, escape

SERIES_COLORS = [colors.HexColor(c) for c in ("#3b6ea5", "#e0803a", "#5a9e5a", "#9467bd",
                                               "#8c564b", "#7f7f7f")]
PEAK_BACKGROUND = colors.HexColor("#fdebd3")
PEAK_BAR = colors.HexColor("#d9822b")
REFERENCE = colors.HexColor("#c62828")
MET = "#2e7d32"
NOT_MET = "#c62828"
GRID = colors.HexColor("#b0b0b0")
HEADER_BACKGROUND = colors.HexColor("#dfe7f0")
STRIPE = colors.HexColor("#f5f7fa")
TOTALS_BACKGROUND = colors.HexColor("#e8e8e8")
FIGURE_COLUMNS = 4
MAX_FIGURE_COLUMNS = 6
CHART_HEIGHT = 104
CELL_PADDING = 3
SPLIT_ROOM = 110  # points: about six table rows
REFERENCE_LABEL_WIDTH = 58  # room right of the plot for the reference line's label


def _titled(block_title: str, context: PdfContext, flowables: list[Flowable]) -> list[Flowable]:
    if not block_title:
        return flowables
    # A block that does not fit the rest of the page starts there anyway (a table continues
    # overleaf under its repeated header) when at least SPLIT_ROOM is left; with less, it moves
    # to the next page whole rather than leave its title alone at the bottom.
    return [KeepTogether([context.paragraph(block_title, "block_title"), flowables[0]], maxHeight=SPLIT_ROOM),
            *flowables[1:]]


def figure_columns(count: int) -> int:
    """Boxes a row: four, or up to six so that a long list of figures takes fewer rows."""
    if count <= 2 * FIGURE_COLUMNS:
        return FIGURE_COLUMNS
    return min(MAX_FIGURE_COLUMNS, math.ceil(count / 2))


def key_figures(block: model.KeyFigures, context: PdfContext) -> list[Flowable]:
    """A grid of boxes: label, value, and the standard with 达标 / 未达标."""
    cells: list[list[Paragraph]] = []
    for figure in block.figures:
        cell = [
            context.paragraph(figure.label, "figure_label"),
            context.paragraph(format_figure(figure.value, figure.kind, figure.unit),
                              "figure_value"),
        ]
        if figure.standard is not None:
            text = escape(_("标准 {standard}").format(
                standard=format_standard(figure.standard, figure.kind, figure.unit)))
            met = figure.is_met()
            if met is not None:
                color, word = (MET if met else NOT_MET), met_word(met)
                text += f'　<font color="{color}">{word}</font>'
            cell.append(Paragraph(text, context.styles["figure_standard"]))
        cells.append(cell)
    if not cells:
        return []
    per_row = figure_columns(len(cells))
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] = rows[-1] + [""] * (per_row - len(rows[-1]))
    grid = PdfTable(rows, colWidths=[context.width / per_row] * per_row)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), context.font),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]
    for index in range(len(cells)):
        row, column = divmod(index, per_row)
        style += [("BOX", (column, row), (column, row), 0.5, GRID),
                  ("BACKGROUND", (column, row), (column, row), STRIPE)]
    grid.setStyle(TableStyle(style))
    return _titled(block.title, context, [grid])


def table(block: model.Table, context: PdfContext) -> list[Flowable]:
    """A table whose Chinese text wraps and whose header repeats on every page."""
    columns = block.columns
    numeric = [is_numeric(column.kind) for column in columns]
    header = [context.paragraph(column.header, "header") for column in columns]
    widths = _column_widths(block, context.width)
    # Text wider than its column (less the cell padding) must wrap.
    fits = [width - 2 * CELL_PADDING - 1 for width in widths]
    body: list[list[object]] = [_cells(row, columns, numeric, fits, context)
                                for row in block.rows]
    if not body:
        body = [[block.empty_text] + [""] * (len(columns) - 1)]
    if block.totals is not None:
        body.append(_cells(block.totals, columns, numeric, fits, context))
    data = [header, *body]
    pdf_table = PdfTable(data, colWidths=widths, repeatRows=1)
    style: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), context.font),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
        ("LEADING", (0, 0), (-1, -1), 9.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
    ]
    for index, right in enumerate(numeric):
        if right:
            style.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    if not block.rows:
        style += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                  ("TEXTCOLOR", (0, 1), (-1, 1), colors.grey)]
    if block.totals is not None:
        style += [("BACKGROUND", (0, -1), (-1, -1), TOTALS_BACKGROUND),
                  ("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black)]
    pdf_table.setStyle(TableStyle(style))
    return _titled(block.title, context, [pdf_table])


def _cells(row: Sequence[object], columns: Sequence[model.Column], numeric: list[bool],
           fits: list[float], context: PdfContext) -> list[object]:
    # Plain strings draw fast; only text too long for its column becomes a wrapping Paragraph.
    cells: list[object] = []
    for value, column, right, room in zip(row, columns, numeric, fits, strict=True):
        text = format_value(value, column.kind)
        if right or column.kind is not model.Kind.TEXT or \
                stringWidth(text, context.font, CELL_FONT_SIZE) <= room:
            cells.append(text)
        else:
            cells.append(Paragraph(escape(text), context.styles["cell"]))
    return cells


def _column_widths(block: model.Table, available: float) -> list[float]:
    """Widths in proportion to the content (wide characters count double), filling the line."""
    sample = list(block.rows[:200])
    if block.totals is not None:
        sample.append(block.totals)
    natural = []
    for index, column in enumerate(block.columns):
        widest = max((display_width(format_value(row[index], column.kind)) for row in sample),
                     default=0)
        header = min(display_width(column.header), 12)
        natural.append(min(max(widest, header, 4), 40) + 2)
    total = sum(natural)
    return [available * width / total for width in natural]


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exponent >= value:
            return step * exponent
    return 10 * exponent


def _value_axis_max(block: model.BarChart | model.LineChart) -> float:
    values = [v for series in block.series for v in series.values if v is not None]
    if block.reference is not None:
        values.append(block.reference.value)
    return _nice_ceiling(max(values, default=0) * 1.08)


def _frame(block: model.BarChart | model.LineChart, context: PdfContext,
           chart: VerticalBarChart | HorizontalLineChart) -> tuple[Drawing, float]:
    """A drawing with ``chart`` laid out in it, axes in the report font; returns the axis max."""
    drawing = Drawing(context.width, CHART_HEIGHT, initialFontName=context.font)
    chart.x, chart.y = 34, 22
    right = REFERENCE_LABEL_WIDTH if block.reference is not None else 10
    chart.width, chart.height = context.width - chart.x - right, CHART_HEIGHT - 22 - 26
    top = _value_axis_max(block)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.categoryAxis.categoryNames = _thinned(block.categories)
    for axis in (chart.valueAxis, chart.categoryAxis):
        axis.labels.fontName = context.font
        axis.labels.fontSize = 7
        axis.strokeColor = colors.grey
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e3e3")
    chart.valueAxis.visibleGrid = True
    if block.value_label:
        drawing.add(String(2, CHART_HEIGHT - 10, block.value_label, fontName=context.font,
                           fontSize=7, fillColor=colors.grey))
    return drawing, top


def _thinned(categories: Sequence[str], most: int = 16) -> list[str]:
    """Every k-th label when there are too many to read (31 days)."""
    step = max(1, math.ceil(len(categories) / most))
    return [c if i % step == 0 else "" for i, c in enumerate(categories)]


def _legend(block: model.BarChart | model.LineChart, context: PdfContext, drawing: Drawing) -> None:
    if len(block.series) < 2:
        return
    legend = Legend()
    legend.colorNamePairs = [(SERIES_COLORS[i % len(SERIES_COLORS)], s.name)
                             for i, s in enumerate(block.series)]
    legend.fontName, legend.fontSize = context.font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "ne"
    legend.x, legend.y = context.width - 4, CHART_HEIGHT - 2
    legend.dx = legend.dy = 7
    legend.deltax = 10
    legend.autoXPadding = 8
    drawing.add(legend)


def _reference(block: model.BarChart | model.LineChart, context: PdfContext, drawing: Drawing,
               chart: VerticalBarChart | HorizontalLineChart, top: float) -> None:
    if block.reference is None:
        return
    y = chart.y + chart.height * block.reference.value / top
    drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=REFERENCE,
                     strokeWidth=1, strokeDashArray=[4, 2]))
    drawing.add(String(chart.x + chart.width + 3, y - 2.5, block.reference.label,
                       fontName=context.font, fontSize=7, fillColor=REFERENCE))


def bar_chart(block: model.BarChart, context: PdfContext) -> list[Flowable]:
    chart = VerticalBarChart()
    drawing, top = _frame(block, context, chart)
    chart.data = [[0 if v is None else v for v in series.values] for series in block.series]
    chart.barSpacing = 1
    chart.groupSpacing = 4 if len(block.categories) < 20 else 2
    chart.bars.strokeColor = None
    for index in range(len(block.series)):
        chart.bars[index].fillColor = SERIES_COLORS[index % len(SERIES_COLORS)]
    band = chart.width / max(1, len(block.categories))
    for mark in block.marked:
        indexes = block.marked_indexes(mark)
        x = chart.x + indexes.start * band
        drawing.add(Rect(x, chart.y, band * len(indexes), chart.height, fillColor=PEAK_BACKGROUND,
                         strokeColor=None))
        drawing.add(String(x + band * len(indexes) / 2, chart.y + chart.height + 3, mark.label,
                           fontName=context.font, fontSize=7, fillColor=PEAK_BAR,
                           textAnchor="middle"))
        if len(block.series) == 1:
            for index in indexes:
                chart.bars[(0, index)].fillColor = PEAK_BAR
    drawing.add(chart)
    _reference(block, context, drawing, chart, top)
    _legend(block, context, drawing)
    return _titled(block.title, context, [drawing])


def line_chart(block: model.LineChart, context: PdfContext) -> list[Flowable]:
    chart = HorizontalLineChart()
    drawing, top = _frame(block, context, chart)
    # reportlab joins a line across missing values; one line per unbroken run leaves the gap.
    data, owners = [], []
    for index, series in enumerate(block.series):
        for start, stop in _runs(series.values):
            row: list[float | None] = [None] * len(block.categories)
            row[start:stop] = series.values[start:stop]
            data.append(row)
            owners.append(index)
    chart.data = data or [[0] * len(block.categories)]
    chart.joinedLines = 1
    for line, owner in enumerate(owners):
        color = SERIES_COLORS[owner % len(SERIES_COLORS)]
        chart.lines[line].strokeColor = color
        chart.lines[line].strokeWidth = 1.2
        chart.lines[line].symbol = makeMarker("FilledCircle", size=2.5, fillColor=color,
                                              strokeColor=color)
    if not owners:
        chart.lines[0].strokeColor = None
    drawing.add(chart)
    _reference(block, context, drawing, chart, top)
    _legend(block, context, drawing)
    return _titled(block.title, context, [drawing])


def _runs(values: Sequence[float | None]) -> list[tuple[int, int]]:
    """``(start, stop)`` of each stretch of values without a ``None``."""
    runs, start = [], None
    for index, value in enumerate([*values, None]):
        if value is None and start is not None:
            runs.append((start, index))
            start = None
        elif value is not None and start is None:
            start = index
    return runs


def note(block: model.Note, context: PdfContext) -> list[Flowable]:
    return [context.paragraph(block.text, "note")]


COLUMN_GAP = 12


def columns(block: model.Columns, context: PdfContext) -> list[Flowable]:
    """Each block rendered at its share of the width, in one row of a borderless table."""
    count = len(block.blocks)
    width = (context.width - COLUMN_GAP * (count - 1)) / count
    narrow = replace(context, width=width)
    cells = []
    for child in block.blocks:
        flowables = registry.renderer(child, "pdf")(child, narrow)
        # A table cell cannot split, so the children's "keep with next" groups are unwrapped.
        cells.append([part for f in flowables
                      for part in (f._content if isinstance(f, KeepTogether) else [f])])  # noqa: SLF001
    widths = []
    for index in range(count):
        widths.append(width)
        if index < count - 1:
            widths.append(COLUMN_GAP)
    row = []
    for index, cell in enumerate(cells):
        row.append(cell)
        if index < count - 1:
            row.append("")
    grid = PdfTable([row], colWidths=widths, splitInRow=1)  # the tables in it continue overleaf
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 6), grid]  # a cell drops its first paragraph's space before
