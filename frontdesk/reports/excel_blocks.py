"""Excel renderers of the built-in blocks (registered in ``registry``): rows on the summary
sheet, charts as native Excel charts over their data."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference

from frontdesk.i18n import _

from . import model, registry
from .excel import ExcelContext, XCell
from .formatting import format_standard, met_word

CHART_ROWS = 16  # rows a chart covers (7.5 cm)


def key_figures(block: model.KeyFigures, context: ExcelContext) -> None:
    context.title(block.title)
    context.append([context.text(h, "header")
                    for h in (_("指标"), _("数值"), _("标准"), _("是否达标"))])
    for figure in block.figures:
        label = f"{figure.label}（{figure.unit}）" if figure.unit else figure.label
        met = figure.is_met()
        context.append([
            context.text(label),
            context.typed(figure.value, figure.kind),
            context.text("" if figure.standard is None
                         else format_standard(figure.standard, figure.kind, figure.unit)),
            None if met is None else context.text(met_word(met), "met" if met else "not_met"),
        ])


def table(block: model.Table, context: ExcelContext) -> None:
    context.title(block.title)
    context.append([context.text(column.header, "header") for column in block.columns])
    if not block.rows:
        context.append([context.text(block.empty_text, "note")])
    for row in block.rows:
        context.append([context.typed(value, column.kind)
                        for value, column in zip(row, block.columns, strict=True)])
    if block.totals is not None:
        context.append([context.typed(value, column.kind, "total")
                        for value, column in zip(block.totals, block.columns, strict=True)])


def _chart_data(block: model.BarChart | model.LineChart, context: ExcelContext,
                extra: dict[int, str] | None = None) -> tuple[int, int]:
    """The chart's numbers as a small table; returns its first and last row."""
    title = block.title
    if block.reference is not None:
        title = f"{title}（{block.reference.label}）"
    context.title(title)
    header = [context.text(_("类别"), "header"),
              *(context.text(s.name, "header") for s in block.series)]
    if extra is not None:
        header.append(context.text(_("标注"), "header"))
    first = context.append(header)
    for index, category in enumerate(block.categories):
        row = [context.text(category)]
        row += [None if s.values[index] is None else XCell(s.values[index])
                for s in block.series]
        if extra is not None:
            row.append(context.text(extra.get(index, "")))
        context.append(row)
    return first, first + len(block.categories)


def _place(chart: BarChart | LineChart, block: model.BarChart | model.LineChart,
           context: ExcelContext, first: int, last: int) -> None:
    sheet = context.sheet
    data = Reference(sheet, min_col=2, max_col=1 + len(block.series), min_row=first, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first + 1, max_row=last))
    chart.title = block.title
    chart.y_axis.title = block.value_label or None
    chart.height, chart.width = 7.5, 16
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    if len(block.series) == 1:
        chart.legend = None
    context.add_chart(chart, column=len(block.series) + 4, row=first)
    # Leave room below the data for the chart.
    for _row in range(max(0, CHART_ROWS - (last - first + 1))):
        context.blank()


def bar_chart(block: model.BarChart, context: ExcelContext) -> None:
    marks = {index: mark.label for mark in block.marked for index in block.marked_indexes(mark)}
    first, last = _chart_data(block, context, marks if block.marked else None)
    chart = BarChart()
    chart.type = "col"
    chart.gapWidth = 60
    _place(chart, block, context, first, last)


def line_chart(block: model.LineChart, context: ExcelContext) -> None:
    first, last = _chart_data(block, context)
    _place(LineChart(), block, context, first, last)


def note(block: model.Note, context: ExcelContext) -> None:
    context.append([context.text(block.text, "note")])


def columns(block: model.Columns, context: ExcelContext) -> None:
    """In a worksheet the blocks simply follow each other (a sheet has no page width)."""
    for child in block.blocks:
        registry.renderer(child, "excel")(child, context)
