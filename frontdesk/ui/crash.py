"""The second error channel: anything that is not a ``UserError`` is a bug.

The hook logs the traceback to a rotating file in the user's log folder and shows a dialog with
copyable details, then lets the program carry on. It never closes a window, so nothing the user
typed is lost. A ``UserError`` that slips through to the hook is shown as its plain message.
Exceptions raised in other threads are handed to the GUI thread by a queued signal.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk import __version__
from frontdesk.errors import UserError
from frontdesk.ui.kit.common import user_error_box

logger = logging.getLogger("frontdesk.crash")


def log_path() -> Path:
    """The log file (``frontdesk.logs``, imported when first needed: off start-up's path)."""
    from frontdesk import logs

    return logs.log_path()


class CrashDialog(QDialog):
    """Says what happened in plain Chinese; the details are selectable and one click copies them."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("FrontDesk — 意外错误"))
        self.setWindowModality(QtCore.Qt.WindowModality.ApplicationModal)
        self.resize(640, 420)
        self.message = message = QLabel(
            self.tr(
                "程序出现意外错误。您已输入的内容没有丢失，可以关闭本窗口后继续工作。\n"
                "如果问题反复出现，请把下面的详细信息复制给技术支持。"
            )
        )
        message.setWordWrap(True)
        self.where = where = QLabel(
            self.tr("详细信息已记录到日志文件：{path}").format(path=log_file)
            if log_file is not None
            else self.tr("日志文件无法写入，请复制下面的详细信息。")
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("复制详细信息"))
        self.copy_button.setObjectName("copyButton")
        self.copy_button.setAutoDefault(False)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(where)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def append(self, details: str) -> None:
        """A further error while this dialog is open goes into the same dialog, not a new one."""
        self.details.appendPlainText("\n" + self.tr("—— 又发生一个错误 ——") + "\n" + details)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(self.tr("已复制"))


class CrashHandler(QObject):
    """Owns the hooks, the log and the one dialog that may be open at a time."""

    _from_thread = Signal(object, object, object)

    def __init__(self) -> None:
        super().__init__()
        self.dialog: CrashDialog | None = None
        self.message_box: QMessageBox | None = None
        self._handler: logging.Handler | None = None
        self._handler_tried = False
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        # Emitted from other threads only (``excepthook``), so the automatic connection queues
        # it to the thread this object lives in (the GUI thread). Named explicitly, it would
        # build Qt's enum namespace at start-up, before the first window (~28 ms).
        self._from_thread.connect(self.handle)

    @property
    def log_file(self) -> Path | None:
        return log_path() if self._handler is not None else None

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook
        if self._handler is not None:
            self._handler.close()

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        if threading.current_thread() is not threading.main_thread():
            self._from_thread.emit(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self._from_thread.emit(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """Log and show one error. Never raises: a failing crash handler would hide the bug."""
        try:
            if isinstance(exc, UserError):
                self._show_user_error(exc)
                return
            details = self._details(exc_type, exc, tb)
            self._log(details)
            self._show_crash(details)
        except Exception:  # noqa: BLE001 - last resort: print rather than loop in the hook
            sys.__excepthook__(exc_type, exc, tb)

    def _details(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
        body = "".join(traceback.format_exception(exc_type, exc, tb))
        from frontdesk.logs import redact

        return redact(f"FrontDesk {__version__} · Python {sys.version.split()[0]} · {sys.platform}\n{body}")

    def _log(self, details: str) -> None:
        if not self._handler_tried:
            self._handler_tried = True
            from frontdesk.logs import open_log_handler

            self._handler = open_log_handler()
        if self._handler is None:
            return
        record = logging.LogRecord(logger.name, logging.ERROR, __file__, 0, "unexpected error\n%s", (details,), None)
        self._handler.handle(record)
        self._handler.flush()

    def _show_crash(self, details: str) -> None:
        if QApplication.instance() is None:
            sys.stderr.write(details)
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.append(details)
            return
        self.dialog = CrashDialog(details, self.log_file, QApplication.activeWindow())
        # Non-blocking: the hook may run inside a slot; a nested event loop there invites trouble.
        self.dialog.show()

    def _show_user_error(self, error: UserError) -> None:
        if QApplication.instance() is None:
            sys.stderr.write(error.message + "\n")
            return
        box = user_error_box(QApplication.activeWindow(), error)
        box.setWindowModality(QtCore.Qt.WindowModality.ApplicationModal)
        self.message_box = box
        box.show()


_installed: CrashHandler | None = None


def install() -> CrashHandler:
    """Install the hooks (once per process) and return the handler."""
    global _installed
    if _installed is None:
        _installed = CrashHandler()
        _installed.install()
    return _installed


def uninstall() -> None:
    global _installed
    if _installed is not None:
        _installed.uninstall()
        _installed = None
