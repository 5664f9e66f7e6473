"""Opening the database: pragmas, locations, and storage failures turned into user errors."""

from __future__ import annotations

import os
import sqlite3
import stat

import peewee
import pytest

from frontdesk.db.database import (
    Location,
    close_database,
    database_proxy,
    open_database,
    write_transaction,
)
from frontdesk.db.models import Setting
from frontdesk.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    ReadOnlyError,
    StorageError,
    UnreachableError,
)


@pytest.fixture(autouse=True)
def _unbind():
    yield
    close_database()
    database_proxy.initialize(None)


def test_sqlite_is_opened_for_durability(sqlite_location):
    db = open_database(sqlite_location)
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 1000


def test_sqlite_file_and_folders_are_created(tmp_path):
    target = tmp_path / "a" / "b" / "frontdesk.sqlite"
    open_database(str(target))
    assert target.exists()


def test_sqlite_url_form_is_accepted(tmp_path):
    target = tmp_path / "u.sqlite"
    open_database(f"sqlite:///{target}")
    assert target.exists()


def test_location_display_never_shows_a_password():
    loc = Location("postgresql://hall:s3cret@db.example:5433/frontdesk")
    assert loc.is_postgres
    assert "s3cret" not in loc.display()
    assert loc.display() == "postgresql://hall@db.example:5433/frontdesk"
    assert Location("/tmp/x.sqlite").display() == "/tmp/x.sqlite"


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(CorruptDatabaseError):
        open_database(str(bogus))
    assert bogus.read_bytes().startswith(b"this is a text file")


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="不是 FrontDesk 的数据库"):
        open_database(str(other))


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(StorageError, match="文件夹"):
        open_database(str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_gives_read_only_error(sqlite_location):
    open_database(sqlite_location)
    close_database()
    os.chmod(sqlite_location, stat.S_IRUSR)
    open_database(sqlite_location, migrate=False)
    with pytest.raises(ReadOnlyError), write_transaction():
        Setting.create(key="k", value="v")


def test_read_only_connection_gives_read_only_error_and_writes_nothing(sqlite_location):
    """Works as root too: the file is opened through a read-only SQLite URI."""
    open_database(sqlite_location)
    close_database()
    ro = peewee.SqliteDatabase(f"file:{sqlite_location}?mode=ro", uri=True)
    database_proxy.initialize(ro)
    with pytest.raises(ReadOnlyError, match="只读"), write_transaction():
        Setting.create(key="branch_name", value="x")
    ro.close()
    check = sqlite3.connect(sqlite_location)
    assert check.execute("SELECT count(*) FROM setting").fetchone()[0] == 0
    check.close()


def test_locked_database_gives_locked_error_and_rolls_back(sqlite_location, monkeypatch):
    import frontdesk.db.database as database_module

    monkeypatch.setitem(database_module.SQLITE_PRAGMAS, "busy_timeout", 100)
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_SECONDS", 0.1)
    open_database(sqlite_location)
    holder = sqlite3.connect(sqlite_location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO setting (key, value) VALUES ('other', 'station')")
    try:
        with pytest.raises(DatabaseLockedError, match="占用"), write_transaction():
            Setting.create(key="mine", value="v")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Setting.select().count() == 0


def test_unreachable_postgres_server_is_a_clear_error():
    with pytest.raises(UnreachableError, match="无法连接数据库"):
        open_database("postgresql://nobody@127.0.0.1:1/none")


def test_write_transaction_is_all_or_nothing(database):
    with pytest.raises(RuntimeError), write_transaction():
        Setting.create(key="a", value="1")
        raise RuntimeError("boom")
    assert Setting.select().count() == 0
