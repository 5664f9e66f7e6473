"""Starting a run: today's due checks first, then those already done, then the rest.

Up/Down pick a template, Enter starts it (service sampling draws its people now, from today's
duty list); the dialog hands the new run back in ``started``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import DueTemplate, RunDetail
from frontdesk.ui.kit.changes import INSPECTION
from frontdesk.ui.kit.common import ERROR_STYLE
from frontdesk.ui.kit.operations import Op


class StartRunDialog(QDialog):
    def __init__(self, plan: list[DueTemplate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startRunDialog")
        self.setWindowTitle(self.tr("开始检查"))
        self.started: RunDetail | None = None
        self._busy = False
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        now = clock.now()
        for entry in plan:
            t = entry.template
            if entry.overdue(now):
                state = self.tr("已逾期（应于 {at} 前）").replace("{at}", f"{entry.deadline:%H:%M}")
            elif entry.due and not entry.finished:
                state = self.tr("今日待做（{at} 前）").replace("{at}", f"{entry.deadline:%H:%M}")
            elif entry.runs:
                state = self.tr("今日已做 {n} 次").replace("{n}", str(entry.runs))
            else:
                state = self.tr("今日不排期（{days}）").replace("{days}", ins.weekdays_label(t.due_weekdays))
            item = QListWidgetItem(f"{t.name}　·　{state}　·　{len(t.items)} 项")
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.start())
        self.message = QLabel()
        self.message.setObjectName("startMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(self.tr("开始 (Enter)"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("startButton")
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("选择检查模板（今日待做的排在前面）：")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 360)
        self.list.setFocus()

    def start(self) -> None:
        item = self.list.currentItem()
        if item is None or self._busy:
            return
        template_id = item.data(Qt.ItemDataRole.UserRole)
        self._busy = True
        self.message.hide()
        Op(self, lambda: ins.start_run(template_id), changes={INSPECTION}).success(self._started) \
            .failure(self._refused).finally_(self._ended).run()

    def _ended(self) -> None:
        self._busy = False

    def _started(self, run: RunDetail) -> None:
        self.started = run
        self.accept()

    def _refused(self, error: UserError) -> None:
        self.message.setText(error.message)
        self.message.show()
        self.list.setFocus()

    def reject(self) -> None:
        if not self._busy:
            super().reject()
