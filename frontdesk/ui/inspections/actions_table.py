"""Corrective actions (整改项): the list with its status and owner filters, overdue ones in red.

Enter opens an action to give it its owner (from the roster), due date and note; Ctrl+D marks it
done, Ctrl+Shift+V verifies it (the duty manager). A hall has tens of actions open, not
thousands: the service reads the filtered list whole and this source pages it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from frontdesk.services import clock, session, staff
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import ActionQuery, ActionRow
from frontdesk.services.paging import ChangeStamp
from frontdesk.ui.kit.changes import INSPECTION, STAFF, change_bus
from frontdesk.ui.kit.common import bound_date_edit
from frontdesk.ui.kit.forms import WorkerFormDialog
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.paged_model import Column, PagedTableModel, SourceBase
from frontdesk.ui.kit.record_table import RecordTable

OVERDUE_COLOR = QColor("#c62828")


@dataclass(frozen=True)
class ActionView:
    """The filter of the list (the service's query) and the day "overdue" is judged on."""

    query: ActionQuery
    today: date


class ActionRowSource(SourceBase[ActionView, ActionRow]):
    def page(self, view: ActionView, offset: int, size: int, total: int) -> list[ActionRow]:
        return ins.actions(view.query)[offset:offset + size]

    def count(self, view: ActionView) -> int:
        return len(ins.actions(view.query))

    def change_stamp(self, view: ActionView) -> ChangeStamp:
        return ins.actions_change_stamp()

    def sorted_by(self, view: ActionView, sort_key: str, descending: bool) -> ActionView:
        return view

    def sort_of(self, view: ActionView) -> tuple[str, bool]:
        return "", False


class ActionTableModel(PagedTableModel[ActionView, ActionRow]):
    def __init__(self, parent: QObject | None = None, **options) -> None:
        view = ActionView(ActionQuery(status=ins.ACTION_OPEN), clock.today())
        super().__init__(ActionRowSource(), self._make_columns(), view, parent, **options)

    def _make_columns(self) -> list[Column[ActionRow]]:
        return [
            Column("what", self.tr("整改内容"), lambda r: r.what, None, False, "叫号机开启并运转正常（无法出票）"),
            Column("owner", self.tr("责任人"), lambda r: r.owner_name, None, False, "欧阳明"),
            Column("due_on", self.tr("整改期限"), self._due, None, False, "2026-11-25 逾期"),
            Column("status", self.tr("状态"), lambda r: r.status_label, None, False, "待整改"),
            Column("run", self.tr("来自"), lambda r: f"{r.run_day:%m-%d} {r.template_name}", None, False,
                   "11-25 消防器材巡检"),
        ]

    def _due(self, row: ActionRow) -> str:
        if row.due_on is None:
            return self.tr("未定")
        text = row.due_on.isoformat()
        return text + self.tr(" 逾期") if row.overdue(self.query().today) else text

    def foreground(self, row: ActionRow) -> QBrush | None:
        return QBrush(OVERDUE_COLOR) if row.overdue(self.query().today) else None

    def tooltip(self, row: ActionRow, key: str) -> str | None:
        return row.note or None


class ActionsTable(RecordTable):
    """The corrective actions, filtered by status and owner (or none given yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ActionTableModel(), parent, view_name="actions_view", count_name="actions_count")
        self.model.setParent(self)
        self.status = QComboBox(self)
        self.status.setObjectName("action_status_filter")
        for code, label in ((ins.ACTION_OPEN, self.tr("待整改")), (ins.OVERDUE, self.tr("已逾期")),
                            (ins.ACTION_DONE, self.tr("已整改待验收")), (ins.ACTION_VERIFIED, self.tr("已验收")),
                            (None, self.tr("全部"))):
            self.status.addItem(label, code)
        self.status.currentIndexChanged.connect(self.apply_filters)
        self.owner = QComboBox(self)
        self.owner.setObjectName("action_owner_filter")
        self.owner.currentIndexChanged.connect(self.apply_filters)
        self._fill_owners([])
        self._read_owners()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("整改项")))
        row.addWidget(self.status)
        row.addWidget(self.owner)
        row.addStretch(1)
        row.addWidget(self.count_label)
        self.filter_layout.addLayout(row)

        self.edit_action = QAction(self.tr("修改…"), self)
        self.edit_action.triggered.connect(self.open_selected)
        self.done_action = QAction(self.tr("已整改"), self)
        self.done_action.setShortcut(QKeySequence("Ctrl+D"))
        self.done_action.triggered.connect(self.mark_done)
        self.verify_action = QAction(self.tr("验收"), self)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.verify_action.triggered.connect(self.verify)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for name, action, text in (("edit", self.edit_action, self.tr("修改… (Enter)")),
                                   ("done", self.done_action, self.tr("已整改 (Ctrl+D)")),
                                   ("verify", self.verify_action, self.tr("验收 (Ctrl+Shift+V)"))):
            button = QPushButton(text, self)
            button.setObjectName(f"action_{name}_button")
            button.setAutoDefault(False)
            button.clicked.connect(action.trigger)
            self.buttons[name] = button
            self.addAction(action)
            buttons.addWidget(button)
        self.layout_.addLayout(buttons)
        self.context_actions = [self.edit_action, self.done_action, self.verify_action]
        change_bus().subscribe(self, {INSPECTION, STAFF}, self._changed)
        self.apply_filters()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+D and Ctrl+Shift+V that reached the list as plain keys: a window the system has
        not activated (no window manager) delivers keys but never fires shortcuts."""
        if watched is self.view and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            pressed = QKeySequence(event.keyCombination())
            for action in (self.done_action, self.verify_action):
                if action.shortcut().matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                    action.trigger()
                    return True
        return super().eventFilter(watched, event)

    def _changed(self, kinds: frozenset[str], _initiator) -> None:
        if STAFF in kinds:
            self._read_owners()
        self.refresh()

    def _read_owners(self) -> None:
        """The filter's people, read on the worker (nobody may be signed in yet: then none)."""
        QueryOp(self, staff.roster).success(self._fill_owners).failure(lambda _error: None).run()

    def _fill_owners(self, people: list[staff.StaffRow]) -> None:
        chosen = self.owner.currentData()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(self.tr("全部责任人"), None)
        self.owner.addItem(self.tr("未指定责任人"), ins.NO_OWNER)
        for person in people:
            self.owner.addItem(person.name, person.id)
        found = self.owner.findData(chosen)
        self.owner.setCurrentIndex(max(found, 0))
        self.owner.blockSignals(False)
        if found < 0 and chosen is not None:  # the chosen person left the roster
            self.apply_filters()

    def current_query(self) -> ActionView:
        return ActionView(ActionQuery(status=self.status.currentData(), owner_id=self.owner.currentData()),
                          clock.today())

    def update_actions(self) -> None:
        row = self.selected_row()
        actor = session.current()
        can = actor is not None and actor.can(session.INSPECT)
        self.edit_action.setEnabled(can and row is not None and row.status != ins.ACTION_VERIFIED)
        self.done_action.setEnabled(can and row is not None and row.status == ins.ACTION_OPEN)
        self.verify_action.setEnabled(actor is not None and actor.can(session.SIGN_OFF)
                                      and row is not None and row.status == ins.ACTION_DONE)
        for name, action in (("edit", self.edit_action), ("done", self.done_action), ("verify", self.verify_action)):
            self.buttons[name].setEnabled(action.isEnabled())

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None or not self.edit_action.isEnabled():
            return
        QueryOp(self, staff.roster).success(lambda people: self._edit(row, people)) \
            .failure(self.show_error_and_refresh).run()

    def _edit(self, row: ActionRow, people: list[staff.StaffRow]) -> None:
        if not self.dialog_open:
            self.open_dialog(ActionDialog(row, people, self))

    def _move(self, call) -> None:
        Op(self, call, changes={INSPECTION}).failure(self.show_error_and_refresh).run()

    def show_error_and_refresh(self, error) -> None:
        self.show_error(error.message)
        self.refresh()

    def mark_done(self) -> None:
        row = self.selected_row()
        if row is not None and self.done_action.isEnabled():
            self._move(lambda: ins.complete_action(row.id, row))

    def verify(self) -> None:
        row = self.selected_row()
        if row is not None and self.verify_action.isEnabled():
            self._move(lambda: ins.verify_action(row.id, row))


class ActionDialog(WorkerFormDialog):
    """An action's owner (from the roster), due date and note."""

    changes = frozenset({INSPECTION})

    def __init__(self, row: ActionRow, people: list[staff.StaffRow], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("保存"), parent)
        self.setObjectName("actionDialog")
        self.setWindowTitle(self.tr("整改项"))
        self.row = row
        what = QLabel(row.what)
        what.setWordWrap(True)
        self.form.addRow(self.tr("整改内容"), what)
        self.owner = QComboBox()
        self.owner.setObjectName("ownerCombo")
        self.owner.addItem(self.tr("（未指定）"), None)
        for person in people:
            self.owner.addItem(f"{person.name}（{person.staff_no}）", person.id)
        if row.owner_id is not None:
            found = self.owner.findData(row.owner_id)
            if found < 0:  # an inactive owner still shows
                self.owner.addItem(row.owner_name, row.owner_id)
                found = self.owner.count() - 1
            self.owner.setCurrentIndex(found)
        self.add_field(self.tr("责任人"), self.owner, "owner")
        self.due = QDateEdit()
        self.due.setObjectName("dueEdit")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        bound_date_edit(self.due)
        day = row.due_on or clock.today()
        self.due.setDate(QDate(day.year, day.month, day.day))
        self.no_due = QCheckBox(self.tr("暂不设期限"))
        self.no_due.setObjectName("noDueCheck")
        self.no_due.setChecked(row.due_on is None)
        self.no_due.toggled.connect(lambda on: self.due.setEnabled(not on))
        self.due.setEnabled(row.due_on is not None)
        due_row = QWidget()
        due_layout = QHBoxLayout(due_row)
        due_layout.setContentsMargins(0, 0, 0, 0)
        due_layout.addWidget(self.due, 1)
        due_layout.addWidget(self.no_due)
        self.add_field(self.tr("整改期限"), due_row, "due_on")
        self.note = QLineEdit(row.note)
        self.note.setObjectName("actionNote")
        self.note.setMaxLength(ins.MAX_NOTE)
        self.add_field(self.tr("说明"), self.note, "note")
        self.setTabOrder(self.owner, self.due)
        self.setTabOrder(self.due, self.no_due)
        self.setTabOrder(self.no_due, self.note)
        self.owner.setFocus()

    def prepare(self):
        row = self.row
        owner = self.owner.currentData()
        q = self.due.date()
        due = None if self.no_due.isChecked() else date(q.year(), q.month(), q.day())
        note = self.note.text()
        return lambda: ins.update_action(row.id, row, owner_id=owner, due_on=due, note=note)
