"""The teaching-case book (典型案例): search, read, add a case, export the book to PDF.

Typing in the search box filters at once (any part of the title, category or text, one
character is enough); Ctrl+N adds a case; Ctrl+P saves the book (as found) as a PDF.
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
    """A new case: title, category, the text (situation, what was done, the lesson)."""

    def __init__(self, data: mt.CaseInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseInputDialog")
        self.setWindowTitle(self.tr("记为典型案例"))
        self.meeting_id = data.meeting_id
        self.saved: mt.CaseRow | None = None
        self.title_edit = QLineEdit(data.title)
        self.title_edit.setObjectName("caseTitle")
        self.title_edit.setMaxLength(mt.MAX_CASE_TITLE + 10)
        self.category = QLineEdit(data.category)
        self.category.setObjectName("caseCategory")
        self.category.setMaxLength(mt.MAX_CATEGORY + 10)
        self.text = QPlainTextEdit(data.text)
        self.text.setObjectName("caseText")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("情况、处理经过、启示"))
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
        form.addRow(self.tr("标题"), self.title_edit)
        form.addRow("", self.errors.new_label("title", self.title_edit))
        form.addRow(self.tr("类别"), self.category)
        form.addRow("", self.errors.new_label("category", self.category))
        form.addRow(self.tr("内容"), self.text)
        form.addRow("", self.errors.new_label("text", self.text))
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(save)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.resize(560, 420)
        self.title_edit.setFocus()

    def save(self) -> None:
        data = mt.CaseInput(self.title_edit.text(), self.category.text(), self.text.toPlainText(), self.meeting_id)
        Op(self, lambda: mt.add_case(data), changes={MEETING}).success(self._saved).failure(self._failed).run()

    def _saved(self, row: mt.CaseRow) -> None:
        self.saved = row
        self.accept()

    def _failed(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus()


class CaseBookDialog(QDialog):
    def __init__(self, can_add: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseBookDialog")
        self.setWindowTitle(self.tr("典型案例"))
        self.cases: list[mt.CaseRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(self.tr("搜索标题、类别、内容"))
        self.list = QListWidget()
        self.list.setObjectName("caseList")
        self.list.currentRowChanged.connect(self._show_case)
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
            item = QListWidgetItem(f"{c.title}（{c.category}）" if c.category else c.title)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
        self.count.setText(self.tr("{n} 个案例").replace("{n}", str(len(found))))
        self.list.setCurrentRow(0 if found else -1)
        if not found:
            self.view.clear()

    def _show_case(self, row: int) -> None:
        if 0 <= row < len(self.cases):
            c = self.cases[row]
            source = self.tr("来自 {day} 的会议").replace("{day}", c.meeting_day.isoformat()) if c.meeting_day else ""
            self.view.setPlainText("\n".join(part for part in (c.title, c.category, source, "", c.text) if part
                                             is not None))

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
