"""Backups and restore of the SQLite database: real files, real second processes.

The data are read back with plain ``sqlite3``, independent of the code that wrote them. The
helpers at the top are shared with ``tests/test_cli_backup.py`` and ``test_health.py``.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from frontdesk.db import migrations
from frontdesk.db.database import Location, close_database, database_proxy, open_database
from frontdesk.db.migrations import LATEST_VERSION
from frontdesk.errors import (
    CorruptDatabaseError,
    DiskFullError,
    ReadOnlyError,
    SchemaTooNewError,
    UserError,
)
from frontdesk.services import backup, demo, session, settings
from frontdesk.services.backup import (
    CorruptBackupError,
    DatabaseInUseError,
    InvalidBackupError,
    NotFrontDeskError,
    PostgresBackupError,
)
from tests.conftest import PG_URL, reset_postgres

# These run as the command line and scripts do: as the program itself.
pytestmark = pytest.mark.usefixtures("as_command_line")

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 10, 30, 0)

# ------------------------------------------------------------------ shared helpers


def child_env() -> dict[str, str]:
    """The environment for a child Python that must import this checkout of ``frontdesk``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def make_database(path: Path, days: int = 3, *, now: datetime = NOW) -> Path:
    """A closed FrontDesk database with ``days`` days of demo visits (WAL folded in)."""
    open_database(path)
    try:
        with session.act_as(session.command_line_actor()):
            settings.first_run("测试支行营业厅", "insurance")
            if days:
                demo.generate(days, seed=1, now=now)
    finally:
        close_database()
        database_proxy.initialize(None)
    return path


