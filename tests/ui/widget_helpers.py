"""Showing a widget as a user meets it, and answering the modal dialog it opens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def show_active(qtbot, widget: QWidget, width: int, height: int) -> QWidget:
    """``widget`` shown at ``width``×``height``, its window active (keys reach it, shortcuts fire)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def when_modal(handle: Callable[[QWidget], None]) -> QTimer:
    """Run ``handle(widget)`` on the next modal window that opens (inside its own event loop).
    Stop the returned timer once the step that opens it is over."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None:
            timer.stop()
            handle(widget)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(poll)
    timer.start()
    return timer
