"""Small pieces every form and table of the UI shares."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from frontdesk.errors import UserError, ValidationError

ERROR_STYLE = "color: #c62828;"
INVALID_PROPERTY = "invalid"
INVALID_BORDER = "border: 1px solid #c62828;"


def _with_invalid_border(own_style: str) -> str:
    """The widget's own style sheet plus a red border, whichever form the own sheet has."""
    if not own_style.strip():
        return INVALID_BORDER
    if "{" in own_style:
        return own_style + f"\n*[{INVALID_PROPERTY}=\"true\"] {{ {INVALID_BORDER} }}"
    return own_style.rstrip().rstrip(";") + "; " + INVALID_BORDER


def format_minutes(minutes: float | None) -> str:
    """Durations: minutes with one decimal (PRODUCT.md, figure definitions)."""
    return "" if minutes is None else f"{minutes:.1f}"


def format_percent(value: float | None) -> str:
    """A share or a score (0–1) as a percentage with one decimal (``87.5%``); empty when unknown."""
    return "" if value is None else f"{value * 100:.1f}%"


def format_datetime(value: datetime | None, *, with_date: bool = True) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def bound_date_edit(edit) -> None:
    """A date box within the range every query accepts (``services.validation``: 2000–2099):
    9999-12-31 cannot be typed in the first place."""
    from PySide6.QtCore import QDate

    from frontdesk.services.validation import EARLIEST_DAY, LATEST_DAY

    edit.setDateRange(QDate(EARLIEST_DAY.year, EARLIEST_DAY.month, EARLIEST_DAY.day),
                      QDate(LATEST_DAY.year, LATEST_DAY.month, LATEST_DAY.day))


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second)


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())


class FormErrors:
    """Shows a ``ValidationError`` next to the fields it names, and nothing is cleared.

    ``add(field, widget, label)`` registers the error label placed under ``widget``; messages for
    fields without a label go to the ``fallback`` label.
    """

    def __init__(self, fallback: QLabel) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._own_styles: dict[str, str] = {}
        self._fallback = fallback
        self._prepare(fallback)

    @staticmethod
    def _prepare(label: QLabel) -> None:
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()

    @staticmethod
    def _reveal(label: QLabel, text: str) -> None:
        """A message shown, selectable (to copy it). Made selectable here, not in ``_prepare``:
        the flag builds Qt's enum namespace (~28 ms), which start-up keeps off its first paint."""
        label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setText(text)
        label.show()

    def new_label(self, field: str, widget: QWidget | None = None) -> QLabel:
        label = QLabel()
        label.setObjectName(f"error_{field}")
        self._prepare(label)
        self._labels[field] = label
        if widget is not None:
            self._widgets[field] = widget
            self._own_styles[field] = widget.styleSheet()
        return label

    def clear(self) -> None:
        for label in (*self._labels.values(), self._fallback):
            label.clear()
            label.hide()
        for field, widget in self._widgets.items():
            if widget.property(INVALID_PROPERTY):
                widget.setProperty(INVALID_PROPERTY, False)
                widget.setStyleSheet(self._own_styles[field])

    def clear_field(self, field: str) -> None:
        """The message of one field, gone (the user is correcting it); the others stay."""
        label = self._labels.get(field)
        if label is not None:
            label.clear()
            label.hide()
        widget = self._widgets.get(field)
        if widget is not None and widget.property(INVALID_PROPERTY):
            widget.setProperty(INVALID_PROPERTY, False)
            widget.setStyleSheet(self._own_styles[field])

    def show(self, error: UserError) -> QWidget | None:
        """Display ``error``; returns the first offending widget (to give it focus)."""
        self.clear()
        first: QWidget | None = None
        leftovers: list[str] = []
        fields = error.fields if isinstance(error, ValidationError) else {}
        for field, message in fields.items():
            label = self._labels.get(field)
            if label is None:
                leftovers.append(message)
                continue
            self._reveal(label, message)
            widget = self._widgets.get(field)
            if widget is not None:
                widget.setProperty(INVALID_PROPERTY, True)
                widget.setStyleSheet(_with_invalid_border(self._own_styles[field]))
                first = first or widget
        if not fields:
            leftovers.append(error.message)
        if leftovers:
            self._reveal(self._fallback, "；".join(leftovers))
        return first

    def message(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


def user_error_box(parent: QWidget | None, error: UserError, title: str | None = None) -> QMessageBox:
    """A message box saying ``error`` in Chinese, not yet shown."""
    box = QMessageBox(parent)
    box.setObjectName("userErrorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or "FrontDesk")
    box.setText(error.message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_user_error(parent: QWidget | None, error: UserError, title: str | None = None) -> None:
    """A user error that belongs to no single field: a plain message box, in Chinese."""
    user_error_box(parent, error, title).exec()


class SaveGuard:
    """One save at a time for a form: its buttons are off while the save is on its way.

    The form keeps everything typed meanwhile; a second Enter or click does nothing, and a
    dialog asks ``busy`` before it lets itself be closed.
    """

    def __init__(self, *buttons: QWidget) -> None:
        self._buttons = buttons
        self._op: Any | None = None

    @property
    def busy(self) -> bool:
        return self._op is not None

    def run(self, op: Any) -> bool:
        """Start ``op`` unless a save is already on its way; False if it was not started."""
        if self._op is not None:
            return False
        self._op = op
        then = op._finally

        def ended() -> None:
            self._op = None
            for button in self._buttons:
                if shiboken6.isValid(button):
                    button.setEnabled(True)
            if then is not None:
                then()

        op.finally_(ended)
        for button in self._buttons:
            button.setEnabled(False)
        op.run()
        return True
