"""The crash handler: unexpected errors are logged and shown with copyable details."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from frontdesk import logs
from frontdesk.errors import DatabaseLockedError
from frontdesk.ui import crash

# These tests install their own hook in place of pytest-qt's exception capture.
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def handler(qtbot):
    installed = crash.install()
    yield installed
    for widget in (installed.dialog, installed.message_box):
        if widget is not None:
            widget.close()
            widget.deleteLater()
    crash.uninstall()


def boom() -> None:
    raise RuntimeError("something unexpected")


def raise_and_hook() -> None:
    try:
        boom()
    except RuntimeError:
        sys.excepthook(*sys.exc_info())


def test_install_replaces_both_hooks_and_uninstall_restores_them(qtbot):
    before, before_thread = sys.excepthook, threading.excepthook
    installed = crash.install()
    assert sys.excepthook == installed.excepthook
    assert threading.excepthook == installed.thread_excepthook
    assert crash.install() is installed
    crash.uninstall()
    assert sys.excepthook is before and threading.excepthook is before_thread


def test_unexpected_error_is_logged_and_shown_with_copyable_details(handler, qtbot):
    typed = QLineEdit()
    qtbot.addWidget(typed)
    typed.setText("王先生 13812345678")
    typed.show()

    raise_and_hook()

    log = crash.log_path()
    assert log.exists()
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: something unexpected" in text and "in boom" in text
    dialog = handler.dialog
    assert dialog is not None and dialog.isVisible()
    assert "程序出现意外错误" in dialog.message.text()
    assert "RuntimeError: something unexpected" in dialog.details.toPlainText()
    assert dialog.details.isReadOnly()
    dialog.copy_button.click()
    assert "something unexpected" in QGuiApplication.clipboard().text()
    # The program carries on: nothing was closed, nothing typed was lost.
    assert typed.isVisible() and typed.text() == "王先生 13812345678"


def test_a_second_error_goes_into_the_open_dialog(handler, qtbot):
    raise_and_hook()
    first = handler.dialog
    try:
        raise ValueError("second")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert handler.dialog is first
    assert "ValueError: second" in first.details.toPlainText()


def test_a_user_error_is_shown_as_its_plain_message(handler, qtbot):
    try:
        raise DatabaseLockedError("数据库正被另一个程序占用，记录未保存。")
    except DatabaseLockedError:
        sys.excepthook(*sys.exc_info())
    box = handler.message_box
    assert box is not None and box.isVisible()
    assert box.text() == "数据库正被另一个程序占用，记录未保存。"
    assert handler.dialog is None
    assert not crash.log_path().exists() or "DatabaseLockedError" not in crash.log_path().read_text("utf-8")


def test_an_error_in_a_qt_slot_reaches_the_hook(handler, qtbot):
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=2000)
    assert "in boom" in handler.dialog.details.toPlainText()


def test_an_error_in_another_thread_is_shown_in_the_gui_thread(handler, qtbot):
    thread = threading.Thread(target=boom)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=2000)
    assert "something unexpected" in handler.dialog.details.toPlainText()


def test_an_unwritable_log_folder_still_shows_the_details(handler, qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(logs, "log_dir", lambda: blocker / "log")
    raise_and_hook()
    assert handler.dialog.isVisible()
    assert "无法写入" in handler.dialog.where.text()
    assert "something unexpected" in handler.dialog.details.toPlainText()
