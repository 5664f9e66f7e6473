"""Benchmark: ``frontdesk demo --days 365`` (goal: well under a minute; aim: a few seconds).

Two figures, each the median of several runs on a fresh temp SQLite file:

- the whole command in a real process (``python -m frontdesk --db … demo --days 365``):
  interpreter start, imports, creating and migrating the database, generating and writing;
- the generator alone in this process (``demo.generate`` on an opened database), which is
  what a future "fill with demo data" button would cost.

    python benchmarks/bench_demo.py [--days N] [--runs N] [--preset NAME]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_SECONDS = 60.0
SEED = 1


def count_visits(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        conn.close()


def time_process(folder: Path, days: int, preset: str, run: int) -> tuple[float, int]:
    path = folder / f"process-{run}.sqlite"
    command = [sys.executable, "-m", "frontdesk", "--db", str(path), "demo",
               "--days", str(days), "--seed", str(SEED), "--preset", preset]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"frontdesk demo failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, count_visits(path)


def time_generator(folder: Path, days: int, preset: str, run: int) -> tuple[float, float, int]:
    """Seconds to open (create and migrate) the database, seconds to generate, visits."""
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import demo, session

    session.set_current(session.command_line_actor())  # as ``frontdesk demo`` runs
    path = folder / f"inprocess-{run}.sqlite"
    start = time.perf_counter()
    open_database(path)
    opened = time.perf_counter()
    try:
        summary = demo.generate(days, seed=SEED, preset=preset, now=datetime.now().replace(microsecond=0))
    finally:
        close_database()
    return opened - start, time.perf_counter() - opened, summary.visits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="insurance")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-demo-") as tmp:
        folder = Path(tmp)
        process = [time_process(folder, args.days, args.preset, run) for run in range(args.runs)]
        inprocess = [time_generator(folder, args.days, args.preset, run) for run in range(args.runs)]

    process_s = statistics.median(t for t, _ in process)
    visits = process[0][1]
    open_s = statistics.median(o for o, _g, _v in inprocess)
    generate_s = statistics.median(g for _o, g, _v in inprocess)
    assert all(v == visits for _t, v in process), "same seed, same day: the same number of visits"

    print(f"frontdesk demo --days {args.days} --preset {args.preset} (seed {SEED}, median of {args.runs})")
    print(f"  visits generated              {visits:>10,}")
    print(f"  whole command, real process   {process_s:>10.2f} s   goal < {GOAL_SECONDS:.0f} s"
          f"   ratio to goal {process_s / GOAL_SECONDS:.3f}   {visits / process_s:>9,.0f} rows/s")
    print(f"  generator in-process          {generate_s:>10.2f} s"
          f"                                 {visits / generate_s:>9,.0f} rows/s")
    print(f"  (open + migrate a new file    {open_s * 1000:>10.1f} ms)")
    return 0 if process_s < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
