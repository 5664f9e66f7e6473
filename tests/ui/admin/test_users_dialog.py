"""用户管理: the administrator's list of users, the small forms, and the service's refusals."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from frontdesk.errors import AuthenticationError
from frontdesk.services import session, users
from frontdesk.services.session import ADMIN, DUTY_MANAGER, FRONT_DESK
from frontdesk.ui.admin.users_dialog import (
    INACTIVE_COLOUR,
    EditUserDialog,
    NewUserDialog,
    ResetPasswordDialog,
    UsersDialog,
    UserTableModel,
)
from frontdesk.ui.kit.common import ERROR_STYLE
from tests.conftest import PASSWORDS
from tests.ui.register_helpers import type_chinese

LEFT = Qt.MouseButton.LeftButton


def wait_idle(qtbot, dialog: UsersDialog) -> None:
    """Until every database job of the dialog (and of its open form) has come back."""
    qtbot.waitUntil(lambda: not dialog.busy and (dialog.form is None or not dialog.form.busy), timeout=10_000)


@pytest.fixture
def open_dialog(qtbot):
    def make() -> UsersDialog:
        widget = UsersDialog()
        qtbot.addWidget(widget)
        widget.show()
        widget.activateWindow()
        qtbot.waitActive(widget)
        wait_idle(qtbot, widget)
        return widget

    return make


@pytest.fixture
def dialog(configured, open_dialog):
    return open_dialog()


def lock(username: str) -> None:
    for _ in range(users.MAX_ATTEMPTS):
        with pytest.raises(AuthenticationError):
            users.sign_in(username, "wrong-password")


def table(dialog: UsersDialog) -> dict[str, tuple[str, ...]]:
    """The table as shown: user name → the texts of its row."""
    model = dialog.model
    rows = {}
    for r in range(model.rowCount()):
        texts = tuple(model.index(r, c).data() for c in range(model.columnCount()))
        rows[texts[0]] = texts
    return rows


def status(dialog: UsersDialog, username: str) -> str:
    return table(dialog)[username][UserTableModel.STATUS]


def opened_form(qtbot, dialog: UsersDialog, button):
    """Click ``button`` and return the small form it opened (modal to the dialog, not blocking it)."""
    click(qtbot, button)
    form = dialog.form
    assert form is not None and form.isVisible() and form.isModal()
    return form


def closed(form) -> bool:
    """The small form is gone (it deletes itself once closed)."""
    return not shiboken6.isValid(form) or not form.isVisible()


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def click_row(qtbot, dialog: UsersDialog, username: str) -> None:
    position = next(r for r in range(dialog.model.rowCount())
                    if dialog.model.index(r, 0).data() == username)
    rect = dialog.view.visualRect(dialog.model.index(position, 1))
    qtbot.mouseClick(dialog.view.viewport(), LEFT, pos=rect.center())
    assert dialog.selected().username == username


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        type_chinese(edit, text)
    assert edit.text() == text


def answer_next_message_box(button: QMessageBox.StandardButton, seen: list[str]) -> QTimer:
    """Click ``button`` on the next modal message box, recording its texts."""

    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            seen.append(box.text() + "\n" + box.informativeText())
            box.button(button).click()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    return timer


def fill_new_user(qtbot, form: NewUserDialog, username: str, display_name: str, role_steps: int,
                  password: str, confirm: str | None = None) -> None:
    type_into(qtbot, form.username, username)
    type_into(qtbot, form.display_name, display_name)
    form.role.setFocus()
    for _ in range(role_steps):
        qtbot.keyClick(form.role, Qt.Key.Key_Down)
    type_into(qtbot, form.password, password)
    type_into(qtbot, form.confirm, password if confirm is None else confirm)


# ------------------------------------------------------------------ the table


def test_the_table_shows_every_user_with_role_status_and_last_sign_in(make_user, open_dialog, qtmodeltester):
    make_user(FRONT_DESK, "wang", "王芳")
    gone = make_user(DUTY_MANAGER, "zhou", "周经理")
    make_user(FRONT_DESK, "li")
    users.set_active(gone.user_id, False)
    lock("li")
    until = users.get_user("li").locked_until
    dialog = open_dialog()

    assert dialog.windowTitle() == "用户管理"
    headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
    assert headers == ["用户名", "姓名", "角色", "状态", "上次登录"]
    rows = table(dialog)
    assert set(rows) == {"admin", "wang", "zhou", "li"}
    assert rows["wang"][1:4] == ("王芳", "前台", "启用")
    assert rows["zhou"][1:4] == ("周经理", "值班经理", "已停用")
    assert rows["li"][3] == f"锁定至 {until:%H:%M}"
    assert rows["admin"][2] == "管理员"
    assert rows["wang"][4] == "从未登录" and rows["admin"][4][:4].isdigit()

    def foreground(username: str, column: int):
        r = next(r for r in range(dialog.model.rowCount()) if dialog.model.index(r, 0).data() == username)
        return dialog.model.index(r, column).data(Qt.ItemDataRole.ForegroundRole)

    assert all(foreground("zhou", c).color() == INACTIVE_COLOUR for c in range(5))
    assert foreground("wang", 0) is None
    assert foreground("li", UserTableModel.STATUS).color() != INACTIVE_COLOUR
    qtmodeltester.check(dialog.model)


def test_the_buttons_follow_the_selection(make_user, open_dialog, qtbot):
    gone = make_user(FRONT_DESK, "zhou")
    make_user(FRONT_DESK, "li")
    make_user(FRONT_DESK, "wang")
    users.set_active(gone.user_id, False)
    lock("li")
    dialog = open_dialog()

    assert dialog.selected() is None
    assert dialog.new_button.isEnabled()
    assert not any(b.isEnabled() for b in (dialog.edit_button, dialog.reset_button, dialog.unlock_button,
                                           dialog.toggle_button))
    click_row(qtbot, dialog, "wang")
    assert dialog.edit_button.isEnabled() and dialog.reset_button.isEnabled()
    assert not dialog.unlock_button.isEnabled()
    assert dialog.toggle_button.text() == "停用"
    click_row(qtbot, dialog, "li")
    assert dialog.unlock_button.isEnabled()
    click_row(qtbot, dialog, "zhou")
    assert dialog.toggle_button.text() == "启用" and dialog.toggle_button.isEnabled()


# ------------------------------------------------------------------ new users


def test_the_admin_adds_a_user_by_typing_and_sees_it(dialog, qtbot):
    form = opened_form(qtbot, dialog, dialog.new_button)
    assert isinstance(form, NewUserDialog) and form.isVisible()
    assert [form.role.itemText(i) for i in range(form.role.count())] == ["前台", "值班经理", "管理员"]
    assert form.password.echoMode() == form.confirm.echoMode() == QLineEdit.EchoMode.Password
    fill_new_user(qtbot, form, "wangfang", "王芳", 1, "Fang-pass-1")
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)

    assert closed(form) and dialog.form is None
    assert table(dialog)["wangfang"][1:4] == ("王芳", "值班经理", "启用")
    assert dialog.selected().username == "wangfang"
    assert "已新建用户" in dialog.message.text() and "王芳" in dialog.message.text()
    assert users.get_user("wangfang").role == DUTY_MANAGER
    assert users.sign_in("WangFang", "Fang-pass-1").username == "wangfang"


def test_a_taken_name_is_shown_next_to_the_user_name_and_nothing_typed_is_lost(make_user, open_dialog, qtbot):
    make_user(FRONT_DESK, "wang")
    dialog = open_dialog()
    form = opened_form(qtbot, dialog, dialog.new_button)
    fill_new_user(qtbot, form, "WANG", "王小芳", 2, "Fang-pass-1")
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)

    assert form.isVisible() and dialog.form is form
    assert "已被使用" in form.errors.message("username")
    assert form.errors.message("password") == ""
    assert (form.username.text(), form.display_name.text(), form.role.currentData(), form.password.text(),
            form.confirm.text()) == ("WANG", "王小芳", ADMIN, "Fang-pass-1", "Fang-pass-1")
    assert form.focusWidget() is form.username
    assert set(table(dialog)) == {"admin", "wang"}

    type_into(qtbot, form.username, "wang2")
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)
    assert closed(form)
    assert table(dialog)["wang2"][1:3] == ("王小芳", "管理员")


def test_a_password_mismatch_is_caught_in_the_form(dialog, qtbot):
    form = opened_form(qtbot, dialog, dialog.new_button)
    fill_new_user(qtbot, form, "zhao", "", 0, "Zhao-pass-1", "Zhao-pass-2")
    click(qtbot, form.ok_button)
    assert not form.busy  # nothing was sent to the database
    assert "不一致" in form.errors.message("confirm")
    assert form.errors.message("password") == ""
    assert (form.password.text(), form.confirm.text()) == ("Zhao-pass-1", "Zhao-pass-2")
    assert form.focusWidget() is form.confirm

    # The service's own rules are shown next to 密码.
    type_into(qtbot, form.password, "zhao")
    type_into(qtbot, form.confirm, "zhao")
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)
    assert form.errors.message("confirm") == ""
    assert "至少" in form.errors.message("password")
    assert set(table(dialog)) == {"admin"}

    qtbot.keyClick(form.confirm, Qt.Key.Key_Escape)
    assert closed(form) and dialog.form is None
    assert set(table(dialog)) == {"admin"} and users.count_users() == 1


# ------------------------------------------------------------------ edit, reset, unlock


def test_edit_changes_the_name_and_the_role(make_user, open_dialog, qtbot):
    make_user(FRONT_DESK, "wang", "王芳")
    dialog = open_dialog()
    click_row(qtbot, dialog, "wang")
    form = opened_form(qtbot, dialog, dialog.edit_button)
    assert isinstance(form, EditUserDialog)
    assert (form.display_name.text(), form.role.currentData()) == ("王芳", FRONT_DESK)
    type_into(qtbot, form.display_name, "王芳芳")
    form.role.setFocus()
    qtbot.keyClick(form.role, Qt.Key.Key_Down)
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)

    assert closed(form)
    assert table(dialog)["wang"][1:3] == ("王芳芳", "值班经理")
    assert dialog.selected().username == "wang"
    assert users.get_user("wang").role == DUTY_MANAGER


def test_the_last_administrator_cannot_be_demoted(dialog, qtbot):
    click_row(qtbot, dialog, "admin")
    qtbot.mouseDClick(dialog.view.viewport(), LEFT,
                      pos=dialog.view.visualRect(dialog.view.currentIndex()).center())  # double click edits
    form = dialog.form
    assert isinstance(form, EditUserDialog)
    form.role.setCurrentIndex(form.role.findData(FRONT_DESK))
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)
    assert form.isVisible()
    assert "最后一个" in form.errors.message("role")
    assert form.role.currentData() == FRONT_DESK
    assert users.get_user("admin").role == ADMIN


def test_reset_password_sets_a_new_one_and_lifts_the_lock(make_user, open_dialog, qtbot):
    make_user(FRONT_DESK, "wangli", "王芳")
    lock("wangli")
    dialog = open_dialog()
    assert status(dialog, "wangli").startswith("锁定至")
    click_row(qtbot, dialog, "wangli")
    form = opened_form(qtbot, dialog, dialog.reset_button)
    assert isinstance(form, ResetPasswordDialog)
    assert form.password.echoMode() == QLineEdit.EchoMode.Password

    type_into(qtbot, form.password, "WangLi")  # the user name, in another case
    type_into(qtbot, form.confirm, "WangLi")
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)
    assert "用户名相同" in form.errors.message("password")

    type_into(qtbot, form.password, "Fresh-pass-2")
    type_into(qtbot, form.confirm, "Fresh-pass-3")
    click(qtbot, form.ok_button)
    assert "不一致" in form.errors.message("confirm")

    type_into(qtbot, form.confirm, "Fresh-pass-2")
    qtbot.keyClick(form.confirm, Qt.Key.Key_Return)  # Enter saves
    wait_idle(qtbot, dialog)
    assert closed(form)
    assert status(dialog, "wangli") == "启用"
    assert dialog.selected().username == "wangli"
    assert not dialog.unlock_button.isEnabled()
    assert "已重置" in dialog.message.text()
    with pytest.raises(AuthenticationError):
        users.sign_in("wangli", PASSWORDS["wangli"])
    assert users.sign_in("wangli", "Fresh-pass-2").username == "wangli"


def test_unlock_lifts_the_lock_and_keeps_the_selection(make_user, open_dialog, qtbot):
    make_user(FRONT_DESK, "wang", "王芳")
    make_user(FRONT_DESK, "li")
    lock("wang")
    dialog = open_dialog()
    click_row(qtbot, dialog, "wang")
    click(qtbot, dialog.unlock_button)
    assert dialog.busy and not dialog.unlock_button.isEnabled()
    wait_idle(qtbot, dialog)
    assert status(dialog, "wang") == "启用"
    assert dialog.selected().username == "wang"
    assert not dialog.unlock_button.isEnabled()
    assert dialog.message.text() == "已解除 王芳（wang） 的锁定。"
    assert users.sign_in("wang", PASSWORDS["wang"]).username == "wang"


# ------------------------------------------------------------------ deactivating


def test_deactivation_asks_first_then_greys_the_row(make_user, open_dialog, qtbot):
    make_user(FRONT_DESK, "wang", "王芳")
    make_user(FRONT_DESK, "li")
    dialog = open_dialog()
    click_row(qtbot, dialog, "wang")

    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.No, seen)
    click(qtbot, dialog.toggle_button)
    timer.stop()
    assert seen and "王芳（wang）" in seen[0] and "不会被删除" in seen[0] and "保留其姓名" in seen[0]
    assert not dialog.busy and status(dialog, "wang") == "启用"
    assert users.get_user("wang").active

    timer = answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    click(qtbot, dialog.toggle_button)
    timer.stop()
    wait_idle(qtbot, dialog)
    assert len(seen) == 2
    assert status(dialog, "wang") == "已停用"
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.index(r, 0).data() == "wang")
    assert dialog.model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole).color() == INACTIVE_COLOUR
    assert dialog.selected().username == "wang"
    assert dialog.toggle_button.text() == "启用"
    assert "已停用" in dialog.message.text()
    assert not users.get_user("wang").active
    with pytest.raises(AuthenticationError):
        users.sign_in("wang", PASSWORDS["wang"])

    click(qtbot, dialog.toggle_button)  # activating asks nothing
    wait_idle(qtbot, dialog)
    assert status(dialog, "wang") == "启用" and dialog.toggle_button.text() == "停用"
    assert users.get_user("wang").active


def test_deactivating_oneself_is_refused_in_the_dialog(make_user, open_dialog, qtbot):
    make_user(ADMIN, "boss")  # not the last administrator: the refusal is about oneself
    dialog = open_dialog()
    click_row(qtbot, dialog, "admin")
    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    click(qtbot, dialog.toggle_button)
    timer.stop()
    wait_idle(qtbot, dialog)
    assert dialog.message.isVisible()
    assert dialog.message.text() == "不能停用自己正在使用的账户。"
    assert dialog.message.styleSheet() == ERROR_STYLE
    assert status(dialog, "admin") == "启用" and dialog.selected().username == "admin"
    assert users.get_user("admin").active


def test_rights_lost_at_another_station_are_refused_in_the_dialog(make_user, open_dialog, qtbot):
    boss = make_user(ADMIN, "boss")
    make_user(FRONT_DESK, "wang")
    lock("wang")
    dialog = open_dialog()
    click_row(qtbot, dialog, "wang")
    with session.act_as(boss):  # the other administrator, at another station
        users.update_user(users.user_id_of("admin"), role=DUTY_MANAGER)
    click(qtbot, dialog.unlock_button)
    wait_idle(qtbot, dialog)
    assert "没有权限管理用户" in dialog.message.text()
    assert dialog.message.styleSheet() == ERROR_STYLE
    assert session.current().role == DUTY_MANAGER
    with session.act_as(boss):
        assert users.get_user("wang").locked_until is not None

    with session.act_as(boss):
        users.set_active(users.user_id_of("admin"), False)
    click(qtbot, dialog.unlock_button)
    wait_idle(qtbot, dialog)
    assert dialog.message.text() == "您的账户已被停用，请联系管理员。"
    assert session.current() is None
    assert dialog.selected().username == "wang"


def test_a_front_desk_user_is_refused(sign_in_as, open_dialog, qtbot):
    sign_in_as(FRONT_DESK, "wang")
    dialog = open_dialog()
    assert dialog.model.rowCount() == 0
    assert "没有权限管理用户" in dialog.message.text()

    form = opened_form(qtbot, dialog, dialog.new_button)  # the service refuses, whatever the window offers
    fill_new_user(qtbot, form, "zhao", "", 0, "Zhao-pass-1")
    click(qtbot, form.ok_button)
    wait_idle(qtbot, dialog)
    assert form.isVisible() and "没有权限管理用户" in form.message.text()
    assert users.count_users() == 2
