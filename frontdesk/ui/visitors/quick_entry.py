"""The quick-entry form: register a walk-in customer while they stand at the desk.

Built for the keyboard. Business types and destinations are strips of buttons labelled with a
key; a key picks and moves on, Enter anywhere saves, Esc clears. A typical registration is
three key presses (``2`` ``1`` ``Enter``). Nothing typed is lost when the service refuses it.

The arrival time follows the clock and stays out of the Tab chain (Tab after the destination
goes to 票号, 电话, 称呼 …): a date/time field walks its five sections on Tab and would quietly
take the ticket number as a date. Alt+T or a click edits it; an arrival on another day or
before today's opening is saved only after the guide confirms the date and time shown.

A counter the duty manager closed for today (今日窗口, F11) stays in its place with its key, greyed,
its tooltip saying why: the keys of the others never move. Its key says it is closed. The form
re-reads the closed counters when this station changes them and every few seconds for the others.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import clock, counters, lists, session, settings, visitors
from frontdesk.services.counters import CounterState
from frontdesk.services.lists import ListEntry
from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION, DOCUMENT
from frontdesk.services.visitors import (
    RETENTION,
    SPECIAL_NEEDS,
    SURRENDER_REASONS,
    VisitInput,
    VisitRow,
)
from frontdesk.ui.kit.changes import COUNTER, VISIT, change_bus
from frontdesk.ui.kit.common import FormErrors, format_datetime, from_qdatetime, to_qdatetime
from frontdesk.ui.kit.operations import Op, QueryOp

KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"
SURRENDER_TAG = "surrender"
OK_STYLE = "color: #2e7d32;"
DOC_SEPARATORS = re.compile(r"[、,，;；\n]+")
COUNTERS_POLL_MS = 10_000  # how soon a counter closed on another station is greyed out here
COUNTERS_KEY = "F11"

_STRIP_STYLE = """
QFrame#{name} {{ border: 2px solid {border}; border-radius: 5px; background: {bg}; }}
QFrame#{name} QPushButton {{
    text-align: left; padding: 4px 8px; border: 1px solid #b6bfcc; border-radius: 4px;
    background: #ffffff; color: #1f2933; min-height: 22px;
}}
QFrame#{name} QPushButton:hover {{ background: #e8f0fe; }}
QFrame#{name} QPushButton:disabled {{ background: #eceff1; color: #9aa5b1; text-decoration: line-through; }}
QFrame#{name} QPushButton:checked {{
    background: #1565c0; color: #ffffff; border-color: #0d47a1; font-weight: bold;
}}
"""


# The form's fields top to bottom, left to right (the service reports them in its own order).
FIELD_ORDER = (
    "business_type", "destination", "ticket_no", "phone", "customer_name", "arrived_at",
    "special_needs", "missing_documents", "surrender_reason", "retention", "notes",
)


def _field_position(name: str) -> int:
    return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)


def split_documents(text: str) -> tuple[str, ...]:
    """Missing papers typed as one line: items separated by 、 or a comma (or ；)."""
    return tuple(item.strip() for item in DOC_SEPARATORS.split(text) if item.strip())


class KeyStrip(QFrame):
    """A row of checkable buttons, each picked by its key ("1 咨询") while the strip has focus.

    The strip's own look lives on an inner panel, so that the red border ``FormErrors`` puts on
    the strip (and takes off again) neither hides nor wipes it.
    """

    picked = Signal(int)  # the user chose an entry (key or click): move on to the next field
    unavailableKey = Signal(int)  # noqa: N815 - Qt naming; the key of an entry that is switched off
    currentChanged = Signal(object)  # noqa: N815 - Qt naming; the entry id or None

    def __init__(self, name: str, columns: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._columns = columns
        self._entries: list[ListEntry] = []
        self._buttons: list[QPushButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self._clicked)
        self._panel = QFrame()
        self._panel.setObjectName("stripPanel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.addWidget(self._panel)
        self._grid = QGridLayout(self._panel)
        self._grid.setContentsMargins(6, 6, 6, 6)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        self._current: int | None = None
        self._unavailable: dict[int, str] = {}  # entry id → why it cannot be picked (its tooltip)
        self._apply_style(False)

    def _apply_style(self, focused: bool) -> None:
        self._panel.setStyleSheet(
            _STRIP_STYLE.format(
                name=self._panel.objectName(),
                border="#1976d2" if focused else "#d0d5dd",
                bg="#eef4fd" if focused else "transparent",
            )
        )

    def set_entries(self, entries: list[ListEntry]) -> None:
        """Replace the buttons; the current pick survives if it is still in the list."""
        keep = self._current
        for button in self._buttons:
            self._group.removeButton(button)
            self._grid.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._buttons = []
        self._entries = list(entries)
        for index, entry in enumerate(self._entries):
            key = KEYS[index] if index < len(KEYS) else ""
            button = QPushButton(f"{key}  {entry.label}" if key else entry.label)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setToolTip(entry.label)
            self._group.addButton(button, index)
            self._grid.addWidget(button, index // self._columns, index % self._columns)
            self._buttons.append(button)
        for column in range(self._columns):
            self._grid.setColumnStretch(column, 1)
        self._current = None
        self.set_current(keep if any(e.id == keep for e in self._entries) else None)
        self.set_unavailable(self._unavailable)

    def set_unavailable(self, why: dict[int, str]) -> None:
        """Grey out these entries (by id), keeping their place and key; the text says why.
        A pick of one of them is dropped."""
        self._unavailable = dict(why)
        for entry, button in zip(self._entries, self._buttons, strict=True):
            reason = self._unavailable.get(entry.id)
            button.setEnabled(reason is None)
            button.setToolTip(entry.label if reason is None else reason)
        if self._current in self._unavailable:
            self.set_current(None)

    def unavailable(self, entry_id: int) -> str | None:
        return self._unavailable.get(entry_id)

    def entries(self) -> list[ListEntry]:
        return list(self._entries)

    def current_id(self) -> int | None:
        return self._current

    def current_entry(self) -> ListEntry | None:
        return next((e for e in self._entries if e.id == self._current), None)

    def button_for(self, entry_id: int) -> QPushButton | None:
        for entry, button in zip(self._entries, self._buttons, strict=True):
            if entry.id == entry_id:
                return button
        return None

    def set_current(self, entry_id: int | None) -> None:
        if entry_id == self._current:
            return
        self._current = entry_id
        # An exclusive group cannot uncheck its last button; switch exclusivity off to clear.
        self._group.setExclusive(False)
        for entry, button in zip(self._entries, self._buttons, strict=True):
            button.setChecked(entry.id == entry_id)
        self._group.setExclusive(True)
        self.currentChanged.emit(entry_id)

    def _clicked(self, index: int) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._pick(index)

    def _pick(self, index: int) -> None:
        entry = self._entries[index]
        if entry.id in self._unavailable:
            self.unavailableKey.emit(entry.id)
            return
        self.set_current(entry.id)
        self.picked.emit(entry.id)

    def _step(self, delta: int) -> None:
        if not self._entries:
            return
        ids = [e.id for e in self._entries]
        index = ids.index(self._current) if self._current in ids else (-1 if delta > 0 else 0)
        for _tried in ids:  # the next one that can be picked
            index = (index + delta) % len(ids)
            if ids[index] not in self._unavailable:
                self.set_current(ids[index])
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        text = event.text().lower()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and len(text) == 1 and text in KEYS:
            index = KEYS.index(text)
            if index < len(self._entries):
                self._pick(index)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step(1)
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step(-1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._apply_style(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._apply_style(False)
        super().focusOutEvent(event)


class _FollowFocus(QObject):
    """Stops the arrival clock from overwriting the field while the user is in it."""

    def __init__(self, form: QuickEntryForm) -> None:
        super().__init__(form)
        self._form = form

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn:
            self._form._arrival_focused = True
        elif event.type() == QEvent.Type.FocusOut:
            self._form._arrival_focused = False
        return False


class _ArrivalEdit(QDateTimeEdit):
    """The arrival time: entered by its key (Alt+T) on the hour, the part usually corrected."""

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.ShortcutFocusReason:
            self.setCurrentSection(QDateTimeEdit.Section.HourSection)


class QuickEntryForm(QWidget):
    """The registration form of the visitor tab."""

    registered = Signal(int)  # the new visit's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickEntryForm")
        self._arrival_live = True
        self._arrival_focused = False
        self._setting_arrival = False
        self._saving: Op[VisitRow] | None = None
        self._may_change_counters = False
        self._closed: dict[int, CounterState] = {}
        self._counters_job: QueryOp | None = None
        self.counters_dialog: QWidget | None = None
        self._build()
        self.reload_lists()
        self._set_arrival_now()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._follow_clock)
        self._counters_poll = QTimer(self)
        self._counters_poll.setInterval(COUNTERS_POLL_MS)
        self._counters_poll.timeout.connect(self.refresh_counters)
        change_bus().subscribe(self, {COUNTER}, lambda _kinds, _initiator: self.refresh_counters())

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.errors = FormErrors(self.message)

        self.business = KeyStrip("businessStrip", columns=5)
        self.destination = KeyStrip("destinationStrip", columns=4)
        self.business.picked.connect(lambda _id: self.destination.setFocus(Qt.FocusReason.OtherFocusReason))
        self.destination.picked.connect(lambda _id: self.save_button.setFocus(Qt.FocusReason.OtherFocusReason))
        self.destination.unavailableKey.connect(self._closed_counter_key)
        self.counters_action = QAction(self.tr("今日窗口…（{key}）").format(key=COUNTERS_KEY), self)
        self.counters_action.setObjectName("countersAction")
        self.counters_action.setShortcut(QKeySequence(COUNTERS_KEY))
        self.counters_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.counters_action.setToolTip(self.tr("查看今天开放和关闭的窗口；值班经理可开放或关闭窗口"))
        self.counters_action.triggered.connect(self.open_counters)
        self.addAction(self.counters_action)
        self.counters_button = QToolButton()
        self.counters_button.setObjectName("countersButton")
        self.counters_button.setDefaultAction(self.counters_action)
        self.counters_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.business.currentChanged.connect(self._business_changed)

        self.arrival = _ArrivalEdit()
        self.arrival.setObjectName("arrival")
        self.arrival.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.arrival.setCalendarPopup(True)
        # Out of the Tab chain: a click or Alt+T (the label's key) edits it.
        self.arrival.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.arrival.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.arrival.setToolTip(self.tr("到达时间跟随当前时间；按 Alt+T 或点击修改"))
        self.arrival.dateTimeChanged.connect(self._arrival_edited)
        self.arrival.installEventFilter(_FollowFocus(self))
        self.arrival_now = QToolButton()
        self.arrival_now.setText(self.tr("恢复为现在"))
        self.arrival_now.setToolTip(self.tr("到达时间重新跟随当前时间"))
        self.arrival_now.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.arrival_now.clicked.connect(self._set_arrival_now)
        self.arrival_now.hide()

        self.ticket = QLineEdit()
        self.ticket.setObjectName("ticket")
        self.ticket.setMaxLength(visitors.MAX_TICKET)
        self.ticket.setPlaceholderText(self.tr("如 A012"))
        self.customer_name = QLineEdit()
        self.customer_name.setObjectName("customerName")
        self.customer_name.setMaxLength(visitors.MAX_NAME)
        self.customer_name.setPlaceholderText(self.tr("如 王先生"))
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText(self.tr("手机或座机"))

        self.needs: dict[str, QCheckBox] = {}
        needs_box = QWidget()
        needs_grid = QGridLayout(needs_box)
        needs_grid.setContentsMargins(0, 0, 0, 0)
        needs_grid.setHorizontalSpacing(10)
        needs_grid.setVerticalSpacing(2)
        for index, (code, (_bit, label)) in enumerate(SPECIAL_NEEDS.items()):
            box = QCheckBox(label)
            box.setObjectName(f"need_{code}")
            self.needs[code] = box
            needs_grid.addWidget(box, index // 6, index % 6)
        self.vip = QCheckBox(self.tr("贵宾"))
        self.vip.setObjectName("vip")
        needs_grid.addWidget(self.vip, 1, 5)

        self.documents_complete = QCheckBox(self.tr("资料齐全"))
        self.documents_complete.setObjectName("documentsComplete")
        self.documents_complete.setChecked(True)
        self.documents_complete.toggled.connect(self._documents_toggled)
        self.missing = QLineEdit()
        self.missing.setObjectName("missingDocuments")
        self.missing.setPlaceholderText(self.tr("缺少的资料，用“、”或逗号分隔，以便一次性告知客户"))
        self.document_menu = QMenu(self)
        self.document_menu.triggered.connect(self._add_document)
        self.document_button = QToolButton()
        self.document_button.setText(self.tr("常用资料"))
        self.document_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.document_button.setMenu(self.document_menu)
        self.slip_button = QPushButton(self.tr("登记并打印告知单（Ctrl+P）"))
        self.slip_button.setObjectName("slipButton")
        self.slip_button.setToolTip(self.tr("资料不全时：登记这位客户，并打印一次性告知单，列出所缺资料"))
        self.slip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slip_button.clicked.connect(self.save_and_print_slip)
        self._slip_after = False
        self.slip_dialog: QWidget | None = None

        self.surrender_reason = QComboBox()
        self.surrender_reason.setObjectName("surrenderReason")
        self.surrender_reason.addItem(self.tr("（未填）"), None)
        for code, label in SURRENDER_REASONS.items():
            self.surrender_reason.addItem(label, code)
        self.retention = QComboBox()
        self.retention.setObjectName("retention")
        self.retention.addItem(self.tr("未定"), None)
        for code, label in RETENTION.items():
            self.retention.addItem(label, code)

        self.notes = QLineEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaxLength(visitors.MAX_NOTES)

        self.save_button = QPushButton(self.tr("登记（Enter）"))
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton(self.tr("清空（Esc）"))
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(self.clear)
        self.status = QLabel()
        self.status.setObjectName("formStatus")
        self.status.setStyleSheet(OK_STYLE)
        self.status.setWordWrap(True)

        # -------------------------------------------------------------- layout
        err = self.errors.new_label
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._heading(self.tr("业务类型"), self.tr("按数字/字母键选择"), self.business))
        layout.addWidget(self.business)
        layout.addWidget(err("business_type", self.business))
        layout.addWidget(self._heading(self.tr("分流去向"), self.tr("按数字/字母键选择"), self.destination,
                                       self.counters_button))
        layout.addWidget(self.destination)
        layout.addWidget(err("destination", self.destination))

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        arrival_row = QHBoxLayout()
        arrival_row.setSpacing(2)
        arrival_row.addWidget(self.arrival, 1)
        arrival_row.addWidget(self.arrival_now)
        fields = (
            (self.tr("票号"), self.ticket, "ticket_no", self.ticket),
            (self.tr("电话"), self.phone, "phone", self.phone),
            (self.tr("称呼"), self.customer_name, "customer_name", self.customer_name),
            (self.tr("到达时间(&T)"), arrival_row, "arrived_at", self.arrival),
        )
        for column, (title, field, name, widget) in enumerate(fields):
            label = QLabel(title)
            label.setBuddy(widget)
            if widget is self.arrival:
                self.arrival_label = label
                label.setToolTip(self.arrival.toolTip())
            grid.addWidget(label, 0, column)
            if isinstance(field, QWidget):
                grid.addWidget(field, 1, column)
            else:
                grid.addLayout(field, 1, column)
            grid.addWidget(err(name, widget), 2, column)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(3, 3)
        layout.addLayout(grid)

        needs_label = QLabel(self.tr("特殊客户（优先办理）"))
        layout.addWidget(needs_label)
        layout.addWidget(needs_box)
        layout.addWidget(err("special_needs", needs_box))

        docs_row = QHBoxLayout()
        docs_row.addWidget(self.documents_complete)
        docs_row.addWidget(self.missing, 1)
        docs_row.addWidget(self.document_button)
        docs_row.addWidget(self.slip_button)
        layout.addLayout(docs_row)
        layout.addWidget(err("missing_documents", self.missing))

        self.surrender_box = QWidget()
        self.surrender_box.setObjectName("surrenderBox")
        surrender = QGridLayout(self.surrender_box)
        surrender.setContentsMargins(0, 0, 0, 0)
        reason_label = QLabel(self.tr("退保原因"))
        reason_label.setBuddy(self.surrender_reason)
        retention_label = QLabel(self.tr("挽留结果"))
        retention_label.setBuddy(self.retention)
        surrender.addWidget(reason_label, 0, 0)
        surrender.addWidget(self.surrender_reason, 0, 1)
        surrender.addWidget(retention_label, 0, 2)
        surrender.addWidget(self.retention, 0, 3)
        surrender.addWidget(err("surrender_reason", self.surrender_reason), 1, 1)
        surrender.addWidget(err("retention", self.retention), 1, 3)
        surrender.setColumnStretch(1, 3)
        surrender.setColumnStretch(3, 2)
        self.surrender_box.hide()
        layout.addWidget(self.surrender_box)

        notes_row = QHBoxLayout()
        notes_label = QLabel(self.tr("备注"))
        notes_label.setBuddy(self.notes)
        notes_row.addWidget(notes_label)
        notes_row.addWidget(self.notes, 1)
        layout.addLayout(notes_row)
        layout.addWidget(err("notes", self.notes))

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self._shortcuts: list[QShortcut] = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
            self._shortcuts.append(shortcut)
        slip = QShortcut(QKeySequence("Ctrl+P"), self)
        slip.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        slip.activated.connect(self.save_and_print_slip)
        self._shortcuts.append(slip)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.clear)
        self._shortcuts.append(escape)

        order: list[QWidget] = [
            self.business, self.destination, self.save_button, self.ticket, self.phone,
            self.customer_name, self.arrival, *self.needs.values(), self.vip, self.documents_complete,
            self.missing, self.document_button, self.surrender_reason, self.retention, self.notes,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._documents_toggled(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter, Esc and Alt+T that no child used. The shortcuts above normally take them first;
        this covers a window the system has not activated (no window manager), where shortcuts sleep."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.save()
        elif event.key() == Qt.Key.Key_T and event.modifiers() == Qt.KeyboardModifier.AltModifier:
            self.edit_arrival()
        elif event.key() == Qt.Key.Key_P and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.save_and_print_slip()
        elif event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.clear()
        elif event.key() == Qt.Key.Key_F11 and not event.modifiers():
            self.open_counters()
        else:
            super().keyPressEvent(event)

    def _heading(self, title: str, hint: str, buddy: QWidget, extra: QWidget | None = None) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 0)
        label = QLabel(f"<b>{title}</b>")
        label.setBuddy(buddy)
        note = QLabel(hint)
        note.setStyleSheet("color: #6b7280;")
        layout.addWidget(label)
        layout.addWidget(note)
        layout.addStretch(1)
        if extra is not None:
            layout.addWidget(extra)
        return row

    # ------------------------------------------------------------------ lists

    def reload_lists(self) -> None:
        """Re-read the three lists (after the settings dialog changed them). Picks are kept."""
        self.business.set_entries(lists.entries(BUSINESS_TYPE))
        self.destination.set_entries(lists.entries(DESTINATION))
        self.document_menu.clear()
        for entry in lists.entries(DOCUMENT):
            self.document_menu.addAction(entry.label)
        self.document_button.setEnabled(not self.documents_complete.isChecked() and not self.document_menu.isEmpty())

    # ------------------------------------------------------------------ behaviour

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._follow_clock()
        self._clock.start()
        self._counters_poll.start()
        self.refresh_counters()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._clock.stop()
        self._counters_poll.stop()
        super().hideEvent(event)

    # ------------------------------------------------------------------ today's counters

    def apply_role(self, actor: session.Actor | None) -> None:
        """Everyone may look at today's counters; the duty manager and the administrator change them."""
        self._may_change_counters = actor is not None and actor.can(session.OPEN_COUNTERS)
        self.counters_action.setEnabled(actor is not None)
        self.refresh_counters()

    def refresh_counters(self) -> None:
        """Read today's closed counters on the database worker and grey them out."""
        if self._counters_job is not None or session.current() is None:
            return

        def ended() -> None:
            self._counters_job = None

        # Unreadable for a moment: the last state stays, and the service still refuses a closed counter.
        self._counters_job = (
            QueryOp(self, lambda: counters.closed_on(clock.today()))
            .success(self.set_closed).failure(lambda _error: None).finally_(ended).run()
        )

    def set_closed(self, closed: dict[int, CounterState]) -> None:
        self._closed = dict(closed)
        self.destination.set_unavailable({i: self._closed_text(s) for i, s in self._closed.items()})

    def closed_counters(self) -> dict[int, CounterState]:
        return dict(self._closed)

    def _closed_text(self, state: CounterState) -> str:
        why = self.tr("（{reason}）").format(reason=state.reason) if state.reason else ""
        return self.tr("窗口“{label}”今日已关闭{why}，请另选分流去向。").format(label=state.label, why=why)

    def _closed_counter_key(self, entry_id: int) -> None:
        text = self.destination.unavailable(entry_id) or ""
        self.errors.show(ValidationError.single("destination", text))
        self.destination.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_counters(self) -> None:
        """F11 今日窗口: window-modal over the register; read-only for a guide."""
        if self.counters_dialog is not None or not self.counters_action.isEnabled():
            return
        from frontdesk.ui.visitors.counters_dialog import CountersDialog

        try:
            dialog = CountersDialog(clock.today(), self._may_change_counters, self)
        except UserError as error:
            self.errors.show(error)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._counters_closed)
        self.counters_dialog = dialog
        dialog.show()

    def _counters_closed(self, _result: int) -> None:
        self.counters_dialog = None
        self.refresh_counters()
        self.window().activateWindow()
        self.focus_first()

    def _set_arrival_now(self) -> None:
        self._arrival_live = True
        self.arrival_now.hide()
        self._setting_arrival = True
        try:
            self.arrival.setDateTime(to_qdatetime(clock.now()))
        finally:
            self._setting_arrival = False

    def _follow_clock(self) -> None:
        if self._arrival_live and not self._arrival_focused:
            self._set_arrival_now()

    def edit_arrival(self) -> None:
        """Alt+T: into the arrival time, on its hour (the part usually corrected)."""
        self.arrival.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def arrival_doubt(self, arrived: datetime | None) -> str:
        """Why an arrival typed by hand needs a second look ("" if it does not): another day, or
        before today's opening. The question shows the date and time as they will be saved."""
        if arrived is None:
            return ""
        now = clock.now()
        shown = format_datetime(arrived)
        if arrived.date() != now.date():
            return self.tr("到达时间是 {time}，不是今天（{today}）。").format(
                time=shown, today=now.date().isoformat())
        opening = settings.load().opening_time
        if arrived.time() < opening:
            return self.tr("到达时间是 {time}，早于今天的营业时间（{opening}）。").format(
                time=shown, opening=opening.strftime("%H:%M"))
        return ""

    def _confirm_arrival(self, doubt: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("核对到达时间"),
                          doubt + self.tr("确定按这个时间登记吗？"), parent=self)
        box.setObjectName("arrivalConfirmation")
        register = box.addButton(self.tr("按此时间登记(&Y)"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("返回修改(&N)"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        # The box is the form's child: its Enter and Esc are the box's, not "save" and "clear".
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
        try:
            box.exec()
        finally:
            for shortcut in self._shortcuts:
                shortcut.setEnabled(True)
            box.deleteLater()
        return box.clickedButton() is register

    def _arrival_edited(self, _value: QDateTime) -> None:
        if not self._setting_arrival:
            self._arrival_live = False
            self.arrival_now.show()

    def arrival_is_live(self) -> bool:
        return self._arrival_live

    def _business_changed(self, _entry_id: int | None) -> None:
        entry = self.business.current_entry()
        self.surrender_box.setVisible(entry is not None and entry.tag == SURRENDER_TAG)

    def _documents_toggled(self, complete: bool) -> None:
        self.slip_button.setEnabled(not complete)
        self.missing.setEnabled(not complete)
        self.document_button.setEnabled(not complete and not self.document_menu.isEmpty())

    def _add_document(self, action) -> None:
        label = action.text()
        items = list(split_documents(self.missing.text()))
        if label not in items:
            items.append(label)
        self.missing.setText("、".join(items))
        self.missing.setFocus(Qt.FocusReason.OtherFocusReason)

    def collect(self) -> VisitInput:
        """What the form holds, as the service's input."""
        entry = self.business.current_entry()
        surrender = entry is not None and entry.tag == SURRENDER_TAG
        complete = self.documents_complete.isChecked()
        # A time set by hand is saved as shown, to the minute (not with the seconds of the moment
        # the field stopped following the clock).
        arrived: datetime | None = None if self._arrival_live else from_qdatetime(
            self.arrival.dateTime()).replace(second=0, microsecond=0)
        return VisitInput(
            business_type_id=self.business.current_id(),
            destination_id=self.destination.current_id(),
            arrived_at=arrived,
            ticket_no=self.ticket.text(),
            customer_name=self.customer_name.text(),
            phone=self.phone.text(),
            special_needs=frozenset(code for code, box in self.needs.items() if box.isChecked()),
            vip=self.vip.isChecked(),
            documents_complete=complete,
            missing_documents=() if complete else split_documents(self.missing.text()),
            surrender_reason=self.surrender_reason.currentData() if surrender else None,
            retention=self.retention.currentData() if surrender else None,
            notes=self.notes.text(),
        )

    @property
    def busy(self) -> bool:
        """A registration is on its way to the database (the form keeps everything meanwhile)."""
        return self._saving is not None

    def save(self) -> None:
        """Register the customer on the database worker; the window keeps answering meanwhile.

        A second Enter while the first is on its way does nothing. On refusal the form shows why
        next to the fields and keeps every value.
        """
        if self._saving is not None:
            return
        self.status.clear()
        data = self.collect()
        doubt = self.arrival_doubt(data.arrived_at)
        if doubt and not self._confirm_arrival(doubt):
            self.window().activateWindow()  # back from the question, into the time to correct
            self.edit_arrival()
            return
        self._saving = (
            Op(self, lambda: visitors.register(data), changes={VISIT})
            .success(self._registered)
            .failure(self._refused)
            .finally_(self._saved_or_refused)
        )
        self._saving.run()

    def save_and_print_slip(self) -> None:
        """Ctrl+P once 资料齐全 is unticked: register the customer, then the 一次性告知单 of the
        visit (papers ticked as marked here) to print. With the papers complete there is nothing
        to tell: it says so and registers nothing."""
        if self._saving is not None:
            return
        if self.documents_complete.isChecked():
            self.errors.show(ValidationError.single(
                "missing_documents", self.tr("资料齐全时无需告知单；资料不全请先取消“资料齐全”并填写所缺资料。")))
            self.documents_complete.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._slip_after = True
        self.save()
        if self._saving is None:  # the arrival question sent the guide back to the time
            self._slip_after = False

    def _saved_or_refused(self) -> None:
        self._saving = None
        self._slip_after = False

    def _refused(self, error: UserError) -> None:
        if isinstance(error, ValidationError):  # the first bad field as the eye meets it
            error = ValidationError({k: error.fields[k] for k in sorted(error.fields, key=_field_position)})
            if "destination" in error.fields:  # closed on another station a moment ago: grey it out now
                self.refresh_counters()
        first = self.errors.show(error)
        (first or self.save_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _registered(self, row: VisitRow) -> None:
        self._saving = None
        self.clear()
        text = self.tr("已登记 {time} {business} → {destination}").format(
            time=format_datetime(row.arrived_at, with_date=False),
            business=row.business_type,
            destination=row.destination,
        )
        if row.ticket_no:
            text += self.tr("（票号 {ticket}）").format(ticket=row.ticket_no)
        if row.outcome in visitors.AT_REGISTRATION:
            text += self.tr("，{outcome}，无需排队").format(outcome=visitors.OUTCOMES[row.outcome])
        self.status.setText(text)
        self.registered.emit(row.id)
        if self._slip_after:
            self._slip_after = False
            self.open_slip(row.id)

    def _slip_closed(self, _result: int) -> None:
        self.slip_dialog = None
        self.window().activateWindow()  # back to the register, ready for the next customer
        self.focus_first()

    def open_slip(self, visit_id: int) -> None:
        """The 一次性告知单 of a visit, window-modal over the register."""
        from frontdesk.ui.visitors.slip_dialog import SlipDialog

        dialog = SlipDialog(visit_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(self._slip_closed)
        self.slip_dialog = dialog
        dialog.show()

    def clear(self) -> None:
        """Ready for the next customer: everything reset, arrival back to now, focus on business."""
        self.errors.clear()
        self.business.set_current(None)
        self.destination.set_current(None)
        for edit in (self.ticket, self.customer_name, self.phone, self.missing, self.notes):
            edit.clear()
        for box in self.needs.values():
            box.setChecked(False)
        self.vip.setChecked(False)
        self.documents_complete.setChecked(True)
        self.surrender_reason.setCurrentIndex(0)
        self.retention.setCurrentIndex(0)
        self._set_arrival_now()
        self.focus_first()

    def focus_first(self) -> None:
        self.business.setFocus(Qt.FocusReason.OtherFocusReason)
