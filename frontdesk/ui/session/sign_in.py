"""Signing in: the dialog that starts every session, the first administrator, and the lock screen.

The front-desk PC stands in a public hall. Every session starts with a sign-in, and the window
covers itself with the same sign-in form when left idle (``LockScreen``). The one who locked it
gets back exactly what they left; someone else signing in gets a clean window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import settings, users
from frontdesk.services.session import Actor
from frontdesk.ui.kit.forms import CONFIRM, WorkerFormDialog, mismatch_error, password_edit
from frontdesk.ui.session.sign_in_form import (  # noqa: F401 - their home before start-up was made light
    LAST_USER_KEY,
    SignInDialog,
    SignInForm,
    _remember_user,
    _remembered_user,
)


def _branch_name() -> str:
    try:
        return settings.load().branch_name
    except UserError:
        return ""


class CreateAdminDialog(WorkerFormDialog):
    """The first start (or a database without users): create the administrator, who is signed in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("创建并登录"), parent)
        self.setObjectName("createAdminDialog")
        self.setWindowTitle(self.tr("FrontDesk 前台值班台 — 创建管理员"))
        self.setMinimumWidth(460)
        self.cancel_button.setText(self.tr("退出"))
        intro = QLabel(self.tr(
            "请创建管理员账户。管理员管理用户、列表和设置，也能办理前台和值班经理的全部工作。"
            "前台和值班经理的账户，之后在“设置 → 用户管理”中添加。密码只保存为加密摘要，请牢记。"))
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.username = QLineEdit("admin")
        self.username.setObjectName("username")
        self.username.setMaxLength(users.MAX_USERNAME + 20)
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.display_name.setMaxLength(users.MAX_DISPLAY_NAME + 20)
        self.display_name.setPlaceholderText(self.tr("如：张敏（可不填）"))
        self.password = password_edit("password")
        self.confirm = password_edit("confirm")
        self.add_field(self.tr("用户名"), self.username, "username")
        self.add_field(self.tr("姓名"), self.display_name, "display_name")
        self.add_field(self.tr("密码"), self.password, "password")
        self.add_field(self.tr("再输入一次"), self.confirm, CONFIRM)
        self.add_note(self.tr("密码至少 {n} 个字符，不能与用户名相同。").format(n=users.MIN_PASSWORD))
        self.username.selectAll()
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def actor(self) -> Actor | None:
        return self.result_value

    # Set when another station created the first administrator while this one's form was open
    # (two first starts at once): the dialog closes and the station signs in as usual instead.
    already_set_up = False

    def _show(self, error: UserError) -> None:
        if isinstance(error, users.AlreadySetUpError):
            self.already_set_up = True
            self._ended()  # the save is over: reject() waits for none
            self.reject()
            return
        super()._show(error)

    def prepare(self) -> Callable[[], Actor]:
        username, name, password = self.username.text(), self.display_name.text(), self.password.text()
        if password != self.confirm.text():
            raise mismatch_error()
        return lambda: users.create_first_admin(username, name, password)

    def accept(self) -> None:
        if self.actor is not None:
            _remember_user(self.actor.username)
        super().accept()


class LockScreen(QFrame):
    """Covers the whole main window while it is locked: who locked it, and the sign-in form."""

    signedIn = Signal(object)  # noqa: N815 - Qt naming; the Actor

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QFrame#lockScreen { background: #eef2f6; }")
        self.title = QLabel()
        self.title.setObjectName("lockTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setObjectName("lockHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form = SignInForm()
        self.form.signedIn.connect(self.signedIn)
        self.form.username.textChanged.connect(self._update_hint)
        card = QFrame()
        card.setObjectName("lockCard")
        card.setStyleSheet(
            "QFrame#lockCard { background: white; border: 1px solid #c7d0da; border-radius: 8px; }"
            " QLineEdit { padding: 2px 4px; min-height: 24px; border: 1px solid #b0bac5; border-radius: 3px; }"
            " QLineEdit:focus { border: 1px solid #1e6fd9; }"
            " QPushButton#signInButton { padding: 6px; }")
        card.setFixedWidth(420)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        # The wrapped hint must not squeeze the fields: the card is never smaller than its content.
        card_layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.hint)
        card_layout.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.hide()

    def present(self, locked_by: Actor | None, *, switching: bool = False, note: str = "") -> None:
        """Show over the window. ``switching``: the name field starts empty, for another user."""
        self.form.locked_user = locked_by.username if locked_by is not None else ""
        self._locked_name = (locked_by.display_name or locked_by.username) if locked_by is not None else ""
        branch = _branch_name()
        self.title.setText(self.tr("<h2>FrontDesk 前台值班台</h2><p>{branch}</p>").replace("{branch}", branch))
        self._note = note
        self.form.prepare("" if switching or locked_by is None else locked_by.username)
        self._update_hint()
        parent = self.parentWidget()
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.form.focus()

    def _update_hint(self, *_args: object) -> None:
        locked = self.form.locked_user
        typed = self.form.username.text().strip()
        if self._note:
            text = self._note
        elif locked and (not typed or users.login_key(typed) == users.login_key(locked)):
            text = self.tr("窗口已锁定。{user} 输入密码即可回到离开时的地方，未保存的内容都还在。").replace(
                "{user}", self._locked_name)
        elif locked:
            text = self.tr("换其他用户登录时，{user} 未保存的内容将被清除。").replace("{user}", self._locked_name)
        else:
            text = self.tr("请登录。")
        self.hint.setText(text)

    _note = ""
    _locked_name = ""
