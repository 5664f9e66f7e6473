"""A SQLite file of another program is recognised before anything touches it.

Found on the old code: opening a foreign SQLite file (``--db`` pointed at the wrong file)
switched it to WAL and added FrontDesk's tables before noticing it was not ours. Now the file is
looked at through a read-only connection first, and left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk.db.database import open_database
from frontdesk.errors import NotFrontDeskDatabaseError
from tests.pinning import child_environment

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def foreign(tmp_path) -> Path:
    path = tmp_path / "财务台账.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE 账目 (id INTEGER PRIMARY KEY, 金额 REAL)")
    conn.execute("INSERT INTO 账目 (金额) VALUES (12.5)")
    conn.commit()
    conn.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_opening_a_foreign_file_changes_nothing_in_it(foreign):
    before = digest(foreign)
    with pytest.raises(NotFrontDeskDatabaseError, match="不是 FrontDesk 的数据库") as caught:
        open_database(foreign)
    assert "账目" in caught.value.message
    assert digest(foreign) == before
    assert not Path(f"{foreign}-wal").exists() and not Path(f"{foreign}-shm").exists()
    conn = sqlite3.connect(foreign)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_the_command_line_says_so_in_one_line(foreign):
    before = digest(foreign)
    result = subprocess.run([sys.executable, "-m", "frontdesk", "--db", str(foreign), "demo", "--days", "1"],
                            capture_output=True, text=True, cwd=REPO, timeout=60, check=False,
                            env=child_environment(PYTHONPATH=str(REPO)))
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "不是 FrontDesk 的数据库" in result.stderr
    assert digest(foreign) == before