def table(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def content(path: Path) -> dict[str, list[tuple]]:
    """Every row of our tables, to compare two databases."""
    return {
        name: table(path, f"SELECT * FROM {name} ORDER BY 1")
        for name in ("schema_version", "setting", "list_item", "visit")
    }


def visit_count(path: Path) -> int:
    return table(path, "SELECT count(*) FROM visit")[0][0]


def corrupt_middle(path: Path, pages: int = 3) -> None:
    """Overwrite whole pages in the middle of a (closed) database file with garbage."""
    size = path.stat().st_size
    page = 4096
    start = (size // page // 2) * page
    with path.open("r+b") as stream:
        stream.seek(start)
        stream.write(b"\xde\xad\xbe\xef" * (page * pages // 4))


def make_newer(path: Path) -> Path:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))
    conn.close()
    return path


def make_foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('张三')")
    conn.close()
    return path


def add_dangling_visit(path: Path) -> int:
    """A visit whose business type does not exist (foreign keys off, as a careless tool would)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    cols = [r[1] for r in conn.execute("PRAGMA table_info(visit)") if r[1] not in ("id", "business_type_id")]
    with conn:
        cur = conn.execute(
            f"INSERT INTO visit (business_type_id, {', '.join(cols)}) "
            f"SELECT 999999, {', '.join(cols)} FROM visit ORDER BY id LIMIT 1"
        )
    conn.close()
    return int(cur.lastrowid)


def files(folder: Path) -> list[str]:
    """The names in ``folder``, less the presence lock files that opening a database leaves."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".sqlite.lock"))


def leftovers(folder: Path) -> list[str]:
    """Temp files or journals that a finished (or failed) operation must not leave behind."""
    return sorted(
        p.name for p in folder.iterdir()
        if p.name.endswith((".tmp", "-journal")) or ".tmp-" in p.name
    )


HOLDER = """
import sys
from frontdesk.db.database import open_database
from frontdesk.services import visitors
open_database(sys.argv[1])
from frontdesk.services import session
session.set_current(session.command_line_actor())
visitors.waiting_now()
print("ready", flush=True)
sys.stdin.read()
"""


class Holder:
    """A real second FrontDesk-like process holding the database open (WAL, our pragmas)."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=child_env(), cwd=REPO,
        )
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", self.proc.stderr.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def holder_factory():
    started: list[Holder] = []

    def start(path: Path) -> Holder:
        h = Holder(path)
        started.append(h)
        return h

    yield start
    for h in started:
        h.stop()


def read_only_folder(folder: Path):
    """Make ``folder`` unwritable for this process (root ignores modes: make it immutable)."""
    as_root = getattr(os, "geteuid", lambda: -1)() == 0
    if as_root:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("running as root and the folder cannot be made immutable (chattr)")
    else:
        folder.chmod(0o555)

    def undo() -> None:
        if as_root:
            subprocess.run([shutil.which("chattr") or "chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)

    return undo


# ------------------------------------------------------------------ fixtures


@pytest.fixture(autouse=True)
def _as_the_command_line():
    """Backing up and restoring need their role (``session.BACKUP``, ``RESTORE``): these tests act
    as ``frontdesk backup`` / ``restore`` do. ``test_backup_and_restore_need_their_role`` below
    checks the refusals."""
    with session.act_as(session.command_line_actor()):
        yield


@pytest.fixture
def db_path(tmp_path) -> Path:
    return make_database(tmp_path / "frontdesk.sqlite")


@pytest.fixture
def opened(db_path):
    """The demo database, open as the program has it."""
    open_database(db_path)
    yield db_path
    close_database()
    database_proxy.initialize(None)


@pytest.fixture
def pg_open():
    if not PG_URL:
        pytest.skip("FRONTDESK_TEST_PG_URL is not set: PostgreSQL tests skipped")
    reset_postgres(PG_URL)
    open_database(PG_URL)
    yield PG_URL
    close_database()
    database_proxy.initialize(None)


# ------------------------------------------------------------------ backing up


def test_backup_now_writes_a_complete_self_contained_copy_beside_the_database(opened):
    written = backup.backup_now(now=NOW)
    assert written == opened.parent / "backups" / "frontdesk-2026-11-25-103000.sqlite"
    assert content(written) == content(opened)
    assert written.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one file, no -wal needed
    assert table(written, "PRAGMA integrity_check") == [("ok",)]
    assert leftovers(written.parent) == []
    assert oct(written.stat().st_mode & 0o777) == oct(opened.stat().st_mode & 0o777)


def test_backup_includes_what_is_still_in_the_wal(opened):
    from frontdesk.services import lists, visitors

    before = visit_count(opened)
    extra = visitors.register(visitors.VisitInput(
        business_type_id=lists.entries("business_type")[0].id,
        destination_id=lists.entries("destination")[0].id,
        customer_name="刚登记",
    ))
    assert Path(f"{opened}-wal").stat().st_size > 0  # the new row is not yet in the main file
    written = backup.backup_now(opened.parent / "copy.sqlite")
    assert visit_count(written) == before + 1
    assert table(written, "SELECT customer_name FROM visit WHERE id = ?", (extra.id,)) == [("刚登记",)]


def test_backup_to_a_folder_or_a_file_and_never_onto_the_database(opened, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    written = backup.backup_now(folder, now=NOW)
    assert written == folder / "frontdesk-2026-11-25-103000.sqlite"
    target = tmp_path / "exact.sqlite"
    target.write_text("old content")
    assert backup.backup_now(target) == target
    assert content(target) == content(opened)
    with pytest.raises(UserError, match="数据库文件本身"):
        backup.backup_now(opened)
    assert table(opened, "PRAGMA integrity_check") == [("ok",)]


WRITER = """
import sqlite3, sys
from pathlib import Path
path, stop = sys.argv[1], Path(sys.argv[2])
c = sqlite3.connect(path, isolation_level=None, timeout=5)
for pragma in ("journal_mode=wal", "synchronous=2", "foreign_keys=1", "busy_timeout=5000"):
    c.execute("PRAGMA " + pragma)
cols = ", ".join(r[1] for r in c.execute("PRAGMA table_info(visit)") if r[1] != "id")
done = 0
while not stop.exists():
    c.execute("BEGIN IMMEDIATE")
    for _ in range(3):
        c.execute(f"INSERT INTO visit ({cols}) SELECT {cols} FROM visit ORDER BY id LIMIT 1")
    done += 1
    c.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('test_batches', ?)", (str(done),))
    c.execute("COMMIT")
    if done == 5:
        print("ready", flush=True)
c.close()
print(done, flush=True)
"""


def test_backup_is_consistent_while_another_process_writes(opened, tmp_path):
    base = visit_count(opened)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(opened), str(stop)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        seen = []
        for i in range(6):
            copy = backup.backup_now(tmp_path / f"copy-{i}.sqlite")
            assert table(copy, "PRAGMA integrity_check") == [("ok",)]
            batches = int(table(copy, "SELECT value FROM setting WHERE key = 'test_batches'")[0][0])
            # Each batch is one transaction of three visits: a copy holds whole batches only.
            assert visit_count(copy) == base + 3 * batches
            seen.append(batches)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=30)
    assert writer.returncode == 0, err
    assert seen == sorted(seen) and seen[-1] > seen[0] >= 5  # the writer kept going meanwhile
    assert int(out.split()[-1]) >= seen[-1]


def test_a_damaged_database_is_not_backed_up(db_path, tmp_path):
    corrupt_middle(db_path)
    target = tmp_path / "out" / "copy.sqlite"
    target.parent.mkdir()
    with pytest.raises(CorruptDatabaseError, match="损坏"):
        backup.backup_now(target, source=db_path)
    assert not target.exists() and leftovers(target.parent) == []


def test_a_missing_or_foreign_source_is_refused(tmp_path):
    with pytest.raises(UserError, match="不存在"):
        backup.backup_now(tmp_path / "b.sqlite", source=tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()
    text = tmp_path / "notes.sqlite"
    text.write_text("hello\n" * 100)
    with pytest.raises(UserError, match="不是 SQLite"):
        backup.backup_now(tmp_path / "b.sqlite", source=text)
    assert not (tmp_path / "b.sqlite").exists()


# ------------------------------------------------------------------ disk full, read-only


def test_disk_full_during_the_copy_leaves_nothing_behind(opened, tmp_path, monkeypatch):
    def full(source, temp):
        temp.write_bytes(b"half a backup" * 1000)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy_database", full)
    target = tmp_path / "out" / "copy.sqlite"
    target.parent.mkdir()
    with pytest.raises(DiskFullError, match="磁盘已满"):
        backup.backup_now(target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_disk_full_while_syncing_keeps_the_previous_backup(opened, tmp_path, monkeypatch):
    target = tmp_path / "copy.sqlite"
    backup.backup_now(target)
    previous = target.read_bytes()

    def full(path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_fsync_file", full)
    with pytest.raises(DiskFullError):
        backup.backup_now(target)
    assert target.read_bytes() == previous
    assert leftovers(tmp_path) == []


def test_read_only_backup_folder_is_a_clear_error(opened, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    undo = read_only_folder(folder)
    try:
        with pytest.raises(ReadOnlyError, match="只读或没有权限"):
            backup.backup_now(folder / "copy.sqlite")
        assert list(folder.iterdir()) == []
    finally:
        undo()


# ------------------------------------------------------------------ the daily backup and retention


def test_daily_backup_twice_on_the_same_day_makes_one_file(opened):
    assert backup.daily_backup_due(NOW.date())
    first = backup.daily_backup_if_due(NOW)
    assert first == opened.parent / "backups" / "frontdesk-2026-11-25.sqlite"
    assert not backup.daily_backup_due(NOW.date())
    assert backup.daily_backup_if_due(NOW + timedelta(hours=5)) is None
    names = sorted(p.name for p in first.parent.iterdir())
    assert names == ["frontdesk-2026-11-25.sqlite", "frontdesk-2026-11.sqlite"]
    assert content(first) == content(opened)


def _mark(day: date) -> None:
    conn = sqlite3.connect(database_proxy.obj.database)
    with conn:
        conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('test_marker', ?)", (day.isoformat(),))
    conn.close()


def _marker(path: Path) -> str:
    return table(path, "SELECT value FROM setting WHERE key = 'test_marker'")[0][0]


def test_retention_keeps_14_daily_and_12_monthly_copies_and_nothing_else_is_touched(tmp_path):
    path = make_database(tmp_path / "frontdesk.sqlite", days=0)
    folder = tmp_path / "backups"
    folder.mkdir()
    foreign = ["notes.txt", "frontdesk-2020-01-01-080000.sqlite", "other-2020-01-01.sqlite",
               "frontdesk-2020-1-1.sqlite", "frontdesk-2020-01-01.sqlite.bak", "frontdesk.sqlite"]
    for name in foreign:
        (folder / name).write_text("keep me")
    open_database(path)
    try:
        # Starts on the 10th, 11th and 12th of the 15 months from 2025-08, then 20 days in a row.
        months = [(2025 + (7 + i) // 12, (7 + i) % 12 + 1) for i in range(15)]
        days = [date(y, m, d) for y, m in months for d in (10, 11, 12)]
        days += [date(2026, 11, 1) + timedelta(days=i) for i in range(20)]
        made = []
        for day in days:
            _mark(day)
            made.append(backup.daily_backup_if_due(datetime.combine(day, datetime.min.time()).replace(hour=8)))
        assert all(made)
    finally:
        close_database()
        database_proxy.initialize(None)
    daily = sorted(p.name for p in folder.glob("frontdesk-????-??-??.sqlite"))
    monthly = sorted(p.name for p in folder.glob("frontdesk-????-??.sqlite"))
    assert daily == [f"frontdesk-{d:%Y-%m-%d}.sqlite" for d in days[-14:]]
    expected_months = sorted({f"{d:%Y-%m}" for d in days})[-12:]
    assert monthly == [f"frontdesk-{m}.sqlite" for m in expected_months]
    # The monthly copy is the month's first backup, as it was then.
    assert _marker(folder / "frontdesk-2026-10.sqlite") == "2026-10-10"
    assert _marker(folder / "frontdesk-2026-11.sqlite") == "2026-11-01"
    assert _marker(folder / "frontdesk-2026-11-20.sqlite") == "2026-11-20"
    for name in foreign:
        assert (folder / name).read_text() == "keep me"
    assert leftovers(folder) == []


def test_stale_temp_files_of_a_crashed_backup_are_cleaned_up(opened):
    folder = opened.parent / "backups"
    folder.mkdir()
    stale = folder / ".frontdesk-2026-11-24.sqlite.abc123.tmp"
    fresh = folder / ".frontdesk-2026-11-25.sqlite.def456.tmp"  # maybe another process, right now
    for p in (stale, fresh):
        p.write_bytes(b"partial")
    old = (NOW - timedelta(days=1)).timestamp()
    os.utime(stale, (old, old))
    backup.daily_backup_if_due(NOW)
    assert not stale.exists() and fresh.exists()


def test_daily_backup_of_a_database_given_by_path(db_path):
    assert backup.daily_backup_due(NOW.date(), db_path)
    written = backup.daily_backup_if_due(NOW, db_path)
    assert written is not None and content(written) == content(db_path)


@pytest.mark.postgres
def test_postgresql_is_not_backed_up_here(pg_open):
    assert backup.open_database_file() is None
    assert backup.daily_backup_due(NOW.date()) is False
    assert backup.daily_backup_if_due(NOW) is None
    with pytest.raises(PostgresBackupError, match="pg_dump"):
        backup.backup_now()


@pytest.mark.postgres
def test_the_readme_pg_dump_and_pg_restore_commands_round_trip(pg_open, tmp_path):
    """README's commands, run for real: dump, change the data, restore, the data are back."""
    from frontdesk.services import lists, visitors

    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore not installed")
    settings.first_run("测试支行营业厅", "insurance")
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    for name in ("甲", "乙"):
        visitors.register(visitors.VisitInput(business_type_id=bt, destination_id=dest, customer_name=name))
    close_database()
    dump = tmp_path / "frontdesk.dump"
    subprocess.run(["pg_dump", "-Fc", "-d", PG_URL, "-f", str(dump)], check=True, capture_output=True)
    open_database(PG_URL)
    visitors.register(visitors.VisitInput(business_type_id=bt, destination_id=dest, customer_name="丙"))
    close_database()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--single-transaction", "-d", PG_URL, str(dump)],
        check=True, capture_output=True,
    )
    open_database(PG_URL)
    from frontdesk.db.models import Visit

    assert sorted(v.customer_name for v in Visit.select()) == ["乙", "甲"]


# ------------------------------------------------------------------ inspecting a backup


def test_inspect_reports_version_visits_and_dates(db_path):
    info = backup.inspect_backup(db_path)
    assert info.version == LATEST_VERSION
    live = table(db_path, "SELECT count(*), min(arrived_at), max(arrived_at) FROM visit WHERE voided_at IS NULL")[0]
    assert info.visits == live[0] > 0
    assert info.first_visit == datetime.fromisoformat(live[1]).date()
    assert info.last_visit == datetime.fromisoformat(live[2]).date() == NOW.date()
    assert info.size == db_path.stat().st_size
    assert "版本" in info.summary.describe() and str(info.visits) in info.summary.describe()


def _text(tmp: Path) -> Path:
    p = tmp / "notes.sqlite"
    p.write_text("这不是数据库\n" * 300, encoding="utf-8")
    return p


def _empty(tmp: Path) -> Path:
    p = tmp / "empty.sqlite"
    p.write_bytes(b"")
    return p


def _foreign(tmp: Path) -> Path:
    return make_foreign_sqlite(tmp / "other.sqlite")


def _corrupt(tmp: Path) -> Path:
    p = make_database(tmp / "corrupt.sqlite")
    corrupt_middle(p)
    return p


def _newer(tmp: Path) -> Path:
    return make_newer(make_database(tmp / "newer.sqlite", days=1))


def _missing(tmp: Path) -> Path:
    return tmp / "missing.sqlite"


def _folder(tmp: Path) -> Path:
    (tmp / "a-folder").mkdir()
    return tmp / "a-folder"


def _dangling(tmp: Path) -> Path:
    p = make_database(tmp / "dangling.sqlite", days=1)
    add_dangling_visit(p)
    return p


BAD_BACKUPS = [
    (_text, InvalidBackupError, "不是 SQLite"),
    (_empty, InvalidBackupError, "空的"),
    (_foreign, NotFrontDeskError, "不是 FrontDesk 的数据库"),
    (_corrupt, CorruptBackupError, "损坏"),
    (_newer, SchemaTooNewError, "升级 FrontDesk"),
    (_missing, InvalidBackupError, "不存在"),
    (_folder, InvalidBackupError, "文件夹"),
    (_dangling, CorruptBackupError, "外键"),
]
BAD_IDS = [make.__name__.strip("_") for make, _error, _words in BAD_BACKUPS]


@pytest.mark.parametrize(("make", "error", "words"), BAD_BACKUPS, ids=BAD_IDS)
def test_inspect_refuses_what_cannot_be_restored(tmp_path, make, error, words):
    candidate = make(tmp_path)
    before = candidate.read_bytes() if candidate.is_file() else None
    with pytest.raises(error) as caught:
        backup.inspect_backup(candidate)
    assert isinstance(caught.value, UserError)
    assert words in caught.value.message and "\n" not in caught.value.message
    if before is not None:
        assert candidate.read_bytes() == before
    assert not (tmp_path / "missing.sqlite").exists()


# ------------------------------------------------------------------ restoring


def _register(path: Path, name: str) -> None:
    from frontdesk.services import lists, visitors

    open_database(path)
    try:
        visitors.register(visitors.VisitInput(
            business_type_id=lists.entries("business_type")[0].id,
            destination_id=lists.entries("destination")[0].id,
            customer_name=name,
        ))
    finally:
        close_database()
        database_proxy.initialize(None)


def test_restore_round_trip_keeps_the_replaced_database_aside(db_path, tmp_path):
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db_path)
    at_backup = content(db_path)
    _register(db_path, "备份之后登记")
    after = content(db_path)
    assert after != at_backup

    kept = backup.restore(saved, db_path, now=NOW)

    assert kept == tmp_path / "frontdesk.replaced-20261125-103000.sqlite"
    assert content(db_path) == at_backup
    assert content(kept) == after
    assert table(kept, "PRAGMA integrity_check") == [("ok",)]
    assert leftovers(tmp_path) == []
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    # The restored database opens and works as usual.
    open_database(db_path)
    close_database()
    database_proxy.initialize(None)
    assert content(db_path) == at_backup
    assert saved.exists()  # the backup itself is not consumed


