"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import sys
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from frontdesk.db.database import close_database, database_proxy, open_database  # noqa: E402
from frontdesk.services import clock, session, settings, users  # noqa: E402
from tests import pinning  # noqa: E402

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "").strip()
# The moment every test starts at, when set (``2027-12-31T23:59:30``): CI runs the suite at
# awkward moments this way, so a test that depends on the hour it runs fails at any hour.
TEST_NOW = os.environ.get(pinning.ENV, "").strip()
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        conn.close()


def pytest_report_header(config) -> str:
    return f"clock: {'pinned at ' + TEST_NOW if TEST_NOW else 'the real time'}"


@pytest.fixture(autouse=True)
def _clock_at_the_moment_under_test():
    """Every test starts at ``FRONTDESK_TEST_NOW`` when it is set (the clock runs on from there)."""
    if not TEST_NOW:
        yield
        return
    clock.pin(clock.parse_moment(TEST_NOW))
    yield
    clock.unpin()


# A Wednesday in November, 10:30: mid-morning peak of an ordinary working day.
WEEKDAY_MORNING = datetime(2026, 11, 18, 10, 30)


@pytest.fixture
def weekday_morning():
    """The clock at :data:`WEEKDAY_MORNING` (running on), for a test whose subject is an ordinary
    working hour — a visit "20 minutes ago" that must still be today, say."""
    with clock.pinned(WEEKDAY_MORNING):
        yield WEEKDAY_MORNING


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's data and log folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("FRONTDESK_DB", raising=False)


ADMIN_PASSWORD = "admin-pass-1"
PASSWORDS = {"admin": ADMIN_PASSWORD}


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    """Real Argon2id, with the cheapest settings: a test signs in in a millisecond, not 150."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setattr(users, "_DUMMY_HASH", None)


@pytest.fixture(autouse=True)
def _nobody_signed_in():
    """Each test starts, and leaves, with nobody signed in."""
    session.set_current(None)
    yield
    session.set_current(None)


@pytest.fixture(params=BACKENDS)
def db_location(request, tmp_path) -> str:
    """A location for a brand-new database: a temp SQLite file, or the emptied PostgreSQL test db."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("FRONTDESK_TEST_PG_URL is not set: PostgreSQL tests skipped")
        reset_postgres(PG_URL)
        return PG_URL
    return str(tmp_path / "frontdesk.sqlite")


@pytest.fixture
def sqlite_location(tmp_path) -> str:
    return str(tmp_path / "frontdesk.sqlite")


@pytest.fixture
def database(db_location):
    """An opened, migrated, empty database."""
    db = open_database(db_location)
    yield db
    _stop_ui_worker()
    close_database()
    database_proxy.initialize(None)


def _stop_ui_worker() -> None:
    """Let the GUI's database worker finish and stop before its database goes away."""
    worker = sys.modules.get("frontdesk.ui.kit.worker")
    if worker is not None:
        worker.shutdown_shared_worker()


@pytest.fixture
def configured(database):
    """A database set up as a first start leaves it: branch name, insurance preset, and the
    administrator ``admin`` (password ``ADMIN_PASSWORD``) signed in."""
    settings.first_run("测试支行营业厅", "insurance")
    users.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
    return database


@pytest.fixture
def kinds(configured):
    """The business types and destinations of the configured preset, by label."""
    from frontdesk.services import lists

    bts = {e.label: e.id for e in lists.entries("business_type")}
    dests = {e.label: e.id for e in lists.entries("destination")}
    return bts, dests


@pytest.fixture
def make_user(configured):
    """``make_user(role, name)``: a new user (password ``<name>-pass-1``), created by the admin.

    The signed-in user does not change.
    """

    def make(role: str, username: str | None = None, display_name: str = "") -> session.Actor:
        username = username or role
        password = f"{username}-pass-1"
        admin = session.Actor(None, "test-admin", "测试", session.ADMIN)
        with session.act_as(admin):
            row = users.add_user(username, display_name, role, password)
        PASSWORDS[username] = password
        return row.actor()

    return make


@pytest.fixture
def sign_in_as(make_user):
    """``sign_in_as(role)``: a new user of ``role``, signed in (and returned as the actor)."""

    def sign_in(role: str, username: str | None = None, display_name: str = "") -> session.Actor:
        actor = make_user(role, username, display_name)
        return users.sign_in(actor.username, PASSWORDS[actor.username])

    return sign_in


@pytest.fixture
def as_command_line():
    """Act as the command line does (``frontdesk demo`` …): the program itself, with full rights."""
    with session.act_as(session.command_line_actor()) as actor:
        yield actor
