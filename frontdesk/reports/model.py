"""A report as plain data, independent of the output format.

The services compute the figures and hand over a ``Report``; ``write_pdf`` and ``write_xlsx``
turn the same object into paper and spreadsheet. A report is a list of ``Section``s so that each
tab (visitors, inspections, complaints, meetings) contributes its own section without touching
the others. Values are real Python types — ``int``, ``float``, ``date``, ``time``, ``datetime``,
``timedelta`` for durations — and ``None`` for "no value" (shown as "—"), so that Excel gets
numbers and dates, not text.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal


class Kind(enum.Enum):
    """What a value is, which decides how it is shown and stored in Excel."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # a decimal shown with one decimal place (e.g. a sampling score)
    MINUTES = "minutes"  # a duration (``timedelta``), shown in minutes with one decimal
    PERCENT = "percent"  # a fraction 0–1, shown as "23.5%"
    DATE = "date"
    WEEKDAY = "weekday"  # a ``date`` shown as its weekday (星期五)
    TIME = "time"
    DATETIME = "datetime"


class ReportKind(enum.Enum):
    DAILY = "daily"
    MONTHLY = "monthly"


def _freeze(obj: object, *names: str) -> None:
    """Store the named sequence fields as tuples: frozen means the content too."""
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, tuple):
            object.__setattr__(obj, name, tuple(value))


@dataclass(frozen=True)
class Column:
    """A table or detail-sheet column. Say the unit in the header (``等候（分钟）``)."""

    header: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Standard:
    """A service standard a figure is measured against, e.g. ``≤ 15 分钟``."""

    value: Any
    comparison: Literal["<=", ">="] = "<="


@dataclass(frozen=True)
class KeyFigure:
    """One headline number: ``平均等候 12.3 分钟 / 标准 ≤ 15 分钟``.

    ``met`` may be given by the caller; when it is not, it follows from ``standard``.
    """

    label: str
    value: Any
    kind: Kind = Kind.INTEGER
    unit: str = ""  # appended to counts: "人", "件"
    standard: Standard | None = None
    met: bool | None = None

    def is_met(self) -> bool | None:
        """Whether the standard is met; ``None`` without a standard or without a value."""
        if self.met is not None:
            return self.met
        if self.standard is None or self.value is None or self.standard.value is None:
            return None
        if self.standard.comparison == "<=":
            return self.value <= self.standard.value
        return self.value >= self.standard.value


class Block:
    """Base of everything a section is made of. New kinds register their renderers
    (``frontdesk.reports.registry.register_block``)."""

    __slots__ = ()


@dataclass(frozen=True)
class KeyFigures(Block):
    figures: Sequence[KeyFigure]
    title: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "figures")


@dataclass(frozen=True)
class Table(Block):
    """Rows of typed values. ``totals`` is an optional last row (合计), same length as a row."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    totals: Sequence[Any] | None = None
    title: str = ""
    empty_text: str = "无记录"

    def __post_init__(self) -> None:
        _freeze(self, "columns", "rows")
        _check_rows(self.columns, self.rows, self.title or "表格")
        if self.totals is not None:
            object.__setattr__(self, "totals", tuple(self.totals))
            _check_rows(self.columns, (self.totals,), self.title or "表格")


@dataclass(frozen=True)
class Series:
    """One series of a chart: one number (or ``None``) per category. Minutes as floats."""

    name: str
    values: Sequence[float | None]

    def __post_init__(self) -> None:
        _freeze(self, "values")


@dataclass(frozen=True)
class CategoryRange:
    """Categories ``first`` … ``last`` (inclusive, by label) marked on a chart: the peak periods."""

    first: str
    last: str
    label: str = "高峰"


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across a chart, e.g. the 15-minute standard."""

    value: float
    label: str


