"""Benchmark: the audit trail — appending entries, and verifying the whole chain.

On a file SQLite database opened as the program opens it:

- **append**: ``audit.record`` for N entries of a typical visit change (two fields before and
  after), written in transactions of 1,000 as the demo writes, and one entry per transaction as a
  single save does; the per-entry figures are the cost every save pays for its audit entry;
- **verify**: ``audit.verify`` over the whole chain (what ``frontdesk check`` and the viewer's
  验证审计链 do), in µs per entry and extrapolated to a year of a busy hall (500 visits a day,
  about three entries each: 550,000 entries).

    python benchmarks/bench_audit.py [--entries N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEAR_OF_A_BUSY_HALL = 550_000
BATCH = 1_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    args = parser.parse_args()

    from frontdesk.db.database import close_database, open_database, write_transaction
    from frontdesk.services import audit, health, session, settings

    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-audit-") as tmp:
        path = Path(tmp) / "frontdesk.sqlite"
        open_database(path)
        try:
            session.set_current(session.command_line_actor())
            settings.first_run("基准测试网点", "insurance")
            before, after = {"notes": "", "status": "waiting"}, {"notes": "客户要求回电", "status": "serving"}

            start = time.perf_counter()
            for first in range(0, args.entries, BATCH):
                with write_transaction():
                    for i in range(first, min(first + BATCH, args.entries)):
                        audit.record("update", entity="visit", entity_id=i, before=before, after=after)
            batched_us = (time.perf_counter() - start) / args.entries * 1e6

            single: list[float] = []
            for i in range(300):
                t0 = time.perf_counter()
                with write_transaction():
                    audit.record("update", entity="visit", entity_id=i, before=before, after=after)
                single.append((time.perf_counter() - t0) * 1000)

            start = time.perf_counter()
            report = audit.verify()
            verify_s = time.perf_counter() - start
            assert report.ok, report.problem
            start = time.perf_counter()
            checked = health.check_database(str(path))
            check_s = time.perf_counter() - start
            assert checked.ok, checked.problems
        finally:
            close_database()

    per_entry_us = verify_s / report.entries * 1e6
    print(f"audit trail on SQLite (WAL, synchronous=FULL), {report.entries:,} entries")
    print(f"  append, {BATCH:,} per transaction   {batched_us:8.1f} µs per entry")
    print(f"  append, one save = one entry     median {statistics.median(single):6.2f} ms per transaction "
          f"(commit included)")
    print(f"  verify the whole chain           {verify_s:8.2f} s   = {per_entry_us:5.1f} µs per entry")
    print(f"  frontdesk check (all checks)     {check_s:8.2f} s")
    print(f"  a year of a busy hall ({YEAR_OF_A_BUSY_HALL:,} entries): verify ≈ "
          f"{per_entry_us * YEAR_OF_A_BUSY_HALL / 1e6:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
