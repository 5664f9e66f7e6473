"""User administration (用户管理), for the administrator.

Users are never deleted: a user who leaves is deactivated (停用), so that the visits they
registered and their audit entries keep their name, and can be activated again. The rules
(the last administrator, not deactivating oneself, what a valid password is) live in the users
service; this dialog only asks and shows its answers, in Chinese, where they belong: a refused
field next to that field in the small form, a refused action in the dialog's message line.

Every call runs on the database worker (passwords are hashed with a deliberately slow Argon2id),
and each action re-reads the list in the same job, then selects the user acted on again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock, session, users
from frontdesk.services.users import UserRow
from frontdesk.ui.kit.changes import USER
from frontdesk.ui.kit.common import ERROR_STYLE, format_datetime
from frontdesk.ui.kit.forms import (
    CONFIRM,
    NOTE_STYLE,
    WorkerFormDialog,
    mismatch_error,
    password_edit,
)
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.worker import Job

INACTIVE_COLOUR = QColor("#9aa0a6")
LOCKED_COLOUR = QColor("#c62828")
DONE_STYLE = "color: #2e7d32;"

Index = QModelIndex | QPersistentModelIndex


def _name(row: UserRow) -> str:
    """``王芳（wang）``: how a message names a user."""
    if row.display_name and row.display_name != row.username:
        return f"{row.display_name}（{row.username}）"
    return row.username


def role_combo() -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("role")
    for code, label in session.ROLES.items():
        combo.addItem(label, code)
    return combo


# ---------------------------------------------------------------------- the table


class UserTableModel(QAbstractTableModel):
    """All users as plain ``UserRow``s; inactive ones greyed, a current lock in red."""

    HEADERS = ("用户名", "姓名", "角色", "状态", "上次登录")
    USERNAME, DISPLAY_NAME, ROLE, STATUS, LAST_SIGN_IN = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[UserRow] = []
        self._now = clock.now()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.active:
                return QBrush(INACTIVE_COLOUR)
            if column == self.STATUS and row.locked(self._now):
                return QBrush(LOCKED_COLOUR)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS and not row.active:
            return self.tr("已停用：不能登录；记录和审计日志仍保留其姓名。")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def display(self, row: UserRow, column: int) -> str:
        if column == self.USERNAME:
            return row.username
        if column == self.DISPLAY_NAME:
            return row.display_name
        if column == self.ROLE:
            return row.role_label
        if column == self.STATUS:
            return self.status_text(row)
        if row.last_sign_in_at is None:
            return self.tr("从未登录")
        return format_datetime(row.last_sign_in_at)

    def status_text(self, row: UserRow) -> str:
        if not row.active:
            return self.tr("已停用")
        if row.locked(self._now) and row.locked_until is not None:
            return self.tr("锁定至 {time}").format(time=row.locked_until.strftime("%H:%M"))
        return self.tr("启用")

    def set_rows(self, rows: list[UserRow], now: datetime) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._now = now
        self.endResetModel()

    def rows(self) -> list[UserRow]:
        return list(self._rows)

    def row_at(self, index: int) -> UserRow | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def position_of(self, user_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == user_id:
                return i
        return None

    def locked(self, row: UserRow) -> bool:
        return row.locked(self._now)


# ---------------------------------------------------------------------- the small forms


class NewUserDialog(WorkerFormDialog):
    """新建用户: user name, name, role and the first password (typed twice)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("新建"), parent)
        self.setObjectName("newUserDialog")
        self.setWindowTitle(self.tr("新建用户"))
        self.setMinimumWidth(400)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(users.MAX_USERNAME + 20)
        self.username.setPlaceholderText(self.tr("登录时输入，如 wangfang"))
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.display_name.setMaxLength(users.MAX_DISPLAY_NAME + 20)
        self.display_name.setPlaceholderText(self.tr("如：王芳"))
        self.role = role_combo()
        self.password = password_edit("password")
        self.confirm = password_edit("confirmPassword")
        self.add_field(self.tr("用户名"), self.username, "username")
        self.add_field(self.tr("姓名"), self.display_name, "display_name")
        self.add_field(self.tr("角色"), self.role, "role")
        self.add_field(self.tr("密码"), self.password, "password")
        self.add_field(self.tr("确认密码"), self.confirm, CONFIRM)
        self.add_note(self.tr("用户名不区分大小写和全角半角；密码至少 {n} 个字符，不能与用户名相同。").format(
            n=users.MIN_PASSWORD))
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def prepare(self) -> Callable[[], UserRow]:
        username, display_name = self.username.text(), self.display_name.text()
        role, password = self.role.currentData(), self.password.text()
        if password != self.confirm.text():
            raise mismatch_error()
        return lambda: users.add_user(username, display_name, role, password)


