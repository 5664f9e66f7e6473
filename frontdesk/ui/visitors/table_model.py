"""The register table's item model: the kit's paged model over the visitor service.

Only what is the register's own lives here: the row source (a thin adapter over
``services.visitors``' paging functions), the columns and how a visit reads in them. The paging,
the caching, the worker and the polling for other stations are the kit's (``kit.paged_model``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QBrush, QColor

from frontdesk.services import clock, visitors
from frontdesk.services.visitors import ChangeStamp, VisitQuery, VisitRow
from frontdesk.ui.kit.common import format_minutes
from frontdesk.ui.kit.paged_model import PAGE_SIZE, PLACEHOLDER, Column, PagedTableModel, SourceBase

__all__ = ["COLUMNS", "PAGE_SIZE", "PLACEHOLDER", "VisitRowSource", "VisitTableModel", "default_query"]

VOID_COLOR = QColor("#9e9e9e")

# The register's columns: key, sort key (None: not sortable — computed or personal data), numeric.
_LAYOUT: tuple[tuple[str, str | None, bool], ...] = (
    ("arrived_at", "arrived_at", False),
    ("ticket_no", "ticket_no", False),
    ("customer_name", "customer_name", False),
    ("phone", None, False),
    ("business_type", "business_type", False),
    ("destination", "destination", False),
    ("special_needs", None, False),
    ("vip", None, False),
    ("documents", None, False),
    ("status", "status", False),
    ("called_at", "called_at", False),
    ("finished_at", "finished_at", False),
    ("wait", "wait", True),
    ("service", "service", True),
    ("outcome", "outcome", False),
    ("served_by", "served_by", False),
    ("notes", None, False),
)

# Initial column widths: wide enough for a typical value (users can still drag them).
SAMPLES = {
    "arrived_at": "2026-11-25 10:30", "ticket_no": "A0123", "customer_name": "欧阳女士",
    "phone": "138****1234", "business_type": "新契约/投保", "destination": "客户接待室",
    "special_needs": "行动不便", "vip": "贵宾", "documents": "缺：身份证", "status": "未办理离开",
    "called_at": "10:30", "finished_at": "10:45", "wait": "123.4", "service": "123.4",
    "outcome": "资料不全", "served_by": "欧阳明", "notes": "客户较急，已递水",
}


def default_query() -> VisitQuery:
    today = clock.today()
    return VisitQuery(date_from=today, date_to=today)


class VisitRowSource(SourceBase[VisitQuery, VisitRow]):
    """The register's rows, read through ``services.visitors`` (on the database worker)."""

    def first_page(self, query: VisitQuery, size: int, known_total: int | None) -> tuple[int, list[VisitRow]]:
        return visitors.first_page(query, size, known_total)

    def page(self, query: VisitQuery, offset: int, size: int, total: int) -> list[VisitRow]:
        return visitors.fetch_rows(query, offset, size, total)

    def count(self, query: VisitQuery) -> int:
        return visitors.count_visits(query)

    def change_stamp(self, query: VisitQuery) -> ChangeStamp:
        return visitors.change_stamp(query)

    def position_of(self, query: VisitQuery, row_id: int) -> int | None:
        return visitors.position_of(query, row_id)

    def same_rows(self, a: VisitQuery, b: VisitQuery) -> bool:
        return replace(a, sort_key="arrived_at", descending=False) == replace(
            b, sort_key="arrived_at", descending=False
        )

    def sorted_by(self, query: VisitQuery, sort_key: str, descending: bool) -> VisitQuery:
        return replace(query, sort_key=sort_key, descending=descending)

    def sort_of(self, query: VisitQuery) -> tuple[str, bool]:
        return query.sort_key, query.descending


