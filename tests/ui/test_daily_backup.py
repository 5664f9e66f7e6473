"""The automatic daily backup at start-up: after the window shows, off the GUI thread, never fatal."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk import app
from frontdesk.app import run_gui
from frontdesk.errors import DiskFullError
from frontdesk.logs import log_path
from frontdesk.services import backup, clock
from frontdesk.ui import crash
from tests.ui.session_helpers import answer_sign_in, prepare_database


@pytest.fixture
def hooks():
    yield
    crash.uninstall()


@pytest.fixture
def configured_file(tmp_path, monkeypatch):
    path = tmp_path / "frontdesk.sqlite"
    prepare_database(str(path))
    monkeypatch.setattr(app, "DAILY_BACKUP_DELAY_MS", 0)
    return path


def _run(location: str, qtbot, until) -> list:
    shown = []

    def on_shown(window):
        shown.append(window)
        qtbot.waitUntil(lambda: until(window), timeout=10000)
        QApplication.exit(0)

    signing_in = answer_sign_in("admin", "admin-pass-1")
    assert run_gui(location, on_shown=on_shown) == 0
    signing_in.stop()
    [window] = shown
    return [window]


@pytest.mark.qt_no_exception_capture
def test_first_start_of_the_day_backs_up_after_the_window_shows(configured_file, hooks, qtbot):
    daily = configured_file.parent / "backups" / backup.daily_name(configured_file, clock.today())

    [window] = _run(str(configured_file), qtbot, lambda w: "已自动备份数据库" in w.statusBar().currentMessage())

    assert daily.exists()
    assert str(daily) in window.statusBar().currentMessage()
    from frontdesk.db.models import AuditEntry

    qtbot.waitUntil(lambda: AuditEntry.select().where(AuditEntry.action == "backup").exists())
    [note] = AuditEntry.select().where(AuditEntry.action == "backup")
    assert note.username == "system" and str(daily) in note.detail
    window.close()
    window.deleteLater()
    # A second start the same day does nothing.
    assert not backup.daily_backup_due(clock.today(), configured_file)


@pytest.mark.qt_no_exception_capture
def test_a_failed_backup_is_shown_and_logged_and_the_program_goes_on(configured_file, hooks, qtbot, monkeypatch):
    def full(now, database=None):
        raise DiskFullError("磁盘已满，自动备份未完成。")

    monkeypatch.setattr(backup, "daily_backup_if_due", full)

    def box_shown(window) -> bool:
        box = window.findChild(QMessageBox, "backupFailedBox")
        return box is not None and box.isVisible()

    [window] = _run(str(configured_file), qtbot, box_shown)

    box = window.findChild(QMessageBox, "backupFailedBox")
    assert "磁盘已满" in box.text() and not box.isModal()
    assert "磁盘已满" in window.statusBar().currentMessage()
    assert "daily backup failed" in log_path().read_text(encoding="utf-8")
    box.close()
    window.close()
    window.deleteLater()
