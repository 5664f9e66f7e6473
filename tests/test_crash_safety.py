"""Crash safety, proven: processes killed with SIGKILL at random moments lose nothing committed.

A power cut or a killed process must never cost a registration whose save had returned, nor
leave half a record or a damaged file. Each test here runs the real code in a real child process
on a SQLite file with the program's own settings (WAL, ``synchronous=FULL``), kills it with
SIGKILL (nothing runs after it: no ``finally``, no ``atexit``), and then reads the file with
plain ``sqlite3``, independent of the code that wrote it.

``FRONTDESK_KILL_ROUNDS`` sets how many times the registering child is killed (default 40: a few
seconds on two cores; CI may ask for hundreds).
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from frontdesk.db import migrations
from frontdesk.db.database import close_database, database_proxy, open_database
from frontdesk.services import session, settings, users
from tests.pinning import PIN_CHILD, child_environment

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

REPO = Path(__file__).resolve().parent.parent
KILL_ROUNDS = int(os.environ.get("FRONTDESK_KILL_ROUNDS", "40"))
DEMO_KILL_ROUNDS = int(os.environ.get("FRONTDESK_DEMO_KILL_ROUNDS", "3"))
START_TIMEOUT = 30.0

# Registers visitors until killed; says so on stdout right after each save has returned.
# Every third visitor is called and every sixth finished, so updates are killed too.
WRITER = PIN_CHILD + r"""
import sys
from frontdesk.db.database import open_database
from frontdesk.services import lists, visitors

open_database(sys.argv[1])
from argon2 import PasswordHasher
from frontdesk.services import users
users.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # as the test made it
users.sign_in("guide", "guide-pass-1")  # a real front-desk session (its audit entry is killed too)
tag = sys.argv[2]
bts = [e.id for e in lists.entries("business_type")]
dests = [e.id for e in lists.entries("destination") if e.queues]  # customers who wait to be called
print("ready", flush=True)
n = 0
while True:
    data = visitors.VisitInput(
        business_type_id=bts[n % len(bts)], destination_id=dests[n % len(dests)],
        customer_name=f"{tag}-{n}", phone="13812345678", ticket_no=f"A{n:04d}",
        special_needs=frozenset({"elderly"}) if n % 7 == 0 else frozenset(),
        notes="客户较急，已递水" * (n % 4),
    )
    visit_id = visitors.register(data).id
    print("R", visit_id, n, flush=True)
    if n % 3 == 0:
        visitors.call(visit_id, served_by="王芳")
        print("C", visit_id, flush=True)
        if n % 6 == 0:
            visitors.finish(visit_id)
            print("F", visit_id, flush=True)
    n += 1
"""

# A migration step that has done half its work when it is killed.
HALF_MIGRATION = r"""
import sys, time, types
from frontdesk.db import migrations
from frontdesk.db.database import Location, make_database

location = Location(sys.argv[1])
db = make_database(location)
db.connect()
step = types.ModuleType("step_next")
step.VERSION = migrations.LATEST_VERSION + 1

def apply(db):
    db.execute_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
    db.execute_sql("ALTER TABLE setting ADD COLUMN extra INTEGER")
    db.execute_sql("UPDATE setting SET value = 'half'")
    db.execute_sql("DELETE FROM visit")
    print("inside", flush=True)
    time.sleep(120)