class VisitTableModel(PagedTableModel[VisitQuery, VisitRow]):
    """Every visit of a view; voided ones greyed and struck through."""

    def __init__(self, parent: QObject | None = None, **options: Any) -> None:
        """``options``: the kit model's paging options (``worker``, ``page_size``, ``max_pages``,
        ``sync_rows``)."""
        super().__init__(VisitRowSource(), self._make_columns(), default_query(), parent, **options)
        self.set_dim_color(QBrush(VOID_COLOR))

    def _make_columns(self) -> list[Column[VisitRow]]:
        headers = {
            "arrived_at": self.tr("到达时间"),
            "ticket_no": self.tr("票号"),
            "customer_name": self.tr("称呼"),
            "phone": self.tr("电话"),
            "business_type": self.tr("业务类型"),
            "destination": self.tr("分流去向"),
            "special_needs": self.tr("特殊客户"),
            "vip": self.tr("贵宾"),
            "documents": self.tr("资料"),
            "status": self.tr("状态"),
            "called_at": self.tr("叫号时间"),
            "finished_at": self.tr("结束时间"),
            "wait": self.tr("等候(分)"),
            "service": self.tr("办理(分)"),
            "outcome": self.tr("结果"),
            "served_by": self.tr("经办人"),
            "notes": self.tr("备注"),
        }
        vip = self.tr("贵宾")
        render = {
            "arrived_at": self._arrival,
            "ticket_no": lambda r: r.ticket_no,
            "customer_name": lambda r: r.customer_name,
            "phone": lambda r: r.phone_masked,
            "business_type": lambda r: r.business_type,
            "destination": lambda r: r.destination,
            "special_needs": _needs,
            "vip": lambda r: vip if r.vip else "",
            "documents": self._documents,
            "status": lambda r: visitors.STATUSES.get(r.status, r.status),
            "called_at": lambda r: _clock(r.called_at, r),
            "finished_at": lambda r: _clock(r.finished_at, r),
            "wait": lambda r: format_minutes(r.wait_minutes),
            "service": lambda r: format_minutes(r.service_minutes),
            "outcome": lambda r: visitors.OUTCOMES.get(r.outcome, "") if r.outcome else "",
            "served_by": lambda r: r.served_by,
            "notes": lambda r: " ".join(r.notes.split()),
        }
        return [Column(key, headers[key], render[key], sort_key, numeric, SAMPLES[key])
                for key, sort_key, numeric in _LAYOUT]

    # ------------------------------------------------------------ text

    def _arrival(self, row: VisitRow) -> str:
        """The time only when the view is one day; the date too over a range."""
        query = self.query()
        if query.date_from == query.date_to:
            return row.arrived_at.strftime("%H:%M")
        return row.arrived_at.strftime("%Y-%m-%d %H:%M")

    def _documents(self, row: VisitRow) -> str:
        if row.documents_complete:
            return self.tr("齐全")
        return self.tr("缺：{papers}").replace("{papers}", "、".join(row.missing_documents))

    def dimmed(self, row: VisitRow) -> bool:
        return row.status == visitors.VOIDED

    def tooltip(self, row: VisitRow, key: str) -> str | None:
        if row.status == visitors.VOIDED:
            return self.tr("已作废：{reason}").replace("{reason}", row.void_reason)
        if key == "notes" and row.notes:
            return row.notes
        if key == "documents" and not row.documents_complete:
            return "\n".join(row.missing_documents)
        if key == "special_needs" and row.special_needs:
            return _needs(row)
        return None


def _clock(value: datetime | None, row: VisitRow) -> str:
    """Called and finished times: the date only when it differs from the arrival's."""
    if value is None:
        return ""
    if value.date() == row.arrived_at.date():
        return value.strftime("%H:%M")
    return value.strftime("%m-%d %H:%M")


def _needs(row: VisitRow) -> str:
    return "、".join(label for code, (_bit, label) in visitors.SPECIAL_NEEDS.items()
                    if code in row.special_needs)


COLUMNS: tuple[Column[VisitRow], ...] = tuple(
    Column(key, key, str, sort_key, numeric, SAMPLES[key]) for key, sort_key, numeric in _LAYOUT
)  # the layout alone (keys, sorting), for code that needs it without a model
