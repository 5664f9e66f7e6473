"""Listing the backups beside the database: our three kinds of name, nothing else, newest first."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.db.database import close_database, database_proxy, open_database
from frontdesk.services import backup
from frontdesk.services.backup import DAILY, MANUAL, MONTHLY, BackupError
from tests.services.test_backup import NOW, make_database

pytestmark = pytest.mark.usefixtures("as_command_line")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return make_database(tmp_path / "frontdesk.sqlite", days=1)


def set_mtime(path: Path, moment: datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


def test_no_backups_folder_is_an_empty_list(db_path):
    assert not backup.backup_dir(db_path).exists()
    assert backup.list_backups(db_path) == []


def test_daily_monthly_and_manual_backups_are_listed_newest_first(db_path):
    daily = backup.daily_backup_if_due(NOW, db_path)
    monthly = backup.backup_dir(db_path) / backup.monthly_name(db_path, NOW.date())
    later_daily = backup.daily_backup_if_due(NOW + timedelta(days=1), db_path)
    manual = backup.backup_now(source=db_path, now=NOW + timedelta(days=1, hours=2))
    set_mtime(daily, NOW)
    set_mtime(monthly, NOW + timedelta(seconds=1))
    set_mtime(later_daily, NOW + timedelta(days=1))
    set_mtime(manual, NOW + timedelta(days=1, hours=2))

    listed = backup.list_backups(db_path)

    assert [(f.name, f.kind) for f in listed] == [
        ("frontdesk-2026-11-26-123000.sqlite", MANUAL),
        ("frontdesk-2026-11-26.sqlite", DAILY),
        ("frontdesk-2026-11.sqlite", MONTHLY),
        ("frontdesk-2026-11-25.sqlite", DAILY),
    ]
    assert [f.path for f in listed] == [manual, later_daily, monthly, daily]
    assert [f.size for f in listed] == [p.stat().st_size for p in (manual, later_daily, monthly, daily)]
    assert all(f.size > 0 for f in listed)
    assert listed[0].mtime == NOW + timedelta(days=1, hours=2)
    assert listed[-1].mtime == NOW


def test_newest_means_most_recently_written(db_path):
    """A manual backup written after an automatic one lists above it, whatever the names say."""
    old_name = backup.backup_now(source=db_path, now=NOW - timedelta(days=30))
    automatic = backup.daily_backup_if_due(NOW, db_path)
    monthly = backup.backup_dir(db_path) / backup.monthly_name(db_path, NOW.date())
    set_mtime(automatic, NOW)
    set_mtime(monthly, NOW)
    set_mtime(old_name, NOW + timedelta(minutes=5))
    names = [f.name for f in backup.list_backups(db_path)]
    assert names == [old_name.name, monthly.name, automatic.name]  # same time: by name


def test_other_files_in_the_folder_are_not_listed(db_path):
    kept = backup.daily_backup_if_due(NOW, db_path)
    folder = kept.parent
    for name in (
        "notes.txt",
        "frontdesk-2026-13-45.sqlite",  # looks like a daily name, is no date
        "frontdesk-2026-11-25-256100.sqlite",  # looks like a manual one, is no time
        "other-2026-11-25.sqlite",  # another database's backup
        "frontdesk-2026-11-25.sqlite.bak",
        ".frontdesk-2026-11-24.sqlite.abc.tmp",  # an unfinished copy
        "frontdesk.replaced-20261125-103000.sqlite",
    ):
        (folder / name).write_bytes(b"x")
    (folder / "frontdesk-2026-11-24.sqlite").mkdir()  # a folder, not a file
    assert sorted(f.name for f in backup.list_backups(db_path)) == [
        "frontdesk-2026-11-25.sqlite", "frontdesk-2026-11.sqlite",
    ]


def test_a_backups_path_that_cannot_be_read_is_a_clear_error(tmp_path):
    database = tmp_path / "frontdesk.sqlite"
    backup.backup_dir(database).write_text("a file where the folder should be")
    with pytest.raises(BackupError, match="无法读取备份文件夹"):
        backup.list_backups(database)


def test_listing_follows_the_database_name(tmp_path):
    """Backups of ``hall.sqlite`` are ``hall-…``; a ``frontdesk-…`` file there is another's."""
    database = make_database(tmp_path / "hall.sqlite", days=0)
    open_database(database)
    try:
        written = backup.backup_now(now=NOW)
    finally:
        close_database()
        database_proxy.initialize(None)
    (written.parent / "frontdesk-2026-11-25.sqlite").write_bytes(written.read_bytes())
    listed = backup.list_backups(database)
    assert [(f.name, f.kind) for f in listed] == [("hall-2026-11-25-103000.sqlite", MANUAL)]
