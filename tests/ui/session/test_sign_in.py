"""Signing in: the dialog of every start, the first administrator, and ``run_gui`` asking for them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.app import run_gui
from frontdesk.db.database import close_database, open_database
from frontdesk.db.models import AuditEntry, User
from frontdesk.services import clock, session, settings, users
from frontdesk.ui import crash
from frontdesk.ui.session.sign_in import CreateAdminDialog, SignInDialog
from tests.conftest import ADMIN_PASSWORD
from tests.ui.widget_helpers import when_modal
from tests.ui.worker_helpers import settle


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


@pytest.fixture
def signed_out(configured):
    """The configured database with nobody signed in, as at the start of the program."""
    session.set_current(None)
    return configured


def test_the_dialog_names_the_program_and_the_branch_and_remembers_the_last_user(signed_out, qtbot):
    from PySide6.QtCore import QSettings

    from frontdesk import APP_NAME
    from frontdesk.ui.session.sign_in import LAST_USER_KEY

    QSettings(APP_NAME, APP_NAME).remove(LAST_USER_KEY)  # Qt keeps its settings path per process
    dialog = show(qtbot, SignInDialog())
    assert "FrontDesk" in dialog.windowTitle() and "测试支行营业厅" in dialog.windowTitle()
    assert QApplication.focusWidget() is dialog.form.username  # nobody signed in here before
    type_into(qtbot, dialog.form.username, "admin")
    qtbot.keyClick(dialog.form.username, Qt.Key.Key_Return)  # Enter moves on to the password
    assert QApplication.focusWidget() is dialog.form.password and dialog.isVisible()
    qtbot.keyClicks(dialog.form.password, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    settle(qtbot)  # checked on the database worker
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert session.current().username == "admin" and dialog.actor == session.current()
    # The next start offers the same name, the cursor in the password.
    again = show(qtbot, SignInDialog())
    assert again.form.username.text() == "admin"
    assert QApplication.focusWidget() is again.form.password


def test_a_wrong_password_is_said_in_place_and_nothing_typed_is_lost(signed_out, qtbot):
    dialog = show(qtbot, SignInDialog())
    type_into(qtbot, dialog.form.username, "admin")
    type_into(qtbot, dialog.form.password, "not-the-password")
    qtbot.mouseClick(dialog.form.button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # checked on the database worker
    assert dialog.isVisible() and session.current() is None
    assert dialog.form.message.text() == "用户名或密码不正确。" and dialog.form.message.isVisible()
    assert dialog.form.username.text() == "admin"
    assert dialog.form.password.text() == "not-the-password"  # selected: typing replaces it
    assert dialog.form.password.selectedText() == "not-the-password"
    qtbot.keyClicks(dialog.form.password, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    settle(qtbot)  # checked on the database worker
    assert dialog.result() == SignInDialog.DialogCode.Accepted


def test_five_wrong_passwords_lock_the_account_for_five_minutes(signed_out, qtbot, monkeypatch):
    now = {"t": datetime(2026, 11, 25, 9, 0, 0)}
    monkeypatch.setattr(clock, "now", lambda: now["t"])
    dialog = show(qtbot, SignInDialog())
    type_into(qtbot, dialog.form.username, "admin")
    for _ in range(users.MAX_ATTEMPTS):
        type_into(qtbot, dialog.form.password, "wrong-guess")
        qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
        settle(qtbot)  # checked on the database worker
    assert "账户已锁定" in dialog.form.message.text() and "09:05" in dialog.form.message.text()
    type_into(qtbot, dialog.form.password, ADMIN_PASSWORD)  # even the right one, for now
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    settle(qtbot)  # checked on the database worker
    assert dialog.isVisible() and "账户已锁定" in dialog.form.message.text()
    now["t"] += timedelta(minutes=5, seconds=1)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    settle(qtbot)  # checked on the database worker
    assert dialog.result() == SignInDialog.DialogCode.Accepted


def test_an_empty_name_is_asked_for(signed_out, qtbot):
    dialog = show(qtbot, SignInDialog())
    dialog.form.username.clear()
    qtbot.mouseClick(dialog.form.button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # checked on the database worker
    assert dialog.form.message.text() == "请输入用户名。"
    assert QApplication.focusWidget() is dialog.form.username


# ---------------------------------------------------------------- the first administrator


@pytest.fixture
def no_users(database):
    settings.first_run("测试支行营业厅", "insurance")
    return database


def test_the_first_administrator_is_created_and_signed_in(no_users, qtbot):
    dialog = show(qtbot, CreateAdminDialog())
    assert "FrontDesk" in dialog.windowTitle() and dialog.username.text() == "admin"
    type_into(qtbot, dialog.username, "zhangmin")
    dialog.display_name.setText("张敏")
    type_into(qtbot, dialog.password, "s3cret-pass")
    type_into(qtbot, dialog.confirm, "s3cret-pass")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result() == CreateAdminDialog.DialogCode.Accepted)  # hashed on the worker
    actor = session.current()
    assert dialog.actor == actor
    assert (actor.username, actor.display_name, actor.role) == ("zhangmin", "张敏", session.ADMIN)
    stored = User.get(User.username == "zhangmin")
    assert stored.password_hash.startswith("$argon2id$") and "s3cret-pass" not in stored.password_hash
    assert [e.action for e in AuditEntry.select().where(AuditEntry.username == "zhangmin")] == [
        "user_add", "sign_in"]


def test_the_first_administrator_form_refuses_in_place(no_users, qtbot):
    dialog = show(qtbot, CreateAdminDialog())
    type_into(qtbot, dialog.password, "s3cret-pass")
    type_into(qtbot, dialog.confirm, "s3cret-pas")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("confirm") == "两次输入的密码不一致，请重新输入。"
    assert QApplication.focusWidget() is dialog.confirm
    type_into(qtbot, dialog.password, "abc")
    type_into(qtbot, dialog.confirm, "abc")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "至少 6 个字符" in dialog.errors.message("password")
    assert dialog.username.text() == "admin" and dialog.password.text() == "abc"
    assert users.count_users() == 0 and dialog.isVisible()


@pytest.fixture
def hooks():
    yield
    crash.uninstall()


@pytest.mark.qt_no_exception_capture
def test_run_gui_on_a_database_without_users_asks_for_the_administrator(db_location, hooks, qtbot):
    open_database(db_location)
    settings.first_run("西单支行", "bank")  # e.g. a database from before users existed
    close_database()
    titles, shown = [], []

    def create(dialog):
        titles.append(dialog.windowTitle())
        dialog.password.setText("first-admin-1")
        dialog.confirm.setText("first-admin-1")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    def on_shown(window):
        shown.append(window)
        QApplication.exit(0)

    timer = when_modal(create)
    assert run_gui(db_location, on_shown=on_shown) == 0
    timer.stop()
    [window] = shown
    assert titles == ["FrontDesk 前台值班台 — 创建管理员"]
    assert window.user_label.text() == "当前用户：admin（管理员）"
    window.close()
    window.deleteLater()


@pytest.mark.qt_no_exception_capture
def test_run_gui_sign_in_cancelled_exits_cleanly(db_location, hooks, qtbot):
    from tests.ui.session_helpers import prepare_database

    prepare_database(db_location)

    def quit_(dialog):
        qtbot.mouseClick(dialog.findChild(type(dialog.form.button), "quitButton"), Qt.MouseButton.LeftButton)

    timer = when_modal(quit_)
    assert run_gui(db_location) == 0
    timer.stop()
    assert session.current() is None


def test_tab_to_the_button_and_enter_signs_in(signed_out, qtbot):
    dialog = show(qtbot, SignInDialog())
    type_into(qtbot, dialog.form.username, "admin")
    qtbot.keyClick(dialog.form.username, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.form.password, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.form.button
    qtbot.keyClick(dialog.form.button, Qt.Key.Key_Return)
    settle(qtbot)  # checked on the database worker
    assert dialog.result() == SignInDialog.DialogCode.Accepted


@pytest.mark.qt_no_exception_capture
def test_a_second_first_start_signs_in_with_the_administrator_made_elsewhere(db_location, hooks, qtbot):
    """Two stations starting for the first time at once: this one's administrator form was open
    when the other station created the administrator. Its 创建 hands over to the sign-in."""
    open_database(db_location)
    settings.first_run("西单支行", "bank")
    close_database()
    seen, shown = [], []

    def answer(dialog):
        seen.append(type(dialog).__name__)
        if isinstance(dialog, CreateAdminDialog):
            # Meanwhile, at the other station:
            users.create_first_admin("boss", "王经理", "boss-pass-1")
            session.set_current(None)
            dialog.password.setText("first-admin-1")
            dialog.confirm.setText("first-admin-1")
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        else:
            dialog.form.username.setText("boss")
            dialog.form.password.setText("boss-pass-1")
            qtbot.mouseClick(dialog.form.button, Qt.MouseButton.LeftButton)

    def on_shown(window):
        shown.append(window)
        QApplication.exit(0)

    from PySide6.QtCore import QTimer

    handled = []

    def poll():  # each kind of dialog answered once, in the order they come
        widget = QApplication.activeModalWidget()
        if widget is not None and type(widget) not in handled and widget.isVisible():
            handled.append(type(widget))
            answer(widget)

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    guard = QTimer()  # never hang: fail instead (stopped below, so no later test is touched)
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(3))
    guard.start(30_000)
    try:
        assert run_gui(db_location, on_shown=on_shown) == 0
    finally:
        guard.stop()
        timer.stop()
    assert seen[:2] == ["CreateAdminDialog", "SignInDialog"]
    [window] = shown
    assert window.user_label.text() == "当前用户：王经理（管理员）"
    assert User.select().count() == 1
    window.close()
    window.deleteLater()
