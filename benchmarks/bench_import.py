"""Benchmark: importing an old visitor log of 100,000 rows (goal: well under a minute).

The rows are written as a GBK CSV, as Excel on a Chinese Windows saves it, then imported into a
fresh configured SQLite database in this process: every row checked by the register's rules,
then all written in one transaction. Printed: seconds for the check alone (``--dry-run``) and
for the whole import, rows per second, and the ratio to the goal; as a baseline, the same rows
inserted with plain ``sqlite3`` ``executemany`` (no checks, no labels, no audit) in the same run.

    python benchmarks/bench_import.py [--rows N]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_SECONDS = 60.0
HEADER = "到达时间,业务类型,分流去向,叫号时间,办结时间,办理结果,特殊客户,贵宾,电话,客户称呼,经办人\n"


def make_csv(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = datetime(2025, 1, 2, 9, 0)
    kinds = ["理赔", "缴费", "咨询", "保全变更", "查询"]
    windows = ["1号窗口", "2号窗口", "3号窗口", "咨询台"]
    lines = [HEADER]
    for n in range(rows):
        arrived = start + timedelta(days=n // 300, minutes=(n % 300) * 1.6)
        called = arrived + timedelta(minutes=rng.randint(1, 40))
        finished = called + timedelta(minutes=rng.randint(2, 25))
        lines.append(f"{arrived:%Y-%m-%d %H:%M},{rng.choice(kinds)},{rng.choice(windows)},"
                     f"{called:%H:%M},{finished:%H:%M},办结,{'老年人' if n % 15 == 0 else ''},"
                     f"{'是' if n % 20 == 0 else '否'},138{n % 100000000:08d},王先生,王芳\n")
    path.write_bytes("".join(lines).encode("gbk"))


def baseline(path: Path, rows: int) -> float:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE v (a, b, c, d, e, f, g, h, i, j, k)")
    data = [(f"2025-01-02 09:{n % 60:02d}", "理赔", "1号窗口", None, None, "done", 0, 0, "13800000000",
             "王先生", "王芳") for n in range(rows)]
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO v VALUES (?,?,?,?,?,?,?,?,?,?,?)", data)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from frontdesk.db.database import open_database
    from frontdesk.services import clock, imports, session, settings, users

    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "旧登记.csv"
        make_csv(csv_path, args.rows)
        db = Path(folder) / "hall.sqlite"
        open_database(db)
        settings.first_run("基准网点", "insurance")
        users.create_first_admin("admin", "管理员", "admin-pass-1")
        session.set_current(session.command_line_actor())
        with clock.pinned(datetime(2026, 12, 1, 9, 0)):
            start = time.perf_counter()
            dry = imports.import_visits(csv_path, dry_run=True)
            checked = time.perf_counter() - start
            assert dry.ok, dry.problems[:3]
            start = time.perf_counter()
            done = imports.import_visits(csv_path)
            whole = time.perf_counter() - start
        assert done.written and done.rows == args.rows
        raw = baseline(Path(folder) / "raw.sqlite", args.rows)
    print(f"rows: {args.rows}")
    print(f"check only (--dry-run): {checked:.2f} s")
    print(f"whole import (check + write): {whole:.2f} s  = {args.rows / whole:,.0f} rows/s")
    print(f"goal {GOAL_SECONDS:.0f} s: {whole / GOAL_SECONDS:.2f}x of the goal")
    print(f"baseline, plain sqlite3 executemany of the same number of rows: {raw:.2f} s "
          f"(import {whole / raw:.1f}x: reading the file, every check, labels, audit)")


if __name__ == "__main__":
    main()
