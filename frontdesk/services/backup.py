"""Backups of the SQLite database: daily copies beside it, a check before restoring, the restore.

Why it looks like this:

- Copies are made with SQLite's online backup API from a separate read-only connection: the
  copy is one consistent snapshot even while the front desk keeps registering (WAL readers do
  not block writers), and it includes what is still in the ``-wal`` file.
- Every file is written under a temporary name in the target folder, fsynced, then renamed
  over the final name (``os.replace``, atomic): a crash or a full disk never leaves half a
  backup under a name that looks complete, and never touches the live database.
- Automatic copies live in ``backups/`` beside the database: ``<stem>-YYYY-MM-DD.sqlite`` for
  the newest ``KEEP_DAILY`` days that had a start, ``<stem>-YYYY-MM.sqlite`` for the newest
  ``KEEP_MONTHLY`` months (the first automatic backup of each month, kept as it was). Pruning
  deletes only files with exactly these names. A backup asked for by hand gets a time stamp
  (``<stem>-YYYY-MM-DD-HHMMSS.sqlite``): it never replaces an automatic one and is never
  deleted automatically.
- A restore is refused while any other connection has the database open: a running FrontDesk
  keeps WAL connections, which hold a shared lock that an exclusive-locking-mode connection
  cannot get past (a plain ``BEGIN EXCLUSIVE`` would not see an idle WAL connection). The
  replaced database is kept aside, with its ``-wal`` content, before the backup takes its place.

PostgreSQL is backed up with its own tools (``pg_dump`` / ``pg_restore``, see README): there is
no home-made dump here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from frontdesk.db import presence
from frontdesk.db.database import (
    Location,
    classify_storage_error,
    close_database,
    current_database,
    is_postgres,
    open_database,
    write_transaction,
)
from frontdesk.db.migrations import LATEST_VERSION
from frontdesk.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    SchemaTooNewError,
    StorageError,
    UserError,
)
from frontdesk.i18n import _
from frontdesk.services import audit, clock, kit, session, witness
from frontdesk.services.health import (
    DATABASE_ERRORS,
    DatabaseSummary,
    connect_read_only,
    file_problem,
    foreign_key_problems,
    integrity_problems,
    missing_tables,
    not_frontdesk_message,
    read_schema_version,
    sqlite_uri,
    summarize,
    too_new_message,
)

BACKUP_DIR_NAME = "backups"
KEEP_DAILY = 14
KEEP_MONTHLY = 12
IN_USE_TIMEOUT_SECONDS = 0.5  # a restore waits this long for other connections, then refuses
STALE_TEMP_SECONDS = 3600  # an unfinished temp file older than this belongs to a crashed run


class BackupError(UserError):
    """A backup or restore that could not be done. Nothing was changed."""


class InvalidBackupError(BackupError):
    """The file given cannot be restored: missing, empty, not SQLite, not ours, damaged."""


class CorruptBackupError(InvalidBackupError):
    pass


class NotFrontDeskError(InvalidBackupError):
    pass


class PostgresBackupError(BackupError):
    """FrontDesk does not dump PostgreSQL itself: the server's own tools do it properly."""


IN_USE_MESSAGE = _("数据库正在被使用（FrontDesk 是否还开着？）：{path}。"
                   "请先关闭所有使用它的 FrontDesk 窗口和程序，再恢复。数据库没有改动。")


class DatabaseInUseError(DatabaseLockedError):
    """Another program (a running FrontDesk) has the database open."""


class ReopenError(StorageError):
    """After a restore (or a refused one) the database could not be opened again."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, shown before the user confirms a restore."""

    path: Path
    size: int
    summary: DatabaseSummary

    @property
    def version(self) -> int:
        return self.summary.version

    @property
    def visits(self) -> int:
        return self.summary.visits

    @property
    def first_visit(self) -> date | None:
        return self.summary.first_visit

    @property
    def last_visit(self) -> date | None:
        return self.summary.last_visit


