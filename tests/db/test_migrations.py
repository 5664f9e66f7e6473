"""Migrations: versioned, transactional, copied aside first, and never downgrading."""

from __future__ import annotations

import sqlite3
import types

import peewee
import pytest

from frontdesk.db import migrations
from frontdesk.db.database import (
    Location,
    close_database,
    database_proxy,
    make_database,
    open_database,
)
from frontdesk.db.models import ALL_MODELS
from frontdesk.errors import SchemaTooNewError


@pytest.fixture(autouse=True)
def _unbind():
    yield
    close_database()
    database_proxy.initialize(None)


def _columns(db: peewee.Database) -> dict[str, set[tuple[str, bool]]]:
    return {
        table: {(c.name, c.null) for c in db.get_columns(table)}
        for table in sorted(db.get_tables())
    }


def _indexes(db: peewee.Database) -> dict[str, set[tuple[tuple[str, ...], bool]]]:
    return {
        table: {(tuple(i.columns), i.unique) for i in db.get_indexes(table)}
        for table in sorted(db.get_tables())
    }


def test_fresh_database_is_at_latest_version(database):
    assert migrations.read_version(database) == migrations.LATEST_VERSION


def test_live_models_match_the_migrated_schema(database):
    """A model field without a migration (or the reverse) is caught here."""
    for model in ALL_MODELS:
        table = model._meta.table_name
        actual = {c.name: c.null for c in database.get_columns(table)}
        expected = {f.column_name: f.null for f in model._meta.sorted_fields}
        assert actual == expected, table


@pytest.mark.parametrize("start", range(migrations.LATEST_VERSION))
def test_every_earlier_version_migrates_to_the_same_schema_as_a_fresh_one(tmp_path, start):
    fresh = open_database(str(tmp_path / "fresh.sqlite"))
    fresh_schema = (_columns(fresh), _indexes(fresh))
    close_database()

    old_path = tmp_path / "old.sqlite"
    old = make_database(Location(str(old_path)))
    old.connect()
    migrations.migrate_to_latest(old, migrations=migrations.MIGRATIONS[:start] or (_noop(0),))
    old.close()

    migrated = open_database(str(old_path))
    assert migrations.read_version(migrated) == migrations.LATEST_VERSION
    assert (_columns(migrated), _indexes(migrated)) == fresh_schema


def _noop(version: int) -> types.ModuleType:
    mod = types.ModuleType(f"noop{version}")
    mod.VERSION = version
    mod.apply = lambda db: None
    return mod


def _step(version: int, sql: str) -> types.ModuleType:
    mod = types.ModuleType(f"step{version}")
    mod.VERSION = version

    def apply(db):
        for statement in sql.split(";"):
            if statement.strip():
                db.execute_sql(statement)

    mod.apply = apply
    return mod


def test_a_failing_migration_leaves_the_database_as_it_was(db_location):
    db = open_database(db_location)
    db.execute_sql("INSERT INTO setting (key, value) VALUES ('branch_name', '测试')")
    before = (_columns(db), migrations.read_version(db))
    failing = _step(
        migrations.LATEST_VERSION + 1,
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);"
        "ALTER TABLE setting ADD COLUMN extra INTEGER;"
        "INSERT INTO no_such_table VALUES (1)",
    )
    with pytest.raises(peewee.DatabaseError):
        migrations.migrate_to_latest(
            db, Location(db_location), migrations=(*migrations.MIGRATIONS, failing)
        )
    if not db.is_closed() and db.in_transaction():
        db.rollback()
    assert (_columns(db), migrations.read_version(db)) == before
    assert db.execute_sql("SELECT value FROM setting WHERE key = 'branch_name'").fetchone()[0] == "测试"


