"""What the main window knows of a tab: one small protocol, the same for all four.

The window never reaches into a tab's parts. It asks each tab for its title, tells it who signed
in, that the branch settings changed, and where the keyboard should start; everything else a tab
learns from the change bus (``kit.changes``) on its own.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.services.session import Actor


@runtime_checkable
class Tab(Protocol):
    def title(self) -> str:
        """The tab's label in the window (Chinese)."""

    def apply_role(self, actor: Actor | None) -> None:
        """Show what the signed-in user's role may do (actions shown or hidden)."""

    def reload_settings(self) -> None:
        """The branch settings or lists changed: re-read what the tab shows of them."""

    def focus_first(self) -> None:
        """Give the keyboard to the tab's first field."""


class PlaceholderTab(QLabel):
    """A tab still to come: a line saying so."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._title = title
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("color: #6b7280; font-size: 15px;")

    def title(self) -> str:
        return self._title

    def apply_role(self, actor: Actor | None) -> None:
        """Nothing to show or hide yet."""

    def reload_settings(self) -> None:
        """Nothing read from the settings yet."""

    def focus_first(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)
