"""Operations: database work on the worker, its outcome on the GUI thread, and what it changed.

Modelled on Anki's ``aqt.operations`` (``CollectionOp`` / ``QueryOp``): a caller says what to run
and what to do with the result, and the plumbing is the same everywhere —

    Op(self, lambda: visitors.register(data), changes={VISIT}).success(self._saved).run()

- the call runs on the one database worker (``kit.worker``), never on the GUI thread: a write may
  wait seconds on a lock held by another station, and the window must go on answering;
- a ``UserError`` goes to ``failure(cb)`` — or, without one, to a message box over ``parent``;
  anything else is a bug and is raised on the GUI thread, where the crash handler shows it
  (pytest-qt in the tests). Callers no longer re-raise by hand;
- a write (``Op``) announces the kinds of records it changed on the change bus
  (``kit.changes``) once it succeeded, and every tab that shows such records refreshes itself;
- ``with_progress(label)`` hands the call a ``Progress`` to report through (from the worker
  thread; delivered by signal) and shows a progress dialog that stays responsive and can cancel.

A read (``QueryOp``) announces nothing, and may be interrupted when its owner cancels it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from frontdesk.errors import UserError
from frontdesk.ui.kit.changes import change_bus
from frontdesk.ui.kit.common import user_error_box
from frontdesk.ui.kit.worker import DbWorker, Job, shared_worker

T = TypeVar("T")

PROGRESS_DELAY_MS = 400  # a job quicker than this never shows its progress dialog


class Cancelled(Exception):
    """Raised by ``Progress.update`` once the user pressed 取消: the job stops there."""


class Progress(QObject):
    """What a long job hands back while it runs; ``update`` is called on the worker thread."""

    changed = Signal(int, int, str)  # done, total (0: unknown), what is being done

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancelled = False  # set on the GUI thread, read by the job: a plain flag is enough

    def update(self, done: int, total: int = 0, text: str = "") -> None:
        """Report how far the job is; raises ``Cancelled`` once the user asked to stop."""
        if self.cancelled:
            raise Cancelled
        self.changed.emit(done, total, text)

    def cancel(self) -> None:
        self.cancelled = True


def show_error_box(parent: QWidget | None, error: UserError) -> None:
    """A user error that belongs to no field: a message box that does not block the caller."""
    box = user_error_box(parent if parent is not None and shiboken6.isValid(parent) else None, error)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class QueryOp(Generic[T]):
    """Run ``fn`` on the database worker and hand its result to ``success`` on the GUI thread.

    With ``parent``, the callbacks are dropped once the parent is deleted (a closed dialog).
    """

    _interruptible = True

    def __init__(self, parent: QObject | None, fn: Callable[..., T], *,
                 worker: DbWorker | None = None) -> None:
        self._parent = parent
        self._fn = fn
        self._worker = worker
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[UserError], Any] | None = None
        self._finally: Callable[[], Any] | None = None
        self._progress_label: str | None = None
        self._cancellable = False
        self.progress: Progress | None = None
        self.job: Job | None = None

    def success(self, callback: Callable[[T], Any]) -> QueryOp[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[UserError], Any]) -> QueryOp[T]:
        """``callback`` takes a ``UserError``; any other exception is a bug for the crash handler."""
        self._failure = callback
        return self

    def finally_(self, callback: Callable[[], Any]) -> QueryOp[T]:
        """Called after success or failure (re-enable a button, end a busy state)."""
        self._finally = callback
        return self

    def with_progress(self, label: str, *, cancellable: bool = True) -> QueryOp[T]:
        """Hand ``fn`` a ``Progress`` and show a progress dialog while it runs."""
        self._progress_label = label
        self._cancellable = cancellable
        return self

    @property
    def running(self) -> bool:
        return self.job is not None

    def run(self) -> Job:
        worker = self._worker if self._worker is not None and not self._worker.is_shut_down \
            else shared_worker()
        fn = self._fn
        dialog: QProgressDialog | None = None
        if self._progress_label is not None:
            self.progress = Progress()
            dialog = self._progress_dialog(self.progress)
            progress = self.progress
            if _takes_argument(fn):
                call = fn

                def fn() -> T:  # noqa: F811 - the job, handed its progress
                    return call(progress)

        parent = self._parent

        def alive() -> bool:
            return parent is None or shiboken6.isValid(parent)

        def done(result: T) -> None:
            self._ended(dialog)
            self._delivered(result)  # a write is told even when its form is gone
            if not alive():
                return
            if self._success is not None:
                self._success(result)
            self._finish()

        def failed(error: BaseException) -> None:
            self._ended(dialog)
            if isinstance(error, Cancelled):
                return
            live = alive()
            try:
                if not isinstance(error, UserError):
                    raise error  # a bug: the crash handler (or pytest-qt) shows it
                if not live:
                    return  # nobody is left to show it to: the form that asked is closed
                if self._failure is not None:
                    self._failure(error)
                else:
                    show_error_box(parent if isinstance(parent, QWidget) else None, error)
            finally:
                if live:
                    self._finish()

        self.job = worker.submit(fn, done, failed, interruptible=self._interruptible)
        return self.job

    def cancel(self) -> None:
        """Forget the job (a read may be interrupted); its callbacks will not be called."""
        if self.job is not None:
            worker = self._worker if self._worker is not None else shared_worker()
            worker.cancel(self.job)
            self.job = None
        if self.progress is not None:
            self.progress.cancel()

    def _delivered(self, result: T) -> None:
        """What a write does once it succeeded (``Op``: tell the tabs)."""

    def _ended(self, dialog: QProgressDialog | None) -> None:
        self.job = None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.reset()
            dialog.deleteLater()

    def _finish(self) -> None:
        if self._finally is not None:
            self._finally()

    def _progress_dialog(self, progress: Progress) -> QProgressDialog:
        parent = self._parent if isinstance(self._parent, QWidget) else None
        dialog = QProgressDialog(self._progress_label or "", "", 0, 0, parent)
        dialog.setObjectName("operationProgress")
        dialog.setWindowTitle("FrontDesk")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.setCancelButtonText(dialog.tr("取消"))
            dialog.canceled.connect(progress.cancel)
        else:
            dialog.setCancelButton(None)

        def show(done: int, total: int, text: str) -> None:
            if not shiboken6.isValid(dialog):
                return
            if total > 0:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
            if text:
                dialog.setLabelText(text)

        progress.changed.connect(show, Qt.ConnectionType.QueuedConnection)
        dialog.setValue(0)
        return dialog


class Op(QueryOp[T]):
    """A write: like ``QueryOp``, never interrupted once started, and its ``changes`` announced.

    ``changes``: the kinds of records it changes (``{"visit"}``, ``{"user"}``, ``{"settings"}``
    …), announced on the change bus after it succeeded, with ``parent`` as the initiator.
    """

    _interruptible = False

    def __init__(self, parent: QObject | None, fn: Callable[..., T], *,
                 changes: Iterable[str] = (), worker: DbWorker | None = None) -> None:
        super().__init__(parent, fn, worker=worker)
        self.changes = frozenset(changes)

    def _delivered(self, result: T) -> None:
        if self.changes:
            change_bus().announce(self.changes, self._parent)


def _takes_argument(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` wants the ``Progress`` (a plain ``lambda: …`` does not)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.default is inspect.Parameter.empty
               and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)
