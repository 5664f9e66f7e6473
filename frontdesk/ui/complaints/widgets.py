"""The small widgets every complaint form and dialog builds from (one place, one behaviour)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QPlainTextEdit, QPushButton


def choice_box(name: str, labels: dict[str, str], *, empty: str | None = None) -> QComboBox:
    """A combo box of ``labels`` (code → label), with an empty first choice if ``empty`` is given."""
    box = QComboBox()
    box.setObjectName(name)
    if empty is not None:
        box.addItem(empty, None)
    for code, label in labels.items():
        box.addItem(label, code)
    return box


def text_box(name: str, max_length: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(max_length + 20)  # longer is refused by the service, with a reason
    return edit


def note_box(name: str) -> QPlainTextEdit:
    """Several lines; Tab moves on (it types no tab character)."""
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().height() * 4)
    return edit


def plain_button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    """A button Enter in a field never presses (Enter saves or records, where a form says so)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def close_buttons(text: str, slot: Callable[[], object]) -> QDialogButtonBox:
    """A dialog's one closing button, never the default: Enter in a field does not close it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    close.setAutoDefault(False)
    close.setDefault(False)
    close.setText(text)
    buttons.rejected.connect(slot)
    return buttons


def is_ctrl_enter(event: QKeyEvent) -> bool:
    """Ctrl+Enter that reached a dialog as a plain key (a window not activated fires no shortcut)."""
    return bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier) and event.key() in (
        Qt.Key.Key_Return, Qt.Key.Key_Enter)


def labelled(items: list[str]) -> dict[str, str]:
    """A list whose entries are their own codes (the complaint categories: a ticket keeps the label)."""
    return {item: item for item in items}
