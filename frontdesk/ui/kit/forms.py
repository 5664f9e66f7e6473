"""Form helpers: a field with its error label, and small forms saved on the database worker.

``field_box`` puts a field's error label right under it (``FormErrors`` shows the service's
message there and keeps what was typed). ``WorkerFormDialog`` is a small form saved by one
service call on the database worker (an operation, ``kit.operations``). Every form that takes a
password uses it: the service hashes it with Argon2id, which deliberately takes a noticeable
fraction of a second, and the window must not freeze meanwhile. The form stays open (nothing
typed cleared, the OK button off) until the answer is back; a refusal is shown next to the
field the service names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import users
from frontdesk.ui.kit.changes import USER
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.worker import Job

NOTE_STYLE = "color: #6b7280;"
CONFIRM = "confirm"  # the form's own field: the password typed a second time


def field_box(errors: FormErrors, name: str, widget: QWidget, *extra: QWidget) -> QWidget:
    """``widget`` with the error label for service field ``name`` under it; ``extra`` widgets
    (a button, a check box) sit beside it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if extra:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        for w in extra:
            row.addWidget(w)
        column.addLayout(row)
    else:
        column.addWidget(widget)
    column.addWidget(errors.new_label(name, widget))
    return box


def password_edit(name: str) -> QLineEdit:
    """A password field: the characters are never shown."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(users.MAX_PASSWORD + 20)  # longer ones are refused by the service, with a reason
    return edit


class WorkerFormDialog(QDialog):
    """A small form saved by one service call on the database worker.

    Subclasses add their fields with ``add_field`` and implement ``prepare``: the form's own
    checks (raising ``ValidationError``), returning the call to run on the worker. Its result
    ends up in ``result_value`` and the dialog is accepted; a ``UserError`` is shown next to the
    field it names (or under the form) and everything typed stays.
    """

    changes: frozenset[str] = frozenset({USER})  # what a save changes, told on the change bus

    def __init__(self, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_value: Any = None
        self._job: Job | None = None
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.errors = FormErrors(self.message)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._first_field: QWidget | None = None

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("okButton")
        self.cancel_button = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancelButton")
        # Enter in a text field saves (``add_field``). Not through a default button: which button
        # is the default wanders with the focus, and a disabled one passes the role on.
        for button in (self.ok_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.buttons)

    def add_field(self, label: str, widget: QWidget, field: str) -> None:
        """``widget`` under ``label``, with the error label for service field ``field`` below it."""
        self.form.addRow(label, widget)
        self.form.addRow("", self.errors.new_label(field, widget))
        if isinstance(widget, QLineEdit):
            widget.returnPressed.connect(self.save)
        if self._first_field is None:
            self._first_field = widget

    def add_note(self, text: str) -> QLabel:
        note = QLabel(text)
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        self.layout_.insertWidget(self.layout_.indexOf(self.message), note)
        return note

    @property
    def busy(self) -> bool:
        """A save is on its way to the database."""
        return self._job is not None

    def prepare(self) -> Callable[[], Any]:
        raise NotImplementedError

    def save(self) -> None:
        if self.busy:
            return
        self.errors.clear()
        try:
            call = self.prepare()
        except UserError as error:
            self._show(error)
            return
        from frontdesk.ui.kit.operations import Op  # at first save: the sign-in opens sooner

        self._set_busy(True)
        self._job = Op(self, call, changes=self.changes).success(self._saved).failure(self._show) \
            .finally_(self._ended).run()

    def reject(self) -> None:
        if not self.busy:  # a save under way finishes first: its outcome is shown here
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)

    def _ended(self) -> None:
        self._job = None
        self._set_busy(False)

    def _saved(self, result: Any) -> None:
        self._ended()
        self.result_value = result
        self.accept()

    def _show(self, error: UserError) -> None:
        first = self.errors.show(error)
        target = first or self._first_field
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)


def mismatch_error() -> ValidationError:
    """The two password fields differ: caught by the form itself, shown next to the second one."""
    return ValidationError.single(
        CONFIRM, QCoreApplication.translate("WorkerFormDialog", "两次输入的密码不一致，请重新输入。")
    )
