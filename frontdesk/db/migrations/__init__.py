"""Ordered schema migrations.

Each step is a module with ``VERSION`` and ``apply(db)``, written against table and column
names frozen in that module. A step and its version bump commit in one transaction, so a step
that fails leaves the database exactly as it was. A SQLite file that holds data is copied aside
before it is migrated. A database newer than this program is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import peewee

from frontdesk.db.migrations import (
    m001_initial,
    m002_register_indexes,
    m003_users_and_audit,
    m004_destination_kinds,
    m005_staff_and_inspections,
    m006_complaints,
    m007_meetings,
    m008_care,
    m009_register_search,
    m010_counter_days,
    m011_teaching_case_fields,
    m012_faults_and_photos,
    m013_care_actions,
    m014_complaint_categories,
    m015_retention_months,
    m016_holiday_calendar,
)
from frontdesk.errors import SchemaTooNewError, StorageError
from frontdesk.i18n import _

if TYPE_CHECKING:
    from frontdesk.db.database import Location

MIGRATIONS: tuple[ModuleType, ...] = (
    m001_initial, m002_register_indexes, m003_users_and_audit, m004_destination_kinds,
    m005_staff_and_inspections, m006_complaints, m007_meetings, m008_care, m009_register_search,
    m010_counter_days,
    m011_teaching_case_fields,
    m012_faults_and_photos,
    m013_care_actions,
    m014_complaint_categories,
    m015_retention_months,
    m016_holiday_calendar,
)
LATEST_VERSION = MIGRATIONS[-1].VERSION
VERSION_TABLE = "schema_version"


def read_version(db: peewee.Database) -> int:
    """The schema version of ``db``: 0 for an empty database."""
    tables = set(db.get_tables())
    if VERSION_TABLE not in tables:
        if tables and isinstance(db, peewee.SqliteDatabase):
            raise StorageError(_("这个文件不是 FrontDesk 的数据库（其中已有其他数据表）。"))
        return 0
    row = db.execute_sql(f"SELECT max(version) FROM {VERSION_TABLE}").fetchone()
    return int(row[0] or 0)


def _write_version(db: peewee.Database, version: int) -> None:
    if VERSION_TABLE not in db.get_tables():
        db.execute_sql(f"CREATE TABLE {VERSION_TABLE} (id INTEGER NOT NULL PRIMARY KEY, version INTEGER NOT NULL)")
        db.execute_sql(f"INSERT INTO {VERSION_TABLE} (id, version) VALUES (1, 0)")
    db.execute_sql(f"UPDATE {VERSION_TABLE} SET version = {int(version)} WHERE id = 1")


def copy_aside(path: Path, version: int) -> Path:
    """A consistent copy of a SQLite file (SQLite's online backup), kept beside it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-v{version}-{stamp}{path.suffix or '.sqlite'}")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def migrate_to_latest(
    db: peewee.Database,
    location: Location | None = None,
    migrations: Sequence[ModuleType] = MIGRATIONS,
) -> int:
    """Bring ``db`` to the newest version. Returns the version it now has."""
    latest = migrations[-1].VERSION
    current = read_version(db)
    if current > latest:
        raise SchemaTooNewError(
            _("数据库的版本（{found}）比本程序支持的版本（{latest}）新，请升级 FrontDesk 后再打开。").format(
                found=current, latest=latest
            )
        )
    pending = [m for m in migrations if current < m.VERSION]
    if not pending:
        return current
    if location is not None and not location.is_postgres and current > 0:
        copy_aside(location.sqlite_path, current)
    # Each step takes the write lock at its start (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
    # caller's advisory lock) and reads the version again inside: a second station starting at
    # the same moment waits, then finds the step done and skips it.
    lock = ("IMMEDIATE",) if isinstance(db, peewee.SqliteDatabase) else ()
    for step in pending:
        with db.atomic(*lock):
            if read_version(db) >= step.VERSION:
                continue
            step.apply(db)
            _write_version(db, step.VERSION)
    return latest