def test_restore_keeps_what_a_crashed_program_left_in_the_wal(tmp_path):
    db = make_database(tmp_path / "frontdesk.sqlite", days=1)
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db)
    code = (
        "import os, sys\n"
        "from frontdesk.db.database import open_database\n"
        "from frontdesk.services import lists, visitors\n"
        "open_database(sys.argv[1])\n"
        "from frontdesk.services import session\n"
        "session.set_current(session.command_line_actor())\n"
        "visitors.register(visitors.VisitInput(business_type_id=lists.entries('business_type')[0].id,"
        " destination_id=lists.entries('destination')[0].id, customer_name='崩溃前登记'))\n"
        "os._exit(0)  # no close, no checkpoint: the row lives only in the -wal file\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, env=child_env(), cwd=REPO)
    assert Path(f"{db}-wal").stat().st_size > 0

    kept = backup.restore(saved, db, now=NOW)

    assert table(kept, "SELECT count(*) FROM visit WHERE customer_name = '崩溃前登记'") == [(1,)]
    assert table(db, "SELECT count(*) FROM visit WHERE customer_name = '崩溃前登记'") == [(0,)]
    assert not Path(f"{kept}-wal").exists()


def test_restore_an_older_version_then_it_migrates_on_open(tmp_path):
    from frontdesk.db.database import Location
    from frontdesk.db.database import make_database as make_peewee_database

    old = tmp_path / "v1.sqlite"
    raw = make_peewee_database(Location(str(old)))
    raw.connect()
    migrations.migrate_to_latest(raw, None, migrations.MIGRATIONS[:1])
    raw.close()
    assert backup.inspect_backup(old).version == 1

    current = make_database(tmp_path / "frontdesk.sqlite", days=1)
    backup.restore(old, current, now=NOW)
    assert table(current, "SELECT version FROM schema_version") == [(1,)]
    open_database(current)
    close_database()
    database_proxy.initialize(None)
    assert table(current, "SELECT version FROM schema_version") == [(LATEST_VERSION,)]


def test_restore_onto_a_missing_database_creates_it(db_path, tmp_path):
    target = tmp_path / "new-place" / "frontdesk.sqlite"
    assert backup.restore(db_path, target) is None
    assert content(target) == content(db_path)


def test_restore_replaces_a_damaged_database_and_keeps_its_bytes(db_path, tmp_path):
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db_path)
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"garbage, not a database\n" * 500)
    kept = backup.restore(saved, damaged, now=NOW)
    assert kept.read_bytes() == b"garbage, not a database\n" * 500
    assert content(damaged) == content(db_path)

    corrupt_middle(db_path)
    corrupted = db_path.read_bytes()
    kept = backup.restore(saved, db_path, now=NOW + timedelta(seconds=1))
    # Kept page by page as it was (only the file header's journal-mode bytes may differ).
    assert len(kept.read_bytes()) == len(corrupted) and kept.read_bytes()[100:] == corrupted[100:]
    assert table(db_path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize(("make", "error", "words"), BAD_BACKUPS, ids=BAD_IDS)
def test_restore_refuses_a_bad_backup_and_changes_nothing(db_path, tmp_path, make, error, words):
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    candidate = make(bad_dir)
    before = db_path.read_bytes()
    with pytest.raises(error, match=words):
        backup.restore(candidate, db_path, now=NOW)
    assert db_path.read_bytes() == before
    assert files(tmp_path) == ["bad", "frontdesk.sqlite"]


def test_restore_refused_while_another_process_has_the_database_open(db_path, tmp_path, holder_factory):
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db_path)
    _register(db_path, "备份之后登记")
    before = content(db_path)
    holder = holder_factory(db_path)

    with pytest.raises(DatabaseInUseError, match="正在被使用") as caught:
        backup.restore(saved, db_path, now=NOW)
    assert "\n" not in caught.value.message

    assert content(db_path) == before
    assert not list(tmp_path.glob("*.replaced-*")) and leftovers(tmp_path) == []
    holder.stop()  # the other program closes: now it can be done
    assert backup.restore(saved, db_path, now=NOW) is not None
    assert content(db_path) != before


