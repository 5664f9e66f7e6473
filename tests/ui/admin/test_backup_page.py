"""The 备份与恢复 page: real backup files, read on the worker; restore only through the callback."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from frontdesk.services import backup, demo, session
from frontdesk.ui.admin.backup_page import CONTENT, KIND, SIZE, TIME, BackupPage, format_size
from frontdesk.ui.kit.worker import shared_worker

NOW = datetime(2026, 11, 25, 10, 30, 0)


# ------------------------------------------------------------------ helpers (also used by the
# settings dialog's tests)


def answer_next_message_box(button: QMessageBox.StandardButton, seen: list[str]) -> QTimer:
    """Click ``button`` on the next modal message box, recording its text and informative text."""

    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            seen.append(f"{box.text()}\n{box.informativeText()}")
            box.button(button).click()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    return timer


def choose_in_next_file_dialog(qtbot, path: Path, seen: list[str]) -> QTimer:
    """Type ``path`` into the next file dialog's name field and press Enter, as a user does."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            timer.stop()
            seen.append(dialog.windowTitle())
            name = dialog.findChild(QLineEdit, "fileNameEdit")
            name.setText(str(path))
            qtbot.keyClick(name, Qt.Key.Key_Return)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    return timer


def click_row(qtbot, page: BackupPage, row: int) -> None:
    table = page.table
    rect = table.visualRect(table.model().index(row, TIME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def add_demo_visits(days: int = 2, *, append: bool = False) -> None:
    with session.act_as(session.command_line_actor()):
        demo.generate(days, seed=1, now=NOW, append=append)


def visit_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM visit WHERE voided_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def set_mtime(path: Path, moment: datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def db_file(configured) -> Path:
    """The open SQLite database file (PostgreSQL has its own test at the end)."""
    path = backup.open_database_file()
    if path is None:
        pytest.skip("backups are listed for SQLite only; PostgreSQL is tested below")
    return path


@pytest.fixture
def restored() -> list[Path]:
    return []


@pytest.fixture
def make_page(qtbot, restored):
    def make(database: Path | None, *, with_restore: bool = True) -> BackupPage:
        page = BackupPage(database, on_restore=restored.append if with_restore else None)
        qtbot.addWidget(page)
        page.resize(760, 420)
        page.show()
        qtbot.waitExposed(page)
        return page

    return make


def wait_read(qtbot, page: BackupPage) -> None:
    qtbot.waitUntil(lambda: bool(page.backups) and page.all_read(), timeout=10000)


# ------------------------------------------------------------------ the list


def test_lists_the_backups_newest_first_with_what_each_holds(db_file, make_page, qtbot, qtmodeltester):
    add_demo_visits()
    daily = backup.daily_backup_if_due(NOW, db_file)
    monthly = backup.backup_dir(db_file) / backup.monthly_name(db_file, NOW.date())
    manual = backup.backup_now()
    damaged = backup.backup_dir(db_file) / backup.manual_name(db_file, NOW - timedelta(days=3))
    damaged.write_text("not a database\n" * 50)
    for path, moment in ((damaged, NOW - timedelta(days=3)), (daily, NOW), (monthly, NOW),
                         (manual, NOW + timedelta(hours=1))):
        set_mtime(path, moment)

    page = make_page(db_file)
    wait_read(qtbot, page)

    table = page.table
    assert str(backup.backup_dir(db_file)) in page.folder_label.text()
    assert table.rowCount() == 4
    assert [table.item(r, KIND).text() for r in range(4)] == ["手动", "每月", "每日", "手动"]
    assert [table.item(r, TIME).text() for r in range(4)] == [
        "2026-11-25 11:30", "2026-11-25 10:30", "2026-11-25 10:30", "2026-11-22 10:30",
    ]
    assert [table.item(r, SIZE).text() for r in range(4)] == [
        format_size(p.stat().st_size) for p in (manual, monthly, daily, damaged)
    ]
    visits = visit_count(db_file)
    assert visits > 0
    for row in range(3):
        text = table.item(row, CONTENT).text()
        assert f"来访 {visits} 人次" in text and "版本" in text
    assert table.item(3, CONTENT).text().startswith("不能使用")
    assert "不是 SQLite" in table.item(3, CONTENT).text()
    assert page.empty_label.isHidden()
    qtmodeltester.check(table.model())


def test_an_empty_folder_says_so(db_file, make_page, qtbot):
    page = make_page(db_file)
    qtbot.waitUntil(lambda: page.empty_label.isVisible())
    assert page.table.rowCount() == 0
    assert not page.restore_button.isEnabled()  # nothing selected


def test_backup_now_adds_a_file_and_selects_it(db_file, make_page, qtbot):
    page = make_page(db_file)
    qtbot.waitUntil(lambda: page.empty_label.isVisible())

    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and page.all_read(), timeout=10000)

    [written] = backup.list_backups(db_file)
    assert written.kind == backup.MANUAL
    assert page.selected_path() == written.path
    assert str(written.path) in page.message_text()
    assert page.table.item(0, KIND).text() == "手动"
    assert "来访 0 人次" in page.table.item(0, CONTENT).text()
    assert page.backup_button.isEnabled() and page.restore_button.isEnabled()


def test_a_failed_backup_is_shown_on_the_page(db_file, make_page, qtbot, monkeypatch):
    def disk_full(source, temp):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy_database", disk_full)
    page = make_page(db_file)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "磁盘已满" in page.message_text(), timeout=10000)

    assert page.message.styleSheet()  # shown as an error
    assert backup.list_backups(db_file) == []
    assert page.backup_button.isEnabled()


# ------------------------------------------------------------------ restoring


def test_a_file_that_is_not_a_database_is_refused_on_the_page(db_file, make_page, qtbot, restored, tmp_path):
    notes = tmp_path / "notes.sqlite"
    notes.write_text("hello\n" * 100)
    page = make_page(db_file)

    titles: list[str] = []
    boxes: list[str] = []
    dialog_timer = choose_in_next_file_dialog(qtbot, notes, titles)
    box_timer = answer_next_message_box(QMessageBox.StandardButton.Yes, boxes)
    try:
        qtbot.mouseClick(page.restore_other_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "不是 SQLite" in page.message_text(), timeout=10000)
    finally:
        dialog_timer.stop()
        box_timer.stop()

    assert titles == ["选择其他文件…"]
    assert str(notes) in page.message_text()
    assert boxes == [] and restored == []


def test_confirming_a_restore_hands_the_backup_to_the_callback(db_file, make_page, qtbot, restored):
    good = backup.backup_now()  # holds no visits yet
    add_demo_visits()
    before = visit_count(db_file)
    page = make_page(db_file)
    wait_read(qtbot, page)
    click_row(qtbot, page, 0)
    assert page.selected_path() == good

    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    try:
        qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(restored), timeout=10000)
    finally:
        timer.stop()

    assert restored == [good]
    [text] = seen
    assert "来访 0 人次" in text  # what the backup holds
    assert f"来访 {before} 人次" in text  # what the current database holds
    assert "frontdesk.replaced-" in text
    assert "FrontDesk 窗口" in text and "重新登录" in text
    # The page itself replaced nothing.
    assert visit_count(db_file) == before
    assert not list(db_file.parent.glob("*.replaced-*"))


