"""Restore never replaces a database that a running FrontDesk has open.

Found on the old code: the station's daily backup read the first bytes of the live file with a
plain ``open()``/``close()``, which drops every POSIX lock SQLite held on it in that process; an
idle station then held nothing SQLite could see, ``frontdesk restore`` went ahead, and what the
station saved afterwards went into a file that was no longer the database. Now every FrontDesk
holds a shared presence lock while it has the database open, restore takes it exclusively or
refuses, and nothing opens the live file outside SQLite.
"""

from __future__ import annotations

import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk.db.database import Location, close_database, database_proxy, open_database
from frontdesk.services import backup, settings, users
from tests.conftest import ADMIN_PASSWORD
from tests.pinning import PIN_CHILD, child_environment

REPO = Path(__file__).resolve().parents[2]

# A station: opens the database, registers, makes its daily backup, lets go of its SQLite
# connection (idle between customers), then saves one more visit when told to.
STATION = PIN_CHILD + r"""
import sys
from frontdesk.db.database import current_database, open_database
from frontdesk.services import backup, clock, lists, session, visitors

open_database(sys.argv[1])
session.set_current(session.command_line_actor())
bt = lists.entries("business_type")[0].id
dest = lists.entries("destination")[0].id
visitors.register(visitors.VisitInput(business_type_id=bt, destination_id=dest, customer_name="早上"))
backup.daily_backup_if_due(clock.now())
current_database().close()
print("ready", flush=True)
sys.stdin.readline()
row = visitors.register(visitors.VisitInput(business_type_id=bt, destination_id=dest, customer_name="恢复之后"))
print(row.id, flush=True)
sys.stdin.readline()
"""


def read_line(process: subprocess.Popen, timeout: float = 60.0) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if ready else ""
    assert line, process.stderr.read() if process.poll() is not None else "no answer"
    return line.strip()


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT customer_name FROM visit ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def hall(tmp_path) -> Path:
    path = tmp_path / "frontdesk.sqlite"
    open_database(path)
    settings.first_run("测试支行营业厅", "bank")
    users.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
    close_database()
    database_proxy.initialize(None)
    return path


def test_restore_is_refused_while_an_idle_station_has_the_database_open(hall, tmp_path, as_command_line):
    older = tmp_path / "older.sqlite"
    backup.backup_location(Location(str(hall)), older)
    station = subprocess.Popen(
        [sys.executable, "-c", STATION, str(hall)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=REPO, env=child_environment(PYTHONPATH=str(REPO)),
    )
    try:
        assert read_line(station) == "ready"
        assert (hall.parent / "backups").is_dir()  # the daily backup really ran over there
        before = hall.read_bytes()

        result = subprocess.run(
            [sys.executable, "-m", "frontdesk", "--db", str(hall), "restore", str(older), "--yes"],
            capture_output=True, text=True, cwd=REPO, env=child_environment(PYTHONPATH=str(REPO)),
            timeout=60, check=False,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "正在被使用" in result.stderr and "数据库没有改动" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert hall.read_bytes() == before
        assert not list(tmp_path.glob("*.replaced-*"))

        station.stdin.write("save\n")
        station.stdin.flush()
        saved_id = int(read_line(station))
        # Nothing lost: the station's saves are in the database file itself.
        assert names(hall) == ["早上", "恢复之后"] and saved_id > 0
    finally:
        station.stdin.close()
        station.wait(timeout=30)
        station.stdout.close()
        station.stderr.close()

    # The station closed: now the restore goes ahead.
    result = subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(hall), "restore", str(older), "--yes"],
        capture_output=True, text=True, cwd=REPO, env=child_environment(PYTHONPATH=str(REPO)),
        timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert names(hall) == []


def test_a_station_cannot_open_the_database_while_a_restore_holds_it(hall):
    from frontdesk.db import presence
    from frontdesk.errors import DatabaseLockedError

    owner = presence.take(hall, exclusive=True)
    assert owner is not None
    try:
        with pytest.raises(DatabaseLockedError, match="正在恢复备份"):
            open_database(hall)
    finally:
        owner.release()
    open_database(hall)  # and once the restore is over, it opens
    try:
        assert presence.take(hall, exclusive=True) is None  # held shared by this process now
    finally:
        close_database()
        database_proxy.initialize(None)
    again = presence.take(hall, exclusive=True)
    assert again is not None
    again.release()
