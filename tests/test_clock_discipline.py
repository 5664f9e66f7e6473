"""Only ``services/clock`` reads the date and time of day: checked by reading the source with ``ast``.

A "now" taken anywhere else ignores the pinned clock of the tests, so the code behind it
behaves one way at 15:00 and another at 03:00 — and a test run at night finds out. Monotonic
timers (``time.monotonic``, ``perf_counter``) measure durations, not dates, and are allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "frontdesk"
CLOCK = "frontdesk/services/clock.py"

# Calls that read the wall clock: ``a.b`` as written in the source.
WALL_CLOCK_CALLS = frozenset({
    "datetime.now", "datetime.today", "datetime.utcnow", "date.today",
    "datetime.datetime.now", "datetime.datetime.today", "datetime.datetime.utcnow",
    "datetime.date.today", "time.time", "time.time_ns", "time.localtime", "time.ctime",
    "QDateTime.currentDateTime", "QDateTime.currentSecsSinceEpoch",
    "QDateTime.currentMSecsSinceEpoch", "QDate.currentDate", "QTime.currentTime",
})

# Places that read the wall clock on purpose, each with its reason. Keep this list short.
EXEMPT = {
    # The age of leftover temporary files, compared with their modification times (which the
    # file system stamps with the computer's clock, not the branch clock).
    ("frontdesk/services/backup.py", "time.time"),
    # The time stamp in the name of the copy kept before a migration: it names a file made now,
    # beside others the file system dates; ``db`` sits below services and cannot use the clock.
    ("frontdesk/db/migrations/__init__.py", "datetime.now"),
}


def dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def wall_clock_calls(source: str, rel_path: str) -> list[tuple[int, str]]:
    """Every use of a wall-clock reader in ``source`` (line, name): called, or handed on
    uncalled (``default=datetime.now``)."""
    found = []
    for node in ast.walk(ast.parse(source, filename=rel_path)):
        if isinstance(node, ast.Attribute):
            name = dotted(node)
            if name in WALL_CLOCK_CALLS:
                found.append((node.lineno, name))
    return found


def test_only_the_clock_reads_the_date_and_time() -> None:
    root = PACKAGE_ROOT.parent
    modules = sorted(PACKAGE_ROOT.rglob("*.py"))
    assert any(p.name == "clock.py" for p in modules)
    offenders = []
    used_exemptions = set()
    for path in modules:
        rel = path.relative_to(root).as_posix()
        if rel == CLOCK:
            continue
        for line, name in wall_clock_calls(path.read_text(encoding="utf-8"), rel):
            if (rel, name) in EXEMPT:
                used_exemptions.add((rel, name))
            else:
                offenders.append(f"{rel}:{line}: {name}() — use frontdesk.services.clock")
    assert not offenders, "the wall clock read outside services/clock:\n" + "\n".join(offenders)
    assert used_exemptions == EXEMPT, f"exemptions no longer needed: {EXEMPT - used_exemptions}"


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import datetime\nx = datetime.now()\n",
        "from datetime import date\ndef f():\n    return date.today()\n",
        "import datetime\nx = datetime.datetime.now().date()\n",
        "import time\nstamp = time.time()\n",
        "from PySide6.QtCore import QDate\nd = QDate.currentDate()\n",
        "import datetime, peewee\nf = peewee.DateTimeField(default=datetime.datetime.now)\n",
    ],
)
def test_the_checker_finds_wall_clock_reads(source: str) -> None:
    assert wall_clock_calls(source, "frontdesk/services/x.py")


@pytest.mark.parametrize(
    "source",
    [
        "from frontdesk.services import clock\nx = clock.now()\ny = clock.today()\n",
        "import time\nt0 = time.monotonic()\nt1 = time.perf_counter()\n",
        "from datetime import datetime\nx = datetime(2026, 12, 3, 9, 0)\n",
    ],
)
def test_the_checker_allows_the_clock_and_timers(source: str) -> None:
    assert wall_clock_calls(source, "frontdesk/services/x.py") == []
