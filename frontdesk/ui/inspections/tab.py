"""The checklist inspections tab (检查巡检): today's plan, the runs, the corrective actions.

Ctrl+N starts a run (today's due checks offered first), Enter on a run opens it; the run dialog
is walked from the keyboard. The actions list below follows every change on the change bus.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from frontdesk.errors import UserError
from frontdesk.services import clock, session
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import DueTemplate, RunDetail
from frontdesk.services.session import Actor
from frontdesk.ui.inspections.actions_table import ActionsTable
from frontdesk.ui.inspections.faults_table import FaultsTable
from frontdesk.ui.inspections.run_dialog import RunDialog
from frontdesk.ui.inspections.runs_table import RunsTable
from frontdesk.ui.inspections.start_dialog import StartRunDialog
from frontdesk.ui.inspections.status import REFRESH_MS
from frontdesk.ui.inspections.template_editor import TemplatesDialog
from frontdesk.ui.kit.changes import INSPECTION, change_bus
from frontdesk.ui.kit.common import show_user_error
from frontdesk.ui.kit.operations import QueryOp

MISSED_SHOWN = 5


class InspectionsTab(QWidget):
    """检查巡检."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectionsTab")
        self.plan_label = QLabel()
        self.plan_label.setTextFormat(Qt.TextFormat.RichText)
        self.plan_label.setObjectName("planLabel")
        self.plan_label.setWordWrap(True)
        self.start_action = QAction(self.tr("开始检查"), self)
        self.start_action.setShortcut(QKeySequence("Ctrl+N"))
        self.start_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.start_action.triggered.connect(self.start_run)
        self.addAction(self.start_action)
        self.start_button = QPushButton(self.tr("开始检查 (Ctrl+N)"))
        self.start_button.setObjectName("startRunButton")
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(self.start_action.trigger)

        self.runs = RunsTable()
        self.runs.opener = self.open_run
        self.actions_table = ActionsTable()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("inspectionsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.runs)
        splitter.addWidget(self.actions_table)
        self.faults_table = FaultsTable()
        splitter.addWidget(self.faults_table)
        self.addAction(self.faults_table.report_action)  # Ctrl+G anywhere in the tab
        for index, stretch in enumerate((3, 2, 1)):  # a hall has a fault or two open, not a list
            splitter.setStretchFactor(index, stretch)

        self.templates_button = QPushButton(self.tr("检查模板…"))
        self.templates_button.setObjectName("templatesButton")
        self.templates_button.setAutoDefault(False)
        self.templates_button.clicked.connect(self.edit_templates)
        top = QHBoxLayout()
        top.addWidget(self.plan_label, 1)
        top.addWidget(self.templates_button)
        top.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._plan: list[DueTemplate] = []
        self._dialog = None
        self.schedule: ins.Schedule | None = None
        change_bus().subscribe(self, {INSPECTION}, lambda *_: self.refresh_plan())
        self.plan_timer = QTimer(self)  # a deadline passes without any change being made
        self.plan_timer.setInterval(REFRESH_MS)
        self.plan_timer.timeout.connect(self.refresh_plan)
        self.plan_timer.start()
        self.setFocusProxy(self.runs.view)
        for child in self.findChildren(QWidget):
            if child.focusPolicy() != Qt.FocusPolicy.NoFocus:
                child.installEventFilter(self)
        self.refresh_plan()

    # ------------------------------------------------------------ the main window's protocol

    def title(self) -> str:
        return self.tr("检查巡检")

    def apply_role(self, actor: Actor | None) -> None:
        can = actor is not None and actor.can(session.INSPECT)
        self.start_action.setEnabled(can)
        self.start_button.setEnabled(can)
        self.templates_button.setVisible(actor is not None and actor.can(session.MANAGE_TEMPLATES))
        self.actions_table.update_actions()
        self.faults_table.update_actions()

    def reload_settings(self) -> None:
        """The opening hours and days move the deadlines."""
        self.refresh_plan()

    def focus_first(self) -> None:
        self.runs.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _shortcut_key(self, event: QKeyEvent) -> bool:
        """Ctrl+N or Ctrl+G that arrived as a plain key: a window the system has not activated
        (no window manager) delivers keys but never fires shortcuts. Triggered here, wherever
        in the tab the focus is."""
        pressed = QKeySequence(event.keyCombination())
        for action in (self.start_action, self.faults_table.report_action):
            if action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self._shortcut_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """A combo box or a list would take Ctrl+N / Ctrl+G as a typed letter before it reached
        the tab: the tab looks at the keys of every widget in it first."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._shortcut_key(event):
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ today's plan

    def refresh_plan(self) -> None:
        now = clock.now()
        QueryOp(self, lambda: ins.schedule(now)).success(self._show_plan).failure(
            lambda error: self.plan_label.setText(error.message)).run()

    def _show_plan(self, got: ins.Schedule) -> None:
        self._plan = list(got.plan)
        self.schedule = got
        now = clock.now()
        if not got.hall.open:
            self.plan_label.setText(self.tr("今日闭厅（{reason}）：不排检查").replace(
                "{reason}", html.escape(got.hall.reason or self.tr("非营业日"))))
            return
        todo, done = [], []
        for p in got.plan:
            for slot in p.slots:
                name = html.escape(p.template.name + (f"（{slot.label}）" if slot.label else ""))
                at = f"{slot.deadline:%H:%M}"
                state = slot.state(now)
                if state == ins.SLOT_OVERDUE:
                    todo.append(self.tr("<b style='color:#c62828'>{name}（已逾期，应于 {at} 前）</b>")
                                .replace("{name}", name).replace("{at}", at))
                elif state == ins.SLOT_TODO:
                    todo.append(self.tr("{name}（{at} 前）").replace("{name}", name).replace("{at}", at))
                elif state == ins.SLOT_LATE:
                    done.append(self.tr("{name}（迟做）").replace("{name}", name))
                else:
                    done.append(name)
        text = self.tr("今日待做：{todo}").replace("{todo}", "、".join(todo) or self.tr("无"))
        if done:
            text += self.tr("　　已做：{done}").replace("{done}", "、".join(done))
        if got.hall.reason:
            text += f"　　（{html.escape(got.hall.reason)}）"
        if got.missed:
            missed = "、".join(html.escape(f"{m.day:%m-%d} {m.template_name}" + (f"（{m.label}）" if m.label else ""))
                               for m in got.missed[:MISSED_SHOWN])
            more = len(got.missed) - MISSED_SHOWN
            if more > 0:
                missed += self.tr(" 等 {n} 项").replace("{n}", str(len(got.missed)))
            text += "<br>" + self.tr("<span style='color:#c62828'>近 {d} 天漏检：{missed}</span>") \
                .replace("{d}", str(ins.RECENT_DAYS)).replace("{missed}", missed)
        self.plan_label.setText(text)

    @property
    def plan(self) -> list[DueTemplate]:
        return self._plan

    # ------------------------------------------------------------ runs

    def start_run(self) -> None:
        if self._dialog is not None or not self.start_action.isEnabled():
            return
        today = clock.today()
        QueryOp(self, lambda: ins.day_plan(today)).success(self._choose).failure(
            lambda error: show_user_error(self, error)).run()

    def _choose(self, plan: list[DueTemplate]) -> None:
        dialog = StartRunDialog(plan, self)
        self._show_dialog(dialog, lambda: self._walk(dialog.started) if dialog.started else None)

    def edit_templates(self) -> None:
        """The administrator's template editor (each save a new revision)."""
        if self._dialog is None:
            self._show_dialog(TemplatesDialog(self), None)

    def open_run(self, run_id: int) -> None:
        if self._dialog is not None:
            return
        QueryOp(self, lambda: ins.get_run(run_id)).success(self._walk).failure(self._failed).run()

    def _failed(self, error: UserError) -> None:
        show_user_error(self, error)

    def _walk(self, run: RunDetail) -> None:
        self._show_dialog(RunDialog(run, self), None)

    def _show_dialog(self, dialog, then) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(_result: int) -> None:
            self._dialog = None
            if then is not None:
                then()
            else:
                self.runs.view.setFocus()

        dialog.finished.connect(closed)
        dialog.open()

    @property
    def dialog(self):
        return self._dialog