@dataclass(frozen=True)
class _Chart(Block):
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    value_label: str = ""  # the value axis' unit: 人数, 分钟
    reference: ReferenceLine | None = None

    def __post_init__(self) -> None:
        _freeze(self, "categories", "series")
        if not self.series:
            raise ValueError(f"chart {self.title!r} has no series")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.title!r}: series {series.name!r} has {len(series.values)} "
                    f"values for {len(self.categories)} categories"
                )


@dataclass(frozen=True)
class BarChart(_Chart):
    """Bars per category (e.g. visitors by arrival hour), peak ranges marked."""

    marked: Sequence[CategoryRange] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        _freeze(self, "marked")
        for mark in self.marked:
            self.marked_indexes(mark)

    def marked_indexes(self, mark: CategoryRange) -> range:
        try:
            first, last = self.categories.index(mark.first), self.categories.index(mark.last)
        except ValueError:
            raise ValueError(
                f"chart {self.title!r}: marked range {mark.first}–{mark.last} is not in its "
                "categories"
            ) from None
        return range(min(first, last), max(first, last) + 1)


@dataclass(frozen=True)
class LineChart(_Chart):
    """A trend per day over the month; ``None`` values leave a gap."""


@dataclass(frozen=True)
class Note(Block):
    text: str


@dataclass(frozen=True)
class Columns(Block):
    """Blocks side by side on paper (two small tables, two charts), one after the other in Excel.

    A row of columns does not break across pages, so put only blocks of a few rows in it.
    """

    blocks: Sequence[Block]

    def __post_init__(self) -> None:
        _freeze(self, "blocks")
        if not 2 <= len(self.blocks) <= 3:
            raise ValueError("Columns holds two or three blocks")
        if any(isinstance(block, Columns) for block in self.blocks):
            raise ValueError("Columns cannot be nested")


@dataclass(frozen=True)
class Section:
    """One part of a report, owned by one tab; ``key`` identifies it (``visitors``)."""

    key: str
    title: str
    blocks: Sequence[Block] = ()

    def __post_init__(self) -> None:
        _freeze(self, "blocks")

    def flat_blocks(self) -> list[Block]:
        """Every block, those set side by side in ``Columns`` taken out of them, in order."""
        return [inner for block in self.blocks
                for inner in (block.blocks if isinstance(block, Columns) else (block,))]


@dataclass(frozen=True)
class DetailSheet:
    """An Excel-only sheet of raw rows: every visit of the day, one row per day of the month.

    ``rows`` is kept as given (a list of 15,000 tuples is not copied). ``landscape`` defaults to
    landscape printing when the sheet has more than six columns.
    """

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    landscape: bool | None = None

    def __post_init__(self) -> None:
        _freeze(self, "columns")
        _check_rows(self.columns, self.rows[:1], self.name)

    @property
    def prints_landscape(self) -> bool:
        return self.landscape if self.landscape is not None else len(self.columns) > 6


@dataclass(frozen=True)
class Report:
    """A daily or monthly report: title block, sections, and the Excel detail sheets."""

    kind: ReportKind
    title: str  # 营业厅日报
    branch: str
    period: str  # 2026年11月20日 星期五（工作日）
    generated_by: str
    generated_at: datetime
    sections: Sequence[Section] = ()
    details: Sequence[DetailSheet] = ()
    signature: bool = False  # the duty manager's signature line at the end
    first_day: date | None = None  # the day, or the month's first day, the report is of

    def __post_init__(self) -> None:
        _freeze(self, "sections", "details")
        keys = [section.key for section in self.sections]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"report sections with the same key: {', '.join(duplicates)}")

    def with_section(self, section: Section) -> Report:
        """The report with ``section`` added at the end (each tab adds its own)."""
        return replace(self, sections=(*self.sections, section))

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def _check_rows(columns: Sequence[Column], rows: Sequence[Sequence[Any]], what: str) -> None:
    width = len(columns)
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"{what}: row {number} has {len(row)} values for {width} columns")

