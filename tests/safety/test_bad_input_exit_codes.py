"""Bad input is the user's to fix: exit 1 with one clear line, never 70 (which is for our bugs).

Found on the old code: a malformed ``--db`` URL, output into a closed pipe, and a backup that is
only a schema-version row (which ``restore`` accepted) each gave exit 70, or worse.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pinning import child_environment

REPO = Path(__file__).resolve().parents[2]


def frontdesk(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frontdesk", *args], capture_output=True, text=True,
                          cwd=REPO, env=child_environment(PYTHONPATH=str(REPO)), timeout=120, check=False, **kw)


@pytest.mark.parametrize(("location", "words"), [
    ("postgresql://frontdesk@192.168.1.10:端口/frontdesk", "数据库地址格式不正确"),
    ("postgresql://[fe80::1/frontdesk", "数据库地址格式不正确"),
    ("/dev/null", "不是普通文件"),
])
def test_a_location_that_cannot_be_a_database_is_one_line_and_exit_1(location, words, tmp_path):
    for command in (["check"], ["demo", "--days", "1"], ["user", "list"]):
        result = frontdesk("--db", location, *command)
        assert result.returncode == 1, (command, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert not Path("/dev/null.lock").exists()


def test_output_into_a_closed_pipe_is_not_a_bug(tmp_path):
    db = tmp_path / "hall.sqlite"
    assert frontdesk("--db", str(db), "demo", "--days", "1", "--seed", "3").returncode == 0
    # A reader that closes at once: printing the user list hits a closed pipe.
    process = subprocess.Popen([sys.executable, "-m", "frontdesk", "--db", str(db), "user", "list"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                               env=child_environment(PYTHONPATH=str(REPO)))
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 1, err
    assert "程序内部错误" not in err and "Traceback" not in err


def test_a_file_with_only_a_version_row_is_no_backup(tmp_path):
    db = tmp_path / "hall.sqlite"
    assert frontdesk("--db", str(db), "demo", "--days", "1", "--seed", "3").returncode == 0
    fake = tmp_path / "fake.sqlite"
    conn = sqlite3.connect(fake)
    conn.execute("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1, 3)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = frontdesk("--db", str(db), "restore", str(fake), "--yes")
    assert result.returncode == 1 and "不完整" in result.stderr and "visit" in result.stderr
    assert db.read_bytes() == before
    checked = frontdesk("--db", str(fake), "check")
    assert checked.returncode == 1 and "不完整" in checked.stderr


def test_backup_to_writes_only_regular_files_in_existing_folders(tmp_path):
    db = tmp_path / "hall.sqlite"
    assert frontdesk("--db", str(db), "demo", "--days", "1", "--seed", "3").returncode == 0
    missing = tmp_path / "前台备分" / "copy.sqlite"
    result = frontdesk("--db", str(db), "backup", "--to", str(missing))
    assert result.returncode == 1 and "文件夹不存在" in result.stderr
    assert not missing.parent.exists()
    result = frontdesk("--db", str(db), "backup", "--to", "/dev/full")
    assert result.returncode == 1 and "不是普通文件" in result.stderr
    assert Path("/dev/full").is_char_device()


def test_a_restore_from_the_command_line_is_in_the_restored_trail(tmp_path):
    db = tmp_path / "hall.sqlite"
    assert frontdesk("--db", str(db), "demo", "--days", "1", "--seed", "3").returncode == 0
    saved = tmp_path / "saved.sqlite"
    assert frontdesk("--db", str(db), "backup", "--to", str(saved)).returncode == 0
    result = frontdesk("--db", str(db), "restore", str(saved), "--yes")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT username, detail FROM audit_entry WHERE action = 'restore'").fetchone()
    finally:
        conn.close()
    assert row is not None and row[0].startswith("cli:") and str(saved) in row[1]
    assert frontdesk("--db", str(db), "check").returncode == 0
