"""A database in a read-only folder or on a read-only medium is not called damaged.

Found on the old code: ``frontdesk check`` on a sound database in a read-only folder said
"数据库文件已损坏：完整性检查发现 1 处问题（unable to open database file）". SQLite cannot create
its shared-memory file there; now the check reads such a file as immutable (when no log waits to
be replayed) and says where it is, and any other failure is named by its error code.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pinning import child_environment

REPO = Path(__file__).resolve().parents[2]


def frontdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frontdesk", *args], capture_output=True, text=True,
                          cwd=REPO, env=child_environment(PYTHONPATH=str(REPO)), timeout=120, check=False)


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "光盘"
    folder.mkdir()
    made = frontdesk("--db", str(folder / "frontdesk.sqlite"), "demo", "--days", "2", "--seed", "4",
                     "--preset", "telecom")
    assert made.returncode == 0, made.stderr
    as_root = getattr(os, "geteuid", lambda: -1)() == 0
    chattr = shutil.which("chattr")

    def lock(on: bool) -> None:
        if as_root:
            subprocess.run([chattr, "+i" if on else "-i", str(folder)], check=True)
        else:
            folder.chmod(0o555 if on else 0o755)

    if as_root and (chattr is None or subprocess.run([chattr, "+i", str(folder)]).returncode):
        pytest.skip("running as root and the folder cannot be made immutable (chattr)")
    if not as_root:
        lock(True)
    yield folder
    lock(False)


def test_check_in_a_read_only_folder_reads_the_database_and_says_where_it_is(read_only_folder):
    result = frontdesk("--db", str(read_only_folder / "frontdesk.sqlite"), "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK SQLite") and "只读位置" in result.stdout
    assert "完整性正常" in result.stdout and "审计链完整" in result.stdout
    assert "损坏" not in result.stdout + result.stderr


def test_a_log_left_in_a_read_only_folder_is_named_not_called_damage(tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    db = folder / "frontdesk.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    # Copy the file and its log as they are while open (as a copy onto a stick would).
    shutil.copy(db, tmp_path / "copy.sqlite")
    shutil.copy(f"{db}-wal", tmp_path / "copy.sqlite-wal")
    conn.close()
    target = tmp_path / "光盘"
    target.mkdir()
    shutil.move(tmp_path / "copy.sqlite", target / "frontdesk.sqlite")
    shutil.move(tmp_path / "copy.sqlite-wal", target / "frontdesk.sqlite-wal")
    as_root = getattr(os, "geteuid", lambda: -1)() == 0
    chattr = shutil.which("chattr")
    if as_root and (chattr is None or subprocess.run([chattr, "+i", str(target)]).returncode):
        pytest.skip("running as root and the folder cannot be made immutable (chattr)")
    if not as_root:
        target.chmod(0o555)
    try:
        result = frontdesk("--db", str(target / "frontdesk.sqlite"), "check")
    finally:
        if as_root:
            subprocess.run([chattr, "-i", str(target)], check=True)
        else:
            target.chmod(0o755)
    assert result.returncode == 1
    assert "只读" in result.stderr and "日志文件" in result.stderr and "损坏" not in result.stderr