def test_restore_refused_while_the_same_process_has_it_open(opened, tmp_path):
    saved = backup.backup_now(tmp_path / "saved.sqlite")
    with pytest.raises(DatabaseInUseError):
        backup.restore(saved, opened, now=NOW)


def test_restore_onto_itself_is_refused(db_path):
    with pytest.raises(UserError, match="当前数据库本身"):
        backup.restore(db_path, db_path)


def test_disk_full_while_restoring_leaves_the_database_as_it_was(db_path, tmp_path, monkeypatch):
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db_path)
    _register(db_path, "备份之后登记")
    before = content(db_path)
    real = backup._copy_database

    def full(source, temp):
        real(source, temp)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy_database", full)
    with pytest.raises(DiskFullError):
        backup.restore(saved, db_path, now=NOW)
    assert content(db_path) == before
    assert files(tmp_path) == ["frontdesk.sqlite", "saved.sqlite"]
    monkeypatch.undo()
    open_database(db_path)  # and the program still opens it
    close_database()
    database_proxy.initialize(None)


def test_restore_into_a_read_only_folder_is_a_clear_error(db_path, tmp_path):
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db_path)
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "frontdesk.sqlite"
    shutil.copyfile(db_path, target)
    undo = read_only_folder(folder)
    try:
        with pytest.raises(ReadOnlyError):
            backup.restore(saved, target, now=NOW)
        assert sorted(p.name for p in folder.iterdir()) == ["frontdesk.sqlite"]
    finally:
        undo()
    assert target.read_bytes() == db_path.read_bytes()


