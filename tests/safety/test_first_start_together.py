"""Two stations starting for the first time at the same moment set the hall up once.

Found on the old code (PostgreSQL): one station died with an IntegrityError (exit 70) while both
created the tables, and the first-run set-up ran twice, leaving two administrators. Now the
migration and the first-run set-up are serialised (advisory locks on PostgreSQL; SQLite's write
transaction holds the file), and the second station finds the work done.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from frontdesk.db.database import close_database, database_proxy, open_database
from frontdesk.db.migrations import LATEST_VERSION, read_version
from frontdesk.db.models import User
from frontdesk.services import settings
from tests.pinning import PIN_CHILD, child_environment

REPO = Path(__file__).resolve().parents[2]

# Opens the database (migrating it), answers the first-run dialog and creates the
# administrator, all starting at the same agreed moment; says what happened.
STATION = PIN_CHILD + r"""
import json, sys, time
from argon2 import PasswordHasher
from frontdesk.errors import UserError
from frontdesk.services import settings, users
users.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
start_at, location, name = float(sys.argv[1]), sys.argv[2], sys.argv[3]
time.sleep(max(0.0, start_at - time.time()))
from frontdesk.db.database import open_database
open_database(location)
result = {"branch": settings.first_run(f"{name}的营业厅", "bank").branch_name}
try:
    users.create_first_admin(f"admin{name}", name, "admin-pass-123")
    result["admin"] = "created"
except users.AlreadySetUpError as exc:
    result["admin"] = "refused: " + exc.message
print(json.dumps(result, ensure_ascii=False), flush=True)
"""


def test_two_first_starts_at_once_set_the_hall_up_once(db_location):
    start_at = time.time() + 2.0  # both processes are up and waiting by then
    stations = [
        subprocess.Popen([sys.executable, "-c", STATION, str(start_at), db_location, name],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                         env=child_environment(PYTHONPATH=str(REPO)))
        for name in ("甲", "乙")
    ]
    results = []
    for station in stations:
        out, err = station.communicate(timeout=120)
        assert station.returncode == 0, err
        results.append(json.loads(out))

    assert sorted(r["admin"].split(":")[0] for r in results) == ["created", "refused"]
    # Both were told the same branch: the first one's, left as the first set it.
    assert results[0]["branch"] == results[1]["branch"] in ("甲的营业厅", "乙的营业厅")
    open_database(db_location)
    try:
        assert read_version(database_proxy.obj) == LATEST_VERSION
        assert User.select().count() == 1
        assert settings.load().branch_name == results[0]["branch"]
    finally:
        close_database()
        database_proxy.initialize(None)
