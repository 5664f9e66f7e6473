"""The first-start dialog: branch name and industry preset, in one short dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from frontdesk.services import lists, settings
from frontdesk.ui.session.first_run_dialog import FirstRunDialog
from tests.ui.worker_helpers import settle

# The offscreen platform cannot apply a window's size hints and says so: harmless there.


def commit_text(widget, text: str) -> None:
    """Chinese text arrives from the input method as a commit."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def dialog(database, qtbot):
    widget = FirstRunDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def test_title_names_the_program_and_focus_is_on_the_name(dialog):
    assert "FrontDesk" in dialog.windowTitle()
    assert QApplication.focusWidget() is dialog.branch_name
    assert [dialog.preset.itemText(i) for i in range(dialog.preset.count())] == [
        "保险柜面", "银行网点", "电信/公用事业营业厅", "医院导医台",
    ]


def test_name_and_preset_are_saved_and_the_lists_follow(dialog, qtbot):
    commit_text(dialog.branch_name, "工商银行北京西单支行")
    qtbot.keyClick(dialog.branch_name, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.preset
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Down)  # 银行网点
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Return)
    settle(qtbot)  # stored on the database worker
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    stored = settings.load()
    assert (stored.branch_name, stored.preset, stored.configured) == ("工商银行北京西单支行", "bank", True)
    assert lists.entries("business_type")[0].label == "现金"


def test_an_empty_name_is_refused_next_to_the_field_and_the_choice_kept(dialog, qtbot):
    dialog.preset.setCurrentIndex(dialog.preset.findData("hospital"))
    qtbot.keyClicks(dialog.branch_name, "   ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.isVisible()
    assert "网点名称" in dialog.errors.message("branch_name")
    assert dialog.preset.currentData() == "hospital"
    assert QApplication.focusWidget() is dialog.branch_name
    assert not settings.load().configured

    commit_text(dialog.branch_name, "市一医院门诊导医台")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not dialog.isVisible()
    assert settings.load().preset == "hospital"


def test_cancel_leaves_the_database_unconfigured(dialog, qtbot):
    commit_text(dialog.branch_name, "某网点")
    qtbot.keyClick(dialog.branch_name, Qt.Key.Key_Escape)
    assert dialog.result() == FirstRunDialog.DialogCode.Rejected
    assert not settings.load().configured


def test_the_missing_name_message_goes_once_a_name_is_typed(dialog, qtbot):
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.errors.message("branch_name") == "请填写网点名称。"
    commit_text(dialog.branch_name, "西单支行")
    assert dialog.errors.message("branch_name") == ""
    qtbot.keyClick(dialog.branch_name, Qt.Key.Key_Backspace)  # still a name: no message comes back
    assert dialog.errors.message("branch_name") == ""
    qtbot.keyClick(dialog.branch_name, Qt.Key.Key_Return)
    settle(qtbot)
    assert settings.load().branch_name == "西单支"
