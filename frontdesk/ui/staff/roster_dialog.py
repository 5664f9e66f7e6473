"""The staff roster (人员名册) and the duty list of a day, for the duty manager and the administrator.

Insert adds a person, Enter edits the selected one, Space ticks them on or off the duty list of
the day shown (a day nobody ticked has everyone active on duty, and the list says so). The day is
today when the dialog opens; Alt+D goes to the date (Up/Down step a day), Ctrl+→ / Ctrl+← show
the next and the previous day from anywhere, Ctrl+T today again. Every call runs on the
database worker; a refused field is shown next to it in the person's form.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock, staff
from frontdesk.services import inspections as ins
from frontdesk.services.staff import Account, DutyList, StaffInput, StaffRow
from frontdesk.ui.kit.changes import STAFF
from frontdesk.ui.kit.common import ERROR_STYLE, bound_date_edit, format_percent
from frontdesk.ui.kit.forms import WorkerFormDialog
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.record_table import setup_record_view

Index = QModelIndex | QPersistentModelIndex


class RosterModel(QAbstractTableModel):
    """Every person (inactive ones last, greyed) and whether they are on duty today."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[StaffRow] = []
        self.on_duty: set[int] = set()
        self.headers = [self.tr("工号"), self.tr("姓名"), self.tr("岗位"), self.tr("窗口/台席"),
                        self.tr("状态"), self.tr("关联账户"), self.tr("当日在岗")]

    def set_rows(self, rows: list[StaffRow], duty: DutyList) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=lambda r: (not r.active, r.staff_no))
        self.on_duty = set(duty.ids)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.staff_no, row.name, row.position_label, row.counter,
                    self.tr("在职") if row.active else self.tr("停用"), row.user_name,
                    self.tr("在岗") if row.id in self.on_duty else "")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return Qt.GlobalColor.gray
        return None


