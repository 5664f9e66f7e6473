"""The meetings tab (晨会记录): the meetings by date, today's morning meeting one key away.

Ctrl+N opens today's 晨会 (made from the template, the duty list and the last working day's
figures when there is none yet); Enter on a row opens that meeting. The other kinds are made
from the buttons beside it. On the selected meeting, as in its dialog: Ctrl+P prints the
finalised protocol, Ctrl+Shift+P previews it, Ctrl+E saves it as a PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.errors import UserError
from frontdesk.services import clock, session
from frontdesk.services import meetings as mt
from frontdesk.services.meetings import MeetingDetail
from frontdesk.services.session import Actor
from frontdesk.ui.kit.changes import MEETING, change_bus
from frontdesk.ui.kit.common import show_user_error
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.meetings.case_book import CaseBookDialog
from frontdesk.ui.meetings.meeting_dialog import MeetingDialog
from frontdesk.ui.meetings.meetings_table import MeetingsTable
from frontdesk.ui.meetings.open_items import OpenItemsDialog
from frontdesk.ui.meetings.protocol import ProtocolOutput
from frontdesk.ui.meetings.template_dialog import MeetingTemplatesDialog


class MeetingsTab(QWidget):
    """晨会记录."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingsTab")
        self.open_action = QAction(self.tr("今日晨会"), self)
        self.open_action.setShortcut(QKeySequence("Ctrl+N"))
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_action.triggered.connect(lambda: self.open_today(mt.MORNING))
        self.addAction(self.open_action)
        self.output = ProtocolOutput(self, self._note, self._failed)
        self.print_action = self._row_action(self.tr("打印纪要…"), "Ctrl+P", lambda: self.print_selected(False))
        self.preview_action = self._row_action(self.tr("打印预览"), "Ctrl+Shift+P", lambda: self.print_selected(True))
        self.pdf_action = self._row_action(self.tr("保存纪要 PDF…"), "Ctrl+E", self.save_selected_pdf)
        self.today_button = QPushButton(self.tr("今日晨会 (Ctrl+N)"))
        self.today_button.setObjectName("todayButton")
        self.after_button = QPushButton(self.tr("今日班后会"))
        self.after_button.setObjectName("afterShiftButton")
        self.monthly_button = QPushButton(self.tr("今日月例会"))
        self.monthly_button.setObjectName("monthlyButton")
        self.today_button.clicked.connect(self.open_action.trigger)
        self.after_button.clicked.connect(lambda: self.open_today(mt.AFTER_SHIFT))
        self.monthly_button.clicked.connect(lambda: self.open_today(mt.MONTHLY))
        self.items_button = QPushButton(self.tr("未完成待办…"))
        self.items_button.setObjectName("openItemsButton")
        self.items_button.clicked.connect(self.open_items)
        self.cases_button = QPushButton(self.tr("典型案例…"))
        self.cases_button.setObjectName("caseBookButton")
        self.cases_button.clicked.connect(self.open_case_book)
        self.templates_button = QPushButton(self.tr("会议模板…"))
        self.templates_button.setObjectName("meetingTemplatesButton")
        self.templates_button.clicked.connect(self.edit_templates)
        for button in (self.today_button, self.after_button, self.monthly_button, self.templates_button,
                       self.cases_button, self.items_button):
            button.setAutoDefault(False)
        self.open_label = QLabel()
        self.open_label.setObjectName("openActionsLabel")
        self.open_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setObjectName("meetingsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setText(self.tr("所选会议：Enter 打开 · Ctrl+P 打印纪要 · Ctrl+Shift+P 打印预览 · Ctrl+E 保存 PDF"))
        self.message.setStyleSheet("color: #666;")

        self.table = MeetingsTable()
        self.table.opener = self.open_meeting
        self.table.context_actions = [self.print_action, self.preview_action, self.pdf_action]
        top = QHBoxLayout()
        top.addWidget(self.open_label)
        top.addWidget(self.message, 1)
        top.addWidget(self.items_button)
        top.addWidget(self.cases_button)
        top.addWidget(self.templates_button)
        top.addWidget(self.monthly_button)
        top.addWidget(self.after_button)
        top.addWidget(self.today_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._dialog: QDialog | None = None
        change_bus().subscribe(self, {MEETING}, lambda *_: self.refresh_open_actions())
        self.setFocusProxy(self.table.view)
        self.refresh_open_actions()

    # ------------------------------------------------------------ the main window's protocol

    def title(self) -> str:
        return self.tr("晨会记录")

    def apply_role(self, actor: Actor | None) -> None:
        can = actor is not None and actor.can(session.HOLD_MEETING)
        for widget in (self.open_action, self.today_button, self.after_button, self.monthly_button):
            widget.setEnabled(can)
        self.templates_button.setVisible(actor is not None and actor.can(session.MEETING_TEMPLATES))
        self.table.update_actions()
        self.refresh_open_actions()

    def reload_settings(self) -> None:
        """The opening time is read when a meeting is opened."""

    def focus_first(self) -> None:
        self.table.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+N that reached here as a plain key (a window the system has not activated)."""
        pressed = QKeySequence(event.keyCombination())
        for action in (self.open_action, self.print_action, self.preview_action, self.pdf_action):
            if action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return
        super().keyPressEvent(event)

    def _row_action(self, text: str, key: str, slot) -> QAction:
        action = QAction(f"{text} ({key})", self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ------------------------------------------------------------ the protocol of the selected meeting

    def print_selected(self, preview: bool) -> None:
        """Ctrl+P / Ctrl+Shift+P: the selected meeting's protocol, if it is finalised."""
        row = self.table.selected_row()
        if row is not None and self._dialog is None:
            self.output.print(row, preview=preview)

    def save_selected_pdf(self) -> None:
        """Ctrl+E: the selected meeting's protocol as a PDF file."""
        row = self.table.selected_row()
        if row is not None and self._dialog is None:
            self.output.save_pdf(row)

    @property
    def printing(self) -> QWidget | None:
        """The print or preview dialog open over the tab."""
        return self.output.printing

    def _note(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    # ------------------------------------------------------------ open items

    def refresh_open_actions(self) -> None:
        if session.current() is None:
            self.open_label.clear()
            return
        today = clock.today()
        QueryOp(self, lambda: mt.open_actions(today)).success(
            lambda items: self._show_open(items, today)).failure(lambda error: self.open_label.setText(error.message)).run()

    def _show_open(self, items: list[mt.ActionRow], today) -> None:
        overdue = sum(1 for a in items if a.overdue(today))
        due = sum(1 for a in items if a.due_today(today))
        self.open_label.setText(self.tr("未完成待办 {n} 项（今日到期 {d}，已逾期 {o}）")
                                .replace("{n}", str(len(items))).replace("{d}", str(due)).replace("{o}", str(overdue)))
        self.open_label.setStyleSheet("color: #c62828;" if overdue else "")

    # ------------------------------------------------------------ meetings

    def open_today(self, kind: str) -> None:
        if self._dialog is not None or not self.open_action.isEnabled():
            return
        Op(self, lambda: mt.open_today(kind), changes={MEETING}).success(self._show).failure(self._failed).run()

    def edit_templates(self) -> None:
        """The administrator's sections of each kind and the meeting settings."""
        if self._dialog is None:
            self._open(MeetingTemplatesDialog(self))

    def open_items(self) -> None:
        if self._dialog is None:
            actor = session.current()
            self._open(OpenItemsDialog(actor is not None and actor.can(session.HOLD_MEETING), self))

    def open_case_book(self) -> None:
        if self._dialog is None:
            actor = session.current()
            self._open(CaseBookDialog(actor is not None and actor.can(session.HOLD_MEETING), self))

    def open_meeting(self, meeting_id: int) -> None:
        if self._dialog is not None:
            return
        QueryOp(self, lambda: mt.get_meeting(meeting_id)).success(self._show).failure(self._failed).run()

    def _failed(self, error: UserError) -> None:
        show_user_error(self, error)

    def _show(self, meeting: MeetingDetail) -> None:
        if self._dialog is None:
            self._open(MeetingDialog(meeting, self))

    def _open(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(_result: int) -> None:
            self._dialog = None
            self.table.view.setFocus()

        dialog.finished.connect(closed)
        dialog.open()

    @property
    def dialog(self) -> QDialog | None:
        return self._dialog
