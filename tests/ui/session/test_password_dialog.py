"""修改密码: the signed-in user changes their own password."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from frontdesk.db.models import AuditEntry
from frontdesk.errors import AuthenticationError
from frontdesk.services import session, users
from frontdesk.services.session import FRONT_DESK
from frontdesk.ui.session.password_dialog import ChangePasswordDialog
from tests.conftest import PASSWORDS

LEFT = Qt.MouseButton.LeftButton
OLD = "wangli-pass-1"  # what make_user gives "wangli"


@pytest.fixture
def signed_in(sign_in_as):
    actor = sign_in_as(FRONT_DESK, "wangli", "王丽")
    assert PASSWORDS["wangli"] == OLD
    return actor


@pytest.fixture
def dialog(signed_in, qtbot):
    widget = ChangePasswordDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    assert edit.text() == text


def fill(qtbot, dialog: ChangePasswordDialog, old: str, new: str, confirm: str | None = None) -> None:
    type_into(qtbot, dialog.old_password, old)
    type_into(qtbot, dialog.new_password, new)
    type_into(qtbot, dialog.confirm, new if confirm is None else confirm)


def save(qtbot, dialog: ChangePasswordDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def password_is(username: str, password: str) -> bool:
    """Whether ``password`` signs ``username`` in (and leaves them signed in)."""
    try:
        users.sign_in(username, password)
    except AuthenticationError:
        return False
    return True


def test_asks_for_the_old_password_and_the_new_one_twice_hidden(dialog):
    assert dialog.windowTitle() == "修改密码"
    assert "王丽（前台）" in dialog.findChild(QLabel, "whoLabel").text()
    for edit in (dialog.old_password, dialog.new_password, dialog.confirm):
        assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert QApplication.focusWidget() is dialog.old_password


def test_a_new_password_is_saved_and_the_dialog_closes(dialog, qtbot, signed_in):
    fill(qtbot, dialog, OLD, "Brand-new-2")
    save(qtbot, dialog)
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert (entry.action, entry.username, entry.entity_id) == ("password_change", "wangli", signed_in.user_id)
    assert not password_is("wangli", OLD)
    assert password_is("wangli", "Brand-new-2")


def test_enter_in_the_last_field_saves(dialog, qtbot):
    fill(qtbot, dialog, OLD, "Brand-new-2")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted
    assert password_is("wangli", "Brand-new-2")


def test_a_wrong_old_password_is_shown_next_to_it_and_nothing_is_cleared(dialog, qtbot):
    fill(qtbot, dialog, "not-my-password", "Brand-new-2")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("old_password") == "原密码不正确。"
    assert dialog.errors.message("new_password") == ""
    assert (dialog.old_password.text(), dialog.new_password.text(), dialog.confirm.text()) == (
        "not-my-password", "Brand-new-2", "Brand-new-2")
    assert QApplication.focusWidget() is dialog.old_password
    assert password_is("wangli", OLD)


@pytest.mark.parametrize(
    ("new", "says"),
    [("short", "至少 6 个字符"), ("WANGLI", "不能与用户名相同"), (OLD, "不能与原密码相同")],
)
def test_the_rules_for_the_new_password_are_shown_next_to_it(dialog, qtbot, new, says):
    fill(qtbot, dialog, OLD, new)
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert says in dialog.errors.message("new_password")
    assert dialog.errors.message("old_password") == ""
    assert QApplication.focusWidget() is dialog.new_password
    assert dialog.new_password.text() == new

    fill(qtbot, dialog, OLD, "Brand-new-2")  # corrected: the error goes, the save goes through
    save(qtbot, dialog)
    assert dialog.result() == ChangePasswordDialog.DialogCode.Accepted
    assert password_is("wangli", "Brand-new-2")


def test_a_mismatch_is_caught_by_the_form(dialog, qtbot):
    fill(qtbot, dialog, OLD, "Brand-new-2", "Brand-new-3")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.busy  # not even sent
    assert dialog.isVisible()
    assert "不一致" in dialog.errors.message("confirm")
    assert dialog.errors.message("new_password") == ""
    assert (dialog.new_password.text(), dialog.confirm.text()) == ("Brand-new-2", "Brand-new-3")
    assert QApplication.focusWidget() is dialog.confirm
    assert password_is("wangli", OLD)


def test_escape_changes_nothing(dialog, qtbot):
    fill(qtbot, dialog, OLD, "Brand-new-2")
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Escape)
    assert dialog.result() == ChangePasswordDialog.DialogCode.Rejected
    assert password_is("wangli", OLD)


def test_a_user_deactivated_elsewhere_is_told_so(dialog, qtbot, signed_in):
    with session.act_as(session.command_line_actor()):  # the administrator, elsewhere
        users.set_active(signed_in.user_id, False)
    fill(qtbot, dialog, OLD, "Brand-new-2")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.message.isVisible() and dialog.message.text() == "您的账户已被停用，请联系管理员。"
    assert session.current() is None
    assert dialog.old_password.text() == OLD
