"""The register table (来访登记表): the register's filter bar, columns and dialogs on the kit's table.

The table itself — paging on the database worker, debounced filters, polling for other stations'
changes, the selection kept by id, dialogs that refresh it when they close — is the kit's
``RecordTable``. What is the register's own: the filter bar (dates with quick ranges, business
type, status, free text), polling only while the view includes today (where other stations work),
following the date after midnight, and the edit and void dialogs.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock, lists, session, visitors
from frontdesk.services.presets import BUSINESS_TYPE
from frontdesk.services.validation import MAX_SEARCH
from frontdesk.services.visitors import VisitQuery
from frontdesk.ui.kit.common import bound_date_edit, show_user_error
from frontdesk.ui.kit.record_table import DEBOUNCE_MS, POLL_MS, RecordTable
from frontdesk.ui.visitors.table_model import VisitTableModel

SEARCH_DEBOUNCE_MS = DEBOUNCE_MS
DATE_DEBOUNCE_MS = DEBOUNCE_MS
__all__ = ["DATE_DEBOUNCE_MS", "POLL_MS", "SEARCH_DEBOUNCE_MS", "RegisterTableWidget"]


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class RegisterTableWidget(RecordTable):
    """Every visit of a date range, filtered and sorted in SQL; opens the edit and void dialogs."""

    visitsChanged = Signal()  # a visit was edited or voided here
    complaintRequested = Signal(int, str)  # 登记投诉: a ticket for this visit (id, customer's name)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(VisitTableModel(), parent, view_name="register_view")
        self.model.setParent(self)
        self._day = clock.today()  # the day "today" meant at the last look (see _follow_the_day)
        self._build_filter_bar()
        self._build_actions()
        # The edit and void buttons end the date row: a row of their own would cost the register
        # a line of visits on a 768 px screen.
        self._date_row.addLayout(self._button_row)
        self.filter_layout.addLayout(self._date_row)
        self.filter_layout.addLayout(self._filter_row)
        self.recordsChanged.connect(self.visitsChanged)
        self.apply_filters()

    # ------------------------------------------------------------ building

    def _build_filter_bar(self) -> None:
        today = clock.today()
        self.date_from = QDateEdit(_qdate(today), self)
        self.date_to = QDateEdit(_qdate(today), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            bound_date_edit(edit)
        self.date_from.setObjectName("date_from")
        self.date_to.setObjectName("date_to")
        self.date_from.setToolTip(self.tr("起始日期"))
        self.date_to.setToolTip(self.tr("截止日期"))
        self._date_timer = self.debounced(DATE_DEBOUNCE_MS)
        self.date_from.dateChanged.connect(self._from_changed)
        self.date_to.dateChanged.connect(self._to_changed)

        self.quick_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("日期"), self))
        row.addWidget(self.date_from)
        row.addWidget(QLabel(self.tr("至"), self))
        row.addWidget(self.date_to)
        for key, text in (
            ("today", self.tr("今天")),
            ("yesterday", self.tr("昨天")),
            ("week", self.tr("本周")),
            ("month", self.tr("本月")),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"quick_{key}")
            button.setAutoDefault(False)
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, k=key: self.set_quick_range(k))
            self.quick_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self._date_row = row

        self.business_type = QComboBox(self)
        self.business_type.setObjectName("business_type_filter")
        self.business_type.addItem(self.tr("全部业务类型"), None)
        for entry in lists.entries(BUSINESS_TYPE, include_inactive=True):
            label = entry.label if entry.active else self.tr("{label}（已停用）").replace("{label}", entry.label)
            self.business_type.addItem(label, entry.id)
        self.business_type.currentIndexChanged.connect(self.apply_filters)

        self.status = QComboBox(self)
        self.status.setObjectName("status_filter")
        self.status.addItem(self.tr("全部有效"), None)
        for code in (visitors.WAITING, visitors.SERVING, visitors.FINISHED, visitors.LEFT, visitors.VOIDED):
            self.status.addItem(self._status_label(code), code)
        self.status.currentIndexChanged.connect(self.apply_filters)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索：称呼、票号、备注、经办人；电话输入尾号 4 位或完整号码"))
        self.search.setMaxLength(MAX_SEARCH)
        self._search_timer = self.debounced(SEARCH_DEBOUNCE_MS)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)

        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("共 1,000,000 条") + 8)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("业务类型"), self))
        row.addWidget(self.business_type)
        row.addWidget(QLabel(self.tr("状态"), self))
        row.addWidget(self.status)
        row.addWidget(self.search, 1)
        row.addWidget(self.count_label)
        self._filter_row = row


    def height_for_rows(self, rows: int) -> int:
        """The height this widget needs to show ``rows`` whole rows of visits without scrolling."""
        view = self.view
        chrome = self.sizeHint().height() - view.sizeHint().height()
        frame = 2 * view.frameWidth() + view.horizontalHeader().sizeHint().height()
        scroll = view.horizontalScrollBar().sizeHint().height()  # the columns outgrow a narrow panel
        return chrome + frame + scroll + rows * view.verticalHeader().defaultSectionSize()

    def _status_label(self, code: str) -> str:
        return {
            visitors.WAITING: self.tr("等候中"),
            visitors.SERVING: self.tr("办理中"),
            visitors.FINISHED: self.tr("已完成"),
            visitors.LEFT: self.tr("未办理离开"),
            visitors.VOIDED: self.tr("已作废"),
        }[code]

    def _build_actions(self) -> None:
        self.edit_action = QAction(self.tr("查看/编辑"), self)
        self.edit_action.triggered.connect(self.edit_selected)
        self.void_action = QAction(self.tr("作废…"), self)
        self.void_action.triggered.connect(self.void_selected)
        self.refresh_action = QAction(self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(self.refresh)
        self.addAction(self.refresh_action)
        self.complaint_action = QAction(self.tr("登记投诉…"), self)
        self.complaint_action.triggered.connect(self.complaint_for_selected)
        self.context_actions = [self.edit_action, self.void_action, self.complaint_action, None, self.refresh_action]

        self.edit_button = QPushButton(self.edit_action.text(), self)
        self.edit_button.setObjectName("edit_button")
        self.edit_button.setAutoDefault(False)
        self.edit_button.setToolTip(self.tr("回车或双击也可打开"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.void_button = QPushButton(self.void_action.text(), self)
        self.void_button.setObjectName("void_button")
        self.void_button.setAutoDefault(False)
        self.void_button.clicked.connect(self.void_selected)
        row = QHBoxLayout()
        row.addWidget(self.edit_button)
        row.addWidget(self.void_button)
        self._button_row = row
        self.update_actions()

    # ------------------------------------------------------------ filters

    def current_query(self) -> VisitQuery:
        """The view the filter bar describes (sort kept from the table)."""
        shown = self.model.query()
        return VisitQuery(
            date_from=_pydate(self.date_from.date()),
            date_to=_pydate(self.date_to.date()),
            business_type_id=self.business_type.currentData(),
            status=self.status.currentData(),
            text=self.search.text().strip(),
            sort_key=shown.sort_key,
            descending=shown.descending,
        )

    def set_date_range(self, date_from: date, date_to: date) -> None:
        """Show ``date_from`` … ``date_to`` (both included) at once."""
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        for edit, value in ((self.date_from, date_from), (self.date_to, date_to)):
            edit.blockSignals(True)
            edit.setDate(_qdate(value))
            edit.blockSignals(False)
        self._date_timer.stop()
        self.apply_filters()

    def set_quick_range(self, key: str) -> None:
        """今天 / 昨天 / 本周 (from Monday) / 本月 (from the 1st)."""
        today = clock.today()
        if key == "today":
            self.set_date_range(today, today)
        elif key == "yesterday":
            yesterday = today - timedelta(days=1)
            self.set_date_range(yesterday, yesterday)
        elif key == "week":
            self.set_date_range(today - timedelta(days=today.weekday()), today)
        elif key == "month":
            self.set_date_range(today.replace(day=1), today)
        else:
            raise ValueError(key)

    def apply_text_filter(self, text: str) -> None:
        """Search for ``text`` now, as the search box does after a pause in typing."""
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self.apply_filters()

    def _from_changed(self, value: QDate) -> None:
        if value > self.date_to.date():
            self.date_to.blockSignals(True)
            self.date_to.setDate(value)
            self.date_to.blockSignals(False)
        self._date_timer.start()

    def _to_changed(self, value: QDate) -> None:
        if value < self.date_from.date():
            self.date_from.blockSignals(True)
            self.date_from.setDate(value)
            self.date_from.blockSignals(False)
        self._date_timer.start()

    # ------------------------------------------------------------ other stations

    def should_poll(self) -> bool:
        """Only for a view that includes today: that is where other stations work."""
        shown = self.model.query()
        return shown.date_from <= clock.today() <= shown.date_to

    def poll(self) -> bool:
        """Show visits another station registered or changed; False when this is not the moment."""
        if self._follow_the_day():
            return True
        return super().poll()

    def _follow_the_day(self) -> bool:
        """After midnight a view that ended on "today" moves on with the date.

        The front-desk PC may stay on overnight: the next morning 今天 must mean the new day (a
        one-day view shows the new day; 本周 / 本月 ranges are extended to it). A range the user
        chose that ended earlier is left alone.
        """
        today = clock.today()
        if today == self._day:
            return False
        previous, self._day = self._day, today
        shown = self.model.query()
        if shown.date_to != previous or today < previous:
            return False
        one_day = shown.date_from == shown.date_to
        self.set_date_range(today if one_day else shown.date_from, today)
        return True

    # ------------------------------------------------------------ selection and actions

    def selected_visit_id(self) -> int | None:
        return self.selected_id()

    def update_actions(self) -> None:
        visit = self.selected_row()
        self.edit_action.setEnabled(visit is not None)
        self.edit_button.setEnabled(visit is not None)
        actor = session.current()
        may_void = actor is not None and actor.can(session.VOID)
        can_void = may_void and visit is not None and visit.status != visitors.VOIDED
        self.void_action.setEnabled(can_void)
        self.void_action.setVisible(may_void)
        self.void_button.setEnabled(can_void)
        self.void_button.setVisible(may_void)
        may_complain = actor is not None and actor.can(session.COMPLAINT_REGISTER)
        self.complaint_action.setVisible(may_complain)
        self.complaint_action.setEnabled(may_complain and visit is not None and visit.status != visitors.VOIDED)

    def complaint_for_selected(self) -> None:
        """登记投诉 on a visit: the complaint tab's new-ticket form, linked to it (the phone comes
        from the visit on the service side)."""
        visit = self.selected_row()
        if visit is None or visit.status == visitors.VOIDED:
            return
        self.complaintRequested.emit(visit.id, visit.customer_name or "")

    def apply_role(self) -> None:
        """After a sign-in: what the user's role may do decides which actions show."""
        self.update_actions()

    def open_selected(self) -> None:
        self.edit_selected()

    def delete_selected(self) -> None:
        self.void_selected()

    # ------------------------------------------------------------ actions

    def edit_selected(self) -> None:
        """Open the detail/edit dialog of the selected visit."""
        visit = self.selected_row()
        if visit is None or self._dialog is not None:
            return
        # Imported at first use, to keep it off start-up.
        from frontdesk.ui.visitors.form_dialog import VisitFormDialog

        try:
            dialog = VisitFormDialog(visit.id, self)
        except UserError as exc:
            show_user_error(self, exc)
            self.refresh()
            return
        self.open_dialog(dialog)

    def void_selected(self) -> None:
        """Ask for a reason and void the selected visit."""
        visit = self.selected_row()
        if visit is None or visit.status == visitors.VOIDED or self._dialog is not None:
            return
        # Imported at first use, to keep it off start-up.
        from frontdesk.ui.visitors.void_dialog import VoidVisitDialog

        try:
            dialog = VoidVisitDialog(visit.id, self)
        except UserError as exc:
            show_user_error(self, exc)
            self.refresh()
            return
        self.open_dialog(dialog)
