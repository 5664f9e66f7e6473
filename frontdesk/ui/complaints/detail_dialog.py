"""A ticket's detail (工单详情): its facts, its timeline, both clocks explained, and what to do next.

The actions offered follow the ticket's status and the user's role (the service checks again).
Each action is one service command on the database worker, sent with the ticket as the user
saw it: when another station changed it first, the refusal names what changed, the ticket is
read again, and the text typed here stays for a second try.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import ConflictError, UserError
from frontdesk.services import complaint_deadlines as dl
from frontdesk.services import complaints, session
from frontdesk.services.complaints import ComplaintDetail
from frontdesk.ui.complaints.widgets import (
    choice_box,
    close_buttons,
    note_box,
    plain_button,
    text_box,
)
from frontdesk.ui.kit.changes import COMPLAINT
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp

# Which actions a ticket in each status offers, and who may take them.
_FOLLOW = (complaints.E_PROGRESS, complaints.E_CONTACT, complaints.E_INVESTIGATION, complaints.E_REPLY)
_HANDLE_OPEN = (complaints.E_ASSIGNED, complaints.E_PAUSE, complaints.E_RESUME, complaints.E_EXTENSION,
                complaints.E_NEW_FACTS, complaints.E_MERGED, complaints.E_WITHDRAWN)
_REGULATED = (complaints.E_PAUSE, complaints.E_RESUME, complaints.E_EXTENSION, complaints.E_NEW_FACTS)


def actions_for(detail: ComplaintDetail, actor: session.Actor | None) -> list[str]:
    """The timeline entries this user may add to this ticket now."""
    if actor is None:
        return []
    row = detail.row
    handles = actor.can(session.COMPLAINT_HANDLE)
    found: list[str] = []
    if row.status in complaints.AWAITING_REPLY:
        found += list(_FOLLOW)
        if handles:
            found += [a for a in _HANDLE_OPEN
                      if a not in _REGULATED or row.regulatory_limit is not None]
    elif row.status == complaints.REPLIED and handles:
        found += [complaints.E_CLOSED, complaints.E_REOPENED]
    elif row.status in complaints.FINISHED and handles:
        found.append(complaints.E_REOPENED)
    if row.paused:
        found = [a for a in found if a != complaints.E_PAUSE]
    elif complaints.E_RESUME in found:
        found.remove(complaints.E_RESUME)
    return found


class ComplaintDetailDialog(QDialog):
    def __init__(self, complaint_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintDetailDialog")
        self.complaint_id = complaint_id
        self.detail: ComplaintDetail | None = None
        self._job: Any = None
        self.setWindowTitle(self.tr("工单 #{id}").replace("{id}", str(complaint_id)))

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._phone: str | None = None  # the full numbers, once revealed (each look is audited)
        self._id_number: str | None = None
        self.reveal_button = QPushButton(self.tr("显示完整号码"))
        self.reveal_button.setToolTip(self.tr("电话和身份证号码；查看记入审计日志"))
        self.reveal_button.setObjectName("revealButton")
        self.reveal_button.setAutoDefault(False)
        self.reveal_button.hide()
        self.reveal_button.clicked.connect(self.reveal)
        self.visit_button = QPushButton()
        self.visit_button.setObjectName("visitButton")
        self.visit_button.setToolTip(self.tr("打开该来访记录（可否修改按登记表的权限）"))
        self.visit_button.setAutoDefault(False)
        self.visit_button.hide()
        self.visit_button.clicked.connect(self.open_visit)
        self.visit_dialog: QDialog | None = None
        self.timeline = QPlainTextEdit()
        self.timeline.setObjectName("timeline")
        self.timeline.setReadOnly(True)
        self.explanation = QPlainTextEdit()
        self.explanation.setObjectName("explanation")
        self.explanation.setReadOnly(True)
        pages = QTabWidget()
        pages.addTab(self.timeline, self.tr("处理过程"))
        pages.addTab(self.explanation, self.tr("时限如何计算"))

        self.action = QComboBox()
        self.action.setObjectName("action")
        self.text = note_box("text")
        self.reply_method = choice_box("reply_method", complaints.REPLY_METHODS)
        self.reply_proof = text_box("reply_proof", complaints.MAX_PROOF)
        self.reply_proof.setPlaceholderText(self.tr("如：通话录音编号、短信截图、签收回执"))
        self.pause_reason = choice_box("reason", dl.PAUSE_REASONS)
        self.days = QComboBox()
        self.days.setObjectName("days")
        self.days.addItem(self.tr("复杂：延至 30 天"), dl.COMPLEX_DAYS)
        self.days.addItem(self.tr("特别复杂：延至 60 天（须上级或总公司批准）"), dl.EXTENDED_DAYS)
        self.approved_by = text_box("approved_by", complaints.MAX_NAME)
        self.handler = text_box("handler", complaints.MAX_NAME)
        self.into = QSpinBox()
        self.into.setObjectName("into")
        self.into.setRange(1, 999_999_999)
        self.into.setToolTip(self.tr("要并入的工单编号（同一客户同一事项、尚未答复的工单）"))
        self.satisfaction = choice_box("satisfaction", complaints.SATISFACTION, empty=self.tr("（请选择）"))
        self.validity = choice_box("validity", complaints.VALIDITY, empty=self.tr("（请选择）"))
        self.record_button = plain_button(self.tr("记录"), "recordButton", self.record)

        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.errors = FormErrors(self.message)
        self.form = QFormLayout()
        self._rows: dict[str, tuple[QWidget, ...]] = {}
        for name, label, widget in (
            ("action", self.tr("操作"), self.action),
            ("handler", self.tr("处理人"), self.handler),
            ("into", self.tr("并入工单编号"), self.into),
            ("reason", self.tr("暂停原因"), self.pause_reason),
            ("days", self.tr("延期"), self.days),
            ("approved_by", self.tr("批准人"), self.approved_by),
            ("reply_method", self.tr("答复方式"), self.reply_method),
            ("reply_proof", self.tr("送达凭证"), self.reply_proof),
            ("satisfaction", self.tr("满意度"), self.satisfaction),
            ("validity", self.tr("有效性"), self.validity),
            ("text", self.tr("内容"), self.text),
        ):
            error = self.errors.new_label(name, widget)
            caption = QLabel(label)
            self.form.addRow(caption, widget)
            self.form.addRow("", error)
            self._rows[name] = (caption, widget)
        self.form.addRow("", self.record_button)
        act_box = QGroupBox(self.tr("处理"))
        act_box.setObjectName("actions")
        act_layout = QVBoxLayout(act_box)
        act_layout.addLayout(self.form)
        act_layout.addWidget(self.message)
        act_layout.addStretch(1)
        self.act_box = act_box
        self.action.currentIndexChanged.connect(self._action_changed)

        buttons = close_buttons(self.tr("关闭"), self.reject)
        self.case_button = plain_button(self.tr("设为典型案例… (Ctrl+K)"), "caseButton", self.make_case)
        self.case_button.hide()
        self.case_dialog: QDialog | None = None
        buttons.addButton(self.case_button, QDialogButtonBox.ButtonRole.ActionRole)
        top = QHBoxLayout()
        top.addWidget(pages, 3)
        top.addWidget(act_box, 2)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        side = QVBoxLayout()
        side.addWidget(self.reveal_button)
        side.addWidget(self.visit_button)
        side.addStretch(1)
        head.addLayout(side)
        layout.addLayout(head)
        layout.addLayout(top, 1)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.record)
        QShortcut(QKeySequence("Ctrl+K"), self).activated.connect(self.make_case)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.open_visit)
        self.resize(1000, 600)
        self.reload()

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        QueryOp(self, lambda: complaints.get_complaint(self.complaint_id)).success(self._show) \
            .failure(self._failed).run()

    def _failed(self, error: UserError) -> None:
        self.errors.show(error)

    def _show(self, detail: ComplaintDetail) -> None:
        self.detail = detail
        r = detail.row
        lines = [
            self.tr("{kind}｜{channel}｜{category}｜状态：{status}").replace("{kind}", complaints.KINDS[r.kind])
            .replace("{channel}", complaints.CHANNELS[r.channel])
            .replace("{category}", r.category)
            .replace("{status}", complaints.STATUSES[r.status]),
            self.tr("客户：{name} {phone}　人数：{n}{major}　首问负责人：{first}　处理人：{handler}")
            .replace("{name}", r.customer_name or "—").replace("{phone}", self._phone or r.phone_masked)
            .replace("{n}", str(r.people)).replace("{major}", self.tr("（重大投诉）") if r.major else "")
            .replace("{first}", r.first_contact).replace("{handler}", r.handler or "—"),
            self.tr("受理：{at}　内部时限：{internal}　监管时限：{regulatory}")
            .replace("{at}", r.received_at.strftime("%Y-%m-%d %H:%M"))
            .replace("{internal}", _day(r.internal_due) + (self.tr("（暂定）") if detail.internal.provisional else ""))
            .replace("{regulatory}", self._regulatory_text(detail)),
            self.tr("诉求：{request}").replace("{request}", detail.request or "—"),
            self.tr("描述：{text}").replace("{text}", detail.description),
        ]
        if r.id_masked or r.acting_for:
            lines.append(self.tr("身份证号码：{id}　{acting}")
                         .replace("{id}", self._id_number or r.id_masked or "—")
                         .replace("{acting}", (complaints.ACTING_FOR.get(r.acting_for, "") + "：" + r.acting_note)
                                  if r.acting_for else ""))
        if r.replied_at is not None:
            lines.append(self.tr("答复：{at}　{how}　凭证：{proof}　满意度：{satisfaction}　{validity}")
                         .replace("{at}", r.replied_at.strftime("%Y-%m-%d %H:%M"))
                         .replace("{how}", complaints.REPLY_METHODS.get(detail.reply_method or "", ""))
                         .replace("{proof}", detail.reply_proof or "—")
                         .replace("{satisfaction}", complaints.SATISFACTION.get(r.satisfaction or "", "—"))
                         .replace("{validity}", complaints.VALIDITY.get(r.validity or "", "")))
        self.summary.setText("\n".join(lines))
        if r.visit_id is not None:
            self.visit_button.setText(self.tr("来自来访记录 #{id}… (Ctrl+L)").replace("{id}", str(r.visit_id)))
        self.visit_button.setVisible(r.visit_id is not None)
        actor = session.current()
        self.reveal_button.setVisible(bool(r.phone_masked or r.id_masked) and self._phone is None
                                      and actor is not None and actor.can(session.REVEAL))
        self.timeline.setPlainText("\n".join(
            f"{e.at:%Y-%m-%d %H:%M}　{e.who}　{e.summary()}" for e in detail.events))
        self.explanation.setPlainText(detail.explanation())
        self._fill_actions()
        self.case_button.setVisible(r.status == complaints.CLOSED and actor is not None
                                    and actor.can(session.HOLD_MEETING))

    def _regulatory_text(self, detail: ComplaintDetail) -> str:
        if detail.regulatory is None:
            return self.tr("不适用")
        if detail.regulatory.due is None:
            return detail.regulatory.stopped
        return f"{detail.regulatory.due.isoformat()}（{detail.regulatory.days}{self.tr('天')}）"

    def _fill_actions(self) -> None:
        assert self.detail is not None
        previous = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        for code in actions_for(self.detail, session.current()):
            self.action.addItem(complaints.EVENT_KINDS[code], code)
        index = self.action.findData(previous)
        self.action.setCurrentIndex(max(0, index))
        self.action.blockSignals(False)
        self.act_box.setVisible(self.action.count() > 0)
        self._action_changed()

    def _action_changed(self) -> None:
        code = self.action.currentData()
        wanted = {"action", "text"}
        wanted |= {
            complaints.E_ASSIGNED: {"handler"},
            complaints.E_PAUSE: {"reason"},
            complaints.E_EXTENSION: {"days", "approved_by"},
            complaints.E_REPLY: {"reply_method", "reply_proof"},
            complaints.E_CLOSED: {"satisfaction", "validity"},
            complaints.E_MERGED: {"into"},
        }.get(code, set())
        if code == complaints.E_ASSIGNED:
            wanted.discard("text")
        for name, widgets in self._rows.items():
            for widget in widgets:
                widget.setVisible(name in wanted)

    def reveal(self) -> None:
        """The full phone number, for whoever may see it; the look goes into the audit trail."""
        cid = self.complaint_id
        Op(self, lambda: (complaints.reveal_phone(cid), complaints.reveal_id_number(cid))) \
            .success(self._revealed).failure(self._failed).run()

    def _revealed(self, numbers: tuple[str, str]) -> None:
        self._phone, self._id_number = numbers
        if self.detail is not None:
            self._show(self.detail)

    def make_case(self) -> None:
        """A closed ticket becomes a teaching case: its description and reply pre-filled."""
        if not self.case_button.isVisible():
            return
        from frontdesk.services import meetings
        from frontdesk.ui.meetings.case_book import CaseInputDialog

        def opened(data: meetings.CaseInput) -> None:
            dialog = CaseInputDialog(data, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: self.message.setText(self.tr("已设为典型案例。")))
            self.case_dialog = dialog
            dialog.open()

        cid = self.complaint_id
        QueryOp(self, lambda: meetings.case_from_complaint(cid)).success(opened).failure(self._failed).run()

    def open_visit(self) -> None:
        """The visit the ticket came from, in the register's own dialog: editable or read-only
        as the register would open it for this user."""
        if self.detail is None or self.detail.row.visit_id is None or self.visit_dialog is not None:
            return
        from frontdesk.ui.visitors.form_dialog import VisitFormDialog  # imported at first use

        try:
            dialog = VisitFormDialog(self.detail.row.visit_id, self)
        except UserError as exc:
            self.errors.show(exc)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._visit_closed)
        self.visit_dialog = dialog
        dialog.open()

    def _visit_closed(self, _result: int) -> None:
        self.visit_dialog = None
        self.visit_button.setFocus()
        self.reload()  # the visit's name may have been corrected

    # ------------------------------------------------------------ writing

    def _call(self) -> Callable[[], Any] | None:
        """The service call of the chosen action, with every widget's value read now (on the GUI
        thread: the worker only runs the call)."""
        if self.detail is None or self.action.currentData() is None:
            return None
        code, cid, seen = self.action.currentData(), self.complaint_id, self.detail.row
        text = self.text.toPlainText()
        method, proof = self.reply_method.currentData(), self.reply_proof.text()
        handler, reason, into = self.handler.text(), self.pause_reason.currentData(), self.into.value()
        days, approver = self.days.currentData(), self.approved_by.text()
        satisfaction, validity = self.satisfaction.currentData() or "", self.validity.currentData() or ""
        if code in complaints.FOLLOW_UPS:
            return lambda: complaints.add_follow_up(cid, code, text, seen)
        calls: dict[str, Callable[[], Any]] = {
            complaints.E_REPLY: lambda: complaints.reply(cid, text, method, proof, seen),
            complaints.E_ASSIGNED: lambda: complaints.assign(cid, handler, seen),
            complaints.E_PAUSE: lambda: complaints.pause(cid, reason, text, seen),
            complaints.E_RESUME: lambda: complaints.resume(cid, text, seen),
            complaints.E_EXTENSION: lambda: complaints.extend(cid, days, approver, text, seen),
            complaints.E_NEW_FACTS: lambda: complaints.new_facts(cid, text, seen),
            complaints.E_WITHDRAWN: lambda: complaints.withdraw(cid, text, seen),
            complaints.E_MERGED: lambda: complaints.merge(cid, into, text, seen),
            complaints.E_CLOSED: lambda: complaints.close(cid, satisfaction, validity, text, seen),
            complaints.E_REOPENED: lambda: complaints.reopen(cid, text, seen),
        }
        return calls[code]

    def record(self) -> None:
        if self._job is not None:
            return
        call = self._call()
        if call is None:
            return
        self.errors.clear()
        self.record_button.setEnabled(False)
        self._job = Op(self, call, changes={COMPLAINT}).success(self._recorded).failure(self._refused) \
            .finally_(self._ended).run()

    def _ended(self) -> None:
        self._job = None
        self.record_button.setEnabled(True)

    def _recorded(self, _row: Any) -> None:
        self.text.clear()
        self.reply_proof.clear()
        self.approved_by.clear()
        self.reload()

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(error, ConflictError):
            self.reload()  # the ticket as it is now; the text typed stays


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else "—"
