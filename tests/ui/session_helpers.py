"""Signing in from a test, as a user does: into the dialog that ``run_gui`` opens first."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from frontdesk.db.database import close_database, open_database
from frontdesk.services import session, settings, users


def prepare_database(location: str, branch: str = "西单支行", preset: str = "bank",
                     username: str = "admin", password: str = "admin-pass-1") -> None:
    """A configured database with its administrator, closed again, nobody signed in."""
    open_database(location)
    try:
        settings.first_run(branch, preset)
        users.create_first_admin(username, "管理员", password)
    finally:
        session.set_current(None)
        close_database()


def answer_sign_in(username: str, password: str, seen: list[str] | None = None,
                   title_ends: str | None = None) -> QTimer:
    """Type ``username`` and ``password`` into the next sign-in dialog and press Enter.
    With ``title_ends``, first wait (up to 10 s) for the dialog's title to end so: the dialog is
    painted before the database is opened, and names the branch once it is."""
    polls = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "signInDialog":
            return
        polls[0] += 1
        if title_ends and not dialog.windowTitle().endswith(title_ends) and polls[0] < 1000:
            return
        timer.stop()
        if seen is not None:
            seen.append(dialog.windowTitle())
        form = dialog.form
        form.username.setFocus()
        form.username.selectAll()
        QTest.keyClicks(form.username, username)
        QTest.keyClick(form.username, Qt.Key.Key_Return)
        QTest.keyClicks(form.password, password)
        QTest.keyClick(form.password, Qt.Key.Key_Return)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    return timer
