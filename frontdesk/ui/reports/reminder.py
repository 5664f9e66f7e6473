"""The monthly report's reminder in the status bar (seed 001: last month's figures by the 3rd).

Shown to whoever may export reports, from the 1st of a month until last month's report has
been exported or printed; clicking it (or Ctrl+R) opens the report dialog on the monthly report.
Red once the 3rd has passed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from frontdesk.services import reporting, session
from frontdesk.ui.kit.operations import QueryOp

RECHECK_MS = 15 * 60 * 1000


class MonthlyReminder(QPushButton):
    """A flat button in the status bar; hidden when nothing is due."""

    def __init__(self, open_monthly: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthlyReminder")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the status bar is not in the Tab chain
        self.clicked.connect(open_monthly)
        self.due: reporting.MonthlyReminder | None = None
        self.hide()
        # A window left open over the turn of the month shows it without a new sign-in.
        self._timer = QTimer(self)
        self._timer.setInterval(RECHECK_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def refresh(self) -> None:
        """Ask the database (on the worker) whether last month's report is still owed."""
        actor = session.current()
        if actor is None or not actor.can(session.VIEW_REPORTS):
            self._show(None)
            return
        QueryOp(self, reporting.monthly_reminder).success(self._show).run()

    def _show(self, due: reporting.MonthlyReminder | None) -> None:
        self.due = due
        if due is None:
            self.hide()
            return
        if due.overdue:
            text = self.tr("{month}月月报应于 {d.month}月{d.day}日 前导出，尚未导出 — 点此导出").format(
                month=due.month, d=due.due)
            self.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            text = self.tr("{month}月月报请于 {d.month}月{d.day}日 前导出 — 点此导出").format(month=due.month, d=due.due)
            self.setStyleSheet("color: #b26a00;")
        self.setText(text)
        self.setToolTip(self.tr("网点每月 {day} 日前报送上月数据；导出或打印上月月报后这条提醒消失。").format(
            day=reporting.MONTHLY_DUE_DAY))
        self.show()