class RosterDialog(QDialog):
    """人员名册."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterDialog")
        self.setWindowTitle(self.tr("人员名册"))
        self.today = clock.today()
        self.day = self.today  # whose duty list is shown and ticked
        self.duty: DutyList | None = None
        self.accounts: list[Account] = []
        self._busy = False
        self._dialog: StaffFormDialog | None = None
        self.history: SamplingHistoryDialog | None = None
        self.model = RosterModel(self)
        self.view = QTableView()
        self.view.setObjectName("rosterView")
        setup_record_view(self.view, self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.duty_label = QLabel()
        self.duty_label.setObjectName("dutyLabel")
        self.date = QDateEdit(QDate(self.day.year, self.day.month, self.day.day))
        self.date.setObjectName("dutyDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd ddd")
        bound_date_edit(self.date)
        self.date.dateChanged.connect(self._date_changed)
        self.date.installEventFilter(self)  # Up/Down a day, whichever part of the date the cursor is on
        date_label = QLabel(self.tr("值班日期(&D)"))
        date_label.setBuddy(self.date)
        for keys, step in (("Ctrl+Right", 1), ("Ctrl+Left", -1), ("Ctrl+T", 0)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.go_to(step))
        self.message = QLabel()
        self.message.setObjectName("rosterMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (("add", self.tr("新增 (Insert)"), self.add),
                                 ("edit", self.tr("修改 (Enter)"), self.edit_selected),
                                 ("duty", self.tr("在岗 (空格)"), self.toggle_duty),
                                 ("history", self.tr("抽查记录 (H)"), self.show_history),
                                 ("close", self.tr("关闭 (Esc)"), self.reject)):
            button = QPushButton(text)
            button.setObjectName(f"roster_{name}")
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            self.buttons[name] = button
            row.addWidget(button)
        row.insertStretch(4, 1)
        top = QHBoxLayout()
        top.addWidget(date_label)
        top.addWidget(self.date)
        top.addWidget(QLabel(self.tr("Ctrl+←/→ 前一天/后一天　Ctrl+T 今天")))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.duty_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resize(820, 520)
        self.reload()
        self.view.setFocus()

    # ------------------------------------------------------------ reading

    def go_to(self, step: int) -> None:
        """The next (1) or previous (-1) day's duty list, or today's (0)."""
        target = self.day + timedelta(days=step) if step else self.today
        self.date.setDate(QDate(target.year, target.month, target.day))

    def _date_changed(self, value: QDate) -> None:
        self.day = date(value.year(), value.month(), value.day())
        self.message.hide()
        self.reload()

    def reload(self, select: int | None = None) -> None:
        day = self.day

        def read() -> tuple[list[StaffRow], DutyList, list[Account]]:
            return staff.roster(include_inactive=True), staff.duty_list(day), staff.accounts()

        QueryOp(self, read).success(lambda got: self._show(*got, select=select)).failure(self._refused).run()

    def _show(self, rows: list[StaffRow], duty: DutyList, accounts: list[Account], *, select: int | None) -> None:
        keep = select if select is not None else self.selected_id()
        if duty.day != self.day:  # an answer for a day no longer shown
            return
        self.duty, self.accounts = duty, accounts
        self.model.set_rows(rows, duty)
        which = self.tr("今日") if duty.day == self.today else self.tr("明日") \
            if duty.day == self.today + timedelta(days=1) else ""
        self.duty_label.setText(
            (self.tr("{which}（{day}）在岗 {n} 人（按值班名单）") if duty.ticked
             else self.tr("{which}（{day}）未排班：在职人员 {n} 人均视为在岗"))
            .replace("{which}", which).replace("{day}", duty.day.isoformat()).replace("{n}", str(len(duty.ids))))
        ids = [r.id for r in self.model.rows]
        if ids:
            self.view.selectRow(ids.index(keep) if keep in ids else 0)

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return row.id if row is not None else None

    def selected_row(self) -> StaffRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    # ------------------------------------------------------------ acting

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.date and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            self.go_to(1 if event.key() == Qt.Key.Key_Up else -1)
            return True
        if watched is self.view and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_selected()
                return True
            if key == Qt.Key.Key_Insert:
                self.add()
                return True
            if key == Qt.Key.Key_Space:
                self.toggle_duty()
                return True
            if key == Qt.Key.Key_H:
                self.show_history()
                return True
        return super().eventFilter(watched, event)

    def add(self) -> None:
        self._form(None)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._form(row)

    def _form(self, row: StaffRow | None) -> None:
        if self._dialog is not None:
            return
        dialog = StaffFormDialog(row, self.accounts, self)
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(result: int) -> None:
            self._dialog = None
            saved = dialog.result_value
            self.reload(select=saved.id if result == QDialog.DialogCode.Accepted and saved is not None else None)
            self.view.setFocus()

        dialog.finished.connect(closed)
        dialog.open()

    @property
    def form(self) -> StaffFormDialog | None:
        return self._dialog

    def toggle_duty(self) -> None:
        row = self.selected_row()
        if row is None or self.duty is None or self._busy:
            return
        if not row.active:
            self._refused(UserError(self.tr("已停用的人员不能排班。")))
            return
        ids = set(self.duty.ids)
        ids ^= {row.id}
        if not ids:  # nobody ticked would mean everyone: say so rather than guess
            self._refused(UserError(self.tr("值班名单至少要有一人；不排班时全体在职人员均视为在岗。")))
            return
        everyone = {r.id for r in self.model.rows if r.active}
        wanted = [] if ids == everyone else sorted(ids)
        day = self.duty.day
        self._busy = True
        Op(self, lambda: staff.set_duty(day, wanted), changes={STAFF}) \
            .success(lambda _duty: self.reload(select=row.id)).failure(self._refused) \
            .finally_(self._ended).run()

    def _ended(self) -> None:
        self._busy = False

    def show_history(self) -> None:
        """The selected person's service-sampling score sheets (抽查记录)."""
        row = self.selected_row()
        if row is None or self._dialog is not None:
            return
        QueryOp(self, lambda: ins.sampling_history(row.id)).success(
            lambda sheets: self._open_history(row, sheets)).failure(self._refused).run()

    def _open_history(self, row: StaffRow, sheets: list[ins.SamplingScore]) -> None:
        dialog = SamplingHistoryDialog(row, sheets, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.history = dialog
        dialog.finished.connect(lambda _result: self.view.setFocus())
        dialog.open()

    def _refused(self, error: UserError) -> None:
        self.message.setText(error.message)
        self.message.show()


class SamplingHistoryDialog(QDialog):
    """One person's sampling score sheets, newest first: the points per criterion and the score."""

    def __init__(self, person: StaffRow, sheets: list[ins.SamplingScore], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplingHistory")
        self.setWindowTitle(self.tr("服务抽查记录：{name}").replace("{name}", person.name))
        criteria = list(dict.fromkeys(c for sheet in sheets for c, _points in sheet.points))
        self.table = QTableWidget(len(sheets), len(criteria) + 2)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([self.tr("日期"), *criteria, self.tr("得分")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for r, sheet in enumerate(sheets):
            points = dict(sheet.points)
            cells = [sheet.day.isoformat(), *(str(points.get(c, "")) for c in criteria), format_percent(sheet.score)]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        empty = QLabel(self.tr("尚无抽查记录。"))
        empty.setVisible(not sheets)
        close = QPushButton(self.tr("关闭 (Esc)"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("每项 1–5 分，满分 5 分；得分 = 各项得分之和 ÷ 满分之和")))
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.resize(720, 360)
        self.table.setFocus()


class StaffFormDialog(WorkerFormDialog):
    """One person of the roster: new (``row`` None) or an edit of ``row``."""

    changes = frozenset({STAFF})

    def __init__(self, row: StaffRow | None, accounts: list[Account], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("保存"), parent)
        self.setObjectName("staffForm")
        self.setWindowTitle(self.tr("新增人员") if row is None else self.tr("修改人员"))
        self.row = row
        data = row.to_input() if row is not None else StaffInput()
        self.name = QLineEdit(data.name)
        self.name.setObjectName("staffName")
        self.name.setMaxLength(staff.MAX_NAME + 10)
        self.staff_no = QLineEdit(data.staff_no)
        self.staff_no.setObjectName("staffNo")
        self.staff_no.setMaxLength(staff.MAX_NO + 10)
        self.position = QComboBox()
        self.position.setObjectName("staffPosition")
        for code, label in staff.POSITIONS.items():
            self.position.addItem(label, code)
        self.position.setCurrentIndex(max(0, self.position.findData(data.position)))
        self.counter = QLineEdit(data.counter)
        self.counter.setObjectName("staffCounter")
        self.counter.setMaxLength(staff.MAX_COUNTER + 10)
        self.account = QComboBox()
        self.account.setObjectName("staffAccount")
        self.account.addItem(self.tr("（无）"), None)
        for account in accounts:
            self.account.addItem(account.label, account.user_id)
        if data.user_id is not None:
            found = self.account.findData(data.user_id)
            if found < 0:
                self.account.addItem(row.user_name if row is not None else str(data.user_id), data.user_id)
                found = self.account.count() - 1
            self.account.setCurrentIndex(found)
        self.active = QCheckBox(self.tr("在职"))
        self.active.setObjectName("staffActive")
        self.active.setChecked(data.active)
        self.add_field(self.tr("姓名"), self.name, "name")
        self.add_field(self.tr("工号"), self.staff_no, "staff_no")
        self.add_field(self.tr("岗位"), self.position, "position")
        self.add_field(self.tr("窗口/台席"), self.counter, "counter")
        self.add_field(self.tr("关联账户"), self.account, "user_id")
        self.add_field("", self.active, "active")
        self.name.setFocus()

    def prepare(self):
        data = StaffInput(self.name.text(), self.staff_no.text(), self.position.currentData(),
                          self.counter.text(), self.active.isChecked(), self.account.currentData())
        row = self.row
        if row is None:
            return lambda: staff.add_staff(data)
        return lambda: staff.update_staff(row.id, data, row)
