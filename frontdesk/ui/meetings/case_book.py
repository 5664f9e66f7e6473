"""The teaching-case book (典型案例): search, read, add or edit a case, export the book to PDF.

A case has a title, the situation (情况), what was done (处理), the lesson (启示) and tags.
Typing in the search box filters at once (any part of any field or a tag, one character is
enough); ↓ goes to the list; Enter on a case edits it; Ctrl+N adds a case; Ctrl+P saves the
book (as found) as a PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import meetings as mt
from frontdesk.ui.kit.changes import MEETING
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.record_table import debounced


class CaseInputDialog(QDialog):
    """A case to write or edit: title, situation, what was done, the lesson, tags. ``expected``:
    the case as it was read, when editing one (the service checks no one changed it since)."""

    def __init__(self, data: mt.CaseInput, parent: QWidget | None = None, *,
                 expected: mt.CaseRow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseInputDialog")
        self.setWindowTitle(self.tr("修改典型案例") if expected is not None else self.tr("记为典型案例"))
        self.data = data
        self.expected = expected
        self.saved: mt.CaseRow | None = None
        self.title_edit = QLineEdit(data.title)
        self.title_edit.setObjectName("caseTitle")
        self.title_edit.setMaxLength(mt.MAX_CASE_TITLE + 10)
        self.situation = self._text_box("caseSituation", data.situation, self.tr("当时的情况：客户、诉求、经过"))
        self.handling = self._text_box("caseHandling", data.handling, self.tr("我们怎么处理的"))
        self.lesson = self._text_box("caseLesson", data.lesson, self.tr("给新员工的启示"))
        self.tags = QLineEdit(data.tags)
        self.tags.setObjectName("caseTags")
        self.tags.setMaxLength(mt.MAX_TAGS + 10)
        self.tags.setPlaceholderText(self.tr("用空格或逗号分隔，如：退保 老年客户"))
        self.message = QLabel()
        self.errors = FormErrors(self.message)
        save = QPushButton(self.tr("保存 (Ctrl+S)"))
        save.setObjectName("saveCaseButton")
        save.clicked.connect(self.save)
        cancel = QPushButton(self.tr("取消 (Esc)"))
        cancel.clicked.connect(self.reject)
        for button in (save, cancel):
            button.setAutoDefault(False)
        form = QFormLayout()
        if data.complaint_id is not None:
            form.addRow(self.tr("来源"), QLabel(self.tr("投诉工单 #{id}").replace("{id}", str(data.complaint_id))))
            form.addRow("", self.errors.new_label("complaint", self.title_edit))
        for name, label, widget in (("title", self.tr("标题"), self.title_edit),
                                    ("situation", self.tr("情况"), self.situation),
                                    ("handling", self.tr("处理"), self.handling),
                                    ("lesson", self.tr("启示"), self.lesson),
                                    ("tags", self.tr("标签"), self.tags)):
            form.addRow(label, widget)
            form.addRow("", self.errors.new_label(name, widget))
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(save)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.resize(620, 560)
        self.title_edit.setFocus()

    def _text_box(self, name: str, text: str, hint: str) -> QPlainTextEdit:
        box = QPlainTextEdit(text)
        box.setObjectName(name)
        box.setTabChangesFocus(True)
        box.setPlaceholderText(hint)
        return box

    def current_input(self) -> mt.CaseInput:
        return mt.CaseInput(self.title_edit.text(), self.situation.toPlainText(), self.handling.toPlainText(),
                            self.lesson.toPlainText(), self.tags.text(), self.data.meeting_id, self.data.complaint_id)

    def save(self) -> None:
        data, expected = self.current_input(), self.expected
        self.errors.clear()
        if expected is None:
            Op(self, lambda: mt.add_case(data), changes={MEETING}).success(self._saved).failure(self._failed).run()
        else:
            Op(self, lambda: mt.update_case(expected.id, expected, data), changes={MEETING}) \
                .success(self._saved).failure(self._failed).run()

    def _saved(self, row: mt.CaseRow) -> None:
        self.saved = row
        self.accept()

    def _failed(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus()


def case_text(c: mt.CaseRow, tr=lambda text: text) -> str:
    """A case as the book shows it: its fields under their names."""
    head = [c.title]
    if c.tags:
        head.append(tr("标签：") + "、".join(c.tags))
    if c.meeting_day:
        head.append(tr("来自 {day} 的会议").replace("{day}", c.meeting_day.isoformat()))
    if c.complaint_id:
        head.append(tr("来自投诉工单 #{id}").replace("{id}", str(c.complaint_id)))
    body = [f"{label}\n{value.strip()}" for label, value in
            ((tr("【情况】"), c.situation), (tr("【处理】"), c.handling), (tr("【启示】"), c.lesson)) if value.strip()]
    return "\n".join(head) + "\n\n" + "\n\n".join(body)


class CaseBookDialog(QDialog):
    def __init__(self, can_add: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseBookDialog")
        self.setWindowTitle(self.tr("典型案例"))
        self.cases: list[mt.CaseRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(self.tr("搜索标题、情况、处理、启示、标签"))
        self.search.installEventFilter(self)
        self.can_edit = can_add
        self.list = QListWidget()
        self.list.setObjectName("caseList")
        self.list.currentRowChanged.connect(self._show_case)
        self.list.itemActivated.connect(lambda _item: self.edit_case())
        self.view = QPlainTextEdit()
        self.view.setObjectName("caseView")
        self.view.setReadOnly(True)
        self.count = QLabel()
        self.message = QLabel()
        self.message.setObjectName("caseBookMessage")
        self.add_button = QPushButton(self.tr("新增案例 (Ctrl+N)"))
        self.add_button.setObjectName("addCaseButton")
        self.add_button.setEnabled(can_add)
        self.add_button.clicked.connect(self.add_case)
        self.pdf_button = QPushButton(self.tr("导出 PDF (Ctrl+P)"))
        self.pdf_button.setObjectName("caseBookPdfButton")
        self.pdf_button.clicked.connect(self.export_pdf)
        close = QPushButton(self.tr("关闭 (Esc)"))
        close.clicked.connect(self.reject)
        for button in (self.add_button, self.pdf_button, close):
            button.setAutoDefault(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for button in (self.add_button, self.pdf_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        timer = debounced(self, 250, self.refresh)
        self.search.textChanged.connect(timer.start)
        QShortcut(QKeySequence("Ctrl+N"), self, self.add_case)
        QShortcut(QKeySequence("Ctrl+P"), self, self.export_pdf)
        self.resize(960, 600)
        self.refresh()
        self.search.setFocus()

    def refresh(self) -> None:
        text = self.search.text()
        QueryOp(self, lambda: mt.cases(text)).success(self._show).failure(self._failed).run()

    def _failed(self, error: UserError) -> None:
        self.message.setText(error.message)

    def _show(self, found: list[mt.CaseRow]) -> None:
        self.cases = found
        self.list.clear()
        for c in found:
            item = QListWidgetItem(f"{c.title}（{'、'.join(c.tags)}）" if c.tags else c.title)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
        self.count.setText(self.tr("{n} 个案例").replace("{n}", str(len(found))))
        self.list.setCurrentRow(0 if found else -1)
        if not found:
            self.view.clear()

    def _show_case(self, row: int) -> None:
        if 0 <= row < len(self.cases):
            self.view.setPlainText(case_text(self.cases[row], self.tr))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """↓ in the search box goes to the list of cases."""
        if watched is self.search and event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.list.setFocus()
            return True
        return super().eventFilter(watched, event)

    def edit_case(self) -> None:
        row = self.list.currentRow()
        if not self.can_edit or not 0 <= row < len(self.cases):
            return
        c = self.cases[row]
        data = mt.CaseInput(c.title, c.situation, c.handling, c.lesson, c.tags_text, c.meeting_id, c.complaint_id)
        dialog = CaseInputDialog(data, self, expected=c)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()

    def add_case(self) -> None:
        if not self.add_button.isEnabled():
            return
        dialog = CaseInputDialog(mt.CaseInput(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()

    def export_pdf(self) -> None:
        text = self.search.text()
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("导出典型案例"), self.tr("典型案例汇编.pdf"),
                                                    self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return

        def write() -> str:
            from frontdesk.reports import write_pdf

            write_pdf(mt.case_book(text), path)
            return path

        QueryOp(self, write).success(
            lambda where: self.message.setText(self.tr("已导出：{path}").replace("{path}", where))).failure(
            self._failed).run()