def postgres_message() -> str:
    return _(
        "PostgreSQL 数据库请用 PostgreSQL 自带的工具备份和恢复：pg_dump -Fc 备份，"
        "pg_restore --clean 恢复（具体命令见 README 的“Backups”一节）。"
    )


# ------------------------------------------------------------------ names and places


def backup_dir(database: Path) -> Path:
    """``backups/`` beside the database file."""
    return database.parent / BACKUP_DIR_NAME


def daily_name(database: Path, day: date) -> str:
    return f"{database.stem}-{day:%Y-%m-%d}.sqlite"


def monthly_name(database: Path, day: date) -> str:
    return f"{database.stem}-{day:%Y-%m}.sqlite"


def manual_name(database: Path, moment: datetime) -> str:
    return f"{database.stem}-{moment:%Y-%m-%d-%H%M%S}.sqlite"


def _daily_pattern(database: Path) -> re.Pattern[str]:
    return re.compile(re.escape(database.stem) + r"-(\d{4})-(\d{2})-(\d{2})\.sqlite")


def _monthly_pattern(database: Path) -> re.Pattern[str]:
    return re.compile(re.escape(database.stem) + r"-(\d{4})-(\d{2})\.sqlite")


def _temp_pattern(database: Path) -> re.Pattern[str]:
    return re.compile(r"\." + re.escape(database.stem) + r"-.*\.tmp(-journal|-wal|-shm)?")


def _open_sqlite_file() -> Path:
    """The file of the open database; refuses PostgreSQL."""
    db = current_database()
    if is_postgres(db):
        raise PostgresBackupError(postgres_message())
    return Path(db.database)


def _require_sqlite_location(location: Location) -> Path:
    if location.is_postgres:
        raise PostgresBackupError(postgres_message())
    return location.sqlite_path


