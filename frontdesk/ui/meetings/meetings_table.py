"""The list of meetings (会议记录) on the kit's record table: filters by date and kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from frontdesk.services import clock
from frontdesk.services import meetings as mt
from frontdesk.services.meetings import MeetingQuery, MeetingRow
from frontdesk.services.paging import ChangeStamp
from frontdesk.ui.kit.changes import MEETING, change_bus
from frontdesk.ui.kit.common import pydate
from frontdesk.ui.kit.paged_model import Column, PagedTableModel, SourceBase
from frontdesk.ui.kit.record_table import RecordTable

LIST_DAYS = 30  # the list opens on the last month


def default_query() -> MeetingQuery:
    today = clock.today()
    return MeetingQuery(date_from=today - timedelta(days=LIST_DAYS - 1), date_to=today)


class MeetingRowSource(SourceBase[MeetingQuery, MeetingRow]):
    def page(self, query: MeetingQuery, offset: int, size: int, total: int) -> list[MeetingRow]:
        return mt.fetch_meetings(query, offset, size, total)

    def count(self, query: MeetingQuery) -> int:
        return mt.count_meetings(query)

    def change_stamp(self, query: MeetingQuery) -> ChangeStamp:
        return mt.meetings_change_stamp(query)

    def position_of(self, query: MeetingQuery, row_id: int) -> int | None:
        return mt.meeting_position(query, row_id)

    def same_rows(self, a: MeetingQuery, b: MeetingQuery) -> bool:
        return replace(a, sort_key="", descending=False) == replace(b, sort_key="", descending=False)

    def sorted_by(self, query: MeetingQuery, sort_key: str, descending: bool) -> MeetingQuery:
        return replace(query, sort_key=sort_key, descending=descending)

    def sort_of(self, query: MeetingQuery) -> tuple[str, bool]:
        return query.sort_key, query.descending


def _hhmm(row: MeetingRow) -> str:
    start = row.started_at.strftime("%H:%M") if row.started_at else ""
    end = row.ended_at.strftime("%H:%M") if row.ended_at else ""
    return f"{start}–{end}" if start or end else ""


class MeetingTableModel(PagedTableModel[MeetingQuery, MeetingRow]):
    """The meetings of a view, newest first."""

    def __init__(self, parent: QObject | None = None, **options: Any) -> None:
        super().__init__(MeetingRowSource(), self._make_columns(), default_query(), parent, **options)

    def _make_columns(self) -> list[Column[MeetingRow]]:
        return [
            Column("day", self.tr("日期"), lambda r: r.day.isoformat(), "day", False, "2026-11-25"),
            Column("kind", self.tr("会议"), lambda r: r.kind_label, "kind", False, "班后会"),
            Column("time", self.tr("时间"), _hhmm, None, False, "08:30–08:50"),
            Column("host", self.tr("主持人"), lambda r: r.host_name, "host", False, "欧阳明"),
            Column("attendance", self.tr("出席/应到"), lambda r: f"{r.attended}/{r.expected}", None, True,
                   "出席/应到"),
            Column("status", self.tr("状态"), lambda r: r.status_label, "status", False, "已定稿"),
        ]


class MeetingsTable(RecordTable):
    """Meetings of a date range (the last 30 days at first), newest first. Enter opens one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(MeetingTableModel(), parent, view_name="meetings_view")
        self.model.setParent(self)
        first = default_query()
        self.date_from, self.date_to = self.date_range("meetings", first.date_from, first.date_to)
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind_filter")
        self.kind.addItem(self.tr("全部会议"), None)
        for code, label in mt.KINDS.items():
            self.kind.addItem(label, code)
        self.kind.currentIndexChanged.connect(self.apply_filters)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("会议记录　日期")))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("至")))
        row.addWidget(self.date_to)
        row.addWidget(self.kind)
        row.addStretch(1)
        row.addWidget(self.count_label)
        self.filter_layout.addLayout(row)
        self.opener = None  # set by the tab: opens a meeting by its id
        change_bus().subscribe(self, {MEETING}, lambda *_: self.refresh())
        self.apply_filters()

    def current_query(self) -> MeetingQuery:
        sort_key, descending = self.model.source.sort_of(self.model.query())
        start, end = pydate(self.date_from.date()), pydate(self.date_to.date())
        return MeetingQuery(start, max(start, end), self.kind.currentData(), sort_key or "day", descending)

    def should_poll(self) -> bool:
        query = self.model.query()
        return query.date_from <= clock.today() <= query.date_to

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None and self.opener is not None:
            self.opener(row.id)
