"""The sign-in form and dialog, light enough to be painted before the database is opened.

Start-up paints this dialog first (``frontdesk.app``) and opens the database, reads the settings
and imports the rest of the program behind it while the user types. So this module imports Qt
and nothing of the services: the service calls are imported when they are first made, and
``SignInForm.ready`` holds a sign-in pressed before the database is open until it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk import APP_NAME
from frontdesk.errors import UserError
from frontdesk.ui.kit.common import FormErrors, SaveGuard

if TYPE_CHECKING:
    from frontdesk.services.session import Actor

# ``services.users``' limits, repeated here so that the form needs no service to be built
# (tests/ui/session/test_sign_in.py checks that they agree).
MAX_USERNAME = 32
MAX_PASSWORD = 128

LAST_USER_KEY = "sign_in/last_user"


def _remembered_user() -> str:
    value = QSettings(APP_NAME, APP_NAME).value(LAST_USER_KEY, "")
    return value if isinstance(value, str) else ""


def _remember_user(username: str) -> None:
    store = QSettings(APP_NAME, APP_NAME)
    store.setValue(LAST_USER_KEY, username)
    store.sync()


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
        self.username.setMaxLength(MAX_USERNAME)
        self.username.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(MAX_PASSWORD + 20)  # longer ones are refused by the service
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
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter) and self.button.hasFocus():
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
        target.setFocus()  # no reason given: ``Qt`` is not touched before the first paint

    def _next(self) -> None:
        if self.username.text().strip():
            self.password.setFocus(QtCore.Qt.FocusReason.TabFocusReason)

    def submit(self) -> None:
        """Check the password; a refusal is shown here and the password stays selected."""
        name = self.username.text().strip()
        if not name:
            self.errors.show(UserError(self.tr("请输入用户名。")))
            self.username.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            return
        if self._guard.busy:
            return
        if not self.ready:  # the database is still being opened: signed in as soon as it is
            self._pending = True
            QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
            return
        from frontdesk.services import users

        unlock = bool(self.locked_user) and users.login_key(name) == users.login_key(self.locked_user)
        password, action = self.password.text(), "unlock" if unlock else "sign_in"
        # The slow hash and the attempt's audit entry run on the database worker: a moment, and
        # the window keeps answering meanwhile.
        from frontdesk.ui.kit.operations import Op

        QGuiApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        self._guard.run(Op(self, lambda: users.sign_in(name, password, action=action))
                        .success(self._signed_in).failure(self._refused)
                        .finally_(QGuiApplication.restoreOverrideCursor))

    # False while start-up is still opening the database (``frontdesk.app``); see ``mark_ready``.
    ready = True
    _pending = False

    def mark_ready(self) -> None:
        """The database is open: a sign-in pressed meanwhile goes ahead now."""
        self.ready = True
        if self._pending:
            self._pending = False
            QGuiApplication.restoreOverrideCursor()
            self.submit()

    @property
    def busy(self) -> bool:
        """A sign-in is being checked."""
        return self._guard.busy

    def _refused(self, error: UserError) -> None:
        self.errors.show(error)
        self.password.selectAll()
        self.password.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def _signed_in(self, actor: Actor) -> None:
        self.errors.clear()
        self.password.clear()
        _remember_user(actor.username)
        self.signedIn.emit(actor)


class SignInDialog(QDialog):
    """``FrontDesk 前台值班台 — 登录``: starts every session. Accepted once signed in."""

    def __init__(self, parent: QWidget | None = None, *, branch: str | None = None) -> None:
        """``branch``: the branch's name if known; ``None`` reads it from the settings (the
        database is open). Start-up passes "" and names the branch with ``set_branch`` later."""
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setMinimumWidth(380)
        self.actor: Actor | None = None
        self.heading = QLabel()
        self.heading.setObjectName("signInHeading")
        heading = self.heading
        self.form = SignInForm()
        self.form.signedIn.connect(self._signed_in)
        quit_button = QPushButton(self.tr("退出"))
        quit_button.setObjectName("quitButton")
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.form)
        buttons = QHBoxLayout()  # 退出 on the right, with no alignment flag (see ``focus``)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        layout.addLayout(buttons)
        self.form.prepare(_remembered_user())
        if branch is None:
            from frontdesk.ui.session.sign_in import _branch_name

            branch = _branch_name()
        self.set_branch(branch)

    def set_branch(self, branch: str) -> None:
        """The branch's name in the title and the heading ("FrontDesk" until it is known)."""
        title = self.tr("FrontDesk 前台值班台 — 登录")
        self.setWindowTitle(f"{title} — {branch}" if branch else title)
        self.heading.setText(self.tr("<h3>{branch}</h3>请登录后使用。").replace("{branch}", branch or "FrontDesk"))

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    firstPainted = Signal()  # noqa: N815 - Qt naming; start-up opens the database after it
    _painted = False

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()