step.apply = apply
migrations.migrate_to_latest(db, location, migrations=(*migrations.MIGRATIONS, step))
"""

REQUIRED = ("arrived_at", "business_type_id", "destination_id", "status", "created_at",
            "updated_at", "version", "ticket_no", "customer_name", "phone", "notes")

# A visit whose columns disagree with each other: what a torn write would leave.
HALF_RECORDS = """
SELECT id FROM visit WHERE {required}
   OR version < 1
   OR status NOT IN ('waiting', 'serving', 'finished', 'left')
   OR (status = 'waiting' AND (called_at IS NOT NULL OR finished_at IS NOT NULL OR outcome IS NOT NULL))
   OR (status = 'serving' AND (called_at IS NULL OR finished_at IS NOT NULL OR outcome IS NOT NULL))
   OR (status = 'finished' AND (finished_at IS NULL OR outcome IS NULL))
   OR (status = 'finished' AND called_at IS NULL AND outcome NOT IN ('diverted', 'answered'))
   OR (status = 'finished' AND called_at IS NOT NULL AND outcome IN ('diverted', 'answered'))
   OR (status = 'left' AND (called_at IS NOT NULL OR finished_at IS NULL OR outcome <> 'left'))
   OR called_at < arrived_at
   OR finished_at < coalesce(called_at, arrived_at)
   OR updated_at < created_at
""".format(required=" OR ".join(f"{c} IS NULL" for c in REQUIRED))


def child_env() -> dict[str, str]:
    """The child imports this checkout of FrontDesk, whatever is installed, and keeps the
    test's clock."""
    return child_environment(PYTHONPATH=str(REPO))


def prepare(path: Path) -> None:
    """A configured database with a front-desk user, closed again: during the kills only the
    child has it open."""
    open_database(str(path))
    settings.first_run("测试支行营业厅", "insurance")
    users.create_first_admin("admin", "管理员", "admin-pass-1")
    users.add_user("guide", "王芳", session.FRONT_DESK, "guide-pass-1")
    session.set_current(None)
    close_database()
    database_proxy.initialize(None)


def read_line(process: subprocess.Popen, timeout: float = START_TIMEOUT) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        process.wait()
        raise AssertionError(f"the child did not start: {process.stderr.read()}")
    return line.strip()


def kill(process: subprocess.Popen) -> tuple[int, str]:
    """SIGKILL; the exit status and everything the child had written to stdout."""
    process.send_signal(signal.SIGKILL)
    status = process.wait()
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    process.stdout.close()
    process.stderr.close()
    return status, out