def test_cancelling_the_restore_calls_nothing(db_file, make_page, qtbot, restored):
    backup.backup_now()
    page = make_page(db_file)
    wait_read(qtbot, page)
    click_row(qtbot, page, 0)

    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.Cancel, seen)
    try:
        qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    finally:
        timer.stop()
    shared_worker().wait_idle()

    assert restored == []
    assert page.restore_button.isEnabled()


def test_without_a_callback_there_is_no_restore(db_file, make_page, qtbot):
    backup.backup_now()
    page = make_page(db_file, with_restore=False)
    wait_read(qtbot, page)
    assert page.backup_button.isVisible() and page.open_folder_button.isVisible()
    assert page.restore_button.isHidden() and page.restore_other_button.isHidden()


# ------------------------------------------------------------------ who and where


@pytest.mark.parametrize("role", [session.FRONT_DESK, session.DUTY_MANAGER])
def test_the_page_is_only_for_the_administrator(db_file, make_page, sign_in_as, qtbot, role):
    backup.backup_now()
    sign_in_as(role)
    page = make_page(db_file)
    shared_worker().wait_idle()

    assert "只有管理员" in page.notice.text() and page.notice.isVisible()
    assert not page.body.isVisible()
    assert not page.backup_button.isVisible() and not page.restore_button.isVisible()
    assert page.backups == [] and page.table.rowCount() == 0  # not even listed
    page.backup_now()
    shared_worker().wait_idle()
    assert len(backup.list_backups(db_file)) == 1


@pytest.mark.parametrize("db_location", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgres_points_to_pg_dump(configured, make_page):
    assert backup.open_database_file() is None
    page = make_page(backup.open_database_file())
    assert "pg_dump" in page.notice.text() and "pg_restore" in page.notice.text()
    assert "README" in page.notice.text()
    assert not page.body.isVisible()
    assert not page.backup_button.isVisible() and not page.restore_button.isVisible()
