"""Is the database healthy? The checks behind ``frontdesk check`` and behind a restore.

Why it looks like this: a check must never make things worse, so it opens a SQLite file
read-only (``mode=ro``: it neither creates a missing file nor migrates nor writes) and a
PostgreSQL session in read-only mode. Every finding is one sentence in Chinese that names the
problem; a healthy database gives an empty list and a one-line summary. Later checks that need
more of the schema (the audit trail's hash chain) plug in through ``default_checks``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import peewee

from frontdesk.db.database import (
    BUSY_TIMEOUT_SECONDS,
    CORRUPT,
    LOCKED,
    READ_ONLY,
    UNREACHABLE,
    Location,
    failure_kind,
    make_database,
)
from frontdesk.db.migrations import (
    LATEST_VERSION,
    VERSION_TABLE,
    m005_staff_and_inspections,
    m006_complaints,
    m007_meetings,
    m008_care,
    m010_counter_days,
    m012_faults_and_photos,
)
from frontdesk.errors import UserError
from frontdesk.i18n import _

SQLITE_NOTADB = 26  # "file is not a database"
# peewee wraps sqlite3's errors in its own classes; plain connections raise sqlite3's.
DATABASE_ERRORS = (sqlite3.DatabaseError, peewee.DatabaseError, peewee.InterfaceError)
MAX_LISTED = 5  # integrity messages or row ids named in one line


@dataclass(frozen=True)
class CheckOutcome:
    """What one extra check found: problems (one sentence each), or a few words for the OK line."""

    problems: tuple[str, ...] = ()
    passed: str | None = None


# An extra check gets the database opened read-only and its schema version (never newer than the
# program: extra checks only run on a schema this program understands).
DatabaseCheck = Callable[[peewee.Database, int], CheckOutcome]

def default_checks() -> tuple[DatabaseCheck, ...]:
    """Checks beyond storage and schema, run on both backends after those passed: the audit
    trail's hash chain (imported here: the audit module itself uses ``CheckOutcome``)."""
    from frontdesk.services.audit import verify_chain

    return (verify_chain,)


@dataclass(frozen=True)
class DatabaseSummary:
    """What a FrontDesk database holds, in the words a restore prompt or an OK line needs."""

    version: int
    visits: int  # live (not voided) visits
    first_visit: date | None
    last_visit: date | None
    branch: str = ""  # the branch it belongs to (a restore must not bring another hall's data)

    def describe(self) -> str:
        text = _("版本 {version}，来访 {visits} 人次").format(version=self.version, visits=self.visits)
        if self.branch:
            text = _("网点“{branch}”，").format(branch=self.branch) + text
        if self.first_visit and self.last_visit:
            text += _("（{first:%Y-%m-%d} 至 {last:%Y-%m-%d}）").format(
                first=self.first_visit, last=self.last_visit
            )
        return text


@dataclass(frozen=True)
class HealthReport:
    location: str  # for display: never a password
    backend: str  # "SQLite" or "PostgreSQL"
    problems: tuple[str, ...]
    latest_version: int = LATEST_VERSION
    summary: DatabaseSummary | None = None
    passed: tuple[str, ...] = field(default=())  # what was checked and found fine

    @property
    def ok(self) -> bool:
        return not self.problems

    def ok_line(self) -> str:
        """``OK …``: one line for a healthy database."""
        parts = list(self.passed)
        if self.summary is not None:
            parts.append(self.summary.describe())
            if self.summary.version < self.latest_version:
                parts.append(_("下次打开时升级到版本 {latest}").format(latest=self.latest_version))
        return f"OK {self.backend} {self.location}：" + "，".join(parts)


# ------------------------------------------------------------------ shared with backups


def sqlite_uri(path: Path, **params: str) -> str:
    """A ``file:`` URI for ``path`` (percent-encoded, so any file name works) with ``params``."""
    uri = Path(os.path.abspath(path)).as_uri()
    if params:
        uri += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return uri


