"""Starting the desktop program: the one place that wires storage, services and the UI together.

Start-up is kept light: reports, PDF, Excel and the holiday calendar are imported when first
used, never here. Up to the sign-in dialog's first paint nothing touches ``Qt`` (the namespace of
Qt's enums: building it costs ~28 ms, a fifth of a bare window's start) nor imports peewee or a
service; see ``_sign_in_first``.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from frontdesk import APP_NAME, __version__
from frontdesk.errors import StorageError, UserError
from frontdesk.ui import crash

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow

POSTGRES_PREFIXES = ("postgresql://", "postgres://")
_PG_DRIVERS = ("psycopg2", "psycopg", "psycopg2cffi")


def _import_storage_for(location: str) -> None:
    """Import peewee without its PostgreSQL driver when the location is a SQLite file.

    ``import peewee`` eagerly imports any installed psycopg driver (20–150 ms, STACK.md), a
    tenth or more of the whole start-up. A SQLite location never needs it, and this process
    serves one location, so the drivers are hidden while peewee is first imported. Nothing
    changes when peewee is already loaded (tests, the command line) or the location is a URL.
    """
    if "peewee" in sys.modules or location.startswith(POSTGRES_PREFIXES):
        return
    hidden = [name for name in _PG_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes ``import name`` fail fast
    try:
        import peewee  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    # No application display name: on Linux Qt appends it to every window title ("… — 创建管理员
    # — FrontDesk 前台值班台"), and each of ours names the program once already.
    app.setApplicationVersion(__version__)
    from frontdesk.ui.locale import install_chinese

    install_chinese(app)
    _set_window_icon(app)
    _arm_first_dialog_quit(app)
    return app  # type: ignore[return-value]


def _set_window_icon(app: QApplication) -> None:
    """FrontDesk's icon on every window (title bar, taskbar), from ``resources/``."""
    from PySide6.QtGui import QIcon

    from frontdesk.paths import resource_path

    icon = QIcon()
    for name in ("frontdesk-16.png", "frontdesk-32.png", "frontdesk-48.png", "frontdesk.png"):
        path = resource_path(name)
        if path is not None:
            icon.addFile(str(path))
    if not icon.isNull():
        app.setWindowIcon(icon)


# The smoke test of a frozen build (installer/build-and-smoke.sh): with this variable set to a
# file, the program writes the first dialog it shows into that file (its class, its title,
# whether its database is open, whether it carries FrontDesk's icon, and the moment it was shown:
# the script's start-up time) and closes the dialog as Cancel would, so the program ends there.
# A windowed program on Windows has no console to print to, hence the file.
FIRST_DIALOG_QUIT_ENV = "FRONTDESK_QUIT_AFTER_FIRST_DIALOG"
FIRST_DIALOG_SETTLE_MS = 1000  # the sign-in dialog opens the database behind its first paint
FIRST_DIALOG_READY_WAIT_S = 30.0  # ... and on a loaded machine may need longer: wait for it


class _FirstDialogQuit(QObject):
    def __init__(self, app: QApplication, target: str) -> None:
        super().__init__(app)
        self._target = target
        self._seen = False

    def eventFilter(self, watched: QObject, event: object) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if (
            not self._seen
            and isinstance(watched, QDialog)
            and event.type() == QEvent.Type.Show  # type: ignore[attr-defined]
            and watched.isWindow()
        ):
            import time

            self._seen = True
            shown_at = time.monotonic()  # system-wide: the script compares it with its own
            QTimer.singleShot(FIRST_DIALOG_SETTLE_MS, lambda: self._close(watched, shown_at))
        return False

    def _close(self, dialog: QDialog, shown_at: float) -> None:
        import time

        ready = getattr(getattr(dialog, "form", None), "ready", None)
        if ready is False and time.monotonic() - shown_at < FIRST_DIALOG_READY_WAIT_S:
            QTimer.singleShot(50, lambda: self._close(dialog, shown_at))
            return
        icon = not dialog.windowIcon().isNull()
        Path(self._target).write_text(
            f"{type(dialog).__name__}\n{dialog.windowTitle()}\nready={ready}\nicon={icon}\n"
            f"shown_at={shown_at:.3f}\n",
            encoding="utf-8",
        )
        dialog.reject()


def _arm_first_dialog_quit(app: QApplication) -> None:
    import os

    target = os.environ.get(FIRST_DIALOG_QUIT_ENV, "").strip()
    if target and not any(isinstance(child, _FirstDialogQuit) for child in app.children()):
        app.installEventFilter(_FirstDialogQuit(app, target))