class EditUserDialog(WorkerFormDialog):
    """修改: the name shown and the role of one user (the user name never changes)."""

    def __init__(self, row: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("保存"), parent)
        self.row = row
        self.setObjectName("editUserDialog")
        self.setWindowTitle(self.tr("修改用户"))
        self.setMinimumWidth(380)
        username = QLabel(row.username)
        username.setObjectName("username")
        self.form.addRow(self.tr("用户名"), username)
        self.display_name = QLineEdit(row.display_name)
        self.display_name.setObjectName("displayName")
        self.display_name.setMaxLength(users.MAX_DISPLAY_NAME + 20)
        self.role = role_combo()
        self.role.setCurrentIndex(max(0, self.role.findData(row.role)))
        self.add_field(self.tr("姓名"), self.display_name, "display_name")
        self.add_field(self.tr("角色"), self.role, "role")
        self.add_note(self.tr("新的角色在该用户下一次保存时即生效，无需重新登录。"))
        self.display_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def prepare(self) -> Callable[[], UserRow]:
        user_id, display_name, role = self.row.id, self.display_name.text(), self.role.currentData()
        return lambda: users.update_user(user_id, display_name=display_name, role=role)


class ResetPasswordDialog(WorkerFormDialog):
    """重置密码: a new password for someone who forgot theirs; it also lifts a lock."""

    def __init__(self, row: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("重置"), parent)
        self.row = row
        self.setObjectName("resetPasswordDialog")
        self.setWindowTitle(self.tr("重置密码"))
        self.setMinimumWidth(380)
        who = QLabel(_name(row))
        who.setObjectName("username")
        self.form.addRow(self.tr("用户"), who)
        self.password = password_edit("password")
        self.confirm = password_edit("confirmPassword")
        self.add_field(self.tr("新密码"), self.password, "password")
        self.add_field(self.tr("确认新密码"), self.confirm, CONFIRM)
        self.add_note(self.tr("请把新密码当面告诉该用户。重置后账户的锁定也一并解除。"))
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def prepare(self) -> Callable[[], UserRow]:
        user_id, password = self.row.id, self.password.text()
        if password != self.confirm.text():
            raise mismatch_error()
        return lambda: users.reset_password(user_id, password)


# ---------------------------------------------------------------------- the dialog


