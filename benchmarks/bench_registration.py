"""Benchmark: one registration committed (``visitors.register``), goal < 20 ms median.

On a file SQLite database opened as the program opens it (WAL, synchronous=FULL, foreign keys,
busy timeout), each registration by a signed-in front-desk user is one transaction: the user's
account re-read (a deactivated user is refused), validation reads, the INSERT, its entry appended
to the audit chain, the commit (an fsync with synchronous=FULL) and reading the row back for the
screen. In the same run a bare
``sqlite3`` one-row INSERT + commit with the same pragmas on a table of the same shape gives the
floor the disk sets; the ratio shows what the layers above cost. With ``FRONTDESK_TEST_PG_URL``
set, the same on PostgreSQL (that test database is emptied first) against a bare psycopg2
INSERT + commit.

    python benchmarks/bench_registration.py [--count N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MS = 20.0
WARM_UP = 20

BARE_TABLE = (
    "CREATE TABLE visit (id INTEGER PRIMARY KEY, arrived_at DATETIME NOT NULL, ticket_no TEXT, "
    "customer_name TEXT, phone TEXT, business_type_id INTEGER, destination_id INTEGER, "
    "special_needs INTEGER, vip INTEGER, documents_complete INTEGER, missing_documents TEXT, "
    "status TEXT, served_by TEXT, notes TEXT, created_at DATETIME, updated_at DATETIME, version INTEGER)"
)
BARE_INSERT = (
    "INSERT INTO visit (arrived_at, ticket_no, customer_name, phone, business_type_id, destination_id, "
    "special_needs, vip, documents_complete, missing_documents, status, served_by, notes, created_at, "
    "updated_at, version) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)


def bare_row(i: int) -> tuple:
    now = datetime.now().replace(microsecond=0)
    return (now, f"A{i % 1000:03d}", "王先生", "13812345678", 1, 1, 0, False, True, "", "waiting",
            "", "", now, now, 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(step: Callable[[int], object], count: int) -> list[float]:
    for i in range(WARM_UP):
        step(i)
    times = []
    for i in range(count):
        start = time.perf_counter()
        step(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def register_step() -> Callable[[int], object]:
    from frontdesk.services import lists, session, settings, users, visitors
    from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION

    session.set_current(None)  # a new, empty database: nobody of an earlier one is signed in
    settings.first_run("基准测试网点", "insurance")
    # As at the front desk: a signed-in guide, whose every save re-reads their account and
    # appends its entry to the audit chain.
    users.create_first_admin("admin", "管理员", "bench-admin-1")
    users.add_user("guide", "王芳", session.FRONT_DESK, "bench-guide-1")
    users.sign_in("guide", "bench-guide-1")
    business = lists.entries(BUSINESS_TYPE)
    destinations = lists.entries(DESTINATION)

    def step(i: int) -> object:
        return visitors.register(visitors.VisitInput(
            business_type_id=business[i % len(business)].id,
            destination_id=destinations[i % len(destinations)].id,
            ticket_no=f"A{i % 1000:03d}",
            phone="13812345678" if i % 3 == 0 else "",
        ))

    return step


def sqlite_figures(folder: Path, count: int) -> tuple[list[float], list[float], str]:
    from frontdesk.db.database import SQLITE_PRAGMAS, close_database, open_database

    db = open_database(folder / "frontdesk.sqlite")
    try:
        synchronous = db.execute_sql("PRAGMA synchronous").fetchone()[0]
        journal = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        ours = measure(register_step(), count)
    finally:
        close_database()

    conn = sqlite3.connect(folder / "bare.sqlite", isolation_level=None)
    try:
        for name, value in SQLITE_PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")
        conn.execute(BARE_TABLE)
        sql = BARE_INSERT.format(p="?")

        def bare(i: int) -> None:
            conn.execute("BEGIN")
            conn.execute(sql, bare_row(i))
            conn.execute("COMMIT")

        baseline = measure(bare, count)
    finally:
        conn.close()
    return ours, baseline, f"journal_mode={journal}, synchronous={synchronous} (2 = FULL)"


def postgres_figures(url: str, count: int) -> tuple[list[float], list[float]]:
    import psycopg2

    from frontdesk.db.database import close_database, open_database

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    conn.close()
    open_database(url)
    try:
        ours = measure(register_step(), count)
    finally:
        close_database()

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(BARE_TABLE.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY")
                        .replace("visit", "bare_visit", 1).replace("DATETIME", "TIMESTAMP")
                        .replace("vip INTEGER", "vip BOOLEAN")
                        .replace("documents_complete INTEGER", "documents_complete BOOLEAN"))
        conn.commit()
        sql = BARE_INSERT.format(p="%s").replace("INTO visit", "INTO bare_visit")

        def bare(i: int) -> None:
            with conn.cursor() as cur:
                cur.execute(sql, bare_row(i))
            conn.commit()

        baseline = measure(bare, count)
    finally:
        conn.close()
    return ours, baseline


def report(name: str, ours: list[float], baseline: list[float]) -> bool:
    median, p95 = statistics.median(ours), percentile(ours, 0.95)
    base_median, base_p95 = statistics.median(baseline), percentile(baseline, 0.95)
    print(f"{name}: one registration committed, {len(ours)} runs")
    print(f"  visitors.register      median {median:7.2f} ms   p95 {p95:7.2f} ms   goal median < {GOAL_MS:.0f} ms")
    print(f"  bare INSERT + commit   median {base_median:7.2f} ms   p95 {base_p95:7.2f} ms")
    print(f"  ratio register / bare  median {median / base_median:7.2f} ×   p95 {p95 / base_p95:7.2f} ×")
    print(f"  ratio median / goal    {median / GOAL_MS:.3f}")
    return median < GOAL_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-register-") as tmp:
        ours, baseline, pragmas = sqlite_figures(Path(tmp), args.count)
        print(f"SQLite file in {tmp} ({pragmas})")
        ok &= report("SQLite", ours, baseline)
    url = os.environ.get("FRONTDESK_TEST_PG_URL", "").strip()
    if url:
        print()
        ours, baseline = postgres_figures(url, args.count)
        ok &= report("PostgreSQL", ours, baseline)
    else:
        print("\nPostgreSQL: skipped (set FRONTDESK_TEST_PG_URL to include it)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
