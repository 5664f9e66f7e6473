"""Benchmark: rendering the daily and monthly reports, against raw reportlab / openpyxl.

Renders, in this one process,
- a daily report (charts, tables, key figures; a 500-row detail sheet) and
- a monthly report (per-day trends and table; a 15,000-row detail sheet)
to PDF and to Excel through ``frontdesk.reports``, and the same content written directly with
reportlab (platypus tables, the same charts, a footer) and openpyxl (write-only, the same typed
cells and number formats). Prints the median seconds of several alternating runs and our time as a multiple
of the raw one (goal ≤ 1.5×). The font is registered and both libraries imported before timing.

    python benchmarks/bench_report_render.py [--runs N] [--visits N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontdesk.reports import (  # noqa: E402
    BarChart,
    KeyFigures,
    Kind,
    LineChart,
    Note,
    Report,
    Table,
    write_pdf,
    write_xlsx,
)
from frontdesk.reports.fonts import cjk_font  # noqa: E402
from frontdesk.reports.formatting import format_figure, format_value  # noqa: E402
from tests.reports.samples import daily_report, monthly_report  # noqa: E402

GOAL = 1.5


def raw_pdf(report: Report, font: str) -> bytes:
    """The same text, tables and charts with plain reportlab: no registry, no layout care."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    body = ParagraphStyle("b", fontName=font, fontSize=9, wordWrap="CJK")
    big = ParagraphStyle("t", fontName=font, fontSize=18, leading=24)
    flow = [Paragraph(report.branch, body), Paragraph(report.title, big),
            Paragraph(report.period, body)]
    for section in report.sections:
        flow.append(Paragraph(section.title, big))
        for block in section.blocks:
            if isinstance(block, KeyFigures):
                cells = [Paragraph(f"{f.label} {format_figure(f.value, f.kind, f.unit)}", body)
                         for f in block.figures]
                rows = [cells[i:i + 3] for i in range(0, len(cells), 3)]
                rows[-1] += [""] * (3 - len(rows[-1]))
                flow.append(PdfTable(rows))
            elif isinstance(block, Table):
                data = [[Paragraph(c.header, body) for c in block.columns]]
                for row in block.rows:
                    data.append([Paragraph(format_value(v, c.kind), body)
                                 if c.kind is Kind.TEXT else format_value(v, c.kind)
                                 for v, c in zip(row, block.columns, strict=True)])
                table = PdfTable(data, repeatRows=1)
                table.setStyle([("FONTNAME", (0, 0), (-1, -1), font),
                                ("GRID", (0, 0), (-1, -1), 0.4, "grey"),
                                ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["white", "#f5f7fa"])])
                flow.append(table)
            elif isinstance(block, (BarChart, LineChart)):
                # The same chart features: grid, peak bands, markers, reference line.
                drawing = Drawing(500, 132)
                chart = VerticalBarChart() if isinstance(block, BarChart) else HorizontalLineChart()
                chart.x, chart.y, chart.width, chart.height = 34, 22, 440, 84
                chart.data = [list(s.values) for s in block.series]
                if isinstance(block, BarChart):
                    chart.data = [[v or 0 for v in row] for row in chart.data]
                    band = chart.width / len(block.categories)
                    for mark in block.marked:
                        first = block.categories.index(mark.first)
                        last = block.categories.index(mark.last)
                        drawing.add(Rect(chart.x + first * band, chart.y,
                                         band * (last - first + 1), chart.height,
                                         fillColor=colors.bisque, strokeColor=None))
                else:
                    chart.lines[0].symbol = makeMarker("FilledCircle", size=2.5)
                chart.valueAxis.valueMin = 0
                chart.valueAxis.visibleGrid = True
                chart.categoryAxis.categoryNames = list(block.categories)
                chart.categoryAxis.labels.fontName = font
                drawing.add(chart)
                if block.reference is not None:
                    drawing.add(Line(chart.x, 60, chart.x + chart.width, 60,
                                     strokeDashArray=[4, 2]))
                    drawing.add(String(480, 58, block.reference.label, fontName=font))
                flow += [Paragraph(block.title, body), drawing]
            elif isinstance(block, Note):
                flow.append(Paragraph(block.text, body))
            flow.append(Spacer(0, 4))

    def footer(canvas, doc) -> None:
        canvas.setFont(font, 8)
        canvas.drawString(40, 30, f"生成：{report.generated_by}  第 {doc.page} 页")

    stream = io.BytesIO()
    SimpleDocTemplate(stream, pagesize=A4).build(flow, onFirstPage=footer, onLaterPages=footer)
    return stream.getvalue()


