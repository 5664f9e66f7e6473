"""The inspections' word in the main window's status bar: "巡检：2 项待办，1 项逾期".

Red when a check is overdue today; refreshed by its own timer (a deadline passes without any
change being made) and at once when an inspection changes on the change bus.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.errors import UserError
from frontdesk.services import clock, session
from frontdesk.services import inspections as ins
from frontdesk.ui.kit.changes import INSPECTION, SETTINGS, change_bus
from frontdesk.ui.kit.operations import QueryOp

REFRESH_MS = 60_000
OVERDUE_STYLE = "color: #c62828; font-weight: bold;"


def schedule_text(got: ins.Schedule) -> str:
    """The status bar's words for a schedule (also the tab's summary line)."""
    if not got.hall.open:
        return _tr("巡检：今日闭厅（{reason}）").replace("{reason}", got.hall.reason or _tr("非营业日"))
    text = _tr("巡检：{todo} 项待办").replace("{todo}", str(got.todo))
    if got.overdue:
        text += _tr("，{n} 项逾期").replace("{n}", str(got.overdue))
    if got.missed:
        text += _tr("，近 {d} 天漏检 {n} 项").replace("{d}", str(ins.RECENT_DAYS)).replace("{n}", str(len(got.missed)))
    return text


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("ScheduleStatus", text)


class ScheduleStatus(QLabel):
    """巡检：n 项待办，m 项逾期."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionStatus")
        self.schedule: ins.Schedule | None = None
        self._job = None
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        change_bus().subscribe(self, {INSPECTION, SETTINGS}, lambda *_: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        if session.current() is None:
            self.clear()
            return
        if self._job is not None:
            return
        now = clock.now()

        def ended() -> None:
            self._job = None

        self._job = QueryOp(self, lambda: ins.schedule(now)).success(self._show).failure(self._failed) \
            .finally_(ended).run()

    def _show(self, got: ins.Schedule) -> None:
        self.schedule = got
        self.setText(schedule_text(got))
        self.setStyleSheet(OVERDUE_STYLE if got.overdue else "")
        self.setToolTip("\n".join(
            self.tr("漏检：{day} {name}{label}").replace("{day}", m.day.isoformat()).replace("{name}", m.template_name)
            .replace("{label}", f"（{m.label}）" if m.label else "") for m in got.missed))

    def _failed(self, error: UserError) -> None:
        self.setText(self.tr("巡检：暂不可用"))
        self.setToolTip(error.message)
