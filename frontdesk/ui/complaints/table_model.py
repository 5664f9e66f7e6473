"""The complaint list's item model: the kit's paged model over ``services.complaints``.

What is the tickets' own: the columns, and how urgency shows — an overdue ticket in red, one
with a working day left in amber, with the words in the deadline column too (colour alone
says nothing to a colour-blind guide or on a grey printout). "Today" is read at paint time,
so a ticket turns overdue at midnight without a restart.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from frontdesk.services import clock, complaints
from frontdesk.services import complaint_deadlines as dl
from frontdesk.services.complaints import ComplaintQuery, ComplaintRow
from frontdesk.ui.kit.paged_model import Column, Index, PagedTableModel, SourceBase

OVERDUE_TEXT, OVERDUE_BACK = QColor("#b91c1c"), QColor("#fde2e2")
SOON_TEXT, SOON_BACK = QColor("#92400e"), QColor("#fff4d6")
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)

OVERDUE, DUE_SOON = "overdue", "due_soon"


class ComplaintRowSource(SourceBase[ComplaintQuery, ComplaintRow]):
    """The tickets, read through ``services.complaints`` (on the database worker)."""

    def page(self, query: ComplaintQuery, offset: int, size: int, total: int) -> list[ComplaintRow]:
        return complaints.fetch_rows(query, offset, size, total)

    def count(self, query: ComplaintQuery) -> int:
        return complaints.count_complaints(query)

    def change_stamp(self, query: ComplaintQuery) -> Any:
        return complaints.change_stamp(query)

    def position_of(self, query: ComplaintQuery, row_id: int) -> int | None:
        return complaints.position_of(query, row_id)

    def same_rows(self, a: ComplaintQuery, b: ComplaintQuery) -> bool:
        return replace(a, sort_key="id", descending=False) == replace(b, sort_key="id", descending=False)

    def sorted_by(self, query: ComplaintQuery, sort_key: str, descending: bool) -> ComplaintQuery:
        return replace(query, sort_key=sort_key, descending=descending)

    def sort_of(self, query: ComplaintQuery) -> tuple[str, bool]:
        return query.sort_key, query.descending


class Urgency:
    """Whether a row is overdue or due soon today.

    The due-soon limit (the next working day) comes with the tab's alerts, read on the worker with
    the administrator's holiday calendar (``set_limit``); until they arrive, and on a new day, it
    is taken from the program's calendar alone.
    """

    def __init__(self) -> None:
        self._day: date | None = None
        self._soon = date.min

    def set_limit(self, today: date, soon_until: date) -> None:
        self._day, self._soon = today, soon_until

    def of(self, row: ComplaintRow) -> str:
        today = clock.today()
        if today != self._day:
            self._day, self._soon = today, dl.due_soon_until(today)
        if row.overdue(today):
            return OVERDUE
        if row.due_soon(today, self._soon):
            return DUE_SOON
        return ""


class ComplaintTableModel(PagedTableModel[ComplaintQuery, ComplaintRow]):
    """Every ticket of a view; urgency in colour and in words."""

    def __init__(self, parent: QObject | None = None, **options: Any) -> None:
        self.urgency = Urgency()
        super().__init__(ComplaintRowSource(), self._make_columns(), ComplaintQuery(), parent, **options)

    def _make_columns(self) -> list[Column[ComplaintRow]]:
        def day(value: date | None) -> str:
            return value.isoformat() if value is not None else ""

        return [
            Column("id", self.tr("编号"), lambda r: str(r.id), "id", True, "00000"),
            Column("received_at", self.tr("受理时间"), lambda r: r.received_at.strftime("%Y-%m-%d %H:%M"),
                   "received_at", False, "2026-11-25 10:30"),
            Column("kind", self.tr("类型"), lambda r: complaints.KINDS.get(r.kind, r.kind), "kind", False, "咨询"),
            Column("channel", self.tr("渠道"), lambda r: complaints.CHANNELS.get(r.channel, r.channel), "channel",
                   False, "总公司转办"),
            Column("category", self.tr("类别"), lambda r: r.category,
                   "category", False, "服务态度"),
            Column("customer_name", self.tr("客户"), self._customer, "customer_name", False, "欧阳女士 [重大]"),
            Column("phone", self.tr("电话"), lambda r: r.phone_masked, None, False, "138****1234"),
            Column("status", self.tr("状态"), lambda r: complaints.STATUSES.get(r.status, r.status), "status",
                   False, "处理中"),
            Column("due_on", self.tr("到期"), self._due, "due_on", False, "2026-11-25（逾期 12 天）"),
            Column("internal_due", self.tr("内部时限"), lambda r: day(r.internal_due), None, False, "2026-11-25"),
            Column("regulatory_due", self.tr("监管时限"), self._regulatory, None, False, "2026-11-25（60天）"),
            Column("handler", self.tr("处理人"), lambda r: r.handler, "handler", False, "欧阳明"),
            Column("first_contact", self.tr("首问负责人"), lambda r: r.first_contact, None, False, "欧阳明"),
            Column("about", self.tr("投诉对象"), lambda r: r.about, None, False, "3号窗口柜员"),
        ]

    def _customer(self, row: ComplaintRow) -> str:
        return row.customer_name + (self.tr(" [重大]") if row.major else "")

    def _regulatory(self, row: ComplaintRow) -> str:
        if row.regulatory_limit is None:
            return ""
        if row.paused:
            return self.tr("暂停计时")
        if row.regulatory_due is None:
            return ""
        return f"{row.regulatory_due.isoformat()}（{row.regulatory_limit}{self.tr('天')}）"

    def _due(self, row: ComplaintRow) -> str:
        if row.due_on is None:
            return ""
        text = row.due_on.isoformat()
        if row.due_provisional:
            text += self.tr("（暂定）")
        if not row.awaiting_reply:
            late = row.replied_late()
            return text + (self.tr("（逾期答复）") if late else "")
        today = clock.today()
        if row.due_on < today:
            return text + self.tr("（逾期 {n} 天）").replace("{n}", str((today - row.due_on).days))
        if row.due_on == today:
            return text + self.tr("（今天到期）")
        if self.urgency.of(row) == DUE_SOON:
            return text + self.tr("（即将到期）")
        return text

    def dimmed(self, row: ComplaintRow) -> bool:
        return row.status == complaints.WITHDRAWN

    def tooltip(self, row: ComplaintRow, key: str) -> str | None:
        if key == "due_on" and row.due_provisional:
            return self.tr("该时限跨入国家节假日安排尚未收录的年份，按周一至周五推算，为暂定日期。")
        if key == "customer_name" and row.major:
            return self.tr("重大投诉：20 人以上现场集体投诉")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role.value) if hasattr(role, "value") else int(role)
        if role in (_FOREGROUND, _BACKGROUND) and index.isValid():
            row = self.row_at(index.row())
            if row is not None:
                urgency = self.urgency.of(row)
                if urgency == OVERDUE:
                    return QBrush(OVERDUE_TEXT if role == _FOREGROUND else OVERDUE_BACK)
                if urgency == DUE_SOON:
                    return QBrush(SOON_TEXT if role == _FOREGROUND else SOON_BACK)
        return super().data(index, role)