def connect_read_only(path: Path, timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    """A plain read-only connection: never creates the file, never writes to it."""
    return sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=timeout)


def file_problem(path: Path, *, what: str) -> str | None:
    """Why the file at ``path`` cannot be a SQLite database at all (missing, empty, not SQLite).

    ``what`` names the file in the message (数据库文件 / 备份文件). The file may be the live
    database: it is read through SQLite only, never with a plain ``open()`` (closing any other
    descriptor of the file would drop the locks SQLite holds on it in this process).
    """
    if not path.exists():
        return _("{what}不存在：{path}").format(what=what, path=path)
    if path.is_dir():
        return _("{what}的位置是一个文件夹：{path}").format(what=what, path=path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _("无法读取{what} {path}：{reason}").format(what=what, path=path, reason=exc.strerror or exc)
    if size == 0:
        return _("{what}是空的（0 字节）：{path}").format(what=what, path=path)
    if not os.access(path, os.R_OK):
        return _("无法读取{what} {path}：{reason}").format(what=what, path=path, reason=os.strerror(errno.EACCES))
    try:
        conn = connect_read_only(path, timeout=0.5)
        try:
            conn.execute("PRAGMA schema_version").fetchone()  # reads and checks the header
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF == SQLITE_NOTADB or code is None and "not a database" in str(exc):
            return _("{what}不是 SQLite 数据库（可能已损坏，或是别的文件）：{path}").format(what=what, path=path)
        # Busy, or a log that cannot be read from here: a SQLite file all the same; the next
        # step says what is wrong, if anything.
    return None


def integrity_problems(conn: sqlite3.Connection | peewee.Database) -> list[str]:
    """``PRAGMA integrity_check``: empty when the file is sound.

    Only a failure that means damage (SQLite's CORRUPT or NOTADB) counts as such; any other
    (a read-only place, a lock) is raised for the caller to name, never called damage.
    """
    try:
        rows = [row[0] for row in _rows(conn, "PRAGMA integrity_check")]
    except DATABASE_ERRORS as exc:
        if failure_kind(exc) != CORRUPT:
            raise
        rows = [str(exc)]
    if rows == ["ok"]:
        return []
    shown = "；".join(rows[:MAX_LISTED]) + ("……" if len(rows) > MAX_LISTED else "")
    return [
        _("数据库文件已损坏：完整性检查发现 {count} 处问题（{detail}）。请从备份恢复（frontdesk restore）。").format(
            count=len(rows), detail=shown
        )
    ]


def foreign_key_problems(conn: sqlite3.Connection | peewee.Database) -> list[str]:
    """``PRAGMA foreign_key_check``: one line per table and missing parent."""
    found: dict[tuple[str, str], list[int]] = {}
    for table, rowid, parent, _fkid in _rows(conn, "PRAGMA foreign_key_check"):
        found.setdefault((table, parent), []).append(rowid)
    problems = []
    for (table, parent), rowids in sorted(found.items()):
        shown = "、".join(str(r) for r in rowids[:MAX_LISTED]) + ("……" if len(rowids) > MAX_LISTED else "")
        problems.append(
            _("外键错误：表 {table} 中有 {count} 条记录引用了不存在的 {parent} 记录（行号 {rowids}）。").format(
                table=table, count=len(rowids), parent=parent, rowids=shown
            )
        )
    return problems


def not_frontdesk_message() -> str:
    return _("不是 FrontDesk 的数据库（没有 schema_version 表）。")


def too_new_message(found: int) -> str:
    return _("数据库的版本（{found}）比本程序支持的版本（{latest}）新，请升级 FrontDesk。").format(
        found=found, latest=LATEST_VERSION
    )


def read_schema_version(conn: sqlite3.Connection | peewee.Database, postgres: bool = False) -> int | None:
    """The schema version, or ``None`` when there is no ``schema_version`` table."""
    if postgres:
        sql = "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = %s"
    else:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    if not _rows(conn, sql, (VERSION_TABLE,)):
        return None
    row = _rows(conn, f"SELECT max(version) FROM {VERSION_TABLE}")[0]
    return int(row[0] or 0)


# The tables each version has (as its migrations create them): a file that claims a version
# but lacks them is no database of ours, whatever its version row says.
_TABLES_SINCE = (
    (1, ("setting", "list_item", "visit")),
    (3, ("app_user", "audit_entry", "audit_head")),
    (m005_staff_and_inspections.VERSION, ("staff", "staff_duty", "inspection_template", "inspection_item",
                                          "inspection_run", "inspection_answer", "corrective_action")),
    (m006_complaints.VERSION, ("complaint", "complaint_event", "holiday_day")),
    (m007_meetings.VERSION, ("meeting_template_section", "meeting_config", "meeting", "meeting_section",
                             "meeting_attendance", "meeting_action", "teaching_case")),
    (m008_care.VERSION, ("visit_care",)),
    (m010_counter_days.VERSION, ("counter_day",)),
    (m012_faults_and_photos.VERSION, ("equipment_fault", "inspection_photo")),
)


def missing_tables(conn: sqlite3.Connection | peewee.Database, version: int, postgres: bool = False) -> list[str]:
    """A problem line naming the tables a database of ``version`` should have but lacks."""
    if postgres:
        found = {r[0] for r in _rows(
            conn, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    else:
        found = {r[0] for r in _rows(conn, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    expected = [t for since, tables in _TABLES_SINCE if version >= since for t in tables]
    missing = [t for t in expected if t not in found]
    if not missing:
        return []
    return [_("数据库不完整：版本 {version} 应有的表缺少 {tables}。").format(version=version, tables="、".join(missing))]


def summarize(conn: sqlite3.Connection | peewee.Database, version: int, postgres: bool = False) -> DatabaseSummary:
    """Live visits and their date range (a database without a visit table holds none)."""
    if postgres:
        has_visits = _rows(
            conn,
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'visit'",
        )
    else:
        has_visits = _rows(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'visit'")
    if not has_visits:
        return DatabaseSummary(version, 0, None, None)
    count, first, last = _rows(
        conn, "SELECT count(*), min(arrived_at), max(arrived_at) FROM visit WHERE voided_at IS NULL"
    )[0]
    branch = _rows(conn, "SELECT value FROM setting WHERE key = 'branch_name'")
    return DatabaseSummary(version, int(count), _as_date(first), _as_date(last),
                           str(branch[0][0]) if branch and branch[0][0] else "")


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def _rows(conn: sqlite3.Connection | peewee.Database, sql: str, params: tuple = ()) -> list[tuple]:
    if isinstance(conn, peewee.Database):
        return list(conn.execute_sql(sql, params).fetchall())
    return conn.execute(sql, params).fetchall()


# ------------------------------------------------------------------ the check


def check_database(
    location: Location | str | os.PathLike[str],
    extra_checks: tuple[DatabaseCheck, ...] | None = None,
) -> HealthReport:
    """Examine the database at ``location`` without changing it; problems are listed, not raised."""
    loc = location if isinstance(location, Location) else Location(os.fspath(location))
    checks = default_checks() if extra_checks is None else extra_checks
    if loc.is_postgres:
        return _check_postgres(loc, checks)
    return _check_sqlite(loc, checks)


def _storage_problem(exc: BaseException, location: str, folder: Path | None = None) -> str:
    """The failure in one Chinese line, told by its error code (``failure_kind``)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    kind = failure_kind(exc)
    if kind == LOCKED:
        return _("数据库正被另一个程序独占（例如正在恢复备份），请稍后再检查：{location}").format(location=location)
    if kind == CORRUPT:
        return _("数据库文件已损坏：{detail}。请从备份恢复（frontdesk restore）。").format(detail=text)
    if folder is not None and (kind in (READ_ONLY, UNREACHABLE) or not _writable(folder)):
        return _("数据库所在的位置是只读的（{folder}），无法读取数据库 {location}：{detail}").format(
            folder=folder, location=location, detail=text)
    return _("无法读取数据库 {location}：{detail}").format(location=location, detail=text)


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


@contextlib.contextmanager
def _read_only_sqlite(path: Path, *, immutable: bool = False) -> Iterator[peewee.SqliteDatabase]:
    # peewee over the read-only URI, so that extra checks can use models (``bind_ctx``).
    # ``immutable``: a file in a read-only place, with no log to replay, is read without the
    # shared-memory file SQLite would otherwise have to create beside it.
    params = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
    db = peewee.SqliteDatabase(
        sqlite_uri(path, **params), uri=True, timeout=BUSY_TIMEOUT_SECONDS,
        pragmas={"query_only": 1}, autoconnect=False,
    )
    db.connect()
    try:
        yield db
    finally:
        db.close()


def _check_sqlite(loc: Location, checks: tuple[DatabaseCheck, ...]) -> HealthReport:
    path = loc.sqlite_path
    where = loc.display()
    problem = file_problem(path, what=_("数据库文件"))
    if problem:
        return HealthReport(where, "SQLite", (problem,))
    problems: list[str] = []
    passed: list[str] = []
    summary = None
    folder = path.parent
    read_only_place = not _writable(folder)
    if read_only_place:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return HealthReport(where, "SQLite", (_(
                "数据库所在的位置是只读的（{folder}），且有尚未并入数据库的日志文件，无法在这里检查。"
                "请把文件夹复制到可写的位置后再检查。").format(folder=folder),))
        passed.append(_("只读位置（{folder}）").format(folder=folder))
    try:
        with _read_only_sqlite(path, immutable=read_only_place) as db:
            integrity = integrity_problems(db)
            problems += integrity
            if not integrity:
                passed.append(_("完整性正常"))
                foreign = foreign_key_problems(db)
                problems += foreign
                if not foreign:
                    passed.append(_("外键正常"))
            version = read_schema_version(db)
            if version is None:
                problems.append(not_frontdesk_message())
            elif version > LATEST_VERSION:
                problems.append(too_new_message(version))
            elif missing := missing_tables(db, version):
                problems += missing
            else:
                summary = summarize(db, version)
                if not problems:
                    _run_extra(checks, db, version, problems, passed)
    except (*DATABASE_ERRORS, sqlite3.Error, OSError) as exc:
        problems.append(_storage_problem(exc, where, folder))
    return HealthReport(where, "SQLite", tuple(problems), summary=summary, passed=tuple(passed))


def _check_postgres(loc: Location, checks: tuple[DatabaseCheck, ...]) -> HealthReport:
    where = loc.display()
    problems: list[str] = []
    passed: list[str] = []
    summary = None
    db = make_database(loc)
    try:
        db.connect()
    except (peewee.DatabaseError, peewee.InterfaceError, OSError) as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return HealthReport(where, "PostgreSQL", (_("无法连接数据库 {location}：{detail}").format(location=where, detail=detail),))
    try:
        db.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        passed.append(_("连接正常"))
        version = read_schema_version(db, postgres=True)
        if version is None:
            problems.append(not_frontdesk_message())
        elif version > LATEST_VERSION:
            problems.append(too_new_message(version))
        else:
            # PostgreSQL enforces foreign keys itself: no orphan can exist to look for.
            summary = summarize(db, version, postgres=True)
            _run_extra(checks, db, version, problems, passed)
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        problems.append(_storage_problem(exc, where))
    finally:
        db.close()
    return HealthReport(where, "PostgreSQL", tuple(problems), summary=summary, passed=tuple(passed))


def _run_extra(
    checks: tuple[DatabaseCheck, ...], db: peewee.Database, version: int,
    problems: list[str], passed: list[str],
) -> None:
    for check in checks:
        try:
            outcome = check(db, version)
        except UserError as exc:
            problems.append(exc.message)
            continue
        problems += outcome.problems
        if not outcome.problems and outcome.passed:
            passed.append(outcome.passed)