class UsersDialog(QDialog):
    """用户管理: the list of users and what the administrator can do to each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("用户管理"))
        self.resize(760, 440)
        self.form: WorkerFormDialog | None = None  # the small form open right now
        self._job: Job | None = None

        self.model = UserTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("usersTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(self.edit_user)

        self.new_button = self._button(self.tr("新建用户…"), "newButton", self.new_user)
        self.edit_button = self._button(self.tr("修改…"), "editButton", self.edit_user)
        self.reset_button = self._button(self.tr("重置密码…"), "resetButton", self.reset_password)
        self.unlock_button = self._button(self.tr("解除锁定"), "unlockButton", self.unlock)
        self.toggle_button = self._button(self.tr("停用"), "toggleButton", self.toggle_active)
        self.refresh_button = self._button(self.tr("刷新"), "refreshButton", self.reload)
        side = QVBoxLayout()
        for button in (self.new_button, self.edit_button, self.reset_button, self.unlock_button,
                       self.toggle_button):
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(self.refresh_button)

        self.message = QLabel()
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        note = QLabel(self.tr("用户不会被删除：停用后不能再登录，但其登记的记录和审计日志仍保留其姓名，"
                              "以后也可以重新启用。密码连续输错 {n} 次的账户锁定 {m} 分钟。").format(
            n=users.MAX_ATTEMPTS, m=users.LOCK_MINUTES))
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("关闭"))
        self.close_button.setAutoDefault(False)

        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addWidget(note)
        layout.addWidget(close)
        self._update_buttons()
        self.reload()

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # ---------------------------------------------------------------- state

    @property
    def busy(self) -> bool:
        """A read or an action is on its way to or from the database."""
        return self._job is not None

    def selected(self) -> UserRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, user_id: int | None) -> None:
        position = self.model.position_of(user_id) if user_id is not None else None
        if position is None:
            self.view.clearSelection()
        else:
            index = self.model.index(position, 0)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        idle = not self.busy
        self.new_button.setEnabled(idle)
        self.refresh_button.setEnabled(idle)
        for button in (self.edit_button, self.reset_button, self.toggle_button):
            button.setEnabled(idle and row is not None)
        self.unlock_button.setEnabled(idle and row is not None and self.model.locked(row))
        self.toggle_button.setText(self.tr("启用") if row is not None and not row.active else self.tr("停用"))

    def say(self, text: str, *, error: bool = False) -> None:
        """The dialog's message line: what was done, or why it was refused."""
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else DONE_STYLE)
        self.message.setVisible(bool(text))

    # ---------------------------------------------------------------- database work

    def _submit(self, call: Callable[[], tuple[UserRow | None, list[UserRow]]], done: str,
                keep: int | None) -> None:
        """Run ``call`` (an action and the list read after it) on the worker, then show both."""
        def finished(result: tuple[UserRow | None, list[UserRow]]) -> None:
            self._job = None
            row, rows = result
            self.model.set_rows(rows, clock.now())
            self.select(row.id if row is not None else keep)
            self.say(done.format(user=_name(row)) if row is not None and done else done)

        def failed(error: UserError) -> None:
            self.say(error.message, error=True)
            self.reload(keep_message=True)  # another station may have changed the user meanwhile

        def ended() -> None:
            if self._job is job:  # not the list read a refusal started meanwhile
                self._job = None
            self._update_buttons()

        job = Op(self, call, changes={USER}).success(finished).failure(failed).finally_(ended).run()
        self._job = job
        self._update_buttons()

    def reload(self, *, keep_message: bool = False) -> None:
        """Read the list again; the selected user stays selected."""
        if self.busy:
            return
        keep = row.id if (row := self.selected()) is not None else None
        message, error = self.message.text(), self.message.styleSheet() == ERROR_STYLE

        def finished(result: tuple[UserRow | None, list[UserRow]]) -> None:
            self._job = None
            self.model.set_rows(result[1], clock.now())
            self.select(keep)
            if keep_message:
                self.say(message, error=error)
            else:
                self.say("")

        def failed(error_: UserError) -> None:
            self._job = None
            self._update_buttons()
            if not (keep_message and message):  # the refusal that led here says more
                self.say(error_.message, error=True)

        self._job = QueryOp(self, lambda: (None, users.list_users())).success(finished).failure(failed).run()
        self._update_buttons()

    def _act(self, action: Callable[[], UserRow], done: str) -> None:
        row = self.selected()
        self._submit(lambda: (action(), users.list_users()), done, row.id if row is not None else None)

    # ---------------------------------------------------------------- actions

    def _open_form(self, form: WorkerFormDialog, done: str) -> None:
        """Open a small form (window-modal); when it saved, reload and select its user."""
        self.form = form

        def saved() -> None:
            row: UserRow = form.result_value
            self.form = None
            self._submit(lambda: (row, users.list_users()), done, row.id)

        form.accepted.connect(saved)
        form.rejected.connect(lambda: setattr(self, "form", None))
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()

    def new_user(self) -> None:
        if not self.busy:
            self._open_form(NewUserDialog(self), self.tr("已新建用户 {user}。"))

    def edit_user(self, *_args: object) -> None:
        row = self.selected()
        if row is not None and not self.busy:
            self._open_form(EditUserDialog(row, self), self.tr("已保存 {user} 的修改。"))

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None and not self.busy:
            self._open_form(ResetPasswordDialog(row, self),
                            self.tr("已重置 {user} 的密码，账户锁定（如有）已解除。"))

    def unlock(self) -> None:
        row = self.selected()
        if row is not None and not self.busy:
            user_id = row.id
            self._act(lambda: users.unlock(user_id), self.tr("已解除 {user} 的锁定。"))

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None or self.busy:
            return
        user_id = row.id
        if row.active:
            if not self.confirm_deactivate(row):
                return
            self._act(lambda: users.set_active(user_id, False), self.tr("已停用 {user}。"))
        else:
            self._act(lambda: users.set_active(user_id, True), self.tr("已启用 {user}，可以重新登录。"))

    def confirm_deactivate(self, row: UserRow) -> bool:
        box = QMessageBox(self)
        box.setObjectName("deactivateConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("停用用户"))
        box.setText(self.tr("确定停用用户 {user} 吗？").format(user=_name(row)))
        box.setInformativeText(self.tr(
            "停用后该用户不能再登录，正在使用的电脑在其下一次保存时退出。"
            "用户不会被删除：其登记的来访记录和审计日志仍保留其姓名，以后可以重新启用。"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("停用"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes
