"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from frontdesk.db.database import close_database, database_proxy, open_database  # noqa: E402
from frontdesk.services import settings  # noqa: E402

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "").strip()
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


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's data and log folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("FRONTDESK_DB", raising=False)


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
    worker = sys.modules.get("frontdesk.ui.worker")
    if worker is not None:
        worker.shutdown_shared_worker()


@pytest.fixture
def configured(database):
    """A database set up as the first-run dialog leaves it: branch name and insurance preset."""
    settings.first_run("测试支行营业厅", "insurance")
    return database
