"""The detail/edit dialog of one visit (来访详情).

Edits a ``VisitInput``; the service validates and names the offending fields, which the dialog
shows next to those fields while keeping everything typed. The save carries the record as read
when the dialog opened, so a record another station saved in between is not overwritten: the
dialog lists what that station changed (old → new), keeps everything typed, and offers the
latest record; once it is loaded, the user's own changes can be filled in again on top of it and
saved after a look — never a silent overwrite. A voided visit opens read-only with its reason.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import ConflictError, UserError, ValidationError
from frontdesk.services import care, clock, lists, session, visitors
from frontdesk.services.lists import ListEntry
from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION, DOCUMENT
from frontdesk.services.visitors import VisitDetail, VisitInput, VisitRow
from frontdesk.ui.kit.changes import VISIT
from frontdesk.ui.kit.common import (
    FormErrors,
    SaveGuard,
    format_datetime,
    format_minutes,
    from_qdatetime,
    to_qdatetime,
)
from frontdesk.ui.kit.conflict_panel import ConflictPanel
from frontdesk.ui.kit.forms import field_box
from frontdesk.ui.kit.operations import Op

SURRENDER_TAG = "surrender"
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


# A record only to look at: its boxes blend into the dialog instead of inviting typing.
READ_ONLY_STYLE = (
    "QLineEdit[readOnly=\"true\"], QPlainTextEdit[readOnly=\"true\"], QDateTimeEdit[readOnly=\"true\"]"
    " { background: palette(window); border: 1px solid palette(mid); color: palette(text); }"
)


class VisitFormDialog(QDialog):
    """Shows and edits one visit; ``exec()`` returns Accepted when saved."""

    def __init__(self, visit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visit_id = visit_id
        self.setObjectName("visit_form_dialog")
        self.detail: VisitDetail = visitors.get_visit(visit_id)  # NotFoundError → the caller
        self.saved_row: VisitRow | None = None
        self._fields: dict[str, QWidget] = {}
        self._loaded_value: VisitInput | None = None  # the form as filled from ``detail``
        self._phone_shown = ""  # what the phone field showed when filled (masked, or revealed)
        self._phone_revealed = False
        self.read_only = False

        fallback = QLabel()
        fallback.setObjectName("error_general")
        self.errors = FormErrors(fallback)
        self._build()
        self._saving = SaveGuard(self.save_button, self.cancel_button)
        self._revealing = SaveGuard(self.reveal_button)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self._form_layout)
        body_layout.addStretch(1)  # spare height below the form, not between its rows
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.addWidget(self.void_banner)
        layout.addWidget(self.permission_banner)
        layout.addWidget(self.conflict_box)
        layout.addWidget(scroll, 1)
        layout.addWidget(fallback)
        # 历史… on the left, away from 保存/取消 (whose order is the platform's own).
        bottom = QHBoxLayout()
        bottom.addWidget(self.history_button)
        bottom.addWidget(self.slip_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self._load(self.detail)
        self.resize(760, 720)

    # ------------------------------------------------------------ building

    def _field(self, name: str, widget: QWidget, *extra: QWidget) -> QWidget:
        """``widget`` with its error label under it; ``extra`` widgets sit beside it."""
        self._fields[name] = widget
        return field_box(self.errors, name, widget, *extra)

    def _datetime_edit(self, name: str) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setObjectName(name)
        edit.setDisplayFormat(DATETIME_FORMAT)
        edit.setCalendarPopup(True)
        edit.dateTimeChanged.connect(self._update_derived)
        return edit

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form_layout = form

        self.void_banner = QLabel()
        self.void_banner.setObjectName("void_banner")
        self.void_banner.setWordWrap(True)
        self.void_banner.setStyleSheet(
            "background: #f5f5f5; color: #616161; padding: 6px; border: 1px solid #bdbdbd;"
        )
        self.void_banner.hide()
        self.permission_banner = QLabel()
        self.permission_banner.setObjectName("permission_banner")
        self.permission_banner.setWordWrap(True)
        self.permission_banner.setStyleSheet(
            "background: #e3f2fd; color: #0d47a1; padding: 6px; border: 1px solid #90caf9;"
        )
        self.permission_banner.hide()
        self._build_conflict_box()

        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        form.addRow(self.tr("状态"), self.status_label)
        self.registered_by = QLabel()
        self.registered_by.setObjectName("registered_by")
        form.addRow(self.tr("登记人"), self.registered_by)

        self.arrived_at = self._datetime_edit("arrived_at")
        form.addRow(self.tr("到达时间"), self._field("arrived_at", self.arrived_at))

        self.ticket_no = QLineEdit()
        self.ticket_no.setObjectName("ticket_no")
        self.ticket_no.setMaxLength(visitors.MAX_TICKET)
        form.addRow(self.tr("票号"), self._field("ticket_no", self.ticket_no))

        self.customer_name = QLineEdit()
        self.customer_name.setObjectName("customer_name")
        self.customer_name.setMaxLength(visitors.MAX_NAME)
        form.addRow(self.tr("客户称呼"), self._field("customer_name", self.customer_name))

        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setMaxLength(20)
        self.phone.setToolTip(self.tr("个人信息：中间四位隐去。要更正号码，直接输入完整的新号码"))
        self.reveal_button = QPushButton(self.tr("显示完整号码"))
        self.reveal_button.setObjectName("reveal_phone")
        self.reveal_button.setToolTip(self.tr("完整号码只在这里显示，每次查看都记入审计日志"))
        self.reveal_button.setAutoDefault(False)
        self.reveal_button.clicked.connect(self.reveal_phone)
        form.addRow(self.tr("电话"), self._field("phone", self.phone, self.reveal_button))

        self.business_type = QComboBox()
        self.business_type.setObjectName("business_type")
        self.business_type.currentIndexChanged.connect(self._business_type_changed)
        form.addRow(self.tr("业务类型"), self._field("business_type", self.business_type))

        self.destination = QComboBox()
        self.destination.setObjectName("destination")
        form.addRow(self.tr("分流去向"), self._field("destination", self.destination))

        needs_box = QGroupBox()
        needs_box.setObjectName("special_needs")
        grid = QGridLayout(needs_box)
        grid.setContentsMargins(6, 6, 6, 6)
        self.needs: dict[str, QCheckBox] = {}
        for n, (code, (_bit, label)) in enumerate(visitors.SPECIAL_NEEDS.items()):
            box = QCheckBox(label)
            box.setObjectName(f"need_{code}")
            self.needs[code] = box
            grid.addWidget(box, n // 4, n % 4)
        form.addRow(self.tr("特殊客户"), self._field("special_needs", needs_box))

        self.vip = QCheckBox(self.tr("贵宾客户"))
        self.vip.setObjectName("vip")
        form.addRow(self.tr("贵宾"), self._field("vip", self.vip))

        self.documents_complete = QCheckBox(self.tr("资料齐全"))
        self.documents_complete.setObjectName("documents_complete")
        self.documents_complete.toggled.connect(self._documents_toggled)
        self.missing_list = QListWidget()
        self.missing_list.setObjectName("missing_documents")
        self.missing_list.setMaximumHeight(110)
        self.missing_other = QLineEdit()
        self.missing_other.setObjectName("missing_other")
        self.missing_other.setPlaceholderText(self.tr("其他缺少的资料，多项用顿号（、）分隔"))
        docs = QWidget()
        docs_layout = QVBoxLayout(docs)
        docs_layout.setContentsMargins(0, 0, 0, 0)
        docs_layout.addWidget(self.documents_complete)
        docs_layout.addWidget(self.missing_list)
        docs_layout.addWidget(self.missing_other)
        form.addRow(self.tr("资料"), self._field("missing_documents", docs))

        self.surrender_reason = QComboBox()
        self.surrender_reason.setObjectName("surrender_reason")
        self.surrender_reason.addItem(self.tr("（未填写）"), None)
        for code, label in visitors.SURRENDER_REASONS.items():
            self.surrender_reason.addItem(label, code)
        self.retention = QComboBox()
        self.retention.setObjectName("retention")
        self.retention.addItem(self.tr("（未填写）"), None)
        for code, label in visitors.RETENTION.items():
            self.retention.addItem(label, code)
        self.surrender_box = QGroupBox(self.tr("退保"))
        self.surrender_box.setObjectName("surrender_box")
        surrender_form = QFormLayout(self.surrender_box)
        surrender_form.addRow(self.tr("退保原因"), self._field("surrender_reason", self.surrender_reason))
        surrender_form.addRow(self.tr("挽留结果"), self._field("retention", self.retention))
        form.addRow(self.surrender_box)

        self.called_check = QCheckBox(self.tr("已叫号"))
        self.called_check.setObjectName("called_check")
        self.called_at = self._datetime_edit("called_at")
        self.called_check.toggled.connect(self._called_toggled)
        form.addRow(self.tr("叫号时间"), self._field("called_at", self.called_at, self.called_check))

        self.finished_check = QCheckBox(self.tr("已结束"))
        self.finished_check.setObjectName("finished_check")
        self.finished_at = self._datetime_edit("finished_at")
        self.finished_check.toggled.connect(self._finished_toggled)
        form.addRow(self.tr("结束时间"), self._field("finished_at", self.finished_at, self.finished_check))

        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        self.outcome.addItem(self.tr("（未结束）"), None)
        for code, label in visitors.OUTCOMES.items():
            self.outcome.addItem(label, code)
        form.addRow(self.tr("办理结果"), self._field("outcome", self.outcome))

        self.wait_label = QLabel()
        self.wait_label.setObjectName("wait_minutes")
        self.service_label = QLabel()
        self.service_label.setObjectName("service_minutes")
        derived = QWidget()
        derived_row = QHBoxLayout(derived)
        derived_row.setContentsMargins(0, 0, 0, 0)
        derived_row.addWidget(QLabel(self.tr("等候")))
        derived_row.addWidget(self.wait_label)
        derived_row.addSpacing(24)
        derived_row.addWidget(QLabel(self.tr("办理")))
        derived_row.addWidget(self.service_label)
        derived_row.addStretch(1)
        form.addRow(self.tr("时长（分钟）"), derived)

        self.served_by = QLineEdit()
        self.served_by.setObjectName("served_by")
        self.served_by.setMaxLength(visitors.MAX_STAFF)
        form.addRow(self.tr("经办人"), self._field("served_by", self.served_by))

        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        form.addRow(self.tr("备注"), self._field("notes", self.notes))

        self.care_history = QLabel()
        self.care_history.setObjectName("care_history")
        self.care_history.setWordWrap(True)
        self.care_history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.care_history.setToolTip(self.tr("等候时的照护措施和交给客户的一次性告知单：时间、措施、经办人"))
        form.addRow(self.tr("照护与告知"), self.care_history)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.reload_button = QPushButton(self.tr("载入最新记录"))
        self.reload_button.setObjectName("reload")
        self.reload_button.setToolTip(self.tr("放弃本次修改，显示其他工作站保存后的最新内容"))
        self.reload_button.setAutoDefault(False)
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.hide()
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.history_button = QPushButton(self.tr("历史…"))
        self.history_button.setObjectName("history")
        self.history_button.setToolTip(self.tr("这条记录的审计日志：谁在什么时候改了什么"))
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(self.show_history)
        self.slip_button = QPushButton(self.tr("打印告知单…（Ctrl+P）"))
        self.slip_button.setObjectName("slip")
        self.slip_button.setToolTip(self.tr("一次性告知单：按本页勾选的所缺资料预先勾选"))
        self.slip_button.setAutoDefault(False)
        self.slip_button.clicked.connect(self.open_slip)
        self.slip_dialog: QDialog | None = None
        slip_key = QShortcut(QKeySequence("Ctrl+P"), self)
        slip_key.activated.connect(self.open_slip)
        self.cancel_button = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.cancel)

    def _build_conflict_box(self) -> None:
        """What another station changed, shown above the form after a refused save."""
        self.conflict_box = ConflictPanel()
        self.conflict_box.reapplyRequested.connect(self.reapply)
        # The panel's parts, by the names the dialog has always had.
        self.conflict_headline = self.conflict_box.headline
        self.conflict_list = self.conflict_box.changes
        self.conflict_hint = self.conflict_box.hint
        self.reapply_button = self.conflict_box.reapply_button

    # ------------------------------------------------------------ loading

    def _load(self, detail: VisitDetail) -> None:
        """Fill every field from ``detail`` (opening, or reloading after a conflict)."""
        self.detail = detail
        r = detail.row
        voided = r.status == visitors.VOIDED
        data = detail.to_input()
        if voided:  # a voided visit keeps the outcome it had (to_input leaves it out: not an open edit)
            data = replace(data, outcome=r.outcome)
        self.errors.clear()
        self.reload_button.hide()
        self.setWindowTitle(self.tr("来访详情 — {when} {who}").replace(
            "{when}", format_datetime(r.arrived_at)).replace("{who}", r.customer_name or r.ticket_no))
        self.status_label.setText(visitors.STATUSES.get(r.status, r.status))
        self.registered_by.setText(detail.registered_by or self.tr("（未记录）"))
        self._phone_revealed = False
        self._fill(data)

        if voided:
            self.void_banner.setText(self.tr("此来访记录已作废，只能查看。作废原因：{reason}").replace(
                "{reason}", r.void_reason))
        self.void_banner.setVisible(voided)
        may_edit = visitors.may_edit(r)
        self.permission_banner.setText(visitors.edit_refusal())
        self.permission_banner.setVisible(not voided and not may_edit)
        self._set_read_only(not may_edit)
        actor = session.current()
        self.reveal_button.setVisible(
            bool(r.phone_masked) and actor is not None and actor.can(session.REVEAL))
        self.history_button.setVisible(actor is not None and actor.can(session.VIEW_AUDIT))
        self.slip_button.setVisible(not voided)
        self.show_care_history()
        self._loaded_value = self.value()

    def _fill(self, data: VisitInput) -> None:
        """Put ``data`` in the form's fields."""
        arrived = data.arrived_at or self.detail.row.arrived_at
        self.arrived_at.setDateTime(to_qdatetime(arrived))
        self.ticket_no.setText(data.ticket_no)
        self.customer_name.setText(data.customer_name)
        # ``None``: the stored number, shown masked unless revealed in this dialog.
        self._phone_shown = data.phone if data.phone is not None else self.detail.row.phone_masked
        self.phone.setText(self._phone_shown)
        self._fill_list(self.business_type, lists.entries(BUSINESS_TYPE, include_inactive=True),
                        data.business_type_id)
        self._fill_list(self.destination, lists.entries(DESTINATION, include_inactive=True),
                        data.destination_id)
        for code, box in self.needs.items():
            box.setChecked(code in data.special_needs)
        self.vip.setChecked(data.vip)

        self.missing_list.clear()
        known = [e.label for e in lists.entries(DOCUMENT)]
        for label in known:
            item = QListWidgetItem(label, self.missing_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if label in data.missing_documents else Qt.CheckState.Unchecked
            )
        self.missing_other.setText("、".join(d for d in data.missing_documents if d not in known))
        self.documents_complete.setChecked(data.documents_complete)
        self._documents_toggled(data.documents_complete)

        self._set_combo(self.surrender_reason, data.surrender_reason)
        self._set_combo(self.retention, data.retention)
        self._business_type_changed()

        self.called_check.setChecked(data.called_at is not None)
        self.called_at.setDateTime(to_qdatetime(data.called_at or self._default_time(arrived)))
        self._called_toggled(data.called_at is not None)
        self.finished_check.setChecked(data.finished_at is not None)
        self.finished_at.setDateTime(
            to_qdatetime(data.finished_at or self._default_time(data.called_at or arrived))
        )
        self._finished_toggled(data.finished_at is not None)
        self._set_combo(self.outcome, data.outcome)
        self.served_by.setText(data.served_by)
        self.notes.setPlainText(data.notes)
        self._update_derived()

    def _fill_list(self, combo: QComboBox, entries: list[ListEntry], current: int | None) -> None:
        """Active entries, plus the visit's own entry even if it has been retired since."""
        combo.blockSignals(True)
        combo.clear()
        for entry in entries:
            if entry.active or entry.id == current:
                label = entry.label if entry.active else self.tr("{label}（已停用）").replace("{label}", entry.label)
                combo.addItem(label, entry.id)
                combo.setItemData(combo.count() - 1, entry.tag, Qt.ItemDataRole.UserRole + 1)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    @staticmethod
    def _set_combo(combo: QComboBox, value: str | None) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    @staticmethod
    def _default_time(after: datetime) -> datetime:
        """What a time box starts at when ticked: now, or ``after`` for a visit of another day."""
        now = clock.now()
        return now if now.date() == after.date() and now >= after else after

    def _set_read_only(self, read_only: bool) -> None:
        """Only to look at: the fields look it (no white boxes to type in) and take no focus;
        the focus rests on 关闭, so Enter or Esc closes."""
        self.read_only = read_only
        texts = (self.arrived_at, self.ticket_no, self.customer_name, self.phone, self.served_by)
        for widget in texts:
            widget.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
        for widget in (*texts, self.notes):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(READ_ONLY_STYLE if read_only else "")
        for widget in (self.business_type, self.destination, self.vip, self.documents_complete,
                       self.missing_list, self.missing_other, self.surrender_reason, self.retention,
                       self.called_check, self.finished_check, self.outcome, *self.needs.values()):
            widget.setEnabled(not read_only)
        if read_only:
            self.called_at.setEnabled(False)
            self.finished_at.setEnabled(False)
        self.save_button.setVisible(not read_only)
        self.cancel_button.setText(self.tr("关闭") if read_only else self.tr("取消"))
        self.cancel_button.setDefault(read_only)
        if read_only:
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ live rules

    def _business_type_changed(self, *_args: object) -> None:
        tag = self.business_type.currentData(Qt.ItemDataRole.UserRole + 1)
        self.surrender_box.setVisible(tag == SURRENDER_TAG)

    def _documents_toggled(self, complete: bool) -> None:
        self.missing_list.setVisible(not complete)
        self.missing_other.setVisible(not complete)

    def _called_toggled(self, on: bool) -> None:
        self.called_at.setEnabled(on)
        if not on and self.finished_check.isChecked() and self.outcome.currentData() != visitors.LEFT:
            self.finished_check.setChecked(False)
        self._update_derived()

    def _finished_toggled(self, on: bool) -> None:
        self.finished_at.setEnabled(on)
        self._update_derived()

    def _update_derived(self, *_args: object) -> None:
        arrived = from_qdatetime(self.arrived_at.dateTime())
        called = from_qdatetime(self.called_at.dateTime()) if self.called_check.isChecked() else None
        finished = from_qdatetime(self.finished_at.dateTime()) if self.finished_check.isChecked() else None
        wait = (called - arrived).total_seconds() / 60 if called else None
        service = (finished - called).total_seconds() / 60 if called and finished else None
        self.wait_label.setText(format_minutes(wait) or "—")
        self.service_label.setText(format_minutes(service) or "—")

    # ------------------------------------------------------------ saving

    def value(self) -> VisitInput:
        """What the form says now."""
        missing = [
            self.missing_list.item(n).text()
            for n in range(self.missing_list.count())
            if self.missing_list.item(n).checkState() == Qt.CheckState.Checked
        ]
        missing += [p.strip() for p in re.split(r"[、，,;；\n]", self.missing_other.text()) if p.strip()]
        surrender = self.surrender_box.isVisibleTo(self)
        return VisitInput(
            business_type_id=self.business_type.currentData(),
            destination_id=self.destination.currentData(),
            arrived_at=from_qdatetime(self.arrived_at.dateTime()),
            ticket_no=self.ticket_no.text(),
            customer_name=self.customer_name.text(),
            phone=self._phone_value(),
            special_needs=frozenset(code for code, box in self.needs.items() if box.isChecked()),
            vip=self.vip.isChecked(),
            documents_complete=self.documents_complete.isChecked(),
            missing_documents=tuple(dict.fromkeys(missing)),
            surrender_reason=self.surrender_reason.currentData() if surrender else None,
            retention=self.retention.currentData() if surrender else None,
            served_by=self.served_by.text(),
            notes=self.notes.toPlainText(),
            called_at=from_qdatetime(self.called_at.dateTime()) if self.called_check.isChecked() else None,
            finished_at=from_qdatetime(self.finished_at.dateTime()) if self.finished_check.isChecked() else None,
            outcome=self.outcome.currentData(),
        )

    def show_care_history(self, *_args: object) -> None:
        """The care actions and slips of this visit, one a line: time, what, who."""
        try:
            events = care.history_of(self.visit_id)
        except UserError as exc:
            self.care_history.setText(exc.message)
            return
        with_date = any(e.at.date() != self.detail.row.arrived_at.date() for e in events)
        self.care_history.setText("\n".join(
            f"{format_datetime(e.at, with_date=with_date)}　{e.text}　— {e.username}" for e in events
        ) or self.tr("（无）"))

    def open_slip(self) -> None:
        """Ctrl+P: the 一次性告知单 of this visit, ticked as this dialog shows the missing papers."""
        if not self.slip_button.isVisible() or self.slip_dialog is not None:
            return
        from frontdesk.ui.visitors.slip_dialog import SlipDialog

        data = self.value()
        marked = () if data.documents_complete else data.missing_documents
        dialog = SlipDialog(self.visit_id, self, marked=marked)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.recorded.connect(self.show_care_history)
        dialog.finished.connect(self._slip_closed)
        self.slip_dialog = dialog
        dialog.show()

    def _slip_closed(self, _result: int) -> None:
        self.slip_dialog = None
        self.activateWindow()

    def show_history(self) -> None:
        """The audit trail of this visit, oldest to newest (duty manager, administrator)."""
        from frontdesk.ui.admin.audit_dialog import AuditLogDialog

        dialog = AuditLogDialog(self, entity="visit", entity_id=self.visit_id)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def _phone_value(self) -> str | None:
        """The phone as the service takes it: ``None`` while the masked number is left as shown."""
        text = self.phone.text()
        if not self._phone_revealed and text == self._phone_shown and "*" in text:
            return None
        return text

    def reveal_phone(self) -> None:
        """Show the full number (duty manager, administrator); the service audits the look,
        a write, so it runs on the database worker."""
        if self._revealing.busy:
            return
        self._revealing.run(
            Op(self, lambda: visitors.reveal_phone(self.visit_id)).success(self._revealed)
            .failure(self.errors.show)
        )

    def _revealed(self, full: str) -> None:
        if self.phone.text() == self._phone_shown:  # not retyped meanwhile: show it in full
            self._phone_shown = full
            self.phone.setText(full)
        self._phone_revealed = True
        self.reveal_button.hide()

    @property
    def busy(self) -> bool:
        """A save is on its way to the database."""
        return self._saving.busy

    def save(self) -> None:
        """Save on the database worker; on a refusal the dialog stays open with everything typed kept."""
        if self.detail.row.status == visitors.VOIDED or not self.save_button.isVisible():
            return
        data, expected = self.value(), self.detail
        self._saving.run(
            Op(self, lambda: visitors.update(self.visit_id, data, expected=expected), changes={VISIT})
            .success(self._saved)
            .failure(lambda error: self._save_refused(error, data))
        )

    def _saved(self, row: VisitRow) -> None:
        self.saved_row = row
        self.errors.clear()
        self.accept()

    def _save_refused(self, error: UserError, data: VisitInput) -> None:
        if isinstance(error, ConflictError):
            self._show_conflict(error, data)
            return
        widget = self.errors.show(error)
        if isinstance(error, ValidationError) and widget is not None:
            widget.setFocus()

    def reject(self) -> None:
        if not self._saving.busy:  # a save on its way finishes first: its outcome shows here
            super().reject()

    def cancel(self) -> None:
        """Esc, 取消 or the window's ✕: edits are not thrown away without asking. (The program
        closing the dialog, as at a change of user, calls ``reject`` and asks nothing.)"""
        if self._saving.busy or (self.has_edits() and not self._confirm_discard()):
            return
        self.reject()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.read_only:  # not the first field, as a dialog gives by default
            self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.spontaneous() and (self._saving.busy or (self.has_edits() and not self._confirm_discard())):
            event.ignore()
            return
        super().closeEvent(event)

    def has_edits(self) -> bool:
        """Whether the form differs from the record as it was filled in."""
        return not self.read_only and self._loaded_value is not None and self.value() != self._loaded_value

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("放弃修改？"),
                          self.tr("这条来访记录有未保存的修改。关闭后这些修改将丢失。"), parent=self)
        box.setObjectName("discardEditsBox")
        discard = box.addButton(self.tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    def _show_conflict(self, exc: ConflictError, data: VisitInput) -> None:
        """List what the other station changed; the form keeps what the user typed."""
        self.errors.clear()
        self.conflict_box.show_refusal(exc, data, self._loaded_value)
        self.reload_button.show()

    def my_changes(self) -> tuple[str, ...]:
        """The fields the user changed in the input a conflict refused (empty if none pending)."""
        return self.conflict_box.my_changes()

    def reload(self) -> None:
        """Show the record as it is now (after a conflict); the refused input stays at hand."""
        try:
            detail = visitors.get_visit(self.visit_id)
        except UserError as exc:
            self.errors.show(exc)
            return
        self._load(detail)
        self.conflict_box.reloaded(editable=detail.row.status != visitors.VOIDED)

    def reapply(self) -> None:
        """Fill the user's own changes in again, on top of the latest record; saving is theirs."""
        merged = self.conflict_box.merged(self.value())
        if merged is not None:
            self._fill(merged)
