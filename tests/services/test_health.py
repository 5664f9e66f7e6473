"""``check_database``: healthy, damaged, newer, missing, broken foreign keys — never a change."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import peewee
import pytest

from frontdesk.db.database import close_database, database_proxy, open_database
from frontdesk.db.migrations import LATEST_VERSION
from frontdesk.errors import UserError
from frontdesk.services import health
from frontdesk.services.health import CheckOutcome, check_database
from tests.services.test_backup import (
    add_dangling_visit,
    corrupt_middle,
    make_database,
    make_foreign_sqlite,
    make_newer,
    table,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return make_database(tmp_path / "frontdesk.sqlite")


def test_a_healthy_database_gives_an_ok_line_and_is_not_changed(db_path):
    before = digest(db_path)
    report = check_database(str(db_path))
    assert report.ok and report.problems == ()
    assert report.summary.version == LATEST_VERSION
    live = table(db_path, "SELECT count(*) FROM visit WHERE voided_at IS NULL")[0][0]
    assert report.summary.visits == live > 0
    line = report.ok_line()
    assert line.startswith("OK SQLite ") and "\n" not in line
    assert "完整性正常" in line and "外键正常" in line and f"版本 {LATEST_VERSION}" in line
    assert f"来访 {live} 人次" in line and "2026-11-25" in line
    assert digest(db_path) == before


def test_check_works_beside_a_running_program(db_path):
    open_database(db_path)
    try:
        report = check_database(str(db_path))
    finally:
        close_database()
        database_proxy.initialize(None)
    assert report.ok, report.problems


def test_a_missing_file_is_a_problem_and_is_not_created(tmp_path):
    path = tmp_path / "nope" / "frontdesk.sqlite"
    report = check_database(str(path))
    assert report.problems == (f"数据库文件不存在：{path}",)
    assert not path.exists() and not path.parent.exists()


def test_a_damaged_file_is_named_as_such(db_path):
    corrupt_middle(db_path)
    before = digest(db_path)
    report = check_database(str(db_path))
    assert not report.ok
    assert any("数据库文件已损坏" in p and "frontdesk restore" in p for p in report.problems)
    assert all("\n" not in p for p in report.problems)
    assert digest(db_path) == before


def test_a_text_file_and_an_empty_file(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("hello\n" * 100)
    [problem] = check_database(str(text)).problems
    assert "不是 SQLite 数据库" in problem
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    [problem] = check_database(str(empty)).problems
    assert "空的" in problem


def test_a_database_of_another_program(tmp_path):
    path = make_foreign_sqlite(tmp_path / "other.sqlite")
    assert check_database(str(path)).problems == ("不是 FrontDesk 的数据库（没有 schema_version 表）。",)


def test_a_newer_schema_asks_for_an_upgrade(db_path):
    make_newer(db_path)
    [problem] = check_database(str(db_path)).problems
    assert f"（{LATEST_VERSION + 1}）" in problem and "升级 FrontDesk" in problem


def test_an_older_schema_is_fine_and_says_it_will_be_upgraded(db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE schema_version SET version = 1")
    conn.close()
    report = check_database(str(db_path))
    assert report.ok
    assert f"下次打开时升级到版本 {LATEST_VERSION}" in report.ok_line()
    assert table(db_path, "SELECT version FROM schema_version") == [(1,)]


def test_broken_foreign_keys_name_the_table_and_the_rows(db_path):
    rowid = add_dangling_visit(db_path)
    [problem] = check_database(str(db_path)).problems
    assert problem.startswith("外键错误：表 visit 中有 1 条记录引用了不存在的 list_item 记录")
    assert str(rowid) in problem


def test_a_folder_is_not_a_database(tmp_path):
    [problem] = check_database(str(tmp_path)).problems
    assert "文件夹" in problem


# ------------------------------------------------------------------ the extension point


def test_extra_checks_run_on_the_read_only_database(db_path):
    seen = []

    def counting(db: peewee.Database, version: int) -> CheckOutcome:
        seen.append(version)
        with pytest.raises(peewee.OperationalError):  # read-only: a check cannot write
            db.execute_sql("DELETE FROM visit")
        return CheckOutcome(passed="额外检查正常")

    def failing(db: peewee.Database, version: int) -> CheckOutcome:
        return CheckOutcome(problems=("审计链在第 7 条处断开。",))

    def refusing(db: peewee.Database, version: int) -> CheckOutcome:
        raise UserError("无法验证。")

    report = check_database(str(db_path), extra_checks=(counting,))
    assert report.ok and "额外检查正常" in report.ok_line() and seen == [LATEST_VERSION]
    report = check_database(str(db_path), extra_checks=(counting, failing, refusing))
    assert report.problems == ("审计链在第 7 条处断开。", "无法验证。")
    assert visits_unchanged(db_path)


def visits_unchanged(path: Path) -> bool:
    return table(path, "SELECT count(*) FROM visit")[0][0] > 0


def test_extra_checks_do_not_run_on_a_newer_schema(db_path):
    make_newer(db_path)
    calls = []
    check_database(str(db_path), extra_checks=(lambda db, v: calls.append(v) or CheckOutcome(),))
    assert calls == []


def test_the_audit_chain_is_checked_by_default():
    from frontdesk.services import audit

    assert audit.verify_chain in health.default_checks()


# ------------------------------------------------------------------ both backends


def test_check_on_every_backend(database, db_location):
    from frontdesk.services import settings

    settings.first_run("测试支行营业厅", "insurance")
    report = check_database(db_location)
    assert report.ok, report.problems
    assert report.summary.version == LATEST_VERSION and report.summary.visits == 0
    assert report.ok_line().startswith("OK ")


@pytest.mark.parametrize("db_location", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgres_newer_schema(database, db_location):
    database.execute_sql("UPDATE schema_version SET version = %s", (LATEST_VERSION + 1,))
    [problem] = check_database(db_location).problems
    assert "升级 FrontDesk" in problem


def test_postgres_server_unreachable():
    [problem] = check_database("postgresql://postgres@127.0.0.1:1/frontdesk").problems
    assert problem.startswith("无法连接数据库 postgresql://postgres@127.0.0.1:1/frontdesk：")
    assert "\n" not in problem
