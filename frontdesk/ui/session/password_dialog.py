"""Changing one's own password (修改密码)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.services import session, users
from frontdesk.ui.kit.forms import CONFIRM, WorkerFormDialog, mismatch_error, password_edit


class ChangePasswordDialog(WorkerFormDialog):
    """修改密码: the signed-in user's own password, the old one asked for again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("修改密码"), parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("修改密码"))
        self.setMinimumWidth(380)

        actor = session.current()
        if actor is not None:
            who = QLabel(self.tr("用户：{user}").format(user=actor.label))
            who.setObjectName("whoLabel")
            self.form.addRow(who)
        self.old_password = password_edit("oldPassword")
        self.new_password = password_edit("newPassword")
        self.confirm = password_edit("confirmPassword")
        self.add_field(self.tr("原密码"), self.old_password, "old_password")
        self.add_field(self.tr("新密码"), self.new_password, "new_password")
        self.add_field(self.tr("确认新密码"), self.confirm, CONFIRM)
        self.add_note(self.tr("新密码至少 {n} 个字符，不能与用户名相同。").format(n=users.MIN_PASSWORD))
        self.old_password.setFocus(Qt.FocusReason.OtherFocusReason)

    def prepare(self) -> Callable[[], None]:
        old, new = self.old_password.text(), self.new_password.text()
        if new != self.confirm.text():
            raise mismatch_error()
        return lambda: users.change_own_password(old, new)