def test_restore_and_backup_refuse_postgresql_by_location():
    from frontdesk.db.database import Location

    loc = Location("postgresql://postgres@127.0.0.1/fd")
    with pytest.raises(PostgresBackupError, match="pg_restore --clean"):
        backup.restore_location(loc, Path("x.sqlite"))
    with pytest.raises(PostgresBackupError, match="pg_dump -Fc"):
        backup.backup_location(loc)


def test_manual_backup_names_never_match_the_rotation():
    stamp = backup.manual_name(Path("frontdesk.sqlite"), NOW)
    assert not re.fullmatch(r"frontdesk-\d{4}-\d{2}-\d{2}\.sqlite", stamp)
    assert not re.fullmatch(r"frontdesk-\d{4}-\d{2}\.sqlite", stamp)


def test_two_restores_in_the_same_second_keep_both_replaced_databases(db_path, tmp_path):
    saved = backup.backup_now(tmp_path / "saved.sqlite", source=db_path)
    _register(db_path, "第一次之前")
    first = backup.restore(saved, db_path, now=NOW)
    _register(db_path, "第二次之前")
    second = backup.restore(saved, db_path, now=NOW)
    assert first.name == "frontdesk.replaced-20261125-103000.sqlite"
    assert second.name == "frontdesk.replaced-20261125-103000-2.sqlite"
    assert table(first, "SELECT count(*) FROM visit WHERE customer_name = '第一次之前'") == [(1,)]
    assert table(second, "SELECT count(*) FROM visit WHERE customer_name = '第二次之前'") == [(1,)]


