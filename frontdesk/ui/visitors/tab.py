"""The visitor register tab: quick entry on the left; the waiting panel above the register on the right.

The tab only lays its parts out. A visit changed anywhere — in one of its parts, a dialog, or
another tab — is announced on the change bus, and each part that did not make the change
refreshes itself; ``visitsChanged`` still tells whoever connected to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from frontdesk.services.session import Actor
from frontdesk.ui.kit.changes import VISIT, change_bus
from frontdesk.ui.visitors.quick_entry import QuickEntryForm
from frontdesk.ui.visitors.register_table import RegisterTableWidget
from frontdesk.ui.visitors.waiting_panel import WaitingPanel

MIN_REGISTER_ROWS = 10  # what the guide sees of the register without scrolling (1366×768)


class VisitorTab(QWidget):
    """来访登记."""

    visitsChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitorTab")
        self.quick_entry = QuickEntryForm()
        self.waiting_panel = WaitingPanel()
        self.register_table = RegisterTableWidget()

        # The form on the left at its natural width, the waiting panel above the register on the
        # right: the form needs ~450 px of height, and below it a 768 px screen would leave the
        # register four rows. Beside it, the register keeps at least MIN_REGISTER_ROWS rows.
        self.side = QSplitter(Qt.Orientation.Vertical)
        self.side.setObjectName("visitorSideSplitter")
        self.side.setChildrenCollapsible(False)
        self.side.addWidget(self.waiting_panel)
        self.side.addWidget(self.register_table)
        self.side.setStretchFactor(0, 2)
        self.side.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("visitorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.quick_entry)
        self.splitter.addWidget(self.side)
        # A wider window gives the register (and the waiting lists) the room, not the form.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self._split_done = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        # F2/F3/F4 (and F11, today's counters) work wherever the focus is in this tab,
        # including while typing in the form.
        for action in self._shortcut_actions():
            self.addAction(action)

        change_bus().subscribe(self, {VISIT}, self._visits_changed)
        self.setFocusProxy(self.quick_entry.business)

    # ------------------------------------------------------------ the main window's protocol

    def title(self) -> str:
        return self.tr("来访登记")

    def apply_role(self, actor: Actor | None) -> None:
        self.register_table.apply_role()
        self.quick_entry.apply_role(actor)

    def _shortcut_actions(self) -> list[QAction]:
        return [*self.waiting_panel.actions_for_shortcuts(), self.quick_entry.counters_action]

    def focus_first(self) -> None:
        self.quick_entry.focus_first()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """F2/F3/F4 that reached here as plain keys: a window the system has not activated
        (no window manager) delivers keys but never fires shortcuts."""
        pressed = QKeySequence(event.keyCombination())
        for action in self._shortcut_actions():
            if action.isEnabled() and action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._split_done:
            self._split_done = True
            self._split()

    def _split(self) -> None:
        """The first sizes: the form as wide as it asks, the register its rows, the waiting lists the rest."""
        width = self.splitter.width()
        form = min(self.quick_entry.sizeHint().width(), max(width // 2, self.quick_entry.minimumSizeHint().width()))
        self.splitter.setSizes([form, max(0, width - form)])
        total = self.side.height()
        register = max(self.register_table.height_for_rows(MIN_REGISTER_ROWS), total * 3 // 5)
        waiting = max(0, total - register)
        self.side.setSizes([waiting, max(0, total - waiting)])

    def _visits_changed(self, _kinds: frozenset[str], initiator: QObject | None) -> None:
        """Visits changed: every part that did not make the change reads them again."""
        if not _within(self.waiting_panel, initiator):
            self.waiting_panel.reload()
        if not _within(self.register_table, initiator):
            self.register_table.refresh()
        self.visitsChanged.emit()

    def reload_settings(self) -> None:
        """After the settings dialog: lists, thresholds and the register's filters may have changed."""
        self.quick_entry.reload_lists()
        self.waiting_panel.reload()
        self.register_table.refresh()


def _within(part: QWidget, initiator: QObject | None) -> bool:
    """Whether ``initiator`` is ``part`` or one of its widgets (a dialog it opened included)."""
    while initiator is not None:
        if initiator is part:
            return True
        initiator = initiator.parent()
    return False