def _storage_message(location: str, error: StorageError) -> None:
    """A clear Chinese message about the database, with no traceback."""
    from PySide6.QtWidgets import QMessageBox

    from frontdesk.db.database import Location

    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("App", "FrontDesk — 无法打开数据库"))
    box.setText(QApplication.translate("App", "无法打开数据库：{location}").format(location=Location(location).display()))
    box.setInformativeText(error.message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def _sign_in() -> bool:
    """Every session starts signed in: the first administrator is created if there is none yet."""
    from frontdesk.services import users
    from frontdesk.ui.session.sign_in import CreateAdminDialog, SignInDialog

    dialog = CreateAdminDialog() if users.count_users() == 0 else SignInDialog()
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return True
        handed_over = isinstance(dialog, CreateAdminDialog) and dialog.already_set_up
    finally:
        dialog.deleteLater()
    if not handed_over:
        return False
    # Another station made the administrator a moment ago: sign in with that account.
    sign_in = SignInDialog()
    try:
        return sign_in.exec() == QDialog.DialogCode.Accepted
    finally:
        sign_in.deleteLater()


def build_main_window(location: str) -> MainWindow:
    """The main window over the database already opened at ``location`` (not yet shown)."""
    from frontdesk.ui.main_window import MainWindow

    return MainWindow(location)


DAILY_BACKUP_DELAY_MS = 1500  # after the window is painted: start-up is never slowed by a backup


class _BackupReporter(QObject):
    """Carries the daily backup's result from its thread to the GUI thread."""

    finished = Signal(object, object)  # (file written or None, exception or None)


def _schedule_daily_backup(window: MainWindow) -> None:
    """The first start of the day backs the SQLite file up, off the GUI thread, after the window shows.

    Nothing of it runs before the window is on screen (not even the import or the check whether
    a backup is due). A failed backup never stops the program: it is logged and shown (status
    bar and a non-modal message), and the next start tries again.
    """
    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.setInterval(DAILY_BACKUP_DELAY_MS)
    timer.timeout.connect(lambda: _start_daily_backup(window))
    QApplication.instance().aboutToQuit.connect(timer.stop)  # quitting first: the next start does it
    timer.start()


def _start_daily_backup(window: MainWindow) -> None:
    from frontdesk.services import backup, clock

    try:
        database = backup.open_database_file()
        if database is None or not backup.daily_backup_due(clock.today(), database):
            return
    except UserError:
        return
    reporter = _BackupReporter(window)
    reporter.finished.connect(lambda path, error: _daily_backup_finished(window, path, error))

    def work() -> None:
        try:
            path, error = backup.daily_backup_if_due(clock.now(), database), None
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread, never lost
            path, error = None, exc
        if path is not None:
            _note_daily_backup(path)
        with contextlib.suppress(RuntimeError):  # the window is already gone
            reporter.finished.emit(path, error)

    threading.Thread(target=work, name="frontdesk-daily-backup").start()


def _schedule_daily_purge(window: MainWindow) -> None:
    """The first start of the day (on any station) applies the retention period, off the GUI
    thread, after the window shows: names and phones past it are cleared, audited once.

    ``privacy.daily_purge`` claims the day inside its own transaction, so a second start (or a
    second station) the same day does nothing. A failure is logged and shown in the status bar;
    the next start tries again.
    """
    reporter = _BackupReporter(window)
    reporter.finished.connect(lambda count, error: _daily_purge_finished(window, count, error))

    def work() -> None:
        from frontdesk.services import connections, privacy

        token = connections.current()
        try:
            count, error = privacy.daily_purge(), None
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread, never lost
            count, error = None, exc
        finally:
            connections.release_thread_connection(token)
        with contextlib.suppress(RuntimeError):  # the window is already gone
            reporter.finished.emit(count, error)

    def start() -> None:
        threading.Thread(target=work, name="frontdesk-daily-purge").start()

    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.setInterval(DAILY_BACKUP_DELAY_MS)
    timer.timeout.connect(start)
    QApplication.instance().aboutToQuit.connect(timer.stop)
    timer.start()


def _daily_purge_finished(window: MainWindow, count: object, error: BaseException | None) -> None:
    if error is not None:
        _log_backup_failure(error, "daily retention purge failed")
        reason = error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
        window.statusBar().showMessage(
            QApplication.translate("App", "今天的到期个人信息清除没有完成：{reason}").format(reason=reason), 60000)
    elif count:
        window.statusBar().showMessage(
            QApplication.translate("App", "已按保留期清除 {count} 条记录的姓名和电话。").format(count=count), 8000)


def _note_daily_backup(path: object) -> None:
    """The daily copy in the audit trail, from the backup's own thread and connection.

    The backup is made either way; a database that cannot take the note now (busy, read-only)
    only loses the note.
    """
    from frontdesk.services import backup, connections

    token = connections.current()
    try:
        backup.record_backup(path, automatic=True)
    except UserError:
        pass
    finally:
        connections.release_thread_connection(token)


def _daily_backup_finished(window: MainWindow, path: object, error: BaseException | None) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    if error is None:
        if path is not None:
            window.statusBar().showMessage(
                QApplication.translate("App", "已自动备份数据库：{path}").format(path=path), 8000
            )
        return
    _log_backup_failure(error)
    reason = error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
    text = QApplication.translate("App", "今天的自动备份没有完成：{reason}").format(reason=reason)
    window.statusBar().showMessage(text, 60000)
    box = QMessageBox(QMessageBox.Icon.Warning, "FrontDesk", text, QMessageBox.StandardButton.Ok, window)
    box.setObjectName("backupFailedBox")
    box.setInformativeText(
        QApplication.translate("App", "程序可以照常使用，下次启动时会再次尝试备份。详情已写入日志。")
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()


def _log_backup_failure(error: BaseException, what: str = "daily backup failed") -> None:
    import logging

    from frontdesk.logs import open_log_handler

    handler = open_log_handler()
    if handler is None:
        return
    logger = logging.getLogger("frontdesk.backup")
    logger.addHandler(handler)
    try:
        level = logging.WARNING if isinstance(error, UserError) else logging.ERROR
        logger.log(level, what, exc_info=(type(error), error, error.__traceback__))
    finally:
        logger.removeHandler(handler)
        handler.close()


PAINT_WAIT_MS = 500
# What ``_sign_in_first`` ends its dialog with besides accepted/rejected.
NEEDS_SETUP, STORAGE_FAILED = 2, 3


def _is_existing_sqlite_file(location: str) -> bool:
    raw = location[len("sqlite:///"):] if location.startswith("sqlite:///") else location
    return not location.startswith(POSTGRES_PREFIXES) and Path(raw).is_file()


def _sign_in_first(location: str) -> tuple[int, StorageError | None]:
    """Start-up of a station already in use: the sign-in dialog is painted first.

    Everything else happens behind it, while the user types: the database is opened (peewee and
    the services imported), the branch named in the dialog, and the main window's modules
    imported. A sign-in pressed before the database is open waits for it (``SignInForm.ready``).
    Returns the dialog's result (``NEEDS_SETUP``: no settings or no user yet, the first-start
    dialogs follow; ``STORAGE_FAILED`` with the error) and the database is open unless it failed.
    """
    from frontdesk.ui.session.sign_in_form import SignInDialog

    dialog = SignInDialog(branch="")
    dialog.form.ready = False
    failure: list[StorageError] = []

    def open_behind() -> None:
        _import_storage_for(location)
        from frontdesk.db.database import open_database
        from frontdesk.services import settings, users

        try:
            open_database(location)
            branch = settings.load()
            needs_setup = not branch.configured or users.count_users() == 0
        except StorageError as error:
            failure.append(error)
            dialog.done(STORAGE_FAILED)
            return
        if needs_setup:
            dialog.done(NEEDS_SETUP)
            return
        dialog.set_branch(branch.branch_name)
        dialog.form.mark_ready()
        QTimer.singleShot(0, _import_main_window)

    once = {"done": False}

    def after_paint() -> None:
        if not once["done"]:
            once["done"] = True
            open_behind()

    # Just after the first paint; should no paint come (a hidden window), not held back for ever.
    dialog.firstPainted.connect(lambda: QTimer.singleShot(0, after_paint))
    QTimer.singleShot(PAINT_WAIT_MS, after_paint)
    try:
        result = dialog.exec()
    finally:
        dialog.deleteLater()
    return result, failure[0] if failure else None


def _import_main_window() -> None:
    """The main window's modules, imported while the user types the password."""
    import frontdesk.ui.main_window  # noqa: F401


def run_gui(location: str, *, on_shown: Callable[[MainWindow], None] | None = None) -> int:
    """Run the desktop program on ``location``; returns the process exit code.

    ``on_shown`` is called once the main window is on screen (used by the start-up benchmark).
    """
    app = _application()
    crash.install()
    early = QDialog.DialogCode.Rejected.value
    if _is_existing_sqlite_file(location):
        early, error = _sign_in_first(location)
        if error is not None:
            _storage_message(location, error)
            return 1
        if early == QDialog.DialogCode.Rejected.value:
            _close_database()
            return 0
    else:
        _import_storage_for(location)
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import settings

    try:
        if early != NEEDS_SETUP and early != QDialog.DialogCode.Accepted.value:
            open_database(location)
    except StorageError as error:
        _storage_message(location, error)
        return 1
    try:
        if early != QDialog.DialogCode.Accepted.value:
            try:
                configured = settings.load().configured
            except StorageError as error:
                _storage_message(location, error)
                return 1
            if not configured:
                from frontdesk.ui.session.first_run_dialog import FirstRunDialog

                dialog = FirstRunDialog()
                if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
                    return 0
                dialog.deleteLater()
            try:
                if not _sign_in():
                    return 0
            except StorageError as error:
                _storage_message(location, error)
                return 1
        try:
            window = build_main_window(location)
        except StorageError as error:
            _storage_message(location, error)
            return 1
        window.show_placed()
        _schedule_daily_backup(window)
        _schedule_daily_purge(window)
        if on_shown is not None:
            QTimer.singleShot(0, lambda: on_shown(window))
        return app.exec()
    finally:
        close_database()


def _close_database() -> None:
    if "frontdesk.db.database" in sys.modules:
        from frontdesk.db.database import close_database

        close_database()