# ------------------------------------------------------------------ writing files safely


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as stream:
        os.fsync(stream.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    for candidate in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            candidate.unlink()


def _write_error(exc: BaseException, folder: Path, doing: str) -> UserError:
    """The user error for a failure while writing into ``folder``."""
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return DiskFullError(_("磁盘已满，{doing}未完成：{folder}。请清理磁盘空间后重试，原有文件没有改动。").format(
            doing=doing, folder=folder))
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyError(_("无法写入文件夹 {folder}（只读或没有权限），{doing}未完成，原有文件没有改动。").format(
            folder=folder, doing=doing))
    translated = classify_storage_error(exc)
    if isinstance(translated, DiskFullError):
        return DiskFullError(_("磁盘已满，{doing}未完成：{folder}。请清理磁盘空间后重试，原有文件没有改动。").format(
            doing=doing, folder=folder))
    if isinstance(translated, ReadOnlyError):
        return ReadOnlyError(_("无法写入文件夹 {folder}（只读或没有权限），{doing}未完成，原有文件没有改动。").format(
            folder=folder, doing=doing))
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return BackupError(_("{doing}失败（{detail}），原有文件没有改动。").format(doing=doing, detail=detail))


def _temp_beside(target: Path, doing: str) -> Path:
    """An empty temp file in ``target``'s folder (created, so the folder is known writable)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_error(exc, target.parent, doing) from exc
    os.close(fd)
    return Path(name)


def _copy_database(source: sqlite3.Connection, temp: Path) -> None:
    """Copy ``source`` into the (empty) file ``temp`` with the online backup API.

    The copy is switched to a plain rollback journal: one self-contained file, readable even
    from a read-only folder or medium.
    """
    dest = sqlite3.connect(str(temp), isolation_level=None)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        dest.close()


def _quick_check(path: Path) -> list[str]:
    """``PRAGMA quick_check`` of a finished copy: empty when sound."""
    conn = sqlite3.connect(str(path))
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    except DATABASE_ERRORS as exc:
        rows = [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _finish(temp: Path, target: Path, mode_from: Path | None = None) -> None:
    """Make ``temp`` durable, give it ``mode_from``'s permissions, rename it to ``target``."""
    _fsync_file(temp)
    if mode_from is not None:
        # Whoever may read the database may read its copies: no more, no less.
        shutil.copymode(mode_from, temp)
    os.replace(temp, target)
    _fsync_dir(target.parent)


def _write_backup(source_path: Path, target: Path, *, doing: str) -> None:
    """Back up the SQLite file ``source_path`` to ``target``, atomically."""
    problem = file_problem(source_path, what=_("数据库文件"))
    if problem:
        raise BackupError(problem)
    temp = _temp_beside(target, doing)
    try:
        try:
            source = connect_read_only(source_path)
        except sqlite3.Error as exc:
            raise BackupError(_("无法打开数据库 {path}：{detail}").format(path=source_path, detail=exc)) from exc
        try:
            _copy_database(source, temp)
        except DATABASE_ERRORS as exc:
            if isinstance(classify_storage_error(exc), CorruptDatabaseError):
                raise CorruptDatabaseError(
                    _("数据库文件已损坏或不是 SQLite 数据库，无法备份：{path}").format(path=source_path)
                ) from exc
            raise
        finally:
            source.close()
        # The backup API copies pages as they are: a damaged database gives a damaged copy.
        # Refuse it loudly rather than let it push good copies out of the rotation.
        quick = _quick_check(temp)
        if quick:
            raise CorruptDatabaseError(
                _("数据库文件已损坏（{detail}），备份未完成。请运行 frontdesk check，并从较早的备份恢复。").format(
                    detail="；".join(quick[:3])
                )
            )
        _finish(temp, target, mode_from=source_path)
    except UserError:
        _remove_quietly(temp)
        raise
    except (OSError, *DATABASE_ERRORS) as exc:
        _remove_quietly(temp)
        raise _write_error(exc, target.parent, doing) from exc
    except BaseException:
        _remove_quietly(temp)
        raise


def _copy_file(source: Path, target: Path, *, doing: str) -> None:
    """Copy a finished (not live) backup file to ``target``, atomically."""
    temp = _temp_beside(target, doing)
    try:
        shutil.copyfile(source, temp)
        _finish(temp, target, mode_from=source)
    except OSError as exc:
        _remove_quietly(temp)
        raise _write_error(exc, target.parent, doing) from exc
    except BaseException:
        _remove_quietly(temp)
        raise


# ------------------------------------------------------------------ backing up

# The program's own daily copy runs at start-up whoever signs in, or before anyone has: it
# writes only to backups/ beside the database, and is noted in the trail as the program's act.
_DAILY = "the program's own daily copy at start-up, before or whatever the sign-in"


@kit.action(session.BACKUP)
def backup_now(
    target: Path | None = None, *, source: Path | None = None, now: datetime | None = None
) -> Path:
    """Back up the database now; returns the file written.

    ``source`` defaults to the open database (it need not be open when given: the command line
    backs up without migrating). ``target`` may be a file or a folder; by default a time-stamped
    file in ``backups/`` beside the database, outside the automatic rotation.
    """
    source = Path(source) if source is not None else _open_sqlite_file()
    moment = now or clock.now()
    if target is None:
        target = backup_dir(source) / manual_name(source, moment)
    else:
        target = Path(target)
        if target.is_dir():
            target = target / manual_name(source, moment)
        elif not target.parent.is_dir():
            # A typing slip (E:\前台备分\) must not quietly make new folders somewhere.
            raise BackupError(_("备份目标所在的文件夹不存在：{folder}").format(folder=target.parent))
        elif target.exists() and not target.is_file():
            raise BackupError(_("备份目标不是普通文件（例如设备文件），不能写入：{path}").format(path=target))
    if target.exists() and source.exists() and os.path.samefile(target, source):
        raise BackupError(_("备份文件不能是数据库文件本身：{path}").format(path=target))
    _write_backup(source, target, doing=_("备份"))
    return target


@kit.action(session.BACKUP)
def backup_location(location: Location, target: Path | None = None, *, now: datetime | None = None) -> Path:
    """``backup_now`` for a database given by location (the command line); refuses PostgreSQL."""
    return backup_now(target, source=_require_sqlite_location(location), now=now)


@kit.exempt("only the path of the open file: no record is read")
def open_database_file() -> Path | None:
    """The file of the open database; ``None`` for PostgreSQL (nothing to back up here)."""
    db = current_database()
    return None if is_postgres(db) else Path(db.database)


@kit.exempt(_DAILY)
def daily_backup_due(today: date, database: Path | None = None) -> bool:
    """Cheap (one ``stat``): would ``daily_backup_if_due`` write a backup today?"""
    database = database if database is not None else open_database_file()
    if database is None:
        return False
    return not (backup_dir(database) / daily_name(database, today)).exists()


@kit.exempt(_DAILY)
def daily_backup_if_due(now: datetime, database: Path | None = None) -> Path | None:
    """The first start of a day backs the database up; returns the new file, else ``None``.

    Also keeps the month's first backup as the monthly copy and prunes old copies. ``database``
    defaults to the open one; a no-op for PostgreSQL. Safe to call from a background thread:
    it uses its own connections, never the program's.
    """
    database = database if database is not None else open_database_file()
    if database is None:
        return None
    folder = backup_dir(database)
    daily = folder / daily_name(database, now.date())
    if daily.exists():
        return None
    _write_backup(database, daily, doing=_("自动备份"))
    monthly = folder / monthly_name(database, now.date())
    if not monthly.exists():
        _copy_file(daily, monthly, doing=_("月度备份"))
    prune(database)
    return daily


def prune(database: Path, *, keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY) -> list[Path]:
    """Delete automatic copies beyond the newest ``keep_daily`` / ``keep_monthly``; returns them.

    Only files named exactly as this module names them are touched, and unfinished temp files
    left by a crash an hour or more ago.
    """
    folder = backup_dir(database)
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return []
    daily = sorted(n for n in names if _daily_pattern(database).fullmatch(n))
    monthly = sorted(n for n in names if _monthly_pattern(database).fullmatch(n))
    doomed = daily[: max(len(daily) - keep_daily, 0)] + monthly[: max(len(monthly) - keep_monthly, 0)]
    cutoff = time.time() - STALE_TEMP_SECONDS
    for name in names:
        if _temp_pattern(database).fullmatch(name):
            with contextlib.suppress(OSError):
                if (folder / name).stat().st_mtime < cutoff:
                    doomed.append(name)
    removed = []
    for name in doomed:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed.append(folder / name)
    return removed


# ------------------------------------------------------------------ checking a backup


def inspect_backup(path: Path) -> BackupInfo:
    """Check a file before it may replace the database; what it holds, or why it cannot be used."""
    path = Path(path)
    problem = file_problem(path, what=_("备份文件"))
    if problem:
        raise InvalidBackupError(problem + _("不能用来恢复。"))
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        raise InvalidBackupError(_("无法打开备份文件 {path}：{detail}").format(path=path, detail=exc)) from exc
    try:
        damaged = integrity_problems(conn)
        if damaged:
            raise CorruptBackupError(_("备份文件 {path} 不能用来恢复：").format(path=path) + damaged[0])
        version = read_schema_version(conn)
        if version is None:
            raise NotFrontDeskError(
                _("备份文件 {path} 不能用来恢复：").format(path=path) + not_frontdesk_message()
            )
        if version > LATEST_VERSION:
            raise SchemaTooNewError(_("备份文件 {path} 不能用来恢复：").format(path=path) + too_new_message(version))
        incomplete = missing_tables(conn, version)
        if incomplete:
            raise CorruptBackupError(_("备份文件 {path} 不能用来恢复：").format(path=path) + incomplete[0])
        broken = foreign_key_problems(conn)
        if broken:
            raise CorruptBackupError(_("备份文件 {path} 不能用来恢复：").format(path=path) + broken[0])
        summary = summarize(conn, version)
    except DATABASE_ERRORS as exc:
        raise CorruptBackupError(
            _("备份文件 {path} 已损坏，不能用来恢复（{detail}）。").format(path=path, detail=exc)
        ) from exc
    finally:
        conn.close()
    return BackupInfo(path, path.stat().st_size, summary)


def describe_database(database: Path) -> DatabaseSummary | None:
    """What the current database holds, for the restore prompt; ``None`` if it cannot be read."""
    if file_problem(database, what="") is not None:
        return None
    try:
        conn = connect_read_only(database, timeout=IN_USE_TIMEOUT_SECONDS)
    except sqlite3.Error:
        return None
    try:
        version = read_schema_version(conn)
        return None if version is None else summarize(conn, version)
    except DATABASE_ERRORS:
        return None
    finally:
        conn.close()


# ------------------------------------------------------------------ restoring


def _lock_exclusively(database: Path) -> sqlite3.Connection | None:
    """A connection that holds ``database`` exclusively, with its WAL folded into the file.

    Raises ``DatabaseInUseError`` when another connection has it open. Returns ``None`` when
    the file is not readable as SQLite at all (no FrontDesk can have it open then).
    """
    conn = sqlite3.connect(
        sqlite_uri(database, mode="rw"), uri=True, timeout=IN_USE_TIMEOUT_SECONDS, isolation_level=None
    )
    try:
        # In exclusive locking mode the first access must lock the file out for everyone; every
        # open FrontDesk connection (WAL) holds a shared lock, so this fails while one exists.
        conn.execute("PRAGMA locking_mode=EXCLUSIVE").fetchall()
        # Leaving WAL checkpoints everything into the main file and deletes the -wal file, so no
        # old log can be replayed onto the restored database.
        conn.execute("PRAGMA journal_mode=DELETE").fetchall()
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise DatabaseInUseError(IN_USE_MESSAGE.format(path=database)) from exc
        raise
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _set_aside_readable(guard: sqlite3.Connection, database: Path, aside: Path) -> None:
    temp = _temp_beside(aside, _("保存原数据库"))
    try:
        _copy_database(guard, temp)
        _finish(temp, aside, mode_from=database)
    except BaseException:
        _remove_quietly(temp)
        raise


def _set_aside_raw(database: Path, aside: Path) -> None:
    """A damaged database is kept byte for byte (with its -wal beside the copy, if any)."""
    _copy_file(database, aside, doing=_("保存原数据库"))
    wal = Path(f"{database}-wal")
    if wal.exists():
        _copy_file(wal, Path(f"{aside}-wal"), doing=_("保存原数据库"))


def _aside_name(database: Path, moment: datetime) -> Path:
    """``<stem>.replaced-YYYYmmdd-HHMMSS.sqlite``, never the name of an existing file."""
    base = f"{database.stem}.replaced-{moment:%Y%m%d-%H%M%S}"
    suffix = database.suffix or ".sqlite"
    candidate, n = database.with_name(base + suffix), 1
    while candidate.exists():
        n += 1
        candidate = database.with_name(f"{base}-{n}{suffix}")
    return candidate


@kit.action(session.RESTORE)
def restore(backup: Path, database: Path, *, now: datetime | None = None) -> Path | None:
    """Replace ``database`` by the backup file ``backup``; returns where the old one was kept.

    Checks the backup first (``inspect_backup``), refuses while the database is in use, keeps
    the replaced database aside as ``<stem>.replaced-YYYYmmdd-HHMMSS.sqlite`` (``None`` when
    there was none), then renames a checked copy of the backup into place. On any failure the
    database is left as it was.
    """
    backup, database = Path(backup), Path(database)
    inspect_backup(backup)
    if database.is_dir():
        raise BackupError(_("数据库位置是一个文件夹，不是数据库文件：{path}").format(path=database))
    if database.exists() and os.path.samefile(backup, database):
        raise BackupError(_("备份文件就是当前数据库本身，无需恢复：{path}").format(path=database))
    aside = _aside_name(database, now or clock.now())
    doing = _("恢复")

    # No FrontDesk (this one included) may have the database open: each holds the presence lock
    # shared while it does. Held exclusively to the end, it also keeps new stations out.
    owner = presence.take(database, exclusive=True)
    if owner is None:
        raise DatabaseInUseError(IN_USE_MESSAGE.format(path=database))
    guard: sqlite3.Connection | None = None
    raw = False
    staging: Path | None = None
    try:
        staging = _temp_beside(database, doing)  # first: proves the folder is writable
        if database.exists():
            try:
                guard = _lock_exclusively(database)
            except sqlite3.Error as exc:
                raise _write_error(exc, database.parent, doing) from exc
            raw = guard is None
        try:
            source = connect_read_only(backup)
            try:
                _copy_database(source, staging)
            finally:
                source.close()
            damaged = _quick_check(staging)
            _fsync_file(staging)
            if database.exists():
                shutil.copymode(database, staging)  # the restored file keeps the old permissions
        except (OSError, *DATABASE_ERRORS) as exc:
            raise _write_error(exc, database.parent, doing) from exc
        if damaged:
            raise CorruptBackupError(
                _("备份文件复制后未通过检查（{detail}），恢复未进行，数据库没有改动。").format(
                    detail="；".join(damaged[:3])
                )
            )
        kept: Path | None = None
        if database.exists():
            try:
                if guard is not None:
                    _set_aside_readable(guard, database, aside)
                else:
                    _set_aside_raw(database, aside)
            except (OSError, *DATABASE_ERRORS) as exc:
                raise _write_error(exc, database.parent, _("保存原数据库")) from exc
            kept = aside
        wal = Path(f"{database}-wal")
        if guard is not None and wal.exists() and wal.stat().st_size > 0:
            raise BackupError(_("数据库的日志文件无法合并，恢复未进行：{path}").format(path=wal))
        if os.name == "nt" and guard is not None:
            guard.close()  # Windows cannot rename over a file that is open
            guard = None
        try:
            os.replace(staging, database)
            staging = None
            _fsync_dir(database.parent)
        except OSError as exc:
            raise _write_error(exc, database.parent, doing) from exc
        if raw:
            # The damaged file's log belongs to it (kept aside above), never to the restored one.
            for suffix in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{database}{suffix}").unlink()
        return kept
    finally:
        if guard is not None:
            guard.close()
        if staging is not None:
            _remove_quietly(staging)
        owner.release()


@kit.action(session.RESTORE)
def restore_location(location: Location, backup: Path, *, now: datetime | None = None) -> Path | None:
    """``restore`` onto the database given by location (the command line); refuses PostgreSQL."""
    return restore(backup, _require_sqlite_location(location), now=now)


# ------------------------------------------------------------------ listing the backups

DAILY, MONTHLY, MANUAL = "daily", "monthly", "manual"


@dataclass(frozen=True)
class BackupFile:
    """One backup in ``backups/`` beside the database, as the settings page lists it."""

    name: str
    path: Path
    kind: str  # DAILY, MONTHLY or MANUAL
    size: int  # bytes
    mtime: datetime  # local time the file was written


def _manual_pattern(database: Path) -> re.Pattern[str]:
    return re.compile(re.escape(database.stem) + r"-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})\.sqlite")


def _backup_kind(database: Path, name: str) -> str | None:
    """The kind of a file named as this module names backups; ``None`` for any other file.

    A name that only looks like ours (``-2026-13-45``) is not ours.
    """
    for kind, pattern in (
        (DAILY, _daily_pattern(database)),
        (MONTHLY, _monthly_pattern(database)),
        (MANUAL, _manual_pattern(database)),
    ):
        match = pattern.fullmatch(name)
        if match is None:
            continue
        numbers = [int(g) for g in match.groups()]
        if kind == MONTHLY:
            numbers.append(1)
        try:
            datetime(*numbers)
        except ValueError:
            return None
        return kind
    return None


def list_backups(database: Path) -> list[BackupFile]:
    """The daily, monthly and manual backups in ``backups/`` beside ``database``, newest first.

    Newest means most recently written: the monthly copy of a day sorts just above that day's
    daily one. A missing folder is an empty list; an unreadable one is a ``BackupError``.
    """
    database = Path(database)
    folder = backup_dir(database)
    found: list[BackupFile] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BackupError(
            _("无法读取备份文件夹 {folder}：{reason}").format(folder=folder, reason=exc.strerror or exc)
        ) from exc
    for entry in entries:
        kind = _backup_kind(database, entry.name)
        if kind is None:
            continue
        try:
            if not entry.is_file():
                continue
            stat = entry.stat()
        except OSError:  # removed meanwhile (pruned by another start): not a backup any more
            continue
        found.append(BackupFile(
            name=entry.name,
            path=folder / entry.name,
            kind=kind,
            size=stat.st_size,
            mtime=datetime.fromtimestamp(stat.st_mtime),
        ))
    found.sort(key=lambda f: (f.mtime, f.name), reverse=True)
    return found


@kit.exempt("notes a copy already made: the daily one as the program, a manual one after "
            "backup_now checked the role")
def record_backup(written: Path, *, automatic: bool = False) -> None:
    """Note a backup in the audit trail of the open database: a copy of its personal data now
    exists elsewhere. The automatic daily copy is the program's own act, and is followed by the
    day's retention run (``privacy.daily_purge``: names and phones past the period cleared)."""
    if automatic:
        detail = _("自动备份到：{path}").format(path=written)
    else:
        detail = _("备份到：{path}").format(path=written)
    with write_transaction():
        audit.record("backup", entity="database", detail=detail,
                     actor=session.SYSTEM if automatic else None)
    if automatic:
        # Once a day, with the daily copy: names and phones past the retention period go.
        from frontdesk.services import privacy

        privacy.daily_purge()


# ------------------------------------------------------------------ restoring the open database


def _reopen(location: Location) -> None:
    try:
        open_database(location.raw)
    except UserError as exc:
        raise ReopenError(exc.message) from exc


@kit.action(session.RESTORE)
def restore_open_database(actor: session.Actor, location: Location, backup: Path) -> Path | None:
    """Restore the database the program has open, then open it again; returns ``restore``'s.

    The window's worker must be stopped first. A refused restore raises its ``UserError`` with
    the same database open again, unchanged; ``ReopenError`` means the database (restored or
    not) cannot be opened now. The restore goes into the restored database's trail: its users
    are the backup's, so the entry names the one who restored without a user id.
    """
    close_database()
    try:
        kept = restore_location(location, backup)
    except UserError:
        _reopen(location)
        raise
    _reopen(location)
    # The restore is done; the note in the trail is a courtesy.
    with contextlib.suppress(UserError):
        record_restore(backup, kept)
    return kept


@kit.action(session.RESTORE)
def record_restore(actor: session.Actor, backup: Path, kept: Path | None) -> None:
    """The restore in the restored database's own trail (the window's and the command line's).

    Its users are the backup's, so the entry names the one who restored without a user id.
    """
    who = session.Actor(None, actor.username, actor.display_name, actor.role)
    detail = _("从备份恢复：{file}；原数据库另存为：{kept}").format(file=backup, kept=kept or "—")
    with write_transaction() as db:
        witness.trust(db)  # shorter than what this computer saw, on purpose
        audit.record("restore", entity="database", detail=detail, actor=who)
