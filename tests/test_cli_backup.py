"""``frontdesk backup``, ``restore`` and ``check``: exit codes, one-line messages, real processes."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.db.migrations import LATEST_VERSION
from tests.services.test_backup import (
    BAD_BACKUPS,
    BAD_IDS,
    REPO,
    add_dangling_visit,
    child_env,
    content,
    corrupt_middle,
    holder_factory,  # noqa: F401 - a fixture
    make_database,
    make_newer,
    read_only_folder,
    table,
)

PG = "postgresql://postgres@127.0.0.1:5432/frontdesk"


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", *args], input=stdin, capture_output=True, text=True,
        timeout=120, check=False, env=child_env(), cwd=REPO,
    )


def error_lines(err: str) -> list[str]:
    lines = err.strip().splitlines()
    assert lines and "Traceback" not in err
    assert all(line.startswith("frontdesk: 错误：") for line in lines), err
    return lines


def one_error_line(err: str) -> str:
    lines = error_lines(err)
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def db_path(tmp_path) -> Path:
    return make_database(tmp_path / "frontdesk.sqlite")


@pytest.fixture
def saved(db_path, tmp_path, capsys) -> Path:
    """A backup of ``db_path``; afterwards the database gets one more visit."""
    target = tmp_path / "saved.sqlite"
    assert run(capsys, "--db", str(db_path), "backup", "--to", str(target))[0] == 0
    conn = sqlite3.connect(db_path)
    cols = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(visit)") if r[1] != "id")
    with conn:
        conn.execute(f"INSERT INTO visit ({cols}) SELECT {cols} FROM visit ORDER BY id LIMIT 1")
    conn.close()
    assert content(db_path) != content(target)
    return target


# ------------------------------------------------------------------ help


def test_help_of_the_new_commands_is_in_chinese(capsys):
    code, out, _err = run(capsys, "--help")
    assert code == 0 and "立即备份数据库" in out and "从备份文件恢复数据库" in out and "检查数据库是否完好" in out
    for command, words in (("backup", "--to"), ("restore", "--yes"), ("check", "只读")):
        code, out, _err = run(capsys, command, "--help")
        assert code == 0 and words in out and "用法：frontdesk" in out


# ------------------------------------------------------------------ backup


def test_backup_prints_where_it_wrote_and_notes_it_in_the_audit_trail(db_path, capsys):
    before = content(db_path)
    code, out, err = run(capsys, "--db", str(db_path), "backup")
    assert code == 0 and err == ""
    [line] = out.splitlines()
    assert line.startswith("已备份到：")
    written = Path(line.removeprefix("已备份到："))
    assert written.parent == db_path.parent / "backups"
    assert content(written) == before
    [(action, username, detail)] = table(
        db_path, "SELECT action, username, detail FROM audit_entry ORDER BY seq DESC LIMIT 1")
    assert action == "backup" and username.startswith("cli:") and str(written) in detail


def test_backup_to_a_file(db_path, tmp_path, capsys):
    target = tmp_path / "u盘" / "今天.sqlite"
    target.parent.mkdir()  # the stick's folder is there; a missing one is refused (tests/safety)
    code, out, _err = run(capsys, "backup", "--db", str(db_path), "--to", str(target))
    assert code == 0 and out == f"已备份到：{target}\n"
    assert content(target) == content(db_path)


def test_backup_of_a_missing_database_creates_nothing(tmp_path, capsys):
    code, out, err = run(capsys, "--db", str(tmp_path / "none.sqlite"), "backup")
    assert code == 1 and out == ""
    assert "不存在" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_backup_into_a_read_only_folder_is_one_line(db_path, tmp_path, capsys):
    folder = tmp_path / "locked"
    folder.mkdir()
    undo = read_only_folder(folder)
    try:
        code, out, err = run(capsys, "--db", str(db_path), "backup", "--to", str(folder / "x.sqlite"))
    finally:
        undo()
    assert code == 1 and out == ""
    assert "只读" in one_error_line(err)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", [["backup"], ["backup", "--to", "x.sqlite"], ["restore", "x.sqlite", "--yes"]])
def test_postgresql_backup_and_restore_point_to_its_own_tools(capsys, command):
    code, out, err = run(capsys, "--db", PG, *command)
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert "pg_dump -Fc" in line and "pg_restore --clean" in line and "README" in line


# ------------------------------------------------------------------ restore


def test_restore_shows_the_backup_and_needs_yes(db_path, saved, tmp_path, capsys, monkeypatch):
    at_backup = content(saved)
    code, out, err = run(capsys, "--db", str(db_path), "restore", str(saved), stdin="yes\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert err == ""
    visits = table(saved, "SELECT count(*) FROM visit WHERE voided_at IS NULL")[0][0]
    assert f"备份内容：网点“测试支行营业厅”，版本 {LATEST_VERSION}，来访 {visits} 人次（" in out
    assert "至 2026-11-25）" in out
    assert f"现有网点“测试支行营业厅”，版本 {LATEST_VERSION}，来访 {visits + 1} 人次" in out
    assert "输入 yes 确认恢复：" in out
    assert f"已恢复：{db_path}" in out
    kept = next(tmp_path.glob("frontdesk.replaced-*.sqlite"))
    assert f"原数据库已另存为：{kept}" in out
    assert content(db_path) == at_backup
    assert table(kept, "SELECT count(*) FROM visit")[0][0] == table(saved, "SELECT count(*) FROM visit")[0][0] + 1


@pytest.mark.parametrize("answer", ["no\n", "y\n", "YES please\n", "\n", ""], ids=["no", "y", "yes-please", "empty", "eof"])
def test_restore_aborts_on_anything_but_yes(db_path, saved, tmp_path, capsys, monkeypatch, answer):
    before = db_path.read_bytes()
    code, out, err = run(capsys, "--db", str(db_path), "restore", str(saved), stdin=answer, monkeypatch=monkeypatch)
    assert code == 1
    assert "输入 yes 确认恢复：" in out
    assert "已取消恢复" in one_error_line(err)
    assert db_path.read_bytes() == before
    assert not list(tmp_path.glob("*.replaced-*"))


def test_restore_with_yes_does_not_ask(db_path, saved, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # nothing to read: must not be needed
    code, out, err = run(capsys, "--db", str(db_path), "restore", "--yes", str(saved))
    assert code == 0, err
    assert "输入 yes" not in out and "已恢复" in out
    assert content(db_path) == content(saved)


@pytest.mark.parametrize(("make", "error", "words"), BAD_BACKUPS, ids=BAD_IDS)
def test_restore_refuses_a_bad_backup_in_one_line(db_path, tmp_path, capsys, monkeypatch, make, error, words):
    folder = tmp_path / "bad"
    folder.mkdir()
    candidate = make(folder)
    before = db_path.read_bytes()
    code, out, err = run(capsys, "--db", str(db_path), "restore", str(candidate), stdin="yes\n", monkeypatch=monkeypatch)
    assert code == 1 and out == ""
    assert words in one_error_line(err)
    assert db_path.read_bytes() == before


def test_restore_refused_while_frontdesk_runs_in_another_process(db_path, saved, capsys, monkeypatch, holder_factory):  # noqa: F811
    before = content(db_path)
    holder_factory(db_path)
    code, _out, err = run(capsys, "--db", str(db_path), "restore", str(saved), "--yes")
    assert code == 1
    line = one_error_line(err)
    assert "正在被使用" in line and "关闭" in line
    assert content(db_path) == before


def test_restore_in_a_real_process_reading_yes_from_stdin(db_path, saved):
    result = run_process("--db", str(db_path), "restore", str(saved), stdin="yes\n")
    assert result.returncode == 0, result.stderr
    assert "已恢复" in result.stdout and result.stderr == ""
    assert content(db_path) == content(saved)
    result = run_process("--db", str(db_path), "restore", str(saved))  # stdin empty: EOF
    assert result.returncode == 1
    assert "已取消恢复" in one_error_line(result.stderr)


# ------------------------------------------------------------------ check


def test_check_healthy_prints_ok_and_exits_0(db_path, capsys):
    code, out, err = run(capsys, "--db", str(db_path), "check")
    assert (code, err) == (0, "")
    [line] = out.splitlines()
    assert line.startswith("OK SQLite ") and f"版本 {LATEST_VERSION}" in line


def test_check_damaged(db_path, capsys):
    corrupt_middle(db_path)
    code, out, err = run(capsys, "--db", str(db_path), "check")
    assert code == 1 and out == ""
    assert any("数据库文件已损坏" in line for line in error_lines(err))


def test_check_newer(db_path, capsys):
    make_newer(db_path)
    code, out, err = run(capsys, "--db", str(db_path), "check")
    assert code == 1 and out == ""
    assert "升级 FrontDesk" in one_error_line(err)


def test_check_missing_creates_nothing(tmp_path, capsys):
    path = tmp_path / "none.sqlite"
    code, out, err = run(capsys, "--db", str(path), "check")
    assert code == 1 and out == ""
    assert f"数据库文件不存在：{path}" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_check_broken_foreign_keys(db_path, capsys):
    add_dangling_visit(db_path)
    code, out, err = run(capsys, "--db", str(db_path), "check")
    assert code == 1 and out == ""
    assert "外键错误：表 visit" in one_error_line(err)


def test_check_one_line_per_problem(db_path, capsys):
    add_dangling_visit(db_path)
    make_newer(db_path)
    code, _out, err = run(capsys, "--db", str(db_path), "check")
    assert code == 1
    lines = error_lines(err)
    assert len(lines) == 2 and "外键错误" in lines[0] and "升级 FrontDesk" in lines[1]


def test_check_in_a_real_process(db_path):
    result = run_process("--db", str(db_path), "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK ")
    corrupt_middle(db_path)
    result = run_process("--db", str(db_path), "check")
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr and "损坏" in result.stderr


def test_check_on_every_backend(database, db_location, capsys):
    from frontdesk.services import settings

    settings.first_run("测试支行营业厅", "insurance")
    code, out, err = run(capsys, "--db", db_location, "check")
    assert (code, err) == (0, "")
    assert out.startswith("OK ") and f"版本 {LATEST_VERSION}" in out
    if db_location.startswith("postgres"):
        assert "PostgreSQL" in out and "@" in out and ":" in out
