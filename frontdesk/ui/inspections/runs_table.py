"""The list of runs (检查记录) on the kit's record table: filters by date, template and result."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from frontdesk.services import clock
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import RunQuery
from frontdesk.ui.inspections.table_model import RunTableModel
from frontdesk.ui.kit.changes import INSPECTION, change_bus
from frontdesk.ui.kit.common import pydate
from frontdesk.ui.kit.operations import QueryOp
from frontdesk.ui.kit.record_table import RecordTable


class RunsTable(RecordTable):
    """Runs of a date range (today at first), newest first. Enter opens a run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(RunTableModel(), parent, view_name="runs_view")
        self.model.setParent(self)
        today = clock.today()
        self.date_from, self.date_to = self.date_range("runs", today, today)
        self.template = QComboBox(self)
        self.template.setObjectName("template_filter")
        self.template.addItem(self.tr("全部模板"), None)
        QueryOp(self, ins.templates).success(self._fill_templates).failure(lambda _error: None).run()
        self.template.currentIndexChanged.connect(self.apply_filters)
        self.result = QComboBox(self)
        self.result.setObjectName("result_filter")
        self.result.addItem(self.tr("全部结果"), None)
        for code, label in ins.RESULT_FILTERS.items():
            self.result.addItem(label, code)
        self.result.currentIndexChanged.connect(self.apply_filters)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("检查记录　日期")))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("至")))
        row.addWidget(self.date_to)
        row.addWidget(self.template)
        row.addWidget(self.result)
        row.addStretch(1)
        row.addWidget(self.count_label)
        self.filter_layout.addLayout(row)
        self.opener = None  # set by the tab: opens a run by its row
        change_bus().subscribe(self, {INSPECTION}, lambda *_: self.refresh())
        self.apply_filters()

    def _fill_templates(self, templates: list[ins.TemplateRow]) -> None:
        """The filter's templates, read on the worker (nobody may be signed in yet: then none)."""
        for t in templates:
            self.template.addItem(t.name, t.key)

    def current_query(self) -> RunQuery:
        sort_key, descending = self.model.source.sort_of(self.model.query())
        start, end = pydate(self.date_from.date()), pydate(self.date_to.date())
        return RunQuery(start, max(start, end), self.template.currentData(), self.result.currentData(),
                        sort_key or "started_at", descending)

    def should_poll(self) -> bool:
        query = self.model.query()
        return query.date_from <= clock.today() <= query.date_to

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None and self.opener is not None:
            self.opener(row.id)
