"""One meeting, from the keyboard: attendance ticked person by person, the sections, the
figures of the last working day, the action items; Ctrl+S saves, Ctrl+Enter finalises.
A finalised meeting prints as a one-page protocol: Ctrl+P 打印, Ctrl+Shift+P 打印预览; Ctrl+E
saves it as a PDF. Each print and each file is in the audit trail.

Attendance keys on the roster table: P 出席 · L 迟到 (then the minutes, Enter) · A 缺席 ·
V 请假 (then the kind, Enter) · G 仪容合格 · N 仪容需注意 (then the note, Enter). The counts
follow at once. Ctrl+PgDown / Ctrl+PgUp move between the sections.
"""

from __future__ import annotations

import re
from datetime import date, time

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import clock, session, settings, staff
from frontdesk.services import meetings as mt
from frontdesk.services.meetings import (
    ActionRow,
    AttendanceRow,
    MeetingDetail,
    MeetingInput,
    SectionRow,
)
from frontdesk.ui.kit.changes import MEETING
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.meetings.case_book import CaseInputDialog
from frontdesk.ui.meetings.protocol import ProtocolOutput

NAME, STATUS, GROOMING, NOTE = range(4)
STATUS_KEYS = {Qt.Key.Key_P: mt.PRESENT, Qt.Key.Key_L: mt.LATE, Qt.Key.Key_A: mt.ABSENT, Qt.Key.Key_V: mt.LEAVE}
GROOMING_KEYS = {Qt.Key.Key_G: mt.GROOMING_PASS, Qt.Key.Key_N: mt.GROOMING_ATTENTION}
TIME_FORMAT = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def _shown(value: time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def parse_time(text: str) -> time | None:
    """``8:40`` or ``08:40`` (a full-width colon too); empty: not yet known. ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    found = TIME_FORMAT.match(text)
    if found is None:
        raise ValueError(text)
    return time(int(found.group(1)), int(found.group(2)))


class MeetingDialog(QDialog):
    """The meeting form. A finalised meeting is shown read-only, with 重新打开 for the duty manager."""

    def __init__(self, meeting: MeetingDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.meeting = meeting
        self.attendance: list[AttendanceRow] = list(meeting.attendance)
        self._roster: list[staff.StaffRow] = []
        self._config = mt.MeetingConfigRow()
        self._opening = time(9, 0)
        self._busy = False
        self.resize(1280, 700)

        self.header = QLabel()
        self.header.setObjectName("meetingHeader")
        self.header.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.amendments = QLabel()  # each re-opening of the finalised record: when, who, why
        self.amendments.setObjectName("amendments")
        self.amendments.setTextFormat(Qt.TextFormat.PlainText)
        self.amendments.setStyleSheet("color: #8a5a00;")
        self.amendments.hide()
        self.start = self._time_edit("startEdit")
        self.end = self._time_edit("endEdit")
        self.host = QComboBox()
        self.host.setObjectName("hostCombo")
        self.warning = QLabel()
        self.warning.setObjectName("meetingWarning")
        self.warning.setStyleSheet("color: #b45309;")
        self.warning.setWordWrap(True)
        self.start.textChanged.connect(self._show_warnings)
        self.end.textChanged.connect(self._show_warnings)

        # attendance
        self.counts = QLabel()
        self.counts.setObjectName("countsLabel")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("attendanceTable")
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("出勤"), self.tr("仪容仪表"), self.tr("说明")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.late_minutes = QSpinBox()
        self.late_minutes.setObjectName("lateMinutes")
        self.late_minutes.setRange(1, mt.MAX_LATE_MINUTES)
        self.late_minutes.setSuffix(self.tr(" 分钟"))
        self.leave_kind = QComboBox()
        self.leave_kind.setObjectName("leaveKind")
        for code, label in mt.LEAVE_KINDS.items():
            self.leave_kind.addItem(label, code)
        self.grooming_note = QLineEdit()
        self.grooming_note.setObjectName("groomingNote")
        self.grooming_note.setMaxLength(mt.MAX_NOTE)
        self.grooming_note.setPlaceholderText(self.tr("仪容仪表说明，Enter 确定"))
        for editor in (self.late_minutes, self.leave_kind, self.grooming_note):
            editor.installEventFilter(self)
        self.keys_hint = QLabel(self.tr("按键：P 出席　L 迟到　A 缺席　V 请假　G 仪容合格　N 需注意"))
        self.keys_hint.setStyleSheet("color: #6b7280;")

        # sections and the figures
        self.sections = QTabWidget()
        self.sections.setObjectName("sectionTabs")
        self.section_edits: list[QPlainTextEdit] = []
        self.numbers = QTableWidget(0, 2)
        self.numbers.setObjectName("numbersTable")
        self.numbers.setHorizontalHeaderLabels([self.tr("指标"), self.tr("数值")])
        self.numbers.verticalHeader().hide()
        self.numbers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        # action items
        self.actions = QTableWidget(0, 4)
        self.actions.setObjectName("actionsTable")
        self.actions.setHorizontalHeaderLabels([self.tr("待办事项"), self.tr("责任人"), self.tr("期限"), self.tr("状态")])
        self.actions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.actions.verticalHeader().hide()
        self.actions.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.actions.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.action_text = QLineEdit()
        self.action_text.setObjectName("actionText")
        self.action_text.setMaxLength(mt.MAX_ACTION + 10)
        self.action_text.setPlaceholderText(self.tr("新的待办事项，Enter 添加"))
        self.action_text.returnPressed.connect(self.add_action)
        self.action_owner = QComboBox()
        self.action_owner.setObjectName("actionOwner")
        self.action_due = QDateEdit()
        self.action_due.setObjectName("actionDue")
        self.action_due.setCalendarPopup(True)
        self.action_due.setDisplayFormat("yyyy-MM-dd")
        today = clock.today()
        self.action_due.setDate(QDate(today.year, today.month, today.day))
        self.done_button = QPushButton(self.tr("完成所选 (Ctrl+D)"))
        self.done_button.setObjectName("doneButton")
        self.done_button.clicked.connect(self.close_action)
        self.done_button.setAutoDefault(False)

        self.message = QLabel()
        self.message.setObjectName("meetingMessage")
        self.errors = FormErrors(self.message)
        end_error = self.errors.new_label("ended_at", self.end)
        start_error = self.errors.new_label("started_at", self.start)
        text_error = self.errors.new_label("text", self.action_text)

        self.save_button = QPushButton(self.tr("保存 (Ctrl+S)"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.finalise_button = QPushButton(self.tr("定稿 (Ctrl+Enter)"))
        self.finalise_button.setObjectName("finaliseButton")
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button = QPushButton(self.tr("重新打开…"))
        self.reopen_button.setObjectName("reopenButton")
        self.reopen_button.clicked.connect(self.reopen)
        self.print_button = QPushButton(self.tr("打印纪要… (Ctrl+P)"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(lambda: self.print_protocol(preview=False))
        self.preview_button = QPushButton(self.tr("打印预览 (Ctrl+Shift+P)"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(lambda: self.print_protocol(preview=True))
        self.output = ProtocolOutput(self, self._note, self._failed)
        self.pdf_button = QPushButton(self.tr("保存纪要 PDF… (Ctrl+E)"))
        self.pdf_button.setObjectName("pdfButton")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.case_button = QPushButton(self.tr("记为典型案例… (Ctrl+K)"))
        self.case_button.setObjectName("caseButton")
        self.case_button.clicked.connect(self.flag_case)
        self.close_button = QPushButton(self.tr("关闭 (Esc)"))
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        for button in (self.save_button, self.finalise_button, self.reopen_button, self.pdf_button,
                       self.print_button, self.preview_button, self.case_button, self.close_button):
            button.setAutoDefault(False)

        top = QGridLayout()
        top.addWidget(self.header, 0, 0, 1, 8)
        for column, (label, widget) in enumerate(((self.tr("开始"), self.start), (self.tr("结束"), self.end),
                                                  (self.tr("主持人"), self.host))):
            top.addWidget(QLabel(label), 1, 2 * column)
            top.addWidget(widget, 1, 2 * column + 1)
        top.addWidget(self.warning, 1, 6, 1, 2)
        top.addWidget(start_error, 2, 1)
        top.addWidget(end_error, 2, 3)
        top.addWidget(self.amendments, 3, 0, 1, 8)
        top.setColumnStretch(7, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.counts)
        left_layout.addWidget(self.table, 1)
        editors = QHBoxLayout()
        editors.addWidget(self.late_minutes)
        editors.addWidget(self.leave_kind)
        editors.addWidget(self.grooming_note, 1)
        left_layout.addLayout(editors)
        left_layout.addWidget(self.keys_hint)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.sections, 3)
        right_layout.addWidget(QLabel(self.tr("待办事项（往次未完成的一并列出）")))
        right_layout.addWidget(self.actions, 2)
        add_row = QHBoxLayout()
        add_row.addWidget(self.action_text, 1)
        add_row.addWidget(self.action_owner)
        add_row.addWidget(self.action_due)
        add_row.addWidget(self.done_button)
        right_layout.addLayout(add_row)
        right_layout.addWidget(text_error)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        buttons = QHBoxLayout()
        buttons.addWidget(self.message)
        buttons.addStretch(1)
        for button in (self.case_button, self.pdf_button, self.preview_button, self.print_button,
                       self.reopen_button, self.save_button, self.finalise_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.finalise)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.finalise)
        QShortcut(QKeySequence("Ctrl+D"), self, self.close_action)
        QShortcut(QKeySequence("Ctrl+P"), self, lambda: self.print_protocol(preview=False))
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, lambda: self.print_protocol(preview=True))
        QShortcut(QKeySequence("Ctrl+E"), self, self.save_pdf)
        QShortcut(QKeySequence("Ctrl+K"), self, self.flag_case)
        self.setTabOrder(self.start, self.end)
        self.setTabOrder(self.end, self.host)
        self.setTabOrder(self.host, self.table)
        self.setTabOrder(self.table, self.sections)

        self._show(meeting)
        QueryOp(self, self._context).success(self._got_context).failure(lambda _e: None).run()
        self.table.setFocus()
        if self.table.rowCount():
            self.table.selectRow(0)

    def _time_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(5)
        edit.setFixedWidth(70)
        edit.setPlaceholderText(self.tr("时:分"))
        return edit

    @staticmethod
    def _context() -> tuple[list[staff.StaffRow], mt.MeetingConfigRow, time]:
        return staff.roster(), mt.config(), settings.load().opening_time

    def _got_context(self, found: tuple[list[staff.StaffRow], mt.MeetingConfigRow, time]) -> None:
        self._roster, self._config, self._opening = found
        for combo in (self.host, self.action_owner):
            current = combo.currentData()
            combo.clear()
            combo.addItem(self.tr("（未指定）"), None)
            for person in self._roster:
                combo.addItem(person.name, person.id)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        self.host.setCurrentIndex(max(0, self.host.findData(self.meeting.row.host_id)))
        self._show_warnings()

    # ------------------------------------------------------------ showing

    @property
    def final(self) -> bool:
        return self.meeting.row.status == mt.FINAL

    def _show(self, meeting: MeetingDetail) -> None:
        self.meeting = meeting
        self.attendance = list(meeting.attendance)
        row = meeting.row
        self.setWindowTitle(self.tr("{kind} {day}").replace("{kind}", row.kind_label)
                            .replace("{day}", row.day.isoformat()))
        planned = row.planned_start.strftime("%H:%M") if row.planned_start else ""
        head = f"{row.kind_label}　{row.day.isoformat()}　{row.status_label}"
        if planned:
            head += self.tr("　计划 {at} 开始，{n} 分钟").replace("{at}", planned).replace("{n}", str(row.planned_minutes))
        self.header.setText(head)
        self.amendments.setText("\n".join(self.tr("修订记录：") + a.line() for a in meeting.amendments))
        self.amendments.setVisible(bool(meeting.amendments))
        self.start.setText(_shown(row.started_at))
        self.end.setText(_shown(row.ended_at))
        index = self.host.findData(row.host_id)
        if index >= 0:
            self.host.setCurrentIndex(index)
        self._render_attendance()
        current = self.sections.currentIndex()
        self.sections.clear()
        self.section_edits = []
        for section in meeting.sections:
            edit = QPlainTextEdit(section.text)
            edit.setObjectName(f"section_{section.key}")
            edit.setTabChangesFocus(True)
            self.section_edits.append(edit)
            self.sections.addTab(edit, section.title)
        self.numbers.setRowCount(len(meeting.numbers))
        for n, (label, value) in enumerate(meeting.numbers):
            self.numbers.setItem(n, 0, QTableWidgetItem(label))
            self.numbers.setItem(n, 1, QTableWidgetItem(value))
        if meeting.numbers_day is not None:
            self.sections.insertTab(1 if meeting.sections else 0, self.numbers,
                                    self.tr("昨日数字（{day}）").replace("{day}", meeting.numbers_day.strftime("%m-%d")))
        if 0 <= current < self.sections.count():
            self.sections.setCurrentIndex(current)
        self._render_actions()
        final = self.final or not self.can_write
        for widget in (self.start, self.end, self.host, self.action_text, self.action_owner, self.action_due):
            widget.setEnabled(not final)
        for edit in self.section_edits:
            edit.setReadOnly(final)
        self.numbers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if final
                                     else QAbstractItemView.EditTrigger.AllEditTriggers)
        self.save_button.setEnabled(not final)
        self.finalise_button.setEnabled(not final)
        self.reopen_button.setVisible(self.final and self.can_write)
        for button in (self.print_button, self.preview_button):
            button.setEnabled(self.final)
        self.done_button.setEnabled(self.can_write)
        self.case_button.setEnabled(self.can_write)
        self._show_warnings()

    def _render_attendance(self) -> None:
        self.table.setRowCount(len(self.attendance))
        for n, a in enumerate(self.attendance):
            grooming = mt.GROOMING.get(a.grooming, "")
            for column, text in ((NAME, a.staff_name), (STATUS, a.status_label), (GROOMING, grooming),
                                 (NOTE, a.grooming_note)):
                self.table.setItem(n, column, QTableWidgetItem(text))
            if a.grooming == mt.GROOMING_ATTENTION:
                self.table.item(n, GROOMING).setForeground(Qt.GlobalColor.darkYellow)
        c = mt.count_attendance(self.attendance)
        self.counts.setText(self.tr("应到 {e}　出席 {p}　迟到 {l}　缺席 {a}　请假 {v}")
                            .replace("{e}", str(c.expected)).replace("{p}", str(c.present))
                            .replace("{l}", str(c.late)).replace("{a}", str(c.absent)).replace("{v}", str(c.leave)))

    def _render_actions(self) -> None:
        items = [*self.meeting.carried, *self.meeting.raised]
        self.actions.setRowCount(len(items))
        today = self.meeting.row.day  # ages and due dates as the meeting saw them
        for n, a in enumerate(items):
            if a.done:
                state = self.tr("已完成")
            elif a.overdue(today):
                state = self.tr("已逾期")
            elif a.due_today(today):
                state = self.tr("今日到期")
            else:
                state = self.tr("未完成")
            if a.meeting_id != self.meeting.row.id:
                state += self.tr("（{n} 天前）").replace("{n}", str(a.age_days(today)))
            cells = (a.text, a.owner_name, a.due_on.isoformat() if a.due_on else "", state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                if a.overdue(today):
                    item.setForeground(Qt.GlobalColor.red)
                elif a.due_today(today):
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.actions.setItem(n, column, item)

    def _show_warnings(self) -> None:
        row = self.meeting.row
        probe = mt.MeetingRow(row.id, row.kind, row.day, row.planned_start, row.planned_minutes,
                              self._time_or_none(self.start), self._time_or_none(self.end), row.host_id, row.host_name,
                              row.status, row.expected, row.attended, row.finalised_at, row.version)
        self.warning.setText("\n".join(mt.warnings(probe, self._opening, self._config)))

    # ------------------------------------------------------------ attendance keys

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == event.Type.KeyPress:
            if watched is self.table:
                return self._table_key(event)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and watched in (
                    self.late_minutes, self.leave_kind, self.grooming_note):
                self._editor_done(watched)
                return True
        return super().eventFilter(watched, event)

    def _table_key(self, event: QKeyEvent) -> bool:
        row = self.table.currentRow()
        if self.final or not self.can_write or row < 0 or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        a = self.attendance[row]
        if key in STATUS_KEYS:
            status = STATUS_KEYS[key]
            self._set(row, AttendanceRow(a.staff_id, a.staff_name, status, a.late_minutes if status == mt.LATE else None,
                                         a.leave_kind if status == mt.LEAVE else "", a.grooming, a.grooming_note))
            if status == mt.LATE:
                self.late_minutes.setValue(a.late_minutes or 5)
                self.late_minutes.setFocus()
                self.late_minutes.selectAll()
            elif status == mt.LEAVE:
                self.leave_kind.setCurrentIndex(max(0, self.leave_kind.findData(a.leave_kind)))
                self.leave_kind.setFocus()
            else:
                self._next(row)
            return True
        if key in GROOMING_KEYS:
            grooming = GROOMING_KEYS[key]
            note = a.grooming_note if grooming == mt.GROOMING_ATTENTION else ""
            self._set(row, AttendanceRow(a.staff_id, a.staff_name, a.status, a.late_minutes, a.leave_kind,
                                         grooming, note))
            if grooming == mt.GROOMING_ATTENTION:
                self.grooming_note.setText(note)
                self.grooming_note.setFocus()
            else:
                self._next(row)
            return True
        return False

    def _set(self, row: int, value: AttendanceRow) -> None:
        self.attendance[row] = value
        self._render_attendance()
        self.table.selectRow(row)

    def _next(self, row: int) -> None:
        self.table.setFocus()
        self.table.selectRow(min(row + 1, self.table.rowCount() - 1))

    def _editor_done(self, editor: QWidget) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        a = self.attendance[row]
        if editor is self.late_minutes:
            a = AttendanceRow(a.staff_id, a.staff_name, mt.LATE, self.late_minutes.value(), "", a.grooming,
                              a.grooming_note)
        elif editor is self.leave_kind:
            a = AttendanceRow(a.staff_id, a.staff_name, mt.LEAVE, None, self.leave_kind.currentData(), a.grooming,
                              a.grooming_note)
        else:
            a = AttendanceRow(a.staff_id, a.staff_name, a.status, a.late_minutes, a.leave_kind, a.grooming,
                              self.grooming_note.text().strip())
            self.grooming_note.clear()
        self._set(row, a)
        self._next(row)

    # ------------------------------------------------------------ saving

    @staticmethod
    def _time_or_none(edit: QLineEdit) -> time | None:
        try:
            return parse_time(edit.text())
        except ValueError:
            return None

    def current_input(self) -> MeetingInput:
        """What the form holds; ValidationError on a time that is not one."""
        bad = {}
        for field, edit in (("started_at", self.start), ("ended_at", self.end)):
            try:
                parse_time(edit.text())
            except ValueError:
                bad[field] = self.tr("请按 08:30 的格式填写时间。")
        if bad:
            raise ValidationError(bad)
        sections = tuple(SectionRow(s.key, s.title, edit.toPlainText())
                         for s, edit in zip(self.meeting.sections, self.section_edits, strict=True))
        numbers = tuple((self._cell(self.numbers, n, 0), self._cell(self.numbers, n, 1))
                        for n in range(self.numbers.rowCount()))
        return MeetingInput(parse_time(self.start.text()), parse_time(self.end.text()), self.host.currentData(),
                            sections, tuple(self.attendance), numbers)

    @staticmethod
    def _cell(table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text() if item is not None else ""

    def _run(self, fn, then=None) -> None:
        if self._busy:
            return
        self._busy = True
        self.errors.clear()

        def done() -> None:
            self._busy = False

        Op(self, fn, changes={MEETING}).success(then or self._saved).failure(self._failed).finally_(done).run()

    def save(self, then=None) -> None:
        if self.final:
            return
        try:
            data = self.current_input()
        except ValidationError as error:
            self._failed(error)
            return
        meeting_id, version = self.meeting.row.id, self.meeting.row.version
        self._run(lambda: mt.update_meeting(meeting_id, version, data), then)

    def _saved(self, meeting: MeetingDetail) -> None:
        self._show(meeting)
        self.message.setText(self.tr("已保存。"))
        self.message.setStyleSheet("color: #15803d;")
        self.message.show()

    def _failed(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus()

    def finalise(self) -> None:
        """Save what is on screen, then finalise it."""
        if self.final:
            return

        def then(saved: MeetingDetail) -> None:
            self._show(saved)
            self._busy = False
            meeting_id, version = saved.row.id, saved.row.version
            self._run(lambda: mt.finalise(meeting_id, version))

        self.save(then)

    def reopen(self) -> None:
        if not self.final:
            return
        reason, ok = QInputDialog.getText(self, self.tr("重新打开会议记录"), self.tr("重新打开的原因："))
        if not ok:
            return
        meeting_id, version = self.meeting.row.id, self.meeting.row.version
        self._run(lambda: mt.reopen(meeting_id, version, reason))

    # ------------------------------------------------------------ the protocol

    def save_pdf(self) -> None:
        """The protocol as it is saved (unsaved typing is not in it: save first)."""
        self.output.save_pdf(self.meeting.row)

    def print_protocol(self, *, preview: bool) -> None:
        """打印 (Ctrl+P) or 打印预览 (Ctrl+Shift+P) of a finalised meeting: the protocol's PDF is
        built on the worker, then Qt's print or preview dialog opens over this one."""
        if self.final:
            self.output.print(self.meeting.row, preview=preview)

    @property
    def printing(self) -> QWidget | None:
        """The print or preview dialog open over this one."""
        return self.output.printing

    def flag_case(self) -> None:
        """The section shown becomes a teaching case: its text, with a title still to give."""
        widget = self.sections.currentWidget()
        if not self.can_write or widget not in self.section_edits:
            return
        section = self.meeting.sections[self.section_edits.index(widget)]
        dialog = CaseInputDialog(mt.CaseInput(situation=widget.toPlainText(), tags=section.title,
                                              meeting_id=self.meeting.row.id), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._note(self.tr("已记为典型案例。")))
        dialog.open()

    def _note(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #15803d;")
        self.message.show()

    # ------------------------------------------------------------ action items

    def add_action(self) -> None:
        if self.final:
            return
        text, owner = self.action_text.text(), self.action_owner.currentData()
        due = self.action_due.date()
        due_on = date(due.year(), due.month(), due.day())
        meeting_id = self.meeting.row.id

        def added(_row: ActionRow) -> None:
            self.action_text.clear()
            self._reload()

        self._run(lambda: mt.add_action(meeting_id, text, owner, due_on), added)

    def close_action(self) -> None:
        row = self.actions.currentRow()
        if row < 0:
            return
        action_id = self.actions.item(row, 0).data(Qt.ItemDataRole.UserRole)
        found = next(a for a in (*self.meeting.carried, *self.meeting.raised) if a.id == action_id)
        if found.done:
            return
        self._run(lambda: mt.close_action(action_id, found), lambda _row: self._reload())

    def _reload(self) -> None:
        meeting_id = self.meeting.row.id
        QueryOp(self, lambda: mt.get_meeting(meeting_id)).success(self._reloaded).failure(self._failed).run()

    def _reloaded(self, meeting: MeetingDetail) -> None:
        """Fresh action items; what is typed in the form but not saved stays as it is."""
        self.meeting = MeetingDetail(self.meeting.row, self.meeting.sections, tuple(self.attendance),
                                     self.meeting.numbers_day, self.meeting.numbers, meeting.raised, meeting.carried)
        self._render_actions()

    @property
    def can_write(self) -> bool:
        actor = session.current()
        return actor is not None and actor.can(session.HOLD_MEETING)
