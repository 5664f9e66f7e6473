"""Starting the desktop program: the one place that wires storage, services and the UI together.

Start-up is kept light: reports, PDF, Excel and the holiday calendar are imported when first
used, never here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from frontdesk import APP_NAME, __version__
from frontdesk.errors import StorageError
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
    app.setApplicationDisplayName("FrontDesk 前台值班台")
    app.setApplicationVersion(__version__)
    return app  # type: ignore[return-value]


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


def build_main_window(location: str) -> MainWindow:
    """The main window over the database already opened at ``location`` (not yet shown)."""
    from frontdesk.ui.main_window import MainWindow

    return MainWindow(location)


def run_gui(location: str, *, on_shown: Callable[[MainWindow], None] | None = None) -> int:
    """Run the desktop program on ``location``; returns the process exit code.

    ``on_shown`` is called once the main window is on screen (used by the start-up benchmark).
    """
    app = _application()
    crash.install()
    _import_storage_for(location)
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import settings

    try:
        open_database(location)
    except StorageError as error:
        _storage_message(location, error)
        return 1
    try:
        try:
            configured = settings.load().configured
        except StorageError as error:
            _storage_message(location, error)
            return 1
        if not configured:
            from frontdesk.ui.first_run_dialog import FirstRunDialog

            dialog = FirstRunDialog()
            if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
                return 0
            dialog.deleteLater()
        try:
            window = build_main_window(location)
        except StorageError as error:
            _storage_message(location, error)
            return 1
        window.show()
        if on_shown is not None:
            QTimer.singleShot(0, lambda: on_shown(window))
        return app.exec()
    finally:
        close_database()
