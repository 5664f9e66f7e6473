"""今日窗口: the duty manager opens and closes the counters for today, without the administrator.

A list of the counters (destinations where customers wait), ticked when open. ↑↓ choose, Space
opens or closes, Enter saves, Esc cancels. A closing may say why (人手不足, 设备故障 …). A guide
sees the same list read-only: which counters are closed, by whom and why.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import counters, visitors
from frontdesk.services.counters import CounterState
from frontdesk.ui.kit.changes import COUNTER
from frontdesk.ui.kit.common import FormErrors, SaveGuard
from frontdesk.ui.kit.operations import Op

MIN_WIDTH = 420


class CountersDialog(QDialog):
    """The counters of ``day`` with their state; ``may_change`` False shows them read-only."""

    def __init__(self, day: date, may_change: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = day
        self.may_change = may_change
        self.setObjectName("countersDialog")
        self.setWindowTitle(self.tr("今日窗口 {day}").format(day=day.isoformat()))
        self.setMinimumWidth(MIN_WIDTH)
        self.states: list[CounterState] = counters.counters(day)  # a UserError → the caller shows it
        self.waiting: dict[int, int] = {}  # customers waiting now, by counter: they stay when it closes
        for row in visitors.waiting_now():
            self.waiting[row.destination_id] = self.waiting.get(row.destination_id, 0) + 1
        self.saved: list[CounterState] | None = None

        if may_change:
            hint = self.tr("勾选表示开放。↑↓ 选择窗口，空格开放或关闭，Enter 保存，Esc 取消。"
                           "关闭的窗口不再接受登记，已在等候的客户不受影响。")
        else:
            hint = self.tr("只有值班经理或管理员可以开放或关闭窗口；这里只能查看。")
        note = QLabel(hint)
        note.setObjectName("countersHint")
        note.setWordWrap(True)

        self.list = QListWidget()
        self.list.setObjectName("countersList")
        for state in self.states:
            item = QListWidgetItem(self._text(state))
            item.setData(Qt.ItemDataRole.UserRole, state.entry_id)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if may_change:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if state.open else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if self.states:
            self.list.setCurrentRow(0)
        self.list.itemChanged.connect(self._changed)

        self.reason = QComboBox()
        self.reason.setObjectName("counterReason")
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason.addItem("")
        self.reason.addItems(list(counters.REASONS))
        self.reason.lineEdit().setMaxLength(counters.MAX_REASON)
        self.reason.lineEdit().setPlaceholderText(self.tr("可不填，如：人手不足、设备故障"))
        fallback = QLabel()
        fallback.setObjectName("error_general")
        self.errors = FormErrors(fallback)
        reason_error = self.errors.new_label("reason", self.reason)
        self.errors.new_label("counters", self.list)
        self.errors.new_label("day", self.list)
        form = QFormLayout()
        form.addRow(self.tr("关闭原因(&R)"), self.reason)
        form.addRow("", reason_error)
        form.labelForField(self.reason).setBuddy(self.reason)

        self.buttons = QDialogButtonBox()
        if may_change:
            self.save_button = self.buttons.addButton(self.tr("保存（Enter）"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setObjectName("countersSave")
            self.save_button.setDefault(True)
            cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
            self._guard = SaveGuard(self.save_button, cancel)
        else:
            self.save_button = None
            close = self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
            close.setDefault(True)
            self._guard = SaveGuard(close)
            self.reason.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(fallback)
        layout.addWidget(self.buttons)
        self._changed()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _text(self, state: CounterState) -> str:
        waiting = self.waiting.get(state.entry_id, 0)
        text = state.label
        if not state.open:
            when = state.at.strftime("%H:%M") if state.at is not None else ""
            why = self.tr("，{reason}").format(reason=state.reason) if state.reason else ""
            text = self.tr("{label}（已关闭{why}；{who} {when}）").format(
                label=state.label, why=why, who=state.username, when=when)
        if waiting:
            text += self.tr("　等候 {n} 人").format(n=waiting)
        return text

    def wanted(self) -> dict[int, bool]:
        """Each counter as ticked now: open (True) or closed."""
        return {
            self.list.item(row).data(Qt.ItemDataRole.UserRole):
                self.list.item(row).checkState() == Qt.CheckState.Checked
            for row in range(self.list.count())
        }

    def _changed(self, _item: QListWidgetItem | None = None) -> None:
        """The reason is asked for only while a counter is about to be closed."""
        if self.may_change:
            was = {s.entry_id: s.open for s in self.states}
            self.reason.setEnabled(any(was[i] and not now for i, now in self.wanted().items()))

    def save(self) -> None:
        """Write the changes on the database worker; if refused, the dialog stays with the ticks kept."""
        if not self.may_change:
            self.reject()
            return
        wanted, reason, day = self.wanted(), self.reason.currentText(), self.day
        was = {s.entry_id: s.open for s in self.states}
        changes = {i: now for i, now in wanted.items() if was.get(i) != now}
        if not changes:
            self.accept()
            return
        self._guard.run(
            Op(self, lambda: counters.set_counters(day, changes, reason), changes={COUNTER})
            .success(self._saved)
            .failure(self._refused)
        )

    def _saved(self, states: list[CounterState]) -> None:
        self.saved = states
        self.errors.clear()
        self.accept()

    def _refused(self, error: UserError) -> None:
        widget = self.errors.show(error)
        (widget or self.list).setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if not self._guard.busy:  # a save on its way finishes first: its outcome shows here
            super().reject()
