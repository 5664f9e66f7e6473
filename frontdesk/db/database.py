"""Opening the database, and turning storage failures into user errors.

One ``DatabaseProxy`` stands for the database chosen at run time: a SQLite file (the
default, one PC) or a PostgreSQL server (several stations). The code above this module is the
same for both.

Times are stored as naive ``datetime`` values in the branch's local time. China has a single
time zone and no daylight saving, every figure the hall needs ("arrived at 09:12", "by hour")
is local, and a naive value compares and groups the same way in SQLite and PostgreSQL.
Values are kept to whole seconds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import peewee

from frontdesk.db.presence import Presence
from frontdesk.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DatabaseMovedError,
    DiskFullError,
    NotFrontDeskDatabaseError,
    ReadOnlyError,
    StorageError,
    UnreachableError,
    UserError,
)
from frontdesk.i18n import _

database_proxy = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a committed registration survives a power cut
    "foreign_keys": 1,
    "busy_timeout": 5000,
}
BUSY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Location:
    """Where the database lives: a SQLite file or a PostgreSQL URL."""

    raw: str

    @property
    def is_postgres(self) -> bool:
        return self.raw.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        if self.is_postgres:
            raise ValueError("not a SQLite location")
        raw = self.raw
        if raw.startswith("sqlite:///"):
            raw = raw[len("sqlite:///") :]
        return Path(raw).expanduser()

    def validate(self) -> None:
        """Raise ``StorageError`` (one line in Chinese) for a location that cannot be a database:
        a malformed URL, or a path that is a device or another special file."""
        if self.is_postgres:
            try:
                parts = urlsplit(self.raw)
                parts.port  # noqa: B018 - parsing the port is what may fail
            except ValueError as exc:
                raise StorageError(_("数据库地址格式不正确：{detail}。应为 postgresql://用户@服务器[:端口]/数据库名").format(
                    detail=exc)) from None
            if not parts.hostname and not parts.path.strip("/"):
                raise StorageError(_("数据库地址缺少服务器和数据库名。应为 postgresql://用户@服务器[:端口]/数据库名"))
            return
        path = self.sqlite_path
        if path.exists() and not path.is_dir() and not path.is_file():
            raise StorageError(_("数据库位置不是普通文件（例如设备文件）：{path}").format(path=path))

    def display(self) -> str:
        """The location as it may be shown on screen: never with a password."""
        if not self.is_postgres:
            return str(self.sqlite_path)
        parts = urlsplit(self.raw)
        host = parts.hostname or "localhost"
        netloc = f"{parts.username}@{host}" if parts.username else host
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def make_database(location: Location) -> peewee.Database:
    """A connected-on-demand database object for ``location`` (not yet bound to the proxy)."""
    if location.is_postgres:
        parts = urlsplit(location.raw)
        return peewee.PostgresqlDatabase(
            parts.path.lstrip("/") or "postgres",
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname or None,
            port=parts.port or None,
            connect_timeout=5,
            autoconnect=True,
        )
    path = location.sqlite_path
    return peewee.SqliteDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS, autoconnect=True
    )


def open_database(location: str | os.PathLike[str], *, migrate: bool = True) -> peewee.Database:
    """Open (creating if needed) and migrate the database at ``location``; bind the proxy to it.

    Raises a ``StorageError`` the user can understand when the file or server cannot be used.
    """
    from frontdesk.db.migrations import migrate_to_latest

    loc = Location(os.fspath(location))
    loc.validate()
    presence: Presence | None = None
    if not loc.is_postgres:
        path = loc.sqlite_path
        if path.exists() and path.is_dir():
            raise StorageError(_("数据库位置是一个文件夹，不是数据库文件：{path}").format(path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReadOnlyError(
                _("无法创建数据库所在的文件夹 {folder}：{reason}").format(
                    folder=path.parent, reason=exc.strerror or exc
                )
            ) from exc
        presence = _announce_presence(path)
        orphans = _orphaned_logs(path)
        if orphans:
            presence.release()
            raise DatabaseMovedError(_(
                "数据库文件不见了，它的日志文件 {log} 却还在：数据库可能被移走或删除了。"
                "为免丢失其中的记录，FrontDesk 没有新建数据库，也没有动日志文件。请找回 {path} 后再打开。").format(
                    log=orphans[0].name, path=path))
    try:
        if not loc.is_postgres:
            _recognise(loc.sqlite_path)
        db = make_database(loc)
        _connect(db, loc)
        database_proxy.initialize(db)
        if migrate:
            try:
                with storage_errors(), advisory_lock(db, MIGRATION_LOCK):
                    migrate_to_latest(db, loc)
            except BaseException:
                db.close()
                raise
    except BaseException:
        if presence is not None:
            presence.release()
        raise
    _set_presence(presence)
    _remember_identity(db)
    return db


# The open SQLite file as the file system knows it (device, inode): if the file is deleted,
# moved or replaced while the program runs, SQLite would go on writing into the old, unlinked
# file and every later save would be lost. Each write transaction compares first.
_identity: tuple[str, int, int] | None = None


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _remember_identity(db: peewee.Database) -> None:
    global _identity
    _identity = None
    if isinstance(db, peewee.SqliteDatabase):
        found = _file_identity(db.database)
        if found is not None:
            _identity = (db.database, *found)


def _check_identity(db: peewee.SqliteDatabase) -> None:
    if _identity is None or _identity[0] != db.database:
        return
    if _file_identity(db.database) != _identity[1:]:
        raise DatabaseMovedError(_(
            "数据库文件已被移走、删除或替换：{path}。为免丢失，这次保存没有进行，已填写的内容仍在。"
            "请关闭 FrontDesk，把数据库文件放回原处后再打开。").format(path=db.database))


def _orphaned_logs(path: Path) -> list[Path]:
    """Log files beside a database file that is not there: they belong to one that was.

    (An empty file with a log beside it is another station creating the database right now.)
    """
    if path.exists():
        return []
    found = []
    for log in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            if log.stat().st_size > 0:
                found.append(log)
    return found


def _recognise(path: Path) -> None:
    """Refuse, changing nothing, a SQLite file that holds tables but is not a FrontDesk database.

    Before any of our settings touch it: opening with them would switch a stranger's file to WAL
    (and migrating would add our tables to it). Read through a read-only SQLite connection; an
    empty or new file is ours to set up.
    """
    from frontdesk.db.migrations import VERSION_TABLE

    try:
        if path.stat().st_size == 0:
            return
    except FileNotFoundError:
        return
    uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
    with storage_errors():
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        finally:
            conn.close()
    if tables and VERSION_TABLE not in tables:
        shown = "、".join(tables[:3]) + ("……" if len(tables) > 3 else "")
        raise NotFrontDeskDatabaseError(_(
            "这个文件不是 FrontDesk 的数据库（其中有别的表：{tables}），FrontDesk 没有改动它：{path}。"
            "请检查 --db 或 FRONTDESK_DB 指向的文件。").format(tables=shown, path=path))


def _connect(db: peewee.Database, loc: Location) -> None:
    """Connect, waiting up to the busy timeout while another station holds the file.

    Switching a new file to WAL needs it to itself and does not wait on SQLite's busy handler:
    a second station starting while the first creates the database would be refused at once.
    """
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            with storage_errors():
                db.connect(reuse_if_open=True)
                if not loc.is_postgres:
                    # A file that is not a database only shows itself at the first read.
                    db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
            return
        except DatabaseLockedError:
            db.close()
            if loc.is_postgres or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# This process's shared lock on the open SQLite database's lock file (``presence``): while it is
# held, a restore of that file is refused.
_presence: Presence | None = None


def _announce_presence(path: Path) -> Presence:
    from frontdesk.db.presence import take

    held = take(path, exclusive=False)
    if held is None:
        raise DatabaseLockedError(
            _("数据库正在恢复备份，暂时不能打开：{path}。请稍候片刻再试。").format(path=path)
        )
    return held


def _set_presence(held: Presence | None) -> None:
    global _presence
    if _presence is not None and _presence is not held:
        _presence.release()
    _presence = held


# PostgreSQL advisory lock keys ("FD" and a number): one station at a time migrates the schema
# or does the first-run set-up, the others wait and then find it done.
MIGRATION_LOCK = 0x4644_0001
SETUP_LOCK = 0x4644_0002


@contextlib.contextmanager
def advisory_lock(db: peewee.Database, key: int) -> Iterator[None]:
    """Hold a session-level advisory lock on PostgreSQL for the block; nothing on SQLite, where
    a write transaction already holds the whole file."""
    if not isinstance(db, peewee.PostgresqlDatabase):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (key,))
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s)", (key,))


def lock_for_this_transaction(key: int) -> None:
    """Inside a write transaction: wait for any other station's transaction holding ``key``
    (PostgreSQL; SQLite's write transaction is exclusive from its start)."""
    db = current_database()
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))


