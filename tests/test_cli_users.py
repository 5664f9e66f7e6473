"""``frontdesk user …`` and the demo's users: headless set-up and recovery, one clear line per refusal."""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.db.database import close_database, database_proxy, open_database
from frontdesk.services import clock, session, users
from tests.conftest import PG_URL, reset_postgres

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def location(request, tmp_path) -> str:
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("FRONTDESK_TEST_PG_URL is not set: PostgreSQL tests skipped")
        reset_postgres(PG_URL)
        return PG_URL
    return str(tmp_path / "hall.sqlite")


def run(capsys, monkeypatch, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def sign_in_works(location: str, username: str, password: str) -> bool:
    open_database(location)
    try:
        users.sign_in(username, password)
        return True
    except users.AuthenticationError:
        return False
    finally:
        session.set_current(None)
        close_database()
        database_proxy.initialize(None)


def test_add_list_reset_deactivate_and_activate(location, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "--db", location, "user", "add", "wangfang", "--role",
                         "front_desk", "--display-name", "王芳", "--password-stdin", stdin="guide-pass-1\n")
    assert (code, err) == (0, "") and out == "已新建用户 wangfang（王芳，前台）。\n"
    run(capsys, monkeypatch, "--db", location, "user", "add", "boss", "--role", "admin",
        "--password-stdin", stdin="boss-pass-1\n")
    code, out, _ = run(capsys, monkeypatch, "--db", location, "user", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("boss\tboss\t管理员\t启用\t上次登录 从未登录")
    assert lines[1].startswith("wangfang\t王芳\t前台\t启用")
    assert sign_in_works(location, "wangfang", "guide-pass-1")

    code, out, _ = run(capsys, monkeypatch, "--db", location, "user", "reset-password", "WangFang",
                       "--password-stdin", stdin="new-pass-22\n")
    assert code == 0 and "已重置 wangfang 的密码" in out
    assert sign_in_works(location, "wangfang", "new-pass-22")
    assert not sign_in_works(location, "wangfang", "guide-pass-1")

    code, out, _ = run(capsys, monkeypatch, "--db", location, "user", "deactivate", "wangfang")
    assert code == 0 and out == "已停用用户 wangfang（王芳）。\n"
    assert not sign_in_works(location, "wangfang", "new-pass-22")
    code, out, _ = run(capsys, monkeypatch, "--db", location, "user", "list")
    assert "wangfang\t王芳\t前台\t已停用" in out
    code, out, _ = run(capsys, monkeypatch, "--db", location, "user", "activate", "wangfang")
    assert code == 0 and sign_in_works(location, "wangfang", "new-pass-22")


def test_every_step_is_in_the_audit_trail_under_the_command_lines_name(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "hall.sqlite")
    run(capsys, monkeypatch, "--db", path, "user", "add", "li", "--role", "duty_manager",
        "--password-stdin", stdin="li-pass-123\n")
    run(capsys, monkeypatch, "--db", path, "user", "deactivate", "li")
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT action, username FROM audit_entry ORDER BY seq").fetchall()
    finally:
        conn.close()
    assert [a for a, _ in rows] == ["user_add", "user_deactivate"]
    assert all(name.startswith("cli:") for _, name in rows)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "li", "--role", "boss", "--password-stdin"), "li-pass-123\n", "未知的角色：boss"),
        (("add", "li", "--role", "front_desk", "--password-stdin"), "\n", "密码不能为空"),
        (("add", "li", "--role", "front_desk", "--password-stdin"), "", "密码不能为空"),
        (("add", "li", "--role", "front_desk", "--password-stdin"), "12\n", "密码至少 6 个字符"),
        (("add", "li si", "--role", "front_desk", "--password-stdin"), "li-pass-123\n", "不能含空格"),
        (("add", "admin", "--role", "front_desk", "--password-stdin"), "li-pass-123\n", "已被使用"),
        (("add", "ADMIN", "--role", "front_desk", "--password-stdin"), "li-pass-123\n", "已被使用"),
        (("reset-password", "nobody", "--password-stdin"), "li-pass-123\n", "没有用户“nobody”"),
        (("deactivate", "nobody"), None, "没有用户“nobody”"),
        (("deactivate", "admin"), None, "最后一个启用的管理员"),
    ],
    ids=["role", "empty-line", "no-input", "short", "space", "duplicate", "duplicate-case",
         "reset-unknown", "deactivate-unknown", "last-admin"],
)
def test_refusals_are_one_line_and_exit_code_1(tmp_path, capsys, monkeypatch, args, stdin, message):
    path = str(tmp_path / "hall.sqlite")
    assert run(capsys, monkeypatch, "--db", path, "user", "add", "admin", "--role", "admin",
               "--password-stdin", stdin="admin-pass-1\n")[0] == 0
    code, out, err = run(capsys, monkeypatch, "--db", path, "user", *args, stdin=stdin)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("frontdesk: 错误：") and message in err, err
    assert "Traceback" not in err


