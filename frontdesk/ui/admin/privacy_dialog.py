"""个人信息查询与删除: the duty manager answers a customer's request about their personal data
(PIPL arts. 45, 47).

Type the phone number and press Enter: every visit, complaint and opinion entry of that number
is listed (an audited look; the trail names how many, never the number). The list goes to a PDF
or an Excel file for the person, or the person's name and phone are erased from all of it with
a reason, after a confirmation. Every read and write runs on the database worker.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from frontdesk.errors import PermissionDeniedError, UserError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import privacy, session
from frontdesk.ui.kit.common import ERROR_STYLE
from frontdesk.ui.kit.forms import NOTE_STYLE
from frontdesk.ui.kit.operations import Op

EXPORT_PDF_KEY = QKeySequence("Ctrl+P")
EXPORT_XLSX_KEY = QKeySequence("Ctrl+E")
ERASE_KEY = QKeySequence("Ctrl+D")


def _rows(person: privacy.Person) -> list[tuple[str, ...]]:
    """One line per record: what it is, when, what about, name, phone, the text held, status."""
    rows = [(_("来访"), v.arrived_at.strftime("%Y-%m-%d %H:%M"), f"{v.business_type} → {v.destination}",
             v.customer_name, v.phone, v.notes, v.status) for v in person.visits]
    rows += [(f"{t.kind}（{t.channel}）", t.received_at.strftime("%Y-%m-%d %H:%M"), t.category,
              t.customer_name, t.phone, t.description, t.status) for t in person.tickets]
    return rows


class PrivacyDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        actor = session.current()
        if actor is None or not actor.can(session.PRIVACY):
            raise PermissionDeniedError(_("只有值班经理和管理员可以查询和删除当事人的个人信息。"))
        self.setObjectName("privacyDialog")
        self.setWindowTitle(self.tr("个人信息查询与删除"))
        self.resize(900, 520)
        self.person: privacy.Person | None = None
        self.phone_found = ""

        intro = QLabel(self.tr("按当事人的请求（《个人信息保护法》第四十五、四十七条）：输入电话号码后按回车，"
                               "列出这个号码的全部来访、投诉和意见记录。每次查询、导出和删除都记入审计日志（不记电话号码）。"))
        intro.setWordWrap(True)
        intro.setStyleSheet(NOTE_STYLE)
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText(self.tr("当事人的电话号码"))
        self.phone.setMaxLength(20)
        self.phone.returnPressed.connect(self.find)
        self.find_button = QPushButton(self.tr("查询(&F)"))
        self.find_button.setObjectName("findButton")
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self.find)
        self.phone_error = QLabel()
        self.phone_error.setObjectName("phoneError")
        self.phone_error.setStyleSheet(ERROR_STYLE)
        search = QHBoxLayout()
        search.addWidget(QLabel(self.tr("电话号码：")))
        search.addWidget(self.phone, 1)
        search.addWidget(self.find_button)

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("records")
        self.table.setHorizontalHeaderLabels([self.tr("记录"), self.tr("时间"), self.tr("业务/类别"), self.tr("姓名"),
                                              self.tr("电话"), self.tr("备注/内容"), self.tr("状态")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()

        self.pdf_button = QPushButton(self.tr("导出 PDF… (Ctrl+P)"))
        self.pdf_button.setObjectName("exportPdf")
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.xlsx_button = QPushButton(self.tr("导出 Excel… (Ctrl+E)"))
        self.xlsx_button.setObjectName("exportXlsx")
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        for button in (self.pdf_button, self.xlsx_button):
            button.setAutoDefault(False)
        exports = QHBoxLayout()
        exports.addWidget(self.pdf_button)
        exports.addWidget(self.xlsx_button)
        exports.addStretch(1)

        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(privacy.MAX_REASON)
        self.reason.setPlaceholderText(self.tr("如：当事人书面申请删除"))
        self.reason.returnPressed.connect(self.erase)
        self.reason_error = QLabel()
        self.reason_error.setObjectName("reasonError")
        self.reason_error.setStyleSheet(ERROR_STYLE)
        self.erase_button = QPushButton(self.tr("删除姓名和电话… (Ctrl+D)"))
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setAutoDefault(False)
        self.erase_button.clicked.connect(self.erase)
        erase_row = QHBoxLayout()
        erase_row.addWidget(self.reason, 1)
        erase_row.addWidget(self.erase_button)
        erase_form = QFormLayout()
        erase_form.addRow(self.tr("删除原因："), erase_row)
        erase_form.addRow("", self.reason_error)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(search)
        layout.addWidget(self.phone_error)
        layout.addWidget(self.table, 1)
        layout.addLayout(exports)
        layout.addLayout(erase_form)
        layout.addLayout(bottom)

        for key, slot in ((EXPORT_PDF_KEY, lambda: self.export(".pdf")), (EXPORT_XLSX_KEY, lambda: self.export(".xlsx")),
                          (ERASE_KEY, self.erase)):
            QShortcut(key, self, slot)
        self.setTabOrder(self.phone, self.find_button)
        self.setTabOrder(self.find_button, self.table)
        self.setTabOrder(self.table, self.pdf_button)
        self.setTabOrder(self.pdf_button, self.xlsx_button)
        self.setTabOrder(self.xlsx_button, self.reason)
        self.setTabOrder(self.reason, self.erase_button)
        self._show(None)
        self.phone.setFocus()

    # ------------------------------------------------------------------ finding

    def find(self) -> None:
        phone = self.phone.text()
        self.phone_error.clear()
        self.message.clear()

        def found(person: privacy.Person) -> None:
            self.phone_found = phone
            self._show(person)
            if person.count:
                self.message.setText(self.tr("共 {visits} 条来访、{tickets} 条投诉/意见。").format(
                    visits=len(person.visits), tickets=len(person.tickets)))
            else:
                self.message.setText(self.tr("没有这个电话号码的记录。"))

        Op(self, lambda: privacy.find_person(phone)).success(found).failure(self._failed).run()

    def _show(self, person: privacy.Person | None) -> None:
        self.person = person
        rows = _rows(person) if person is not None else []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        has = bool(rows)
        for widget in (self.pdf_button, self.xlsx_button, self.erase_button, self.reason):
            widget.setEnabled(has)

    def _failed(self, error: UserError) -> None:
        if isinstance(error, ValidationError) and "phone" in error.fields:
            self.phone_error.setText(error.fields["phone"])
            self.phone.setFocus()
        elif isinstance(error, ValidationError) and "reason" in error.fields:
            self.reason_error.setText(error.fields["reason"])
            self.reason.setFocus()
        else:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(error.message)

    # ------------------------------------------------------------------ export and erase

    def export(self, suffix: str) -> None:
        if self.person is None or not self.person.count:
            return
        self.message.setStyleSheet("")
        title, pattern = ((self.tr("导出为 PDF"), self.tr("PDF 文件 (*.pdf)")) if suffix == ".pdf"
                          else (self.tr("导出为 Excel"), self.tr("Excel 工作簿 (*.xlsx)")))
        suggested = str(Path.home() / self.tr("个人信息查询结果{suffix}").format(suffix=suffix))
        path, _filter = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        phone = self.phone_found
        Op(self, lambda: privacy.export_person(phone, Path(path))).success(
            lambda count: self.message.setText(self.tr("已导出 {count} 条记录：{path}").format(count=count, path=path))
        ).failure(self._failed).run()

    def erase(self) -> None:
        if self.person is None or not self.person.count:
            return
        self.reason_error.clear()
        reason = self.reason.text().strip()
        if len(reason) < 2:
            self.reason_error.setText(self.tr("请写明删除原因（至少 2 个字）。"))
            self.reason.setFocus()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("删除个人信息"),
                          self.tr("从 {count} 条记录中删除这个人的姓名和电话（投诉还删除证件号）？此操作不能撤销；"
                                  "统计数字和投诉内容保留。").format(count=self.person.count),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("eraseConfirm")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("删除"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self._erase_confirmed(reason) if result == QMessageBox.StandardButton.Yes
                             else None)
        box.open()

    def _erase_confirmed(self, reason: str) -> None:
        phone = self.phone_found

        def erased(count: int) -> None:
            self._show(None)
            self.reason.clear()
            self.message.setStyleSheet("")
            self.message.setText(self.tr("已从 {count} 条记录中删除这个人的姓名和电话。").format(count=count))

        Op(self, lambda: privacy.erase_person(phone, reason), changes={"visit", "complaint"}).success(
            erased).failure(self._failed).run()