def close_database() -> None:
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()
    _set_presence(None)


def current_database() -> peewee.Database:
    db = database_proxy.obj
    if db is None:
        raise StorageError(_("数据库尚未打开。"))
    return db


def is_postgres(db: peewee.Database | None = None) -> bool:
    db = db or current_database()
    return isinstance(db, peewee.PostgresqlDatabase)


# How a failure is told apart: by the driver's error code, never by its message (which changes
# with the driver's version and language). SQLite result codes (primary code = the low byte of
# ``sqlite_errorcode``, Python >= 3.11) and PostgreSQL SQLSTATE (``pgcode`` in psycopg2,
# ``sqlstate`` in psycopg 3). Anything else -- a missing column (42703, SQLITE_ERROR), a syntax
# error -- is a bug and goes to the crash handler, not to the user as "cannot connect".
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

LOCKED, READ_ONLY, FULL, CORRUPT, UNREACHABLE, IO = (
    "locked", "read_only", "full", "corrupt", "unreachable", "io")

_SQLITE_CODES: dict[int, str] = {
    SQLITE_BUSY: LOCKED,
    SQLITE_LOCKED: LOCKED,
    SQLITE_READONLY: READ_ONLY,
    SQLITE_PERM: READ_ONLY,
    SQLITE_IOERR: IO,
    SQLITE_CORRUPT: CORRUPT,
    SQLITE_NOTADB: CORRUPT,
    SQLITE_FULL: FULL,
    SQLITE_CANTOPEN: UNREACHABLE,
}

