"""One background thread for database work, so the window never waits on a query.

Like Anki's ``taskman``: the GUI hands a callable to a single worker thread and gets the result
(or the exception) back on the GUI thread through a queued signal. One thread keeps the order of
jobs obvious and the database load gentle. peewee gives that thread its own connection; the
worker closes it whenever the queue runs empty, so an idle program holds no extra file handle or
server session, and a database swapped underneath (tests, "open another database") is simply
picked up by the next job.

A ``UserError`` raised by a job goes to the job's ``on_error`` for the caller to show where it
belongs. Any other exception is a bug: without an ``on_error`` it is re-raised on the GUI thread,
where the crash handler (or pytest-qt) sees it.
"""

from __future__ import annotations

import atexit
import itertools
import queue
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, QThread, Signal

from frontdesk.services import connections

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Job:
    """A submitted call. ``cancel()`` drops it if not started and always silences its callbacks."""

    __slots__ = ("id", "fn", "on_done", "on_error", "owner", "interruptible", "cancelled",
                 "result", "error", "interrupt")

    def __init__(self, job_id: int, fn: Callable[[], Any], on_done: Callback | None,
                 on_error: ErrorCallback | None, owner: QObject | None, interruptible: bool) -> None:
        self.id = job_id
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.owner = owner
        self.interruptible = interruptible
        self.cancelled = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.interrupt: Callable[[], None] | None = None


class _WorkerThread(QThread):
    """Runs jobs one after another; ``None`` on the queue ends it."""

    delivered = Signal(object)

    def __init__(self, jobs: queue.Queue[Job | None], lock: threading.Lock) -> None:
        super().__init__()
        self.setObjectName("frontdesk-db-worker")
        self._jobs = jobs
        self._lock = lock
        self.running: Job | None = None

    def run(self) -> None:
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                if job.cancelled:
                    continue
                self._run_one(job)
                self.delivered.emit(job)
        finally:
            connections.release_thread_connection()

    def _run_one(self, job: Job) -> None:
        with self._lock:
            self.running = job
        used = connections.current()
        try:
            if job.interruptible:
                interrupt = connections.interrupter()
                with self._lock:
                    job.interrupt = interrupt
            job.result = job.fn()
        except BaseException as exc:  # handed to the GUI thread
            job.error = exc
        finally:
            with self._lock:
                self.running = None
                interrupted = job.cancelled and job.interruptible
            if interrupted or self._jobs.empty():
                # Idle (or just interrupted): hand the connection back. Never left open while
                # idle, and an interrupt cannot spill over into the next query.
                try:
                    connections.release_thread_connection(used)
                    if connections.current() is not used:
                        connections.release_thread_connection()
                except Exception as exc:
                    if job.error is None:
                        job.error = exc
            with self._lock:
                job.interrupt = None


class DbWorker(QObject):
    """A single-thread executor whose results arrive on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._outstanding: dict[int, Job] = {}
        self._closed = False
        self._thread = _WorkerThread(self._jobs, self._lock)
        self._thread.delivered.connect(self._deliver)
        self._thread.start()

    # ---------------------------------------------------------------- API

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
        interruptible: bool = False,
    ) -> Job:
        """Run ``fn()`` on the worker thread; call ``on_done(result)`` or ``on_error(exc)`` here.

        With ``owner``, the callbacks are dropped once that object is deleted. ``interruptible``
        marks a read-only query that ``cancel()`` may stop while it runs.
        """
        if self._closed:
            raise RuntimeError("the database worker has been shut down")
        job = Job(next(self._ids), fn, on_done, on_error, owner, interruptible)
        self._outstanding[job.id] = job
        self._jobs.put(job)
        return job

    def cancel(self, job: Job | None) -> None:
        """Forget ``job``: not started → never runs; running and interruptible → stopped."""
        if job is None:
            return
        with self._lock:
            job.cancelled = True
            if self._thread.running is job and job.interrupt is not None:
                job.interrupt()
        self._outstanding.pop(job.id, None)

    @property
    def idle(self) -> bool:
        """No job waiting, running, or with a result not yet delivered."""
        return not self._outstanding

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every job is delivered (tests and benchmarks)."""
        deadline = QDeadlineTimer(timeout_ms)
        app = QCoreApplication.instance()
        while self._outstanding and not deadline.hasExpired():
            if app is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
            else:  # pragma: no cover - there is always an application in the GUI
                QThread.msleep(1)
        return not self._outstanding

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Stop the thread after the running job; queued jobs are dropped. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for job in list(self._outstanding.values()):
            self.cancel(job)  # a long read still running is interrupted: exit does not wait on it
        self._jobs.put(None)
        if self._thread.isRunning() and not self._thread.wait(timeout_ms):
            raise RuntimeError("the database worker did not stop in time")

    @property
    def is_shut_down(self) -> bool:
        return self._closed

    # ------------------------------------------------------------ delivery

    def _deliver(self, job: Job) -> None:
        if self._closed or job.cancelled:
            return
        self._outstanding.pop(job.id, None)
        if job.owner is not None and not shiboken6.isValid(job.owner):
            return
        if job.error is None:
            if job.on_done is not None:
                job.on_done(job.result)
            return
        if job.on_error is None:
            raise job.error
        job.on_error(job.error)


_shared: DbWorker | None = None
_hooked_apps: set[int] = set()


def shared_worker() -> DbWorker:
    """The program's one database worker, started on first use and stopped at exit."""
    global _shared
    if _shared is None or _shared.is_shut_down:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("the database worker needs a QApplication")
        _shared = DbWorker()
        if id(app) not in _hooked_apps:
            _hooked_apps.add(id(app))
            app.aboutToQuit.connect(shutdown_shared_worker)
    return _shared


def shutdown_shared_worker() -> None:
    """Stop the shared worker (application exit, test teardown). The next use starts a new one."""
    global _shared
    worker, _shared = _shared, None
    if worker is not None:
        worker.shutdown()
        if shiboken6.isValid(worker):
            worker.deleteLater()


atexit.register(shutdown_shared_worker)