def healthy(path: Path) -> sqlite3.Connection:
    """Open the file as the next start would (recovering the WAL), and check it from the inside."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute(HALF_RECORDS).fetchall() == []
    return conn


def frontdesk_check(path: Path) -> None:
    """``frontdesk check``, as the hall would run it after a crash."""
    result = subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(path), "check"],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO, env=child_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK"), result.stdout


# ------------------------------------------------------------ registrations


@dataclass
class Reported:
    """What the child said it had saved before it died."""

    registered: dict[int, int]  # visit id → the child's number n
    called: set[int]
    finished: set[int]


def parse(out: str) -> Reported:
    lines = out.split("\n")
    if lines and lines[-1]:
        lines.pop()  # a last line without its newline was cut short by the kill: not a claim
    reported = Reported({}, set(), set())
    for line in filter(None, lines):
        kind, visit_id, *rest = line.split()
        if kind == "R":
            reported.registered[int(visit_id)] = int(rest[0])
        elif kind == "C":
            reported.called.add(int(visit_id))
        elif kind == "F":
            reported.finished.add(int(visit_id))
    return reported


def test_registering_killed_at_random_moments_loses_nothing_committed(tmp_path):
    path = tmp_path / "hall.sqlite"
    prepare(path)
    rng = random.Random(os.environ.get("FRONTDESK_KILL_SEED"))
    committed = 0
    started = time.monotonic()
    for round_no in range(KILL_ROUNDS):
        tag = f"r{round_no}"
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), tag],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=child_env(),
        )
        assert read_line(process) == "ready"
        # Anywhere from before the first save to a few dozen saves in: mid-transaction,
        # mid-commit, between a save and its report.
        time.sleep(rng.choice((0.0, rng.uniform(0, 0.01), rng.uniform(0, 0.15))))
        status, out = kill(process)
        assert status == -signal.SIGKILL, f"round {round_no}: the child ended by itself"
        reported = parse(out)

        conn = healthy(path)
        try:
            rows = conn.execute(
                "SELECT id, customer_name, status, called_at, finished_at FROM visit "
                "WHERE customer_name LIKE ?", (f"{tag}-%",)
            ).fetchall()
        finally:
            conn.close()
        stored = {visit_id: int(name.rsplit("-", 1)[1]) for visit_id, name, *_ in rows}
        # Everything the child was told had been saved is there, as it was saved …
        assert reported.registered.items() <= stored.items(), f"round {round_no}: lost visits"
        state = {visit_id: (status, called, finished) for visit_id, _n, status, called, finished in rows}
        for visit_id in reported.called:
            assert state[visit_id][0] in ("serving", "finished") and state[visit_id][1] is not None
        for visit_id in reported.finished:
            assert state[visit_id][0] == "finished" and state[visit_id][2] is not None
        # … and at most the one save whose report the kill cut off is there besides.
        unreported = set(stored) - set(reported.registered)
        assert len(unreported) <= 1, f"round {round_no}: {unreported}"
        if unreported:
            expected_n = max(reported.registered.values(), default=-1) + 1
            assert stored[unreported.pop()] == expected_n
        committed += len(reported.registered)
    elapsed = time.monotonic() - started

    conn = healthy(path)
    try:
        names = [name for (name,) in conn.execute("SELECT customer_name FROM visit")]
        visit_ids = sorted(i for (i,) in conn.execute("SELECT id FROM visit"))
        created = sorted(i for (i,) in conn.execute(
            "SELECT entity_id FROM audit_entry WHERE entity = 'visit' AND action = 'create'"))
        guide = conn.execute("SELECT count(*) FROM visit v JOIN app_user u ON u.id = v.created_by_id "
                             "WHERE u.username = 'guide'").fetchone()[0]
    finally:
        conn.close()
    assert len(names) == len(set(names))  # no visit written twice
    # Each registration and its audit entry were committed together, or neither.
    assert created == visit_ids and guide == len(visit_ids)
    assert committed > KILL_ROUNDS  # the kills did land among saves, not only before them
    frontdesk_check(path)
    # The program opens the file and goes on registering.
    open_database(str(path))
    try:
        from frontdesk.services import visitors

        users.sign_in("guide", "guide-pass-1")
        assert visitors.count_visits(visitors.VisitQuery(visitors.EARLIEST.date(),
                                                         visitors.clock.today())) == len(names)
    finally:
        close_database()
        database_proxy.initialize(None)
    print(f"{KILL_ROUNDS} kills, {committed} reported saves, {elapsed:.1f} s")


# ------------------------------------------------------------ the demo command


def _days(path: Path) -> Counter[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return Counter(dict(conn.execute(
            "SELECT substr(arrived_at, 1, 10), count(*) FROM visit GROUP BY 1"
        ).fetchall()))
    finally:
        conn.close()


def _visits(path: Path) -> int:
    """Visits committed so far (0 while the file or its tables do not exist yet)."""
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
        try:
            return conn.execute("SELECT count(*) FROM visit").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def run_demo(path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "frontdesk", "--db", str(path), "demo", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=child_env(),
    )


def test_demo_killed_midway_leaves_whole_days_and_can_go_on(tmp_path):
    reference = tmp_path / "reference.sqlite"
    done = run_demo(reference, "--days", "200", "--seed", "11")
    assert done.wait(timeout=120) == 0, done.stderr.read()
    done.stdout.close()
    done.stderr.close()
    whole = _days(reference)
    order = sorted(whole)
    today = order[-1]

    rng = random.Random(os.environ.get("FRONTDESK_KILL_SEED"))
    midway = 0
    for round_no in range(DEMO_KILL_ROUNDS * 3):
        if midway == DEMO_KILL_ROUNDS:
            break
        path = tmp_path / f"killed-{round_no}.sqlite"
        process = run_demo(path, "--days", "200", "--seed", "11")
        deadline = time.monotonic() + START_TIMEOUT
        while _visits(path) == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.15) if round_no < DEMO_KILL_ROUNDS else 0.0)
        kill(process)
        conn = healthy(path)
        conn.close()
        found = _days(path)
        days = sorted(found)
        assert days == order[: len(days)], "days are written in order, none skipped"
        for day in days:
            if day != today:  # today's visits stop at "now", which moved between the runs
                assert found[day] == whole[day], f"{day}: {found[day]} of {whole[day]} visits"
        if today not in found:
            midway += 1
    assert midway >= 1, "no kill landed while the demo was writing"

    # A fresh run on the killed database goes on from there.
    appended = run_demo(path, "--days", "5", "--append", "--seed", "12")
    assert appended.wait(timeout=120) == 0, appended.stderr.read()
    appended.stdout.close()
    appended.stderr.close()
    healthy(path).close()
    assert sum(_days(path).values()) > sum(found.values())
    frontdesk_check(path)


# ------------------------------------------------------------ migrations


def _schema(conn) -> list[tuple]:
    return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_migration_killed_halfway_leaves_the_file_as_it_was(tmp_path):
    """tests/db/test_migrations.py covers a step that raises; this one is killed mid-step."""
    path = tmp_path / "hall.sqlite"
    prepare(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO visit (arrived_at, ticket_no, customer_name, phone, business_type_id, "
                 "destination_id, special_needs, vip, documents_complete, missing_documents, status, "
                 "served_by, notes, void_reason, created_at, updated_at, version) "
                 "SELECT '2026-11-25 09:00:00', 'A001', '王女士', '', b.id, d.id, 0, 0, 1, '', "
                 "'waiting', '', '', '', '2026-11-25 09:00:00', '2026-11-25 09:00:00', 1 "
                 "FROM list_item b, list_item d WHERE b.kind = 'business_type' "
                 "AND d.kind = 'destination' LIMIT 1")
    conn.commit()
    before = (_schema(conn), conn.execute("SELECT * FROM setting ORDER BY key").fetchall(),
              conn.execute("SELECT * FROM visit").fetchall())
    conn.close()

    process = subprocess.Popen(
        [sys.executable, "-c", HALF_MIGRATION, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=child_env(),
    )
    assert read_line(process) == "inside"  # the step has done half its work, uncommitted
    kill(process)

    conn = healthy(path)
    try:
        after = (_schema(conn), conn.execute("SELECT * FROM setting ORDER BY key").fetchall(),
                 conn.execute("SELECT * FROM visit").fetchall())
        version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
    finally:
        conn.close()
    assert after == before
    assert version == migrations.LATEST_VERSION
    copies = list(tmp_path.glob(f"hall.before-v{migrations.LATEST_VERSION}-*.sqlite"))
    assert len(copies) == 1  # the copy taken before migrating is kept, whole
    copy = healthy(copies[0])
    try:
        assert (_schema(copy), copy.execute("SELECT * FROM setting ORDER BY key").fetchall(),
                copy.execute("SELECT * FROM visit").fetchall()) == before
    finally:
        copy.close()
    frontdesk_check(path)


@pytest.mark.postgres
def test_a_migration_killed_halfway_on_postgresql_changes_nothing(configured, db_location):
    if not db_location.startswith("postgres"):
        pytest.skip("the PostgreSQL variant of the test above")
    db = configured
    before = sorted(db.get_tables()), db.execute_sql("SELECT key, value FROM setting ORDER BY key").fetchall()
    process = subprocess.Popen(
        [sys.executable, "-c", HALF_MIGRATION, db_location],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=child_env(),
    )
    assert read_line(process) == "inside"
    kill(process)
    # The server notices the dead client and rolls its transaction back.
    after = sorted(db.get_tables()), db.execute_sql("SELECT key, value FROM setting ORDER BY key").fetchall()
    assert after == before
    assert "half_done" not in after[0]
    assert migrations.read_version(db) == migrations.LATEST_VERSION
