"""Daily and monthly reports as PDF and Excel, from plain data (``model``).

No database, no Qt: the services compute a ``Report`` and any caller (the app's dialog, the
command line, a scheduled job) writes it with ``write_pdf`` / ``write_xlsx``. reportlab and
openpyxl are imported only when a file of their format is written, so importing this package
stays cheap.

A tab contributes to the reports by building its own ``Section`` (``report.with_section``) out of
the built-in blocks: ``KeyFigures``, ``Table``, ``BarChart``, ``LineChart``, ``Note``, and ``Columns`` to set blocks side by side. A block of a
new kind is a frozen dataclass deriving from ``Block`` plus one ``register_block`` call naming its
PDF and Excel renderers; nothing else changes (see ``registry``).
"""

from __future__ import annotations

import os

from .files import Target
from .model import (
    BarChart,
    Block,
    CategoryRange,
    Column,
    Columns,
    DetailSheet,
    KeyFigure,
    KeyFigures,
    Kind,
    LineChart,
    Note,
    ReferenceLine,
    Report,
    ReportKind,
    Section,
    Series,
    Standard,
    Table,
)
from .registry import register_block


def write_pdf(report: Report, target: Target, *,
              font_path: str | os.PathLike[str] | None = None) -> None:
    """Write ``report`` as an A4 PDF (see ``frontdesk.reports.pdf.write_pdf``)."""
    from .pdf import write_pdf as write

    write(report, target, font_path=font_path)


def write_xlsx(report: Report, target: Target) -> None:
    """Write ``report`` as an Excel workbook (see ``frontdesk.reports.excel.write_xlsx``)."""
    from .excel import write_xlsx as write

    write(report, target)


__all__ = [
    "Columns",
    "BarChart",
    "Block",
    "CategoryRange",
    "Column",
    "DetailSheet",
    "KeyFigure",
    "KeyFigures",
    "Kind",
    "LineChart",
    "Note",
    "ReferenceLine",
    "Report",
    "ReportKind",
    "Section",
    "Series",
    "Standard",
    "Table",
    "register_block",
    "write_pdf",
    "write_xlsx",
]
