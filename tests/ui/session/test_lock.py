"""The idle lock, switching users, and what each role sees in the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.app import build_main_window
from frontdesk.db.models import AuditEntry, User
from frontdesk.services import backup, session, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.visitors.form_dialog import VisitFormDialog
from tests.conftest import ADMIN_PASSWORD, PASSWORDS
from tests.ui.register_helpers import list_ids, type_chinese
from tests.ui.worker_helpers import settle


@pytest.fixture
def window(db_location, configured, qtbot):
    widget = build_main_window(db_location)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def sign_in_on_lock_screen(qtbot, window, username: str, password: str) -> None:
    form = window.lock_screen.form
    form.username.setFocus()
    form.username.selectAll()
    qtbot.keyClicks(form.username, username)
    form.password.setFocus()
    qtbot.keyClicks(form.password, password)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    settle(qtbot)  # the password is checked on the database worker


def register(name: str) -> visitors.VisitRow:
    bts, dests = list_ids("business_type"), list_ids("destination")
    return visitors.register(VisitInput(business_type_id=bts["咨询"], destination_id=dests["1号窗口"],
                                        customer_name=name))


def actions(window) -> list[str]:
    return [e.action for e in AuditEntry.select().order_by(AuditEntry.seq)]


def test_left_idle_the_window_locks_and_the_same_user_gets_everything_back(window, qtbot):
    form = window.visitor_tab.quick_entry
    form.customer_name.setFocus()
    type_chinese(form.customer_name, "王阿姨")
    visit = register("陈先生")
    dialog = VisitFormDialog(visit.id, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.notes.setFocus()
    type_chinese(dialog.notes, "尚未保存的备注")

    window.idle_watcher.set_interval_ms(100)
    qtbot.waitUntil(window.is_locked, timeout=3000)
    assert window.lock_screen.geometry() == window.rect()
    assert not dialog.isVisible() and not window.menuBar().isEnabled() and not window.tabs.isEnabled()
    assert window.lock_screen.form.username.text() == "admin"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.lock_screen.form.password)  # activation
    assert "回到离开时的地方" in window.lock_screen.hint.text()

    sign_in_on_lock_screen(qtbot, window, "admin", ADMIN_PASSWORD)
    assert not window.is_locked() and window.tabs.isEnabled() and window.menuBar().isEnabled()
    assert dialog.isVisible() and dialog.notes.toPlainText() == "尚未保存的备注"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.notes)
    assert form.customer_name.text() == "王阿姨"
    assert actions(window)[-2:] == ["lock", "unlock"]
    dialog.reject()

    # Without a dialog open, the cursor goes back to the field it was in.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    form.customer_name.setFocus()
    assert QApplication.focusWidget() is form.customer_name
    window.lock()
    sign_in_on_lock_screen(qtbot, window, "admin", ADMIN_PASSWORD)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.customer_name)
    assert form.customer_name.text() == "王阿姨"


def test_while_locked_the_keys_of_the_register_do_nothing(window, qtbot):
    visit = register("李先生")
    window.visitor_tab.waiting_panel.reload()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked()
    for key in (Qt.Key.Key_F2, Qt.Key.Key_F4):
        qtbot.keyClick(QApplication.focusWidget(), key)
        qtbot.keyClick(window, key)
    assert visitors.get_visit(visit.id).row.status == visitors.WAITING
    assert window.is_locked()


def test_another_user_signing_in_gets_a_clean_window(window, make_user, qtbot):
    make_user(session.FRONT_DESK, "guide", "王芳")
    form = window.visitor_tab.quick_entry
    form.customer_name.setFocus()
    type_chinese(form.customer_name, "管理员没登记完的客户")
    visit = register("陈先生")
    dialog = VisitFormDialog(visit.id, window)
    dialog.open()
    qtbot.waitExposed(dialog)
    type_chinese(dialog.notes, "管理员的草稿")
    old_tab = window.visitor_tab

    window.switch_user()
    assert window.lock_screen.form.username.text() == ""
    sign_in_on_lock_screen(qtbot, window, "guide", PASSWORDS["guide"])
    assert not window.is_locked()
    assert window.visitor_tab is not old_tab
    assert window.visitor_tab.quick_entry.customer_name.text() == ""
    assert not dialog.isVisible()
    assert visitors.get_visit(visit.id).row.notes == ""  # the draft was not saved by anyone
    assert window.user_label.text() == "当前用户：王芳（前台）"
    # The front desk sees neither the administration nor voiding.
    assert not window.users_action.isVisible() and not window.audit_action.isVisible()
    assert not window.visitor_tab.register_table.void_button.isVisible()
    assert session.current().username == "guide"


def test_the_lock_screen_warns_before_another_user_discards_the_work(window, qtbot):
    window.lock()
    form = window.lock_screen.form
    form.username.setFocus()
    form.username.selectAll()
    qtbot.keyClicks(form.username, "guide")
    assert "未保存的内容将被清除" in window.lock_screen.hint.text()


def test_a_wrong_password_on_the_lock_screen_keeps_it_locked(window, qtbot):
    window.lock()
    sign_in_on_lock_screen(qtbot, window, "admin", "wrong-password")
    assert window.is_locked()
    assert window.lock_screen.form.message.text() == "用户名或密码不正确。"
    assert "sign_in_failed" in actions(window)


def test_each_role_sees_its_own_menus(window, make_user, qtbot):
    assert window.users_action.isVisible() and window.audit_action.isVisible()
    assert window.visitor_tab.register_table.void_button.isVisible()
    make_user(session.DUTY_MANAGER, "manager", "张经理")
    window.switch_user()
    sign_in_on_lock_screen(qtbot, window, "manager", PASSWORDS["manager"])
    assert window.audit_action.isVisible() and not window.users_action.isVisible()
    assert window.visitor_tab.register_table.void_button.isVisible()
    assert window.user_label.text() == "当前用户：张经理（值班经理）"


def test_an_account_deactivated_elsewhere_locks_the_window_at_its_next_save(window, make_user, qtbot):
    guide = make_user(session.FRONT_DESK, "guide")
    window.switch_user()
    sign_in_on_lock_screen(qtbot, window, "guide", PASSWORDS["guide"])
    User.update(active=False).where(User.id == guide.user_id).execute()  # the admin, elsewhere
    form = window.visitor_tab.quick_entry
    form.business.setFocus()
    qtbot.keyClick(form.business, Qt.Key.Key_1)
    qtbot.keyClick(form.business, Qt.Key.Key_1)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(window.is_locked, timeout=3000)
    assert "停用" in window.lock_screen.hint.text()
    sign_in_on_lock_screen(qtbot, window, "admin", ADMIN_PASSWORD)
    assert not window.is_locked() and session.current().username == "admin"


@pytest.mark.parametrize("db_location", ["sqlite"], indirect=True)  # PostgreSQL: pg_restore (README)
def test_restoring_a_backup_from_the_window_asks_everyone_to_sign_in_again(tmp_path, window, qtbot):
    register("备份前的客户")
    copy = backup.backup_now(tmp_path / "copy.sqlite")
    register("备份后的客户")

    window.restore_database(copy)
    assert window.restoring and not window.isEnabled()  # on the worker; no input meanwhile
    qtbot.waitUntil(lambda: not window.restoring, timeout=10_000)
    assert window.is_locked() and session.current() is None
    assert "已从备份恢复" in window.lock_screen.hint.text()
    sign_in_on_lock_screen(qtbot, window, "admin", ADMIN_PASSWORD)
    assert not window.is_locked()
    names = [r.customer_name for r in visitors.fetch_rows(
        visitors.VisitQuery(visitors.EARLIEST.date(), visitors.clock.today()), 0, 10)]
    assert names == ["备份前的客户"]
    [restore] = AuditEntry.select().where(AuditEntry.action == "restore")
    assert "copy.sqlite" in restore.detail and restore.username == "admin"
    assert list(tmp_path.glob("frontdesk.replaced-*.sqlite"))


@pytest.mark.parametrize("db_location", ["sqlite"], indirect=True)
def test_a_refused_restore_leaves_the_database_and_the_session_as_they_were(tmp_path, window, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.widget_helpers import when_modal

    register("留下的客户")
    not_a_backup = tmp_path / "notes.sqlite"
    not_a_backup.write_text("这不是数据库", encoding="utf-8")
    seen = []

    def read(box):
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    timer = when_modal(read)
    window.restore_database(not_a_backup)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    timer.stop()
    assert seen and seen[0].startswith("没有恢复：") and "不是 SQLite 数据库" in seen[0]
    assert not window.is_locked() and session.current().username == "admin"
    names = [r.customer_name for r in visitors.waiting_now()]
    assert names == ["留下的客户"]


@pytest.mark.parametrize("db_location", ["sqlite"], indirect=True)
def test_restoring_a_backup_from_before_users_asks_for_its_administrator(tmp_path, window, qtbot):
    import sqlite3

    from frontdesk.db import migrations
    from frontdesk.db.database import Location, make_database
    from tests.ui.widget_helpers import when_modal

    old_path = tmp_path / "before-users.sqlite"
    old = make_database(Location(str(old_path)))
    old.connect()
    migrations.migrate_to_latest(old, migrations=migrations.MIGRATIONS[:2])
    old.close()
    conn = sqlite3.connect(old_path)
    conn.executemany("INSERT INTO setting (key, value) VALUES (?, ?)",
                     [("branch_name", "旧网点"), ("preset", "bank")])
    conn.commit()
    conn.close()

    titles = []

    def create(dialog):
        titles.append(dialog.windowTitle())
        dialog.password.setText("new-admin-1")
        dialog.confirm.setText("new-admin-1")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    timer = when_modal(create)
    window.restore_database(old_path)
    qtbot.waitUntil(lambda: bool(titles) and not window.restoring, timeout=10_000)
    timer.stop()
    assert titles == ["FrontDesk 前台值班台 — 创建管理员"]
    assert not window.is_locked() and session.current().username == "admin"
    assert window.windowTitle().endswith("旧网点")
