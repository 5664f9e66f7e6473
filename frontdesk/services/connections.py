"""Per-thread database connections, for the UI's background worker.

peewee keeps one connection per thread. A worker thread that outlives a query should not keep
its connection (a SQLite file handle, or a PostgreSQL session) open while idle, and a query that
is no longer wanted (the user typed on) should stop instead of holding the worker. These helpers
let the UI do both without importing the storage layer. ``Location`` (where the database lives)
is handed on here for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.db.database import Location as Location
from frontdesk.db.database import database_proxy
from frontdesk.services import kit

_HOUSEKEEPING = "connection housekeeping for the worker thread: reads and writes no record"


@kit.exempt(_HOUSEKEEPING)
def current() -> object | None:
    """The database open right now (an opaque token for ``release_thread_connection``)."""
    return database_proxy.obj


@kit.exempt(_HOUSEKEEPING)
def release_thread_connection(db: object | None = None) -> None:
    """Close the calling thread's connection to ``db`` (default: the current database), if open.

    Pass the token from ``current()`` taken before a job: if the database was swapped while the
    job ran, the connection to the old one is still closed.
    """
    db = db if db is not None else database_proxy.obj
    if db is not None and not db.is_closed() and not db.in_transaction():
        db.close()


@kit.exempt(_HOUSEKEEPING)
def interrupter() -> Callable[[], None] | None:
    """A function that, called from any thread, stops the query this thread is running.

    Call it before the query starts. The interrupted query raises in its own thread; close the
    connection afterwards (``release_thread_connection``) so nothing of the interrupt lingers.
    Returns ``None`` when no database is open or the driver cannot interrupt.
    """
    db = database_proxy.obj
    if db is None:
        return None
    conn = db.connection()  # opens it now, so the query to come can be stopped
    if hasattr(conn, "interrupt"):  # sqlite3: safe to call from another thread
        return conn.interrupt
    if hasattr(conn, "cancel"):  # psycopg2: sends a cancel request to the server
        return conn.cancel
    return None