# SQLSTATE: a whole class (two characters) or one condition (five).
_SQLSTATE: dict[str, str] = {
    "08": UNREACHABLE,  # connection exception
    "57P01": UNREACHABLE,  # admin_shutdown: the server is going down
    "57P02": UNREACHABLE,  # crash_shutdown
    "57P03": UNREACHABLE,  # cannot_connect_now: the server is starting
    "25006": READ_ONLY,  # read_only_sql_transaction (a standby, or a read-only default)
    "53100": FULL,  # disk_full
    "55P03": LOCKED,  # lock_not_available
    "40P01": LOCKED,  # deadlock_detected: try again
    "40001": LOCKED,  # serialization_failure: try again
    "XX001": CORRUPT,  # data_corrupted
    "XX002": CORRUPT,  # index_corrupted
}

_ERRNO: dict[int, str] = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
}

# Only for a sqlite3 error that carries no code (Python 3.10 and older).
_SQLITE_TEXT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (LOCKED, ("database is locked", "database table is locked", "database schema is locked")),
    (READ_ONLY, ("readonly database", "read-only", "read only")),
    (FULL, ("database or disk is full", "disk is full")),
    (CORRUPT, ("file is not a database", "malformed", "file is encrypted")),
    (UNREACHABLE, ("unable to open database file",)),
    (IO, ("disk i/o error",)),
)


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's own exception behind peewee's wrapper (kept as ``orig``)."""
    if isinstance(exc, peewee.PeeweeException):
        orig = getattr(exc, "orig", None)
        if isinstance(orig, BaseException):
            return orig
    return exc


def _is_postgres_error(err: BaseException) -> bool:
    return type(err).__module__.split(".")[0] in ("psycopg2", "psycopg")


def failure_kind(exc: BaseException) -> str | None:
    """``locked``, ``read_only``, ``full``, ``corrupt``, ``unreachable`` or ``io`` from the
    driver's error code; ``None`` when ``exc`` is not a storage failure (a bug)."""
    err = _driver_error(exc)
    if isinstance(err, OSError):
        return _ERRNO.get(err.errno) if err.errno is not None else None
    if _is_postgres_error(err):
        state = getattr(err, "pgcode", None) or getattr(err, "sqlstate", None)
        if not state:
            # No SQLSTATE: the driver could not talk to a server at all (refused, timed out,
            # authentication or a missing database at connect, the connection lost).
            return UNREACHABLE if type(err).__name__ in ("OperationalError", "InterfaceError") else None
        return _SQLSTATE.get(state) or _SQLSTATE.get(state[:2])
    if isinstance(err, sqlite3.Error):
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None:
            return _SQLITE_CODES.get(code & 0xFF)
        text = str(err).lower()
        return next((kind for kind, needles in _SQLITE_TEXT if any(n in text for n in needles)), None)
    if isinstance(err, peewee.InterfaceError):
        return UNREACHABLE  # peewee's own: no connection to use
    return None


def _full_where() -> str:
    """Where the full disk is: the open SQLite file's folder, or the PostgreSQL server."""
    db = database_proxy.obj
    if isinstance(db, peewee.SqliteDatabase):
        return os.path.dirname(os.path.abspath(db.database))
    if isinstance(db, peewee.PostgresqlDatabase):
        return _("数据库服务器 {host}").format(host=db.connect_params.get("host") or "localhost")
    return _("数据库所在的磁盘")


