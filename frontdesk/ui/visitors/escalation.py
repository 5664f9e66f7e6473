"""The duty manager's notice of customers kept waiting too long (seed 003, PRODUCT.md §1).

In the status bar of a station where a 值班经理 is signed in: "3 位客户等候超过 15 分钟" in red,
as soon as anyone waits past the waiting standard (in the peak periods, the peak standard),
re-read by a timer on the database worker. Other stations (the guide's) show nothing: the
waiting panel's colours already tell the guide.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.services import care, session
from frontdesk.services.care import Escalation
from frontdesk.ui.kit.operations import QueryOp

RECHECK_MS = 30_000


class EscalationNotice(QLabel):
    """Hidden unless a duty manager is signed in and someone waits past the standard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationNotice")
        self.setStyleSheet("color: #c62828; font-weight: bold;")
        self.hide()
        self._job = None
        self.timer = QTimer(self)
        self.timer.setInterval(RECHECK_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def refresh(self) -> None:
        """Ask the database (on the worker) who waits past the standard, for a duty manager."""
        actor = session.current()
        if actor is None or actor.role != session.DUTY_MANAGER:
            self._show(None)
            return
        if self._job is not None:
            return

        def ended() -> None:
            self._job = None

        self._job = QueryOp(self, care.escalation).success(self._show).failure(lambda _error: None) \
            .finally_(ended).run()

    def _show(self, found: Escalation | None) -> None:
        if found is None or not found.count:
            self.hide()
            return
        text = self.tr("{n} 位客户等候超过 {m} 分钟").format(n=found.count, m=found.minutes)
        if found.peak:
            text = self.tr("高峰时段：") + text
        self.setText(text)
        self.setToolTip(self.tr("最长已等候 {m} 分钟；请到大堂查看，必要时加开窗口或安抚客户。").format(
            m=int(found.longest or 0)))
        self.show()
