"""The equipment fault log (设备故障): open faults until they are fixed, or all of them.

Ctrl+G reports a new fault, Enter opens the selected one to follow it up (sign posted,
repairer contacted, fixed). A hall has a handful of faults open: the service reads the list
whole and this source pages it in memory, like the corrective actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from frontdesk.services import clock, faults, session
from frontdesk.services.faults import FaultQuery, FaultRow
from frontdesk.services.paging import ChangeStamp
from frontdesk.ui.inspections.faults_dialog import FaultDialog
from frontdesk.ui.kit.changes import INSPECTION, SETTINGS, change_bus
from frontdesk.ui.kit.operations import QueryOp
from frontdesk.ui.kit.paged_model import Column, PagedTableModel, SourceBase
from frontdesk.ui.kit.record_table import RecordTable

OPEN_COLOR = QColor("#c62828")


@dataclass(frozen=True)
class FaultView:
    query: FaultQuery
    now: datetime


class FaultRowSource(SourceBase[FaultView, FaultRow]):
    def page(self, view: FaultView, offset: int, size: int, total: int) -> list[FaultRow]:
        return faults.faults(view.query)[offset:offset + size]

    def count(self, view: FaultView) -> int:
        return len(faults.faults(view.query))

    def change_stamp(self, view: FaultView) -> ChangeStamp:
        return faults.change_stamp()

    def sorted_by(self, view: FaultView, sort_key: str, descending: bool) -> FaultView:
        return view

    def sort_of(self, view: FaultView) -> tuple[str, bool]:
        return "", False


def _time(at: datetime | None) -> str:
    return "" if at is None else f"{at:%m-%d %H:%M}"


class FaultTableModel(PagedTableModel[FaultView, FaultRow]):
    def __init__(self, parent: QObject | None = None, **options) -> None:
        super().__init__(FaultRowSource(), self._make_columns(), FaultView(FaultQuery(), clock.now()), parent,
                         **options)

    def _make_columns(self) -> list[Column[FaultRow]]:
        return [
            Column("device", self.tr("设备"), lambda r: r.device_label, None, False, "存取款一体机(ATM)"),
            Column("description", self.tr("故障情况"), lambda r: r.description, None, False, "不出票，已报厂家"),
            Column("reported", self.tr("报修"), lambda r: f"{_time(r.reported_at)} {r.reported_by_name}", None, False,
                   "11-25 08:40 欧阳明"),
            Column("sign", self.tr("暂停使用"), lambda r: _time(r.sign_posted_at) or self.tr("未张贴"), None, False,
                   "11-25 08:40"),
            Column("repairer", self.tr("联系维修"), self._repairer, None, False, "11-25 09:00 厂家李工"),
            Column("fixed", self.tr("修复"), self._fixed, None, False, "未修复 3.5 小时"),
        ]

    def _repairer(self, row: FaultRow) -> str:
        return f"{_time(row.repairer_contacted_at)} {row.repairer_note}".strip() or self.tr("未联系")

    def _fixed(self, row: FaultRow) -> str:
        if row.fixed_at is not None:
            return _time(row.fixed_at)
        hours = row.open_minutes(self.query().now) / 60
        return self.tr("未修复 {h} 小时").replace("{h}", f"{hours:.1f}")

    def foreground(self, row: FaultRow) -> QBrush | None:
        return QBrush(OPEN_COLOR) if row.open else None

    def tooltip(self, row: FaultRow, key: str) -> str | None:
        return row.fixed_note or None


class FaultsTable(RecordTable):
    """The fault log, open faults or all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(FaultTableModel(), parent, view_name="faults_view", count_name="faults_count")
        self.model.setParent(self)
        self.scope = QComboBox(self)
        self.scope.setObjectName("fault_scope_filter")
        self.scope.addItem(self.tr("未修复"), True)
        self.scope.addItem(self.tr("全部"), False)
        self.scope.currentIndexChanged.connect(self.apply_filters)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("设备故障")))
        row.addWidget(self.scope)
        row.addStretch(1)
        row.addWidget(self.count_label)
        self.filter_layout.addLayout(row)

        self.report_action = QAction(self.tr("登记故障"), self)
        self.report_action.setShortcut(QKeySequence("Ctrl+G"))
        self.report_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.report_action.triggered.connect(self.report)
        self.follow_action = QAction(self.tr("跟进…"), self)
        self.follow_action.triggered.connect(self.open_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for name, action, text in (("follow", self.follow_action, self.tr("跟进… (Enter)")),
                                   ("report", self.report_action, self.tr("登记故障 (Ctrl+G)"))):
            button = QPushButton(text, self)
            button.setObjectName(f"fault_{name}_button")
            button.setAutoDefault(False)
            button.clicked.connect(action.trigger)
            self.buttons[name] = button
            self.addAction(action)
            buttons.addWidget(button)
        self.layout_.addLayout(buttons)
        self.context_actions = [self.follow_action, self.report_action]
        change_bus().subscribe(self, {INSPECTION, SETTINGS}, lambda *_: self.refresh())
        self.apply_filters()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+G that reached the list as a plain key (a window not activated fires no shortcuts)."""
        if watched is self.view and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            pressed = QKeySequence(event.keyCombination())
            if self.report_action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                self.report_action.trigger()
                return True
        return super().eventFilter(watched, event)

    def current_query(self) -> FaultView:
        return FaultView(FaultQuery(open_only=bool(self.scope.currentData())), clock.now())

    def update_actions(self) -> None:
        actor = session.current()
        can = actor is not None and actor.can(session.FAULTS)
        self.report_action.setEnabled(can)
        self.follow_action.setEnabled(can and self.selected_row() is not None)
        for name, action in (("follow", self.follow_action), ("report", self.report_action)):
            self.buttons[name].setEnabled(action.isEnabled())

    def report(self) -> None:
        if self.report_action.isEnabled() and not self.dialog_open:
            QueryOp(self, faults.devices).success(lambda devices: self._open(FaultDialog(devices, None, self))) \
                .failure(lambda error: self.show_error(error.message)).run()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None and self.follow_action.isEnabled() and not self.dialog_open:
            self._open(FaultDialog([], row, self))

    def _open(self, dialog: FaultDialog) -> None:
        if not self.dialog_open:
            self.open_dialog(dialog)