def raw_xlsx(report: Report) -> bytes:
    """The same typed cells with plain openpyxl (write-only), fixed widths, no layout."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    formats = {Kind.MINUTES: "[h]:mm:ss", Kind.PERCENT: "0.0%", Kind.DATE: "yyyy-mm-dd",
               Kind.DATETIME: "yyyy-mm-dd hh:mm", Kind.NUMBER: "0.0"}
    book = Workbook(write_only=True)
    summary = book.create_sheet("汇总")
    summary.append([report.title])
    for section in report.sections:
        summary.append([section.title])
        for block in section.blocks:
            if isinstance(block, KeyFigures):
                for f in block.figures:
                    summary.append([f.label, f.value if f.kind is not Kind.WEEKDAY else None])
            elif isinstance(block, Table):
                summary.append([c.header for c in block.columns])
                for row in block.rows:
                    summary.append(list(row))
    for detail in report.details:
        sheet = book.create_sheet(detail.name)
        for index in range(len(detail.columns)):
            sheet.column_dimensions[chr(65 + index)].width = 14
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{chr(64 + len(detail.columns))}{len(detail.rows) + 1}"
        sheet.append([c.header for c in detail.columns])
        kinds = [c.kind for c in detail.columns]
        for row in detail.rows:
            out = []
            for value, kind in zip(row, kinds, strict=True):
                if value is not None and kind in formats:
                    cell = WriteOnlyCell(sheet, value)
                    cell.number_format = formats[kind]
                    out.append(cell)
                elif value is not None and kind is Kind.WEEKDAY:
                    out.append(format_value(value, kind))
                else:
                    out.append(value)
            sheet.append(out)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def compare(ours: Callable[[], object], raw: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of each, run alternately so that a busy machine slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for work, spent in ((ours, times[0]), (raw, times[1])):
            start = time.perf_counter()
            work()
            spent.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visits", type=int, default=15_000,
                        help="rows of the monthly detail sheet")
    args = parser.parse_args()
    font = cjk_font().name
    reports = {"daily (500 rows)": daily_report(500),
               f"monthly ({args.visits:,} rows)": monthly_report(args.visits)}
    for report in reports.values():  # warm-up: imports, font, caches
        write_pdf(report, io.BytesIO())
        raw_pdf(report, font)
    write_xlsx(reports["daily (500 rows)"], io.BytesIO())
    raw_xlsx(reports["daily (500 rows)"])
    print(f"{'report':<24} {'format':<6} {'FrontDesk s':>11} {'raw s':>7} {'ratio':>6}  goal ≤ {GOAL}×")
    worst = 0.0
    for name, report in reports.items():
        for fmt, ours, raw in (
            ("PDF", lambda r=report: write_pdf(r, io.BytesIO()), lambda r=report: raw_pdf(r, font)),
            ("Excel", lambda r=report: write_xlsx(r, io.BytesIO()), lambda r=report: raw_xlsx(r)),
        ):
            # Sub-second renders are cheap to repeat: more runs, steadier medians.
            runs = args.runs * 5 if fmt == "PDF" or report is reports["daily (500 rows)"] \
                else args.runs
            ours_s, raw_s = compare(ours, raw, runs)
            ratio = ours_s / raw_s
            worst = max(worst, ratio)
            print(f"{name:<24} {fmt:<6} {ours_s:>11.3f} {raw_s:>7.3f} {ratio:>5.2f}×")
    print(f"worst ratio {worst:.2f}× — {'within' if worst <= GOAL else 'OVER'} the goal")


if __name__ == "__main__":
    main()
