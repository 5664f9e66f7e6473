"""The new-ticket form (新建工单): complete from the keyboard, saved on the database worker.

Tab walks the fields in the order the eye reads them; Enter in a one-line field saves, and so
does Ctrl+Enter anywhere (the description takes Enter as a new line). A refusal is shown next to
the field the service names, and nothing typed is lost. "当场解决" opens the reply field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QSpinBox,
    QWidget,
)

from frontdesk.services import complaints
from frontdesk.services.complaints import ComplaintInput
from frontdesk.ui.complaints.widgets import choice_box, is_ctrl_enter, labelled, note_box, text_box
from frontdesk.ui.kit.changes import COMPLAINT
from frontdesk.ui.kit.forms import WorkerFormDialog


class ComplaintFormDialog(WorkerFormDialog):
    """Register a ticket; ``visit_id`` links it to a visit of the register (its phone is taken there)."""

    changes = frozenset({COMPLAINT})

    def __init__(self, parent: QWidget | None = None, *, visit_id: int | None = None,
                 customer_name: str = "") -> None:
        super().__init__(self.tr("登记"), parent)
        self.setObjectName("complaintFormDialog")
        self.setWindowTitle(self.tr("新建工单"))
        self._visit_id = visit_id
        self.kind = choice_box("kind", complaints.KINDS)
        self.channel = choice_box("channel", complaints.CHANNELS)
        self.category = choice_box("category", labelled(complaints.categories()), empty=self.tr("（请选择）"))
        self.customer_name = text_box("customer_name", complaints.MAX_NAME)
        self.customer_name.setText(customer_name)
        self.phone = text_box("phone", 20)
        self.id_number = text_box("id_number", 18)
        self.acting_for = choice_box("acting_for", complaints.ACTING_FOR, empty=self.tr("本人"))
        self.acting_note = text_box("acting_note", complaints.MAX_ABOUT)
        self.acting_note.setPlaceholderText(self.tr("代谁投诉，凭何授权（授权委托书、继承证明等）"))
        self.about = text_box("about", complaints.MAX_ABOUT)
        self.about.setPlaceholderText(self.tr("员工、窗口、保单号/账号等"))
        self.motive = choice_box("motive", complaints.MOTIVES, empty=self.tr("（未判断）"))
        self.request = text_box("request", complaints.MAX_TEXT)
        self.description = note_box("description")
        self.people = QSpinBox()
        self.people.setObjectName("people")
        self.people.setRange(1, complaints.MAX_PEOPLE)
        self.handler = text_box("handler", complaints.MAX_NAME)
        self.on_the_spot = QCheckBox(self.tr("当场解决（立即答复）"))
        self.on_the_spot.setObjectName("on_the_spot")
        self.reply_text = text_box("reply_text", complaints.MAX_TEXT)
        self.reply_method = choice_box("reply_method", complaints.REPLY_METHODS)

        self.add_field(self.tr("类型"), self.kind, "kind")
        self.add_field(self.tr("受理渠道"), self.channel, "channel")
        self.add_field(self.tr("类别"), self.category, "category")
        self.add_field(self.tr("客户"), self.customer_name, "customer_name")
        if visit_id is None:
            self.add_field(self.tr("电话"), self.phone, "phone")
        else:
            self.phone.hide()
            self.add_note(self.tr("由来访记录 #{id} 登记：电话取自该来访记录。").replace("{id}", str(visit_id)))
        self.add_field(self.tr("身份证号码"), self.id_number, "id_number")
        self.add_field(self.tr("代理/继承"), self.acting_for, "acting_for")
        self.add_field(self.tr("代理说明"), self.acting_note, "acting_note")
        self.add_field(self.tr("投诉对象"), self.about, "about")
        self.add_field(self.tr("诉求心态"), self.motive, "motive")
        self.add_field(self.tr("客户诉求"), self.request, "request")
        self.add_field(self.tr("情况描述"), self.description, "description")
        self.add_field(self.tr("人数"), self.people, "people")
        self.add_field(self.tr("处理人"), self.handler, "handler")
        self.add_field("", self.on_the_spot, "on_the_spot")
        self.add_field(self.tr("答复内容"), self.reply_text, "reply_text")
        self.add_field(self.tr("答复方式"), self.reply_method, "reply_method")
        self.add_note(self.tr("Ctrl+回车 保存；20 人以上现场集体投诉自动标为重大投诉。"))
        self.on_the_spot.toggled.connect(self._spot_toggled)
        self._spot_toggled(False)
        self.acting_for.currentIndexChanged.connect(self._acting_changed)
        self._acting_changed()
        save = QShortcut(QKeySequence("Ctrl+Return"), self)
        save.activated.connect(self.save)
        save_enter = QShortcut(QKeySequence("Ctrl+Enter"), self)
        save_enter.activated.connect(self.save)
        self.setMinimumWidth(520)
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def _spot_toggled(self, on: bool) -> None:
        for widget in (self.reply_text, self.reply_method):
            widget.setEnabled(on)

    def _acting_changed(self, *_args: object) -> None:
        self.acting_note.setEnabled(self.acting_for.currentData() is not None)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Ctrl+Enter that reached here as a plain key (a window not activated fires no shortcut)."""
        if is_ctrl_enter(event):
            self.save()
            return
        super().keyPressEvent(event)

    def data(self) -> ComplaintInput:
        return ComplaintInput(
            kind=self.kind.currentData(),
            channel=self.channel.currentData(),
            category=self.category.currentData() or "",
            customer_name=self.customer_name.text(),
            phone=None if self._visit_id is not None else self.phone.text(),
            id_number=self.id_number.text(),
            acting_for=self.acting_for.currentData(),
            acting_note=self.acting_note.text() if self.acting_for.currentData() is not None else "",
            about=self.about.text(),
            motive=self.motive.currentData(),
            request=self.request.text(),
            description=self.description.toPlainText(),
            people=self.people.value(),
            handler=self.handler.text(),
            visit_id=self._visit_id,
            on_the_spot=self.on_the_spot.isChecked(),
            reply_text=self.reply_text.text() if self.on_the_spot.isChecked() else "",
            reply_method=self.reply_method.currentData(),
        )

    def prepare(self) -> Callable[[], Any]:
        data = self.data()
        return lambda: complaints.create(data)
