"""Storage failures told apart by the driver's error code (SQLite result codes, PostgreSQL
SQLSTATE), never by message text: each class provoked for real where the back end allows it."""

from __future__ import annotations

import sqlite3

import peewee
import pytest

from frontdesk.db import database as storage
from frontdesk.db.database import (
    close_database,
    database_proxy,
    failure_kind,
    open_database,
    write_transaction,
)
from frontdesk.db.models import Setting
from frontdesk.errors import (
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
    UnreachableError,
    UserError,
)
from tests.conftest import PG_URL, reset_postgres


@pytest.fixture(autouse=True)
def _unbind():
    yield
    close_database()
    database_proxy.initialize(None)


@pytest.fixture
def sqlite_database(sqlite_location):
    return open_database(sqlite_location)


@pytest.fixture
def pg_database():
    if not PG_URL:
        pytest.skip("FRONTDESK_TEST_PG_URL is not set: PostgreSQL tests skipped")
    reset_postgres(PG_URL)
    return open_database(PG_URL)


def _raised(fn) -> BaseException:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - the test looks at whatever came
        return exc
    raise AssertionError("nothing raised")


# ------------------------------------------------------------------ SQLite


def test_sqlite_a_missing_column_is_a_bug_not_a_storage_error(sqlite_database):
    with pytest.raises(peewee.OperationalError) as caught, write_transaction():
        sqlite_database.execute_sql("SELECT no_such_column FROM setting")
    assert not isinstance(caught.value, UserError)
    assert failure_kind(caught.value) is None


def test_sqlite_a_full_database_is_disk_full_by_its_code(sqlite_database):
    database = sqlite_database
    database.execute_sql("CREATE TABLE filler (x BLOB)")
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFullError) as caught, write_transaction() as db:
        for _ in range(20):
            db.execute_sql("INSERT INTO filler VALUES (zeroblob(4000))")
    assert caught.value.__cause__.orig.sqlite_errorcode == sqlite3.SQLITE_FULL
    database.execute_sql("PRAGMA max_page_count = 1073741823")  # space again: writes go on
    with write_transaction():
        Setting.create(key="after", value="full")
    assert Setting.select().count() == 1


def test_sqlite_a_file_that_cannot_be_opened_is_unreachable(tmp_path):
    db = peewee.SqliteDatabase(f"file:{tmp_path / 'gone' / 'x.sqlite'}?mode=ro", uri=True)
    exc = _raised(db.connect)
    assert storage.failure_kind(exc) == storage.UNREACHABLE
    assert isinstance(storage.classify_storage_error(exc), UnreachableError)


def test_sqlite_busy_is_locked_by_its_code(sqlite_location):
    open_database(sqlite_location)
    holder = sqlite3.connect(sqlite_location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        other = sqlite3.connect(sqlite_location, timeout=0.05, isolation_level=None)
        exc = _raised(lambda: other.execute("BEGIN IMMEDIATE"))
        other.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert exc.sqlite_errorcode == sqlite3.SQLITE_BUSY
    assert isinstance(storage.classify_storage_error(exc), DatabaseLockedError)


def test_sqlite_the_code_wins_over_the_text():
    # A constraint failure whose message happens to mention a lock is still no lock.
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode = sqlite3.SQLITE_ERROR
    assert failure_kind(exc) is None
    exc.sqlite_errorcode = sqlite3.SQLITE_READONLY_DBMOVED  # an extended code: its primary counts
    assert failure_kind(exc) == storage.READ_ONLY


def test_sqlite_without_a_code_the_text_is_the_fallback():
    """Python 3.10's sqlite3 carries no code: only then is the message read."""
    assert failure_kind(sqlite3.OperationalError("database is locked")) == storage.LOCKED
    assert failure_kind(sqlite3.DatabaseError("file is not a database")) == storage.CORRUPT
    assert failure_kind(sqlite3.OperationalError("no such column: x")) is None


def test_os_errors_are_classified_by_errno():
    assert failure_kind(OSError(28, "No space left on device")) == storage.FULL
    assert failure_kind(PermissionError(13, "Permission denied")) == storage.READ_ONLY
    assert failure_kind(OSError(30, "Read-only file system")) == storage.READ_ONLY
    assert failure_kind(FileNotFoundError(2, "missing")) is None


# ------------------------------------------------------------------ PostgreSQL


def test_unreachable_server_has_no_sqlstate_and_is_unreachable():
    exc = _raised(lambda: peewee.PostgresqlDatabase(
        "none", user="nobody", host="127.0.0.1", port=1, connect_timeout=2).connect())
    assert getattr(storage._driver_error(exc), "pgcode", None) is None
    assert isinstance(storage.classify_storage_error(exc), UnreachableError)


@pytest.mark.postgres
def test_postgres_a_missing_column_is_a_bug_not_unreachable(pg_database):
    """42703, the sign of a missing migration, once showed as 无法连接数据库."""
    with pytest.raises(peewee.ProgrammingError) as caught, write_transaction():
        pg_database.execute_sql("SELECT no_such_column FROM setting")
    assert not isinstance(caught.value, UserError)
    assert caught.value.orig.pgcode == "42703"
    with pytest.raises(peewee.ProgrammingError), write_transaction():
        pg_database.execute_sql("SELECT 1 FROM no_such_table")


@pytest.mark.postgres
def test_postgres_a_read_only_transaction_is_read_only(pg_database):
    pg_database.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    with pytest.raises(ReadOnlyError) as caught, write_transaction():
        Setting.create(key="k", value="v")
    assert caught.value.__cause__.orig.pgcode == "25006"


@pytest.mark.postgres
def test_postgres_a_lock_held_elsewhere_is_locked(pg_database):
    import psycopg2

    other = psycopg2.connect(PG_URL)
    try:
        with other.cursor() as cur:
            cur.execute("LOCK TABLE setting IN ACCESS EXCLUSIVE MODE")
        pg_database.execute_sql("SET lock_timeout = '100ms'")
        with pytest.raises(DatabaseLockedError) as caught, write_transaction():
            Setting.create(key="k", value="v")
        assert caught.value.__cause__.orig.pgcode == "55P03"
    finally:
        other.rollback()
        other.close()


@pytest.mark.postgres
def test_postgres_a_connection_ended_by_the_server_is_unreachable(pg_database):
    import psycopg2

    pid = pg_database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    killer = psycopg2.connect(PG_URL)
    try:
        killer.autocommit = True
        with killer.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    finally:
        killer.close()
    with pytest.raises(StorageError) as caught, write_transaction():
        Setting.create(key="k", value="v")
    assert isinstance(caught.value, UnreachableError)