def test_a_sqlite_file_is_copied_aside_before_it_is_migrated(tmp_path):
    path = tmp_path / "hall.sqlite"
    db = open_database(str(path))
    db.execute_sql("INSERT INTO setting (key, value) VALUES ('branch_name', '东城营业厅')")
    extra = _step(migrations.LATEST_VERSION + 1, "CREATE TABLE later (id INTEGER PRIMARY KEY)")
    migrations.migrate_to_latest(db, Location(str(path)), migrations=(*migrations.MIGRATIONS, extra))
    copies = list(tmp_path.glob(f"hall.before-v{migrations.LATEST_VERSION}-*.sqlite"))
    assert len(copies) == 1
    copy = sqlite3.connect(copies[0])
    assert copy.execute("SELECT value FROM setting").fetchone()[0] == "东城营业厅"
    assert copy.execute("SELECT version FROM schema_version").fetchone()[0] == migrations.LATEST_VERSION
    assert "later" not in {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
    copy.close()
    assert migrations.read_version(db) == migrations.LATEST_VERSION + 1


def test_an_empty_new_database_is_not_copied(tmp_path):
    open_database(str(tmp_path / "new.sqlite"))
    assert list(tmp_path.glob("*.before-*")) == []


def test_a_database_newer_than_the_program_is_refused(db_location):
    db = open_database(db_location)
    db.execute_sql(f"UPDATE schema_version SET version = {migrations.LATEST_VERSION + 5}")
    close_database()
    with pytest.raises(SchemaTooNewError, match="升级 FrontDesk"):
        open_database(db_location)


def test_version_4_gives_existing_destinations_their_kind_from_their_tag(tmp_path):
    """A branch set up before destinations had a kind: its self-service area and remote channel
    become "sent elsewhere", its consultation desk "on the spot", counters and untagged entries
    stay queues, other lists have none."""
    path = tmp_path / "old.sqlite"
    old = make_database(Location(str(path)))
    old.connect()
    earlier = tuple(m for m in migrations.MIGRATIONS if m.VERSION < 4)
    migrations.migrate_to_latest(old, migrations=earlier)
    rows = [("destination", "1号窗口", "counter"), ("destination", "自助服务区", "self_service"),
            ("destination", "推荐电话/网上/手机渠道", "online"), ("destination", "咨询台", "consult"),
            ("destination", "自建去向", None), ("business_type", "咨询", "consult")]
    for position, (kind, label, tag) in enumerate(rows):
        old.execute_sql("INSERT INTO list_item (kind, label, tag, position, active) VALUES (?, ?, ?, ?, 1)",
                        (kind, label, tag, position))
    old.close()
    db = open_database(str(path))
    found = dict(db.execute_sql(
        "SELECT label || '/' || kind, handling FROM list_item WHERE kind <> 'care_action'").fetchall())
    assert found == {"1号窗口/destination": "queue", "自助服务区/destination": "diverted",
                     "推荐电话/网上/手机渠道/destination": "diverted", "咨询台/destination": "on_spot",
                     "自建去向/destination": "queue", "咨询/business_type": None}


def test_a_teaching_case_of_one_text_keeps_it_as_its_situation(db_location):
    """The step that gave teaching cases their fields: the old text becomes the situation, the
    category the first tag; nothing is lost."""
    from frontdesk.db.migrations import m011_teaching_case_fields as step

    before = tuple(m for m in migrations.MIGRATIONS if m.VERSION < step.VERSION)
    old = make_database(Location(db_location))
    old.connect()
    migrations.migrate_to_latest(old, migrations=before)
    old.execute_sql("INSERT INTO teaching_case (title, category, text, created_at, updated_at, version) "
                    "VALUES ('老人久等', '投诉处理', '情况：等了四十分钟。处理：送水致歉。', '2026-11-18 08:40:00', "
                    "'2026-11-18 08:40:00', 1)")
    old.close()
    db = open_database(db_location)
    row = db.execute_sql("SELECT title, tags, situation, handling, lesson, complaint_id FROM teaching_case").fetchone()
    assert tuple(row) == ("老人久等", "投诉处理", "情况：等了四十分钟。处理：送水致歉。", "", "", None)


def test_the_care_list_step_rewrites_the_old_kinds_and_seeds_the_list(tmp_path):
    """Water and calming recorded before the care list became editable keep the names they were
    shown with; the list starts with the seeds' five actions."""
    from frontdesk.db.migrations import m013_care_actions

    path = tmp_path / "old.sqlite"
    old = make_database(Location(str(path)))
    old.connect()
    earlier = tuple(m for m in migrations.MIGRATIONS if m.VERSION < m013_care_actions.VERSION)
    migrations.migrate_to_latest(old, migrations=earlier)
    old.execute_sql("PRAGMA foreign_keys = OFF")  # the care rows alone, without a whole visit
    for kind, detail in (("water", ""), ("calm", ""), ("slip", "80 mm：身份证")):
        old.execute_sql("INSERT INTO visit_care (visit_id, kind, at, username, detail) "
                        "VALUES (1, ?, '2026-11-18 09:06:00', '李娜', ?)", (kind, detail))
    old.close()
    db = open_database(str(path))
    rows = db.execute_sql("SELECT kind, detail FROM visit_care ORDER BY id").fetchall()
    assert rows == [("care", "已递水"), ("care", "已安抚"), ("slip", "80 mm：身份证")]
    labels = [r[0] for r in db.execute_sql(
        "SELECT label FROM list_item WHERE kind = 'care_action' ORDER BY position").fetchall()]
    assert labels == ["已送水", "已安抚", "已告知预计等候时间", "已引导至自助", "已报告值班经理"]


def test_version_12_gives_a_configured_branch_the_devices_of_its_preset(tmp_path):
    """A branch set up before the fault log: its preset's devices join the lists, once."""
    from frontdesk.db.migrations import m012_faults_and_photos

    path = tmp_path / "old.sqlite"
    old = make_database(Location(str(path)))
    old.connect()
    earlier = tuple(m for m in migrations.MIGRATIONS if m.VERSION < m012_faults_and_photos.VERSION)
    migrations.migrate_to_latest(old, migrations=earlier)
    old.execute_sql("INSERT INTO setting (key, value) VALUES ('preset', 'bank')")
    old.execute_sql("INSERT INTO list_item (kind, label, tag, position, active) VALUES ('device', '叫号机', NULL, 1, 1)")
    old.close()
    db = open_database(str(path))
    labels = [r[0] for r in db.execute_sql("SELECT label FROM list_item WHERE kind = 'device' ORDER BY position")]
    assert labels == ["叫号机", *[d for d in m012_faults_and_photos._DEVICES["bank"] if d != "叫号机"]]
    assert db.execute_sql("SELECT COUNT(*) FROM inspection_item WHERE photo_on_fail").fetchone()[0] == 0


@pytest.mark.parametrize(("days", "months"), [
    ("365", 12), ("30", 1), ("31", 2), ("90", 3), ("366", 13), ("3650", 120), ("0", 0),
    ("not a number", 12), (None, 12),
])
def test_version_15_turns_the_retention_in_days_into_the_months_covering_it(tmp_path, days, months):
    """Rounded up, so nothing is cleared sooner than chosen; an explicit "keep for ever" (0)
    stays; a branch that never chose keeps the default (12 months)."""
    from frontdesk.db.migrations import m015_retention_months as step
    from frontdesk.services import session, settings

    path = tmp_path / "old.sqlite"
    old = make_database(Location(str(path)))
    old.connect()
    migrations.migrate_to_latest(old, migrations=tuple(m for m in migrations.MIGRATIONS if m.VERSION < step.VERSION))
    if days is not None:
        old.execute_sql("INSERT INTO setting (key, value) VALUES ('retention_days', ?)", (days,))
    old.close()
    db = open_database(str(path))
    keys = [row[0] for row in db.execute_sql("SELECT key FROM setting WHERE key LIKE 'retention%'")]
    assert keys == ([] if days is None else ["retention_months"])
    with session.act_as(session.SYSTEM):
        assert settings.load().retention_months == months


def test_version_16_copies_the_library_around_the_administrators_days(db_location):
    """Every holiday and make-up working day of every year chinesecalendar knows goes into the
    holiday table; a day the administrator had typed in stays as typed (SQLite and PostgreSQL)."""
    from datetime import date

    import chinese_calendar

    from frontdesk.db.migrations import m016_holiday_calendar as step

    old = make_database(Location(db_location))
    old.connect()
    migrations.migrate_to_latest(old, migrations=tuple(m for m in migrations.MIGRATIONS
                                                       if m.VERSION < step.VERSION))
    for day, kind, name in (("2026-10-01", "workday", "网点营业"), ("2027-02-14", "workday", "春节")):
        old.execute_sql(f"INSERT INTO holiday_day (day, kind, name, source) VALUES ('{day}', '{kind}', "
                        f"'{name}', '管理员录入')")
    old.close()
    db = open_database(db_location)
    rows = {date.fromisoformat(str(d)[:10]): (k, n, s) for d, k, n, s in db.execute_sql(
        "SELECT day, kind, name, source FROM holiday_day").fetchall()}
    library = {**chinese_calendar.holidays, **chinese_calendar.workdays}
    assert len(rows) == len(library) + 1  # 2026-10-01 was the administrator's already
    assert rows[date(2026, 10, 1)] == ("workday", "网点营业", "管理员录入")
    assert rows[date(2027, 2, 14)] == ("workday", "春节", "管理员录入")
    source = rows[date(2026, 10, 2)][2]
    assert source.startswith("chinesecalendar 1.")
    assert rows[date(2026, 10, 2)] == ("holiday", "国庆节", source)
    assert rows[date(2026, 9, 20)] == ("workday", "国庆节", source)  # a make-up Sunday
    assert rows[date(2004, 1, 1)] == ("holiday", "元旦", source)
    assert all(rows[d][0] == ("workday" if d in chinese_calendar.workdays else "holiday")
               for d in library if d != date(2026, 10, 1))
