"""Every action item still open, across meetings (4minitz users asked for it: #570, #572):
the oldest first, with its age in days; overdue ones in red, those due today in amber.
Ctrl+D marks the selected one done (who and when are recorded)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock
from frontdesk.services import meetings as mt
from frontdesk.ui.kit.changes import MEETING
from frontdesk.ui.kit.operations import Op, QueryOp


class OpenItemsDialog(QDialog):
    def __init__(self, can_close: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openItemsDialog")
        self.setWindowTitle(self.tr("未完成的待办事项"))
        self.items: list[mt.ActionRow] = []
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("openItemsTable")
        self.table.setHorizontalHeaderLabels([self.tr("待办事项"), self.tr("责任人"), self.tr("期限"),
                                              self.tr("来自"), self.tr("已过天数"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setObjectName("openItemsMessage")
        self.done_button = QPushButton(self.tr("完成所选 (Ctrl+D)"))
        self.done_button.setObjectName("openItemDoneButton")
        self.done_button.setEnabled(can_close)
        self.done_button.clicked.connect(self.close_selected)
        close = QPushButton(self.tr("关闭 (Esc)"))
        close.clicked.connect(self.reject)
        for button in (self.done_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.done_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+D"), self, self.close_selected)
        self.resize(900, 480)
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        today = clock.today()
        QueryOp(self, lambda: mt.open_actions(today)).success(self._show).failure(self._failed).run()

    def _failed(self, error: UserError) -> None:
        self.message.setText(error.message)

    def _show(self, items: list[mt.ActionRow]) -> None:
        self.items = items
        today = clock.today()
        self.table.setRowCount(len(items))
        for n, a in enumerate(items):
            state = (self.tr("已逾期") if a.overdue(today) else self.tr("今日到期") if a.due_today(today)
                     else self.tr("未完成"))
            cells = (a.text, a.owner_name, a.due_on.isoformat() if a.due_on else "",
                     f"{a.meeting_day.isoformat()} {mt.KINDS.get(a.meeting_kind, a.meeting_kind)}",
                     str(a.age_days(today)), state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if a.overdue(today):
                    item.setForeground(Qt.GlobalColor.red)
                elif a.due_today(today):
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.table.setItem(n, column, item)
        if items:
            self.table.selectRow(0)
        self.message.setText(self.tr("共 {n} 项").replace("{n}", str(len(items))))

    def close_selected(self) -> None:
        row = self.table.currentRow()
        if not self.done_button.isEnabled() or not 0 <= row < len(self.items):
            return
        found = self.items[row]
        Op(self, lambda: mt.close_action(found.id, found), changes={MEETING}).success(
            lambda _row: self.refresh()).failure(self._failed).run()
