"""Walking a checklist from the keyboard: one key per answer, Enter to the next item.

P 合格 · F 不合格 · N 不适用 (only where the item allows it) — or, for service sampling, the keys
1–5 (points). A failure that needs a note (and 1 or 2 points) sends the keyboard to the note
field; Enter there saves the answer, and a note left empty is refused at the field in Chinese.
Each answer is saved at once on the database worker; the score follows live. Ctrl+Enter
finishes the run (every item answered), which turns its failures into corrective actions.
A finished run is shown read-only; the duty manager signs it off from here (Ctrl+Enter again), and corrects an
answer of a finished or signed-off run by an amendment: the reason first, then the same keys.

Ctrl+O attaches a photo (PNG/JPEG, from a file) to the current item's answer of an open run,
shown as a thumbnail below the items; an item that asks for a photo when it fails keeps the run
from being finished until it has one (the keyboard is sent to it, with the message). G on a
failed item opens the equipment fault log's form with the device the item names chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import faults, session
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import FAIL, NA, PASS, RunDetail
from frontdesk.ui.inspections.table_model import format_score
from frontdesk.ui.kit.changes import INSPECTION
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp

RESULT_KEYS = {Qt.Key.Key_P: PASS, Qt.Key.Key_F: FAIL, Qt.Key.Key_N: NA}
POINT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, ins.MAX_POINTS + 1)}
SECTION, TEXT, WEIGHT, RESULT, NOTE = range(5)
FAULT_KEY = Qt.Key.Key_G
THUMBNAIL = 160  # pixels, the longer side


class RunDialog(QDialog):
    """One run: its items, the answers so far and the live score."""

    def __init__(self, run: RunDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runDialog")
        self.run = run
        self.finished_run: RunDetail | None = None
        self._pending: tuple[int, int | None, str, int | None] | None = None  # row, staff, result, points
        self._saving = 0
        self.setWindowTitle(self.tr("检查：{name}").replace("{name}", run.template.name))
        self.resize(980, 640)

        self.header = QLabel()
        self.header.setObjectName("runHeader")
        self.score_label = QLabel()
        self.score_label.setObjectName("scoreLabel")
        self.score_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.person = QComboBox()
        self.person.setObjectName("personCombo")
        for person in run.drawn:
            self.person.addItem(f"{person.name}（{person.staff_no} {person.position_label}）", person.id)
        self.person.currentIndexChanged.connect(self._render)

        self.table = QTableWidget(len(run.template.items), 5)
        self.table.setObjectName("itemsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("分组"), self.tr("检查项"), self.tr("权重"), self.tr("结果"), self.tr("说明")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((SECTION, 90), (WEIGHT, 48), (RESULT, 120), (NOTE, 220)):
            header.resizeSection(column, width)
        for row, item in enumerate(run.template.items):
            for column, text in ((SECTION, item.section), (TEXT, item.text), (WEIGHT, str(item.weight))):
                self.table.setItem(row, column, QTableWidgetItem(text))
            for column in (RESULT, NOTE):
                self.table.setItem(row, column, QTableWidgetItem(""))
        self.table.resizeRowsToContents()
        self.table.installEventFilter(self)

        self.note = QLineEdit()
        self.note.setObjectName("noteEdit")
        self.note.setMaxLength(ins.MAX_NOTE)
        self.note.setPlaceholderText(self.tr("说明（不合格时必填），按 Enter 保存"))
        self.note.returnPressed.connect(self._save_note)
        self.reason = QLineEdit()
        self.reason.setObjectName("reasonEdit")
        self.reason.setMaxLength(ins.MAX_REASON + 10)
        self.reason.setPlaceholderText(self.tr("已完成的检查须写明更正原因，再在检查项上按键更正"))
        self.message = QLabel()
        self.message.setObjectName("runMessage")
        self.errors = FormErrors(self.message)
        note_error = self.errors.new_label("note", self.note)
        reason_error = self.errors.new_label("reason", self.reason)
        self.photo_button = QPushButton(self.tr("附照片… (Ctrl+O)"))
        self.photo_button.setObjectName("photoButton")
        self.photo_button.clicked.connect(self.attach_photo)
        self.fault_button = QPushButton(self.tr("登记设备故障 (G)"))
        self.fault_button.setObjectName("faultButton")
        self.fault_button.clicked.connect(self.report_fault)
        self.photo = QLabel()
        self.photo.setObjectName("photoThumbnail")
        self.photo.setFixedHeight(THUMBNAIL)
        self.photo.setMinimumWidth(THUMBNAIL)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("color: #6b7280; border: 1px solid #d1d5db;")
        self.photo_pixmap: QPixmap | None = None
        self._photo_shown: tuple[int, int | None] | None = None
        self.fault_dialog: QDialog | None = None
        photo_error = self.errors.new_label("photo", self.photo)

        keys = (self.tr("按键：1–5 打分（1–2 分须填说明），Enter 下一项") if run.row.sampling
                else self.tr("按键：P 合格　F 不合格（须填说明）　N 不适用　G 登记设备故障　Enter 下一项"))
        self.keys_hint = QLabel(keys + self.tr("　Ctrl+O 附照片　Ctrl+Enter 完成检查"))
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setStyleSheet("color: #6b7280;")

        self.finish_button = QPushButton(self.tr("完成检查 (Ctrl+Enter)"))
        self.finish_button.setObjectName("finishButton")
        self.finish_button.clicked.connect(self.finish)
        self.sign_button = QPushButton(self.tr("签核 (Ctrl+Enter)"))
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(self.sign_off)
        self.close_button = QPushButton(self.tr("关闭 (Esc)"))
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        for button in (self.finish_button, self.sign_button, self.close_button, self.photo_button,
                       self.fault_button):
            button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.score_label)
        person_row = QHBoxLayout()
        person_row.addWidget(QLabel(self.tr("被抽查人")))
        person_row.addWidget(self.person, 1)
        # The draw as recorded, so anyone can redraw it from the seed and see it was fair.
        self.draw_label = QLabel(self.tr("在岗 {n} 人，按规则抽查 {k} 人（随机种子 {seed}）").replace(
            "{n}", str(len(run.on_duty))).replace("{k}", str(len(run.drawn))).replace(
            "{seed}", str(run.sample_seed) if run.sample_seed is not None else "—"))
        self.draw_label.setObjectName("drawLabel")
        self.draw_label.setStyleSheet("color: #6b7280;")
        person_row.addWidget(self.draw_label)
        self.person_row = QWidget()
        self.person_row.setLayout(person_row)
        self.person_row.setVisible(run.row.sampling)
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel(self.tr("说明")))
        note_row.addWidget(self.note, 1)
        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel(self.tr("更正原因")))
        reason_row.addWidget(self.reason, 1)
        self.reason_box = QWidget()
        reason_layout = QVBoxLayout(self.reason_box)
        reason_layout.setContentsMargins(0, 0, 0, 0)
        reason_layout.addLayout(reason_row)
        reason_layout.addWidget(reason_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keys_hint, 1)
        buttons.addWidget(self.fault_button)
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.reason_box)
        layout.addWidget(self.person_row)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        notes = QVBoxLayout()
        notes.addLayout(note_row)
        notes.addWidget(note_error)
        notes.addWidget(photo_error)
        notes.addStretch(1)
        bottom.addLayout(notes, 1)
        bottom.addWidget(self.photo)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self, self.finish_or_sign)
        QShortcut(QKeySequence("Ctrl+O"), self, self.attach_photo)
        self.table.currentCellChanged.connect(lambda *_: self._show_photo())

        self._render()
        self.table.setCurrentCell(self._first_unanswered(), TEXT)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.devices: list = []  # the hall's devices, to point at G when an item naming one fails
        actor = session.current()
        if not run.row.sampling and actor is not None and actor.can(session.FAULTS):
            QueryOp(self, faults.devices).success(lambda devices: setattr(self, "devices", devices)) \
                .failure(lambda _error: None).run()

    # ------------------------------------------------------------ state

    @property
    def answering(self) -> bool:
        """An open run: answers are given (and changed) freely."""
        return self.run.row.status == ins.OPEN

    @property
    def amending(self) -> bool:
        """A finished or signed-off run, and a duty manager: each change is an amendment with its reason."""
        actor = session.current()
        return not self.answering and actor is not None and actor.can(session.SIGN_OFF)

    @property
    def editable(self) -> bool:
        return self.answering or self.amending

    def subject(self) -> int | None:
        return self.person.currentData() if self.run.row.sampling else None

    def _first_unanswered(self) -> int:
        for row, item in enumerate(self.run.template.items):
            if self.run.answer(item.id, self.subject()) is None:
                return row
        return 0

    def _label(self, result: str, points: int | None) -> str:
        if points is not None:
            return self.tr("{n} 分").replace("{n}", str(points))
        return ins.RESULTS[result]

    def _render(self) -> None:
        row = self.run.row
        header = self.tr("{name}　第 {rev} 版　{status}　检查人：{who}　开始：{at}") \
            .replace("{name}", self.run.template.name).replace("{rev}", str(self.run.template.revision)) \
            .replace("{status}", row.status_label).replace("{who}", row.inspector_name) \
            .replace("{at}", row.started_at.strftime("%Y-%m-%d %H:%M"))
        if row.finished_at is not None:
            header += self.tr("　结束：{at}").replace("{at}", row.finished_at.strftime("%H:%M"))
        self.header.setText(header)
        subject = self.subject()
        for n, item in enumerate(self.run.template.items):
            answer = self.run.answer(item.id, subject)
            result_cell, note_cell = self.table.item(n, RESULT), self.table.item(n, NOTE)
            if self._pending is not None and self._pending[:2] == (n, subject):
                result_cell.setText(self.tr("{label}（待填说明）").replace(
                    "{label}", self._label(self._pending[2], self._pending[3])))
            else:
                result_cell.setText("" if answer is None else self._label(answer.result, answer.points))
            result_cell.setForeground(Qt.GlobalColor.red if answer is not None and answer.result == FAIL
                                      else Qt.GlobalColor.black)
            note_cell.setText("" if answer is None else answer.note)
        score = self.run.live_score if self.answering else self.run.row.score
        answered = len(self.run.answers)
        self.score_label.setText(self.tr("得分 {score}　已检查 {done}/{all}")
                                 .replace("{score}", format_score(score) or "—")
                                 .replace("{done}", str(answered)).replace("{all}", str(self.run.expected_answers)))
        self.finish_button.setVisible(self.answering)
        self.note.setReadOnly(not self.editable)
        self.reason_box.setVisible(self.amending)
        actor = session.current()
        self.sign_button.setVisible(row.status == ins.FINISHED and actor is not None and actor.can(session.SIGN_OFF))
        self.photo_button.setVisible(self.answering)
        self.fault_button.setVisible(not self.run.row.sampling and actor is not None and actor.can(session.FAULTS))
        self._show_photo()

    # ------------------------------------------------------------ keys

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish_or_sign()  # also where shortcuts never fire (a window not activated)
            return True
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier and event.key() == Qt.Key.Key_O:
            self.attach_photo()  # where shortcuts never fire, as above
            return True
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            key = Qt.Key(event.key())
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._next_row()
                return True
            if key == FAULT_KEY and not self.run.row.sampling:
                self.report_fault()
                return True
            if self.editable and not self.run.row.sampling and key in RESULT_KEYS:
                self.choose(RESULT_KEYS[key])
                return True
            if self.editable and self.run.row.sampling and key in POINT_KEYS:
                points = POINT_KEYS[key]
                self.choose(ins.points_result(points), points)
                return True
        return super().eventFilter(watched, event)

    def _next_row(self) -> None:
        row = self.table.currentRow() + 1
        if row < self.table.rowCount():
            self.table.setCurrentCell(row, TEXT)
        elif self.run.row.sampling and self.person.currentIndex() + 1 < self.person.count():
            self.person.setCurrentIndex(self.person.currentIndex() + 1)
            self.table.setCurrentCell(0, TEXT)

    def choose(self, result: str, points: int | None = None) -> None:
        """The answer of the current item: saved at once, or after its note when one is needed."""
        row = self.table.currentRow()
        if row < 0:
            return
        item = self.run.template.items[row]
        if result == NA and not item.allow_na:
            self.errors.show(ValidationError.single("note", self.tr("这一项不能选“不适用”。")))
            return
        self.errors.clear()
        if result == FAIL and item.note_on_fail:
            self._pending = (row, self.subject(), result, points)
            answer = self.run.answer(item.id, self.subject())
            self.note.setText(answer.note if answer is not None else "")
            self._render()
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._pending = None
        self._save(row, result, points, "")
        self.table.item(row, RESULT).setText(self._label(result, points))
        self._next_row()

    def _save_note(self) -> None:
        """Enter in the note field: saves the pending failure, or the note of the current answer."""
        if not self.editable:
            return
        if self._pending is not None:
            row, subject, result, points = self._pending
            if subject != self.subject():
                self._pending = None
                return
        else:
            row = self.table.currentRow()
            answer = self.run.answer(self.run.template.items[row].id, self.subject()) if row >= 0 else None
            if answer is None:
                self.errors.show(ValidationError.single("note", self.tr("请先在检查项上按键选择结果。")))
                return
            result, points = answer.result, answer.points
        self._save(row, result, points, self.note.text())

    def _save(self, row: int, result: str, points: int | None, note: str) -> None:
        item_id, subject, run_id = self.run.template.items[row].id, self.subject(), self.run.row.id
        if self.amending:
            expected, reason = self.run.row, self.reason.text()

            def call() -> RunDetail:
                return ins.amend(run_id, item_id, expected, reason, result, note, staff_id=subject, points=points)
        elif points is not None:
            def call() -> RunDetail:
                return ins.answer(run_id, item_id, staff_id=subject, points=points, note=note)
        else:
            def call() -> RunDetail:
                return ins.answer(run_id, item_id, result, note)
        self._saving += 1
        with_note = bool(note) or self._pending is not None
        Op(self, call, changes={INSPECTION}).success(lambda run: self._answered(run, with_note, row, result)) \
            .failure(self._refused).finally_(self._saved_one).run()

    def _saved_one(self) -> None:
        self._saving -= 1

    def _answered(self, run: RunDetail, with_note: bool, row: int | None = None, result: str | None = None) -> None:
        self.run = run
        if with_note:
            self._pending = None
            self.note.clear()
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self._next_row()
        self._render()
        named = faults.device_named_in(run.template.items[row].text, self.devices) \
            if result == FAIL and row is not None else None
        if named is not None:  # a failed device is a fault too, if the duty manager judges it one
            self.message.setText(self.tr("“{device}”不合格：如属设备故障，回到该项按 G 登记（暂停使用、报修）。")
                                 .replace("{device}", named.label))

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        self._render()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ finish, sign off

    @property
    def busy(self) -> bool:
        return self._saving > 0

    def finish_or_sign(self) -> None:
        """Ctrl+Enter: finishes an open run; signs off a finished one (the duty manager)."""
        if self.answering:
            self.finish()
        elif self.sign_button.isVisibleTo(self):
            self.sign_off()

    def finish(self) -> None:
        if not self.answering or self.busy:
            return
        self.errors.clear()
        missing = self.run.missing_photos()
        if missing:  # sent to the first item lacking its photo, the message under it
            item, person = missing[0]
            if self.run.row.sampling:
                self.person.setCurrentIndex(max(self.person.findData(person), 0))
            self.table.setCurrentCell([i.id for i in self.run.template.items].index(item.id), TEXT)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.errors.show(ValidationError.single("photo", self.tr("“{item}”不合格，须附照片（Ctrl+O）后才能完成检查。")
                                                    .replace("{item}", item.text[:40])))
            return
        run_id, expected = self.run.row.id, self.run.row
        self._saving += 1
        Op(self, lambda: ins.finish_run(run_id, expected), changes={INSPECTION}) \
            .success(self._finished).failure(self._refused).finally_(self._saved_one).run()

    def _finished(self, run: RunDetail) -> None:
        self.run = self.finished_run = run
        self._render()
        self.accept()

    def sign_off(self) -> None:
        if self.busy or self.run.row.status != ins.FINISHED:
            return
        run_id, expected = self.run.row.id, self.run.row
        self._saving += 1
        Op(self, lambda: ins.sign_off(run_id, expected), changes={INSPECTION}) \
            .success(self._signed).failure(self._refused).finally_(self._saved_one).run()

    def _signed(self, run: RunDetail) -> None:
        self.run = run
        self._render()

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    # ------------------------------------------------------------ photos

    def _current(self) -> tuple[int, int | None] | None:
        row = self.table.currentRow()
        return None if row < 0 else (self.run.template.items[row].id, self.subject())

    def _show_photo(self) -> None:
        """The current item's photo as a thumbnail (read on the worker when it changed)."""
        current = self._current()
        if current is None or not self.run.has_photo(*current):
            self._photo_shown, self.photo_pixmap = None, None
            self.photo.setPixmap(QPixmap())
            item = self.run.template.items[self.table.currentRow()] if current else None
            self.photo.setText(self.tr("须附照片\n(Ctrl+O)") if item is not None and item.photo_on_fail
                               and self.answering else self.tr("无照片"))
            return
        if self._photo_shown == current and self.photo_pixmap is not None:
            return
        run_id = self.run.row.id
        QueryOp(self, lambda: ins.photo(run_id, *current)).success(lambda found: self._thumbnail(current, found)) \
            .failure(self._refused).run()

    def _thumbnail(self, shown: tuple[int, int | None], found: ins.Photo | None) -> None:
        if found is None or self._current() != shown:
            return
        pixmap = QPixmap()
        pixmap.loadFromData(found.data)
        self._photo_shown = shown
        self.photo_pixmap = pixmap.scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
        self.photo.setPixmap(self.photo_pixmap)

    def attach_photo(self) -> None:
        """Ctrl+O: a PNG or JPEG file for the current answer (read and stored on the worker)."""
        if not self.answering or self.busy:
            return
        current = self._current()
        if current is None or self.run.answer(*current) is None:
            self.errors.show(ValidationError.single("photo", self.tr("请先选择这一项的结果，再附照片。")))
            return
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择照片"), "",
                                                    self.tr("照片 (*.png *.jpg *.jpeg)"))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not path:
            return
        self.errors.clear()
        run_id, (item_id, subject) = self.run.row.id, current
        self._saving += 1
        self._photo_shown = None
        Op(self, lambda: ins.attach_photo(run_id, item_id, ins.read_photo_file(path), staff_id=subject),
           changes={INSPECTION}).success(lambda run: self._answered(run, False)) \
            .failure(self._refused).finally_(self._saved_one).run()

    # ------------------------------------------------------------ equipment faults

    def report_fault(self) -> None:
        """G on a failed item: the fault form, the device the item names chosen."""
        actor = session.current()
        current = self._current()
        if self.run.row.sampling or actor is None or not actor.can(session.FAULTS) or current is None:
            return
        answer = self.run.answer(*current)
        if answer is None or answer.result != FAIL:
            self.errors.show(ValidationError.single("note", self.tr("先将这一项判为不合格（F），再登记设备故障。")))
            return
        item = self.run.template.items[self.table.currentRow()]
        QueryOp(self, faults.devices).success(lambda devices: self._fault_form(devices, item, answer.note)) \
            .failure(self._refused).run()

    def _fault_form(self, devices: list, item: ins.ItemRow, note: str) -> None:
        from frontdesk.ui.inspections.faults_dialog import FaultDialog

        named = faults.device_named_in(item.text, devices)
        dialog = FaultDialog(devices, None, self, device_id=named.id if named else None, description=note,
                             run_id=self.run.row.id, item_id=item.id, origin=item.text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.fault_dialog = dialog
        dialog.finished.connect(lambda result: self._fault_closed(dialog, result))
        dialog.open()

    def _fault_closed(self, dialog, result: int) -> None:
        self.fault_dialog = None
        if result == QDialog.DialogCode.Accepted and dialog.result_value is not None:
            self.message.setText(self.tr("已登记设备故障：{device}").replace("{device}", dialog.result_value.device_label))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
