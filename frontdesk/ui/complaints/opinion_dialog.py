"""意见簿登记: typing in a batch of opinion-book or opinion-box entries after closing (seed 002).

Each entry is a ticket of kind 意见 or 建议 (the same machinery: answered, then filed by the duty
manager). Source, date and category stay from one entry to the next; Enter in the text or the
contact saves the entry, clears it and leaves the cursor in the text for the next one.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock, complaints
from frontdesk.services.complaints import ComplaintInput, ComplaintRow
from frontdesk.ui.complaints.widgets import choice_box, close_buttons, labelled, text_box
from frontdesk.ui.kit.changes import COMPLAINT
from frontdesk.ui.kit.common import FormErrors, bound_date_edit
from frontdesk.ui.kit.operations import Op

OTHER_CATEGORY = "其他"  # what an opinion-book entry is filed under first (every preset has it)

CHECKED_AT = time(18, 0)  # the book is checked after closing: an earlier day's entries are dated so
SOURCES = {k: complaints.CHANNELS[k] for k in ("opinion_book", "opinion_box")}
KINDS = {k: complaints.KINDS[k] for k in (complaints.OPINION, complaints.SUGGESTION)}


class OpinionBookDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opinionBookDialog")
        self.setWindowTitle(self.tr("意见簿/意见箱登记"))
        self._job = None
        self.saved: list[ComplaintRow] = []
        self.source = choice_box("source", SOURCES)
        self.kind = choice_box("kind", KINDS)
        self.category = choice_box("category", labelled(complaints.categories()))
        self.category.setCurrentIndex(max(0, self.category.findData(OTHER_CATEGORY)))
        today = clock.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        bound_date_edit(self.day)
        self.text = text_box("description", complaints.MAX_TEXT)
        self.text.setPlaceholderText(self.tr("意见或建议的内容，回车登记"))
        self.contact = text_box("customer_name", complaints.MAX_NAME)
        self.contact.setPlaceholderText(self.tr("留名（可空）"))
        self.phone = text_box("phone", 20)
        self.phone.setPlaceholderText(self.tr("联系电话（可空）"))
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.errors = FormErrors(self.message)
        form = QFormLayout()
        for label, widget, field in (
            (self.tr("来源"), self.source, "channel"), (self.tr("类型"), self.kind, "kind"),
            (self.tr("类别"), self.category, "category"), (self.tr("日期"), self.day, "received_at"),
            (self.tr("内容"), self.text, "description"), (self.tr("留名"), self.contact, "customer_name"),
            (self.tr("电话"), self.phone, "phone"),
        ):
            form.addRow(label, widget)
            form.addRow("", self.errors.new_label(field, widget))
        for edit in (self.text, self.contact, self.phone):
            edit.returnPressed.connect(self.save)
        self.done_list = QListWidget()
        self.done_list.setObjectName("done_list")
        buttons = close_buttons(self.tr("完成"), self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(self.tr("本次已登记")))
        layout.addWidget(self.done_list, 1)
        layout.addWidget(buttons)
        self.resize(560, 560)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def _received_at(self) -> datetime | None:
        value = self.day.date()
        day = date(value.year(), value.month(), value.day())
        return None if day >= clock.today() else datetime.combine(day, CHECKED_AT)

    def save(self) -> None:
        if self._job is not None:
            return
        data = ComplaintInput(kind=self.kind.currentData(), channel=self.source.currentData(),
                              category=self.category.currentData(), description=self.text.text(),
                              customer_name=self.contact.text(), phone=self.phone.text(),
                              received_at=self._received_at())
        self.errors.clear()
        self._job = Op(self, lambda: complaints.create(data), changes={COMPLAINT}) \
            .success(self._saved).failure(self._refused).finally_(self._ended).run()

    def _ended(self) -> None:
        self._job = None

    def _saved(self, row: ComplaintRow) -> None:
        self.saved.append(row)
        self.done_list.addItem(self.tr("#{id}　{text}").replace("{id}", str(row.id))
                               .replace("{text}", self.text.text().strip()))
        for edit in (self.text, self.contact, self.phone):
            edit.clear()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        (first or self.text).setFocus(Qt.FocusReason.OtherFocusReason)
