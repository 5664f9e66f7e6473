"""The run list's item model: the kit's paged model over ``services.inspections``' run paging."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject

from frontdesk.services import clock, inspections
from frontdesk.services.inspections import RunQuery, RunRow
from frontdesk.services.paging import ChangeStamp
from frontdesk.ui.kit.common import format_percent
from frontdesk.ui.kit.paged_model import Column, PagedTableModel, SourceBase

format_score = format_percent  # a run's score: empty when nothing was applicable


def default_query() -> RunQuery:
    today = clock.today()
    return RunQuery(date_from=today, date_to=today)


class RunRowSource(SourceBase[RunQuery, RunRow]):
    def page(self, query: RunQuery, offset: int, size: int, total: int) -> list[RunRow]:
        return inspections.fetch_runs(query, offset, size, total)

    def count(self, query: RunQuery) -> int:
        return inspections.count_runs(query)

    def change_stamp(self, query: RunQuery) -> ChangeStamp:
        return inspections.runs_change_stamp(query)

    def position_of(self, query: RunQuery, row_id: int) -> int | None:
        return inspections.run_position(query, row_id)

    def same_rows(self, a: RunQuery, b: RunQuery) -> bool:
        return replace(a, sort_key="", descending=False) == replace(b, sort_key="", descending=False)

    def sorted_by(self, query: RunQuery, sort_key: str, descending: bool) -> RunQuery:
        return replace(query, sort_key=sort_key, descending=descending)

    def sort_of(self, query: RunQuery) -> tuple[str, bool]:
        return query.sort_key, query.descending


class RunTableModel(PagedTableModel[RunQuery, RunRow]):
    """The runs of a view, newest first."""

    def __init__(self, parent: QObject | None = None, **options: Any) -> None:
        super().__init__(RunRowSource(), self._make_columns(), default_query(), parent, **options)

    def _make_columns(self) -> list[Column[RunRow]]:
        return [
            Column("started_at", self.tr("开始时间"), lambda r: r.started_at.strftime("%Y-%m-%d %H:%M"),
                   "started_at", False, "2026-11-25 10:30"),
            Column("template", self.tr("检查模板"), self._template, "template", False, "消防器材巡检（第 2 版）"),
            Column("status", self.tr("状态"), lambda r: r.status_label, "status", False, "已签核"),
            Column("score", self.tr("得分"), lambda r: format_score(r.score), "score", True, "100.0%"),
            Column("failed", self.tr("不合格项"), self._failed, "failed", True, "不合格项"),
            Column("inspector", self.tr("检查人"), lambda r: r.inspector_name, "inspector", False, "欧阳明"),
        ]

    def _template(self, row: RunRow) -> str:
        if row.revision == 1:
            return row.template_name
        return self.tr("{name}（第 {n} 版）").replace("{name}", row.template_name).replace("{n}", str(row.revision))

    def _failed(self, row: RunRow) -> str:
        return "" if row.status == inspections.OPEN else str(row.failed)

    def tooltip(self, row: RunRow, key: str) -> str | None:
        if row.status == inspections.SIGNED and row.signed_at is not None:
            return self.tr("签核于 {at}").replace("{at}", row.signed_at.strftime("%Y-%m-%d %H:%M"))
        return None
