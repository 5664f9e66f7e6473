"""Voiding a visit (作废): records are never deleted, only voided with a reason for the audit."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import visitors
from frontdesk.services.visitors import VisitRow
from frontdesk.ui.kit.changes import VISIT
from frontdesk.ui.kit.common import FormErrors, SaveGuard, format_datetime
from frontdesk.ui.kit.operations import Op

MIN_WIDTH = 480
TITLE_BAR_EXTRA = 160


class VoidVisitDialog(QDialog):
    """Shows which visit is about to be voided and asks why (required)."""

    def __init__(self, visit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visit_id = visit_id
        self.row: VisitRow = visitors.get_visit(visit_id).row  # NotFoundError → the caller shows it
        self.voided_row: VisitRow | None = None
        self.setWindowTitle(self.tr("作废来访记录"))
        self.setObjectName("void_visit_dialog")
        # Room for the title in the title bar (its buttons and icon take ~160 px) and for a
        # reason of a sentence without the fields touching each other.
        title_width = self.fontMetrics().horizontalAdvance(self.windowTitle())
        self.setMinimumWidth(max(MIN_WIDTH, title_width + TITLE_BAR_EXTRA))

        r = self.row
        summary = QFormLayout()
        summary.setHorizontalSpacing(16)
        summary.setVerticalSpacing(6)
        summary.addRow(self.tr("到达时间"), QLabel(format_datetime(r.arrived_at)))
        if r.ticket_no:
            summary.addRow(self.tr("票号"), QLabel(r.ticket_no))
        if r.customer_name:
            summary.addRow(self.tr("称呼"), QLabel(r.customer_name))
        if r.phone_masked:
            summary.addRow(self.tr("电话"), QLabel(r.phone_masked))
        summary.addRow(self.tr("业务类型"), QLabel(r.business_type))
        summary.addRow(self.tr("状态"), QLabel(visitors.STATUSES.get(r.status, r.status)))

        self.reason = QLineEdit()
        self.reason.setObjectName("void_reason")
        self.reason.setPlaceholderText(self.tr("例如：重复登记、登记错误"))
        self.reason.setMaxLength(visitors.MAX_NOTES)
        fallback = QLabel()
        fallback.setObjectName("error_general")
        self.errors = FormErrors(fallback)
        reason_error = self.errors.new_label("void_reason", self.reason)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("作废原因"), self.reason)
        form.addRow("", reason_error)

        self.buttons = QDialogButtonBox()
        self.void_button = self.buttons.addButton(self.tr("作废"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.void_button.setObjectName("void_confirm")
        self.void_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("void_cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._guard = SaveGuard(self.void_button, cancel)

        note = QLabel(self.tr("作废后记录仍保留在登记表中（可按“已作废”筛选查看），但不再计入任何统计。"))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(summary)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(fallback)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def save(self) -> None:
        """Void the visit on the database worker; if refused, the dialog stays with the reason kept."""
        self._guard.run(
            Op(self, lambda: visitors.void(self.visit_id, self.reason.text(), expected=self.row),
               changes={VISIT})
            .success(self._voided)
            .failure(self._refused)
        )

    def _voided(self, row: VisitRow) -> None:
        self.voided_row = row
        self.errors.clear()
        self.accept()

    def _refused(self, error: UserError) -> None:
        widget = self.errors.show(error)
        if isinstance(error, ValidationError):
            (widget or self.reason).setFocus()

    def reject(self) -> None:
        if not self._guard.busy:  # a void on its way finishes first: its outcome shows here
            super().reject()