def test_without_a_terminal_the_password_must_come_from_stdin(tmp_path, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "--db", str(tmp_path / "x.sqlite"), "user", "add", "li",
                         "--role", "front_desk", stdin="li-pass-123\n")
    assert code == 1 and "--password-stdin" in err


def test_the_password_is_asked_twice_on_a_terminal(tmp_path, capsys, monkeypatch):
    import getpass

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(""))
    answers = iter(["li-pass-123", "li-pass-124"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    path = str(tmp_path / "x.sqlite")
    code, _out, err = run(capsys, monkeypatch, "--db", path, "user", "add", "li", "--role", "front_desk")
    assert code == 1 and "两次输入的密码不一致" in err
    answers = iter(["li-pass-123", "li-pass-123"])
    code, out, _ = run(capsys, monkeypatch, "--db", path, "user", "add", "li", "--role", "front_desk")
    assert code == 0 and sign_in_works(path, "li", "li-pass-123")


def test_user_commands_need_a_subcommand(capsys, monkeypatch, tmp_path):
    code, _out, err = run(capsys, monkeypatch, "--db", str(tmp_path / "x.sqlite"), "user")
    assert code == 2 and "错误" in err


def test_the_demo_prints_one_password_per_role_once_and_they_sign_in(tmp_path, capsys, monkeypatch):
    # Monday 00:15: Saturday was open, Sunday closed, and today the hall has not opened yet.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 7, 0, 15))
    path = str(tmp_path / "demo.sqlite")
    code, out, err = run(capsys, monkeypatch, "--db", path, "demo", "--days", "3", "--seed", "1")
    assert code == 0, err
    found = re.findall(r"(管理员|值班经理|前台)  用户名 (\S+)  密码 (\S+)", out)
    assert sorted(role for role, _, _ in found) == ["值班经理", "前台", "管理员"]
    for _role, username, password in found:
        assert sign_in_works(path, username, password)
    # Appending again creates nobody and prints no password.
    code, out, _ = run(capsys, monkeypatch, "--db", path, "demo", "--days", "1", "--append")
    assert code == 0 and "密码 " not in out and "已有的示范用户" in out
    assert "来访 0 人次" in out and "今天尚未营业（08:30 开门），未生成今天的来访。" in out
    conn = sqlite3.connect(path)
    try:
        registered_by = conn.execute(
            "SELECT DISTINCT u.username FROM visit v JOIN app_user u ON u.id = v.created_by_id").fetchall()
        demo_entries = conn.execute(  # the register's (the roster and the checks have their own)
            "SELECT count(*) FROM audit_entry WHERE action = 'demo' AND entity = 'database'").fetchone()[0]
    finally:
        conn.close()
    # One entry for Saturday's visits, one for the run that found the hall not yet open.
    assert registered_by == [("lijing",)] and demo_entries == 2


def test_check_names_the_broken_entry_of_the_chain(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "hall.sqlite")
    run(capsys, monkeypatch, "--db", path, "demo", "--days", "1", "--seed", "2")
    code, out, _ = run(capsys, monkeypatch, "--db", path, "check")
    assert code == 0 and out.startswith("OK SQLite") and "审计链完整" in out
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE audit_entry SET detail = '改动' WHERE seq = 2")
        conn.commit()
    finally:
        conn.close()
    result = subprocess.run([sys.executable, "-m", "frontdesk", "--db", path, "check"],
                            capture_output=True, text=True, timeout=60, cwd=REPO, check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == ("frontdesk: 错误：审计链在第 2 条处断开：这条记录的内容与它的哈希不符（记录被改动过）。")