def classify_storage_error(exc: BaseException) -> StorageError | None:
    """The user error that explains ``exc``, or ``None`` if it is not a storage failure."""
    kind = failure_kind(exc)
    if kind == FULL:
        return DiskFullError(_("磁盘已满（{where}），记录未保存，已填写的内容仍在。请清理磁盘空间后再保存。").format(
            where=_full_where()))
    if kind == LOCKED:
        return DatabaseLockedError(
            _("数据库正被另一个程序占用（已等待 {seconds:.0f} 秒），记录未保存。请稍后重试。").format(
                seconds=BUSY_TIMEOUT_SECONDS
            )
        )
    if kind == READ_ONLY:
        return ReadOnlyError(_("数据库文件是只读的，记录未保存。请检查文件权限或磁盘是否写保护。"))
    if kind == CORRUPT:
        return CorruptDatabaseError(
            _("数据库文件已损坏或不是 FrontDesk 的数据库，请从备份恢复。")
        )
    if kind == IO:
        return StorageError(_("读写数据库时磁盘出错，记录未保存。请检查磁盘或网络驱动器后重试。"))
    if kind == UNREACHABLE:
        return UnreachableError(
            _("无法连接数据库，记录未保存。请检查网络或数据库服务器后重试。（{detail}）").format(
                detail=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
        )
    return None


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Translate storage failures raised inside the block into ``StorageError``."""
    try:
        yield
    except (peewee.OperationalError, peewee.InterfaceError, sqlite3.OperationalError,
            sqlite3.DatabaseError, peewee.DatabaseError, OSError) as exc:
        if isinstance(exc, peewee.IntegrityError):
            raise
        translated = classify_storage_error(exc)
        if translated is None:
            raise
        raise translated from exc


class CommitHook:
    """Told when an outermost write transaction begins and when it has been committed (never
    for one rolled back): for what must follow a commit, outside the database."""

    def begin(self) -> None: ...

    def committed(self) -> None: ...


_commit_hooks: list[CommitHook] = []


def add_commit_hook(hook: CommitHook) -> None:
    if hook not in _commit_hooks:
        _commit_hooks.append(hook)


def database_key(db: peewee.Database | None = None) -> str:
    """Which database this is, as this computer names it: the SQLite file's absolute path, or
    the PostgreSQL server, port and database (never a password)."""
    db = db or current_database()
    if isinstance(db, peewee.PostgresqlDatabase):
        params = db.connect_params
        host, port = params.get("host") or "localhost", params.get("port") or 5432
        return f"postgresql://{params.get('user') or ''}@{host}:{port}/{db.database}"
    name = db.database
    if name.startswith("file:"):  # a read-only URI (``frontdesk check``): the file it names
        from urllib.parse import unquote as _unquote

        name = _unquote(urlsplit(name).path)
        if os.name == "nt" and name.startswith("/") and name[2:3] == ":":
            name = name[1:]
    return "sqlite:" + os.path.abspath(name)


@contextlib.contextmanager
def write_transaction() -> Iterator[peewee.Database]:
    """One atomic write: all of it is committed, or none of it and a ``StorageError`` says why.

    On SQLite the transaction takes the write lock at its start (``BEGIN IMMEDIATE``): a
    deferred one that has read first is refused at once ("database is locked") when another
    station wrote in between, whereas an immediate one waits its turn on the busy timeout.
    """
    db = current_database()
    lock = ("IMMEDIATE",) if isinstance(db, peewee.SqliteDatabase) else ()
    if lock:
        _check_identity(db)
    outermost = db.transaction_depth() == 0
    if outermost:
        for hook in _commit_hooks:
            hook.begin()
    inner: BaseException | None = None
    try:
        with storage_errors(), db.atomic(*lock):
            try:
                yield db
            except BaseException as exc:
                inner = exc
                raise
        if outermost:
            for hook in _commit_hooks:
                hook.committed()
    except BaseException as exc:
        # SQLite ends the transaction itself on some failures (SQLITE_FULL, SQLITE_IOERR): the
        # rollback that follows then fails, and the failure that caused it is the one to tell.
        if inner is not None and exc is not inner and not isinstance(exc, UserError):
            translated = classify_storage_error(inner)
            if translated is not None:
                raise translated from inner
        raise


@contextlib.contextmanager
def read_only() -> Iterator[peewee.Database]:
    db = current_database()
    with storage_errors():
        yield db


def minutes_between(start: peewee.Node, end: peewee.Node) -> peewee.Node:
    """SQL for ``end - start`` in minutes (a float), on whichever backend is open."""
    if is_postgres():
        return peewee.NodeList(
            (peewee.SQL("EXTRACT(EPOCH FROM"), end - start, peewee.SQL(")")), glue=" "
        ) / 60.0
    return (peewee.fn.julianday(end) - peewee.fn.julianday(start)) * 1440.0
