"""Noticing that nobody has used the program for a while (the idle lock).

An application-wide event filter notes the time of the last key, click, wheel or touch (and mouse
movement over our windows). One single-shot timer sleeps until the moment the program would
become idle; when it wakes early because there was input meanwhile, it sleeps again for the
rest. So the cost is one timestamp per input event and one timer wake-up per interval.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.InputMethod,
    QEvent.Type.TabletPress, QEvent.Type.ShortcutOverride,
})


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``interval_ms`` without input; ``start()`` arms it again."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_ms = max(1, int(interval_ms))
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._wake)
        self._running = False
        QApplication.instance().installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

    def set_interval_ms(self, interval_ms: int) -> None:
        self._interval_ms = max(1, int(interval_ms))
        if self._running:
            self._schedule()

    def start(self) -> None:
        """Count from now (after an unlock, or when the window is shown)."""
        self._running = True
        self._last_input = time.monotonic()
        self._schedule()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _remaining_ms(self) -> int:
        return int(self._interval_ms - (time.monotonic() - self._last_input) * 1000)

    def _schedule(self) -> None:
        self._timer.start(max(0, self._remaining_ms()))

    def _wake(self) -> None:
        if not self._running:
            return
        if self._remaining_ms() > 0:
            self._schedule()  # there was input meanwhile: sleep for the rest
            return
        self._running = False
        self.idle.emit()

    def detach(self) -> None:
        self.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
