"""Signing in: the dialog that starts every session, the first administrator, and the lock screen.

The front-desk PC stands in a public hall. Every session starts with a sign-in, and the window
covers itself with the same sign-in form when left idle (``LockScreen``). The one who locked it
gets back exactly what they left; someone else signing in gets a clean window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk import APP_NAME
from frontdesk.errors import UserError
from frontdesk.services import settings, users
from frontdesk.services.session import Actor
from frontdesk.ui.kit.common import FormErrors, SaveGuard
from frontdesk.ui.kit.forms import CONFIRM, WorkerFormDialog, mismatch_error, password_edit

LAST_USER_KEY = "sign_in/last_user"


def _remembered_user() -> str:
    value = QSettings(APP_NAME, APP_NAME).value(LAST_USER_KEY, "")
    return value if isinstance(value, str) else ""


def _remember_user(username: str) -> None:
    store = QSettings(APP_NAME, APP_NAME)
    store.setValue(LAST_USER_KEY, username)
    store.sync()


def _branch_name() -> str:
    try:
        return settings.load().branch_name
    except UserError:
        return ""


class SignInForm(QWidget):
    """User name, password and 登录; emits ``signedIn`` with the actor once the service agreed.

    ``locked_user``: the user who locked the window (the lock screen). Signing in as them is an
    unlock in the audit trail; anyone else is an ordinary sign-in.
    """

    signedIn = Signal(object)  # noqa: N815 - Qt naming; the Actor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.locked_user = ""
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(users.MAX_USERNAME)
        self.username.setPlaceholderText(self.tr("用户名"))
        self.password = password_edit("password")
        self.password.setPlaceholderText(self.tr("密码"))
        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.errors = FormErrors(self.message)
        self.button = QPushButton(self.tr("登录"))
        self.button.setObjectName("signInButton")
        # Enter is handled by the fields themselves (name → password → sign in), not by a
        # dialog's default button, which would also fire on Enter in the name field.
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.submit)
        self._guard = SaveGuard(self.button)
        self.username.returnPressed.connect(self._next)
        self.password.returnPressed.connect(self.submit)

        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.button)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Enter on the focused 登录 button signs in (the button is no dialog default)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.button.hasFocus():
            self.submit()
            return
        super().keyPressEvent(event)

    def prepare(self, username: str) -> None:
        """Ready for a new attempt: the name filled in, the password empty, the cursor placed."""
        self.errors.clear()
        self.username.setText(username)
        self.password.clear()
        self.focus()

    def focus(self) -> None:
        target = self.password if self.username.text().strip() else self.username
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _next(self) -> None:
        if self.username.text().strip():
            self.password.setFocus(Qt.FocusReason.TabFocusReason)

    def submit(self) -> None:
        """Check the password; a refusal is shown here and the password stays selected."""
        name = self.username.text().strip()
        if not name:
            self.errors.show(UserError(self.tr("请输入用户名。")))
            self.username.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self._guard.busy:
            return
        unlock = bool(self.locked_user) and users.login_key(name) == users.login_key(self.locked_user)
        password, action = self.password.text(), "unlock" if unlock else "sign_in"
        # The slow hash and the attempt's audit entry run on the database worker: a moment, and
        # the window keeps answering meanwhile.
        from frontdesk.ui.kit.operations import Op

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._guard.run(Op(self, lambda: users.sign_in(name, password, action=action))
                        .success(self._signed_in).failure(self._refused)
                        .finally_(QGuiApplication.restoreOverrideCursor))

    @property
    def busy(self) -> bool:
        """A sign-in is being checked."""
        return self._guard.busy

    def _refused(self, error: UserError) -> None:
        self.errors.show(error)
        self.password.selectAll()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _signed_in(self, actor: Actor) -> None:
        self.errors.clear()
        self.password.clear()
        _remember_user(actor.username)
        self.signedIn.emit(actor)


class SignInDialog(QDialog):
    """``FrontDesk 前台值班台 — 登录``: starts every session. Accepted once signed in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        branch = _branch_name()
        title = self.tr("FrontDesk 前台值班台 — 登录")
        self.setWindowTitle(f"{title} — {branch}" if branch else title)
        self.setMinimumWidth(380)
        self.actor: Actor | None = None
        heading = QLabel(self.tr("<h3>{branch}</h3>请登录后使用。").replace("{branch}", branch or "FrontDesk"))
        heading.setObjectName("signInHeading")
        self.form = SignInForm()
        self.form.signedIn.connect(self._signed_in)
        quit_button = QPushButton(self.tr("退出"))
        quit_button.setObjectName("quitButton")
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.form)
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.form.prepare(_remembered_user())

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()


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
