"""The GUI's database worker: one background thread, results back on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, QThread

from frontdesk.db.database import database_proxy
from frontdesk.errors import NotFoundError, UserError
from frontdesk.services import settings, visitors
from frontdesk.ui.kit import worker as worker_module
from frontdesk.ui.kit.worker import DbWorker, shared_worker, shutdown_shared_worker


@pytest.fixture
def worker(configured, qtbot):
    w = DbWorker()
    yield w
    w.shutdown()


def wait(qtbot, w: DbWorker) -> None:
    qtbot.waitUntil(lambda: w.idle, timeout=5000)


def test_result_arrives_on_the_gui_thread_from_another_thread(worker, qtbot):
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def job() -> str:
        seen["job_thread"] = QThread.currentThread()
        return settings.load().branch_name  # a real query, on the worker's own connection

    def done(result: str) -> None:
        seen["result"] = result
        seen["callback_thread"] = QThread.currentThread()

    worker.submit(job, done)
    wait(qtbot, worker)
    assert seen["result"] == "测试支行营业厅"
    assert seen["callback_thread"] is gui
    assert seen["job_thread"] is not gui


def test_jobs_run_one_after_another_in_order(worker, qtbot):
    order: list[int] = []
    for n in range(20):
        worker.submit(lambda n=n: n, order.append)
    wait(qtbot, worker)
    assert order == list(range(20))


def test_user_error_goes_to_on_error(worker, qtbot):
    errors: list[BaseException] = []
    worker.submit(lambda: visitors.get_visit(999_999), lambda _r: pytest.fail("no result"), errors.append)
    wait(qtbot, worker)
    assert len(errors) == 1 and isinstance(errors[0], NotFoundError)
    assert isinstance(errors[0], UserError) and "999999" in errors[0].message


def test_a_bug_without_on_error_is_raised_on_the_gui_thread(worker, qtbot):
    def broken() -> None:
        raise ZeroDivisionError("bug")

    with qtbot.captureExceptions() as exceptions:
        worker.submit(broken)
        wait(qtbot, worker)
    assert [type(e[1]) for e in exceptions] == [ZeroDivisionError]


def test_a_cancelled_job_never_calls_back(worker, qtbot):
    gate = threading.Event()
    called: list[object] = []
    worker.submit(gate.wait)  # keeps the thread busy
    queued = worker.submit(lambda: called.append("ran"), called.append)
    worker.cancel(queued)
    gate.set()
    wait(qtbot, worker)
    assert called == []


def test_callbacks_of_a_deleted_owner_are_dropped(worker, qtbot):
    owner = QObject()
    got: list[object] = []
    gate = threading.Event()
    worker.submit(gate.wait)
    worker.submit(lambda: 42, got.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    gate.set()
    wait(qtbot, worker)
    assert got == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_the_worker_connection_is_closed_when_idle(worker, qtbot):
    states: list[bool] = []
    worker.submit(lambda: settings.load())
    wait(qtbot, worker)
    # The next job starts on a thread whose connection was handed back when the queue ran empty.
    worker.submit(lambda: database_proxy.obj.is_closed(), states.append)
    wait(qtbot, worker)
    assert states == [True]


def test_a_running_query_can_be_interrupted(worker, qtbot):
    started = threading.Event()
    outcome: list[str] = []
    endless = _endless_sql()

    def job() -> None:
        started.set()
        database_proxy.obj.execute_sql(endless).fetchone()

    running = worker.submit(job, lambda _r: outcome.append("done"), lambda e: outcome.append("error"),
                            interruptible=True)
    assert started.wait(5)
    time.sleep(0.05)
    t0 = time.perf_counter()
    worker.cancel(running)
    # The worker is free again quickly, and the next query on it works.
    worker.submit(lambda: settings.load().branch_name, outcome.append)
    wait(qtbot, worker)
    assert time.perf_counter() - t0 < 3
    assert outcome == ["测试支行营业厅"]


def test_shutdown_does_not_wait_for_a_long_search(configured, qtbot):
    w = DbWorker()
    started = threading.Event()

    def job() -> None:
        started.set()
        database_proxy.obj.execute_sql(_endless_sql()).fetchone()

    w.submit(job, on_error=lambda _e: None, interruptible=True)
    assert started.wait(5)
    time.sleep(0.05)
    t0 = time.perf_counter()
    w.shutdown()
    assert time.perf_counter() - t0 < 3
    assert w._thread.isFinished()


def _endless_sql() -> str:
    if database_proxy.obj.__class__.__name__.startswith("Postgres"):
        return "SELECT count(*) FROM generate_series(1, 2000000000)"
    return ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000)"
            " SELECT count(*) FROM c")


def test_shutdown_stops_the_thread_and_refuses_new_jobs(configured, qtbot):
    w = DbWorker()
    gate = threading.Event()
    w.submit(gate.wait)
    later: list[object] = []
    w.submit(lambda: 1, later.append)
    gate.set()
    w.shutdown()
    assert w._thread.isFinished()
    assert later == []  # queued work is dropped at shutdown
    with pytest.raises(RuntimeError):
        w.submit(lambda: 1)
    w.shutdown()  # twice is fine


def test_shared_worker_is_one_per_program_and_restarts_after_shutdown(configured, qtbot):
    first = shared_worker()
    assert shared_worker() is first
    shutdown_shared_worker()
    assert first.is_shut_down
    assert worker_module._shared is None
    second = shared_worker()
    assert second is not first and not second.is_shut_down
    got: list[str] = []
    second.submit(lambda: settings.load().branch_name, got.append)
    qtbot.waitUntil(lambda: got == ["测试支行营业厅"])
    shutdown_shared_worker()


def test_the_binding_cannot_run_none_or_true_out_of_references(qtbot):
    """PySide6 6.12.0 on Python 3.11 steals a reference per call; ``qt_fixes`` makes it harmless."""
    import sys

    from PySide6.QtCore import QTimer, Signal

    from frontdesk.ui import qt_fixes

    class Source(QObject):
        fired = Signal(bool)

    source, timer = Source(), QTimer()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for n in range(20_000):
        source.fired.emit(n % 2 == 0)
        timer.stop()
    stolen = max(none_before - sys.getrefcount(None), true_before - sys.getrefcount(True))
    if stolen > 1000:  # the defective binding: the repair must be in place, with room to spare
        assert qt_fixes.repaired
        assert min(sys.getrefcount(None), sys.getrefcount(True)) > 1 << 39