def test_backup_and_restore_need_their_role(opened, tmp_path):
    from frontdesk.errors import NotSignedInError, PermissionDeniedError

    written = backup.backup_now(tmp_path / "copy.sqlite")
    database = backup.open_database_file()
    with session.act_as(None):
        with pytest.raises(NotSignedInError):
            backup.backup_now(tmp_path / "other.sqlite")
        with pytest.raises(NotSignedInError):
            backup.restore(written, database)
    guide = session.Actor(7, "guide", "王芳", session.FRONT_DESK)
    manager = session.Actor(8, "boss", "黄志强", session.DUTY_MANAGER)
    for who in (guide, manager):
        with session.act_as(who):
            with pytest.raises(PermissionDeniedError):
                backup.backup_now(tmp_path / "other.sqlite")
            with pytest.raises(PermissionDeniedError, match="从备份恢复数据库"):
                backup.restore(written, database)
    assert not (tmp_path / "other.sqlite").exists()
    # The daily copy at start-up is the program's own act, whoever is (or is not) signed in.
    with session.act_as(None):
        assert backup.daily_backup_if_due(datetime(2026, 11, 30, 8, 0), database) is not None


def test_restoring_the_open_database_notes_it_in_the_restored_trail(tmp_path):
    from frontdesk.services import audit

    path = tmp_path / "hall.sqlite"
    open_database(str(path))
    try:
        settings.first_run("测试支行", "insurance")
        written = backup.backup_now(tmp_path / "copy.sqlite")
        settings.save(replace_branch(settings.load(), "改名以后"))
        location = Location(str(path))
        kept = backup.restore_open_database(location, written)
        assert kept is not None and kept.exists()
        assert settings.load().branch_name == "测试支行"
        with session.act_as(session.command_line_actor()):
            last = audit.entries(audit.AuditFilter(), limit=1)[0]
        assert last.action == "restore" and last.user_id is None and str(written) in last.detail
        with pytest.raises(InvalidBackupError):  # refused: the same database open again, unchanged
            backup.restore_open_database(location, tmp_path / "missing.sqlite")
        assert settings.load().branch_name == "测试支行"
    finally:
        close_database()
        database_proxy.initialize(None)


def replace_branch(current, name):
    from dataclasses import replace

    return replace(current, branch_name=name)
