"""The register table (来访登记表): a filter bar, the lazily paged table, edit and void.

Every filter is a new query in SQL (``VisitQuery``) run on the database worker, so a filter over
years of visits never freezes the window; typing in the search box waits for a pause (debounce)
and stops a search that is no longer wanted. The selected visit stays selected across a refresh,
found again by its id.

While the view includes today, the table looks every few seconds for visits another station
registered or changed (``VisitTableModel.check_for_changes``: a fingerprint first, rows only if it
moved) and shows them without moving the user's selection or scroll position. It does not look
while one of its dialogs is open or a filter is being typed.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import clock, lists, session, visitors
from frontdesk.services.presets import BUSINESS_TYPE
from frontdesk.services.visitors import VisitQuery
from frontdesk.ui.kit.common import ERROR_STYLE, show_user_error
from frontdesk.ui.visitors.table_model import COLUMNS, VisitTableModel

SEARCH_DEBOUNCE_MS = 250
DATE_DEBOUNCE_MS = 250
# How often to look for other stations' changes: a registration there shows here within 5 s.
POLL_MS = 4000

# Initial column widths: wide enough for a typical value (users can still drag them).
_SAMPLES = {
    "arrived_at": "2026-11-25 10:30", "ticket_no": "A0123", "customer_name": "欧阳女士",
    "phone": "138****1234", "business_type": "新契约/投保", "destination": "客户接待室",
    "special_needs": "行动不便", "vip": "贵宾", "documents": "缺：身份证", "status": "未办理离开",
    "called_at": "10:30", "finished_at": "10:45", "wait": "123.4", "service": "123.4",
    "outcome": "资料不全", "served_by": "欧阳明", "notes": "客户较急，已递水",
}


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class RegisterTableWidget(QWidget):
    """Every visit of a date range, filtered and sorted in SQL; opens the edit and void dialogs."""

    visitsChanged = Signal()  # a visit was edited or voided here

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keep_id: int | None = None
        self._dialog: QDialog | None = None
        self._day = clock.today()  # the day "today" meant at the last look (see _follow_the_day)
        self._anchor: tuple[int | None, int, int, int] = (None, 0, 0, 0)  # see _remember_view

        self.model = VisitTableModel(self)
        self.view = QTableView(self)
        self._build_filter_bar()
        self._build_view()
        self._build_actions()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._date_row)
        layout.addLayout(self._filter_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(self._button_row)

        self.model.busyChanged.connect(self._update_count)
        self.model.loaded.connect(self._loaded)
        self.model.errorOccurred.connect(self._show_error)
        self.model.visitLocated.connect(self._visit_located)
        self.model.modelReset.connect(self._update_actions)
        self.model.changesAboutToShow.connect(self._remember_view)
        self.model.changesShown.connect(self._restore_view)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self.poll)
        self._apply_filters()

    # ------------------------------------------------------------ building

    def _build_filter_bar(self) -> None:
        today = clock.today()
        self.date_from = QDateEdit(_qdate(today), self)
        self.date_to = QDateEdit(_qdate(today), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(QDate(2000, 1, 1))
        self.date_from.setObjectName("date_from")
        self.date_to.setObjectName("date_to")
        self.date_from.setToolTip(self.tr("起始日期"))
        self.date_to.setToolTip(self.tr("截止日期"))
        self._date_timer = QTimer(self)
        self._date_timer.setSingleShot(True)
        self._date_timer.setInterval(DATE_DEBOUNCE_MS)
        self._date_timer.timeout.connect(self._apply_filters)
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
        self.business_type.currentIndexChanged.connect(self._apply_filters)

        self.status = QComboBox(self)
        self.status.setObjectName("status_filter")
        self.status.addItem(self.tr("全部有效"), None)
        for code in (visitors.WAITING, visitors.SERVING, visitors.FINISHED, visitors.LEFT, visitors.VOIDED):
            self.status.addItem(self._status_label(code), code)
        self.status.currentIndexChanged.connect(self._apply_filters)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("搜索：称呼、票号、电话（如后四位）、备注、经办人"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filters)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count_label")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("共 1,000,000 条") + 8)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("业务类型"), self))
        row.addWidget(self.business_type)
        row.addWidget(QLabel(self.tr("状态"), self))
        row.addWidget(self.status)
        row.addWidget(self.search, 1)
        row.addWidget(self.count_label)
        self._filter_row = row

        self.error_label = QLabel(self)
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

    def _status_label(self, code: str) -> str:
        return {
            visitors.WAITING: self.tr("等候中"),
            visitors.SERVING: self.tr("办理中"),
            visitors.FINISHED: self.tr("已完成"),
            visitors.LEFT: self.tr("未办理离开"),
            visitors.VOIDED: self.tr("已作废"),
        }[code]

    def _build_view(self) -> None:
        view = self.view
        view.setObjectName("register_view")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setCornerButtonEnabled(False)
        # Always there: the rows arriving never narrow the view and force a second full paint.
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        # Uniform rows: the view never asks a million rows for their height.
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
        rows.hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        header.sectionClicked.connect(self._header_clicked)
        metrics = view.fontMetrics()
        indicator = metrics.horizontalAdvance("中") + 12  # room for the sort arrow
        for n, column in enumerate(COLUMNS):
            title = self.model.headerData(n, Qt.Orientation.Horizontal)
            header.resizeSection(n, max(metrics.horizontalAdvance(_SAMPLES[column.key]) + 16,
                                        metrics.horizontalAdvance(title) + indicator))
        view.doubleClicked.connect(self._double_clicked)
        view.installEventFilter(self)
        view.selectionModel().selectionChanged.connect(self._selection_changed)

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
        row.addStretch(1)
        row.addWidget(self.edit_button)
        row.addWidget(self.void_button)
        self._button_row = row
        self._update_actions()

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
        self._apply_filters()

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
        self._apply_filters()

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

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self._date_timer.stop()
        query = self.current_query()
        if query == self.model.query() and not self.model.busy and self.model.total:
            return
        self._load(query)

    def _load(self, query: VisitQuery) -> None:
        self._keep_id = self.selected_visit_id() or self._keep_id
        self.error_label.hide()
        self.model.set_query(query, keep_id=self._keep_id)

    def refresh(self) -> None:
        """Query again (the register changed), keeping the selected visit selected."""
        self._search_timer.stop()
        self._date_timer.stop()
        self._load(self.current_query())

    # ------------------------------------------------------------ other stations

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._poll_timer.start()
        self.poll()  # back from another tab or a minimised window: look now, not in 4 s

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._poll_timer.stop()
        super().hideEvent(event)

    def poll(self) -> bool:
        """Show visits another station registered or changed; False when this is not the moment.

        Only for a view that includes today (where other stations work), and never under an
        open dialog or while the filter bar is about to change the view.
        """
        if self._follow_the_day():
            return True
        shown = self.model.query()
        if not shown.date_from <= clock.today() <= shown.date_to:
            return False
        if self._dialog is not None or QApplication.activeModalWidget() is not None:
            return False
        if self._search_timer.isActive() or self._date_timer.isActive():
            return False
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return False  # a click or a drag in progress: the rows must not move under it
        return self.model.check_for_changes(self._visible_rows(), self.selected_visit_id())

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

    def _visible_rows(self) -> tuple[int, int]:
        viewport = self.view.viewport()
        first = self.view.rowAt(0)
        last = self.view.rowAt(viewport.height() - 1)
        if first < 0:
            return 0, 0
        return first, last if last >= 0 else self.model.rowCount() - 1

    def _remember_view(self) -> None:
        """Before the rows move: the visit at the top of the viewport, scroll and current column."""
        top = self.view.rowAt(0)
        row = self.model.row_at(top) if top >= 0 else None
        bar = self.view.verticalScrollBar()
        self._anchor = (
            row.id if row is not None and bar.value() > 0 else None,
            bar.value(),
            self.view.horizontalScrollBar().value(),
            max(0, self.view.currentIndex().column()),
        )

    def _restore_view(self, visit_id: int, row: int) -> None:
        """After other stations' visits came in: the same selection, the same rows in sight.

        At the top of the list the view stays at the top (new visits show there when the list
        runs newest first); scrolled down, the visit that was at the top stays at the top.
        """
        anchor_id, vertical, horizontal, column = self._anchor
        self.view.doItemsLayout()  # the new row count, before scrolling
        auto_scroll = self.view.hasAutoScroll()
        self.view.setAutoScroll(False)  # selecting must not scroll the view
        try:
            if visit_id and visit_id == self._keep_id:
                if row >= 0:
                    self.view.selectionModel().setCurrentIndex(
                        self.model.index(row, column),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
                else:
                    self._keep_id = None  # gone from this view (voided, or no longer matches)
        finally:
            self.view.setAutoScroll(auto_scroll)
        anchor_row = self.model.row_of(anchor_id) if anchor_id is not None else None
        if anchor_row is not None:
            self.view.scrollTo(self.model.index(anchor_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            self.view.verticalScrollBar().setValue(vertical)
        self.view.horizontalScrollBar().setValue(horizontal)
        self._update_count()
        self._update_actions()

    # ------------------------------------------------------------ table

    def _header_clicked(self, column: int) -> None:
        header = self.view.horizontalHeader()
        if not self.model.is_sortable(column):
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            return
        if column == self.model.sort_column():
            order = (Qt.SortOrder.AscendingOrder if self.model.sort_order() == Qt.SortOrder.DescendingOrder
                     else Qt.SortOrder.DescendingOrder)
        else:
            order = Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)
        self._keep_id = self.selected_visit_id() or self._keep_id
        self.model.sort_by(column, order, keep_id=self._keep_id)

    def selected_visit_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.row_at(rows[0].row())
        return row.id if row is not None else self._keep_id

    def _selection_changed(self, *_args: object) -> None:
        row = self._selected_row()
        if row is not None:
            self._keep_id = row.id
        self._update_actions()

    def _visit_located(self, visit_id: int, row: int) -> None:
        if visit_id != self._keep_id:
            return
        if row < 0:
            self._keep_id = None
            self.view.clearSelection()
            self._update_actions()
            return
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self._update_actions()

    def _loaded(self) -> None:
        self.view.horizontalHeader().setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self._update_count()

    def _update_count(self) -> None:
        if self.model.busy:
            self.count_label.setText(self.tr("正在查询…"))
        else:
            self.count_label.setText(self.tr("共 {n} 条").replace("{n}", f"{self.model.total:,}"))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self._update_count()

    def _update_actions(self) -> None:
        visit = self._selected_row()
        self.edit_action.setEnabled(visit is not None)
        self.edit_button.setEnabled(visit is not None)
        actor = session.current()
        may_void = actor is not None and actor.can(session.VOID)
        can_void = may_void and visit is not None and visit.status != visitors.VOIDED
        self.void_action.setEnabled(can_void)
        self.void_action.setVisible(may_void)
        self.void_button.setEnabled(can_void)
        self.void_button.setVisible(may_void)

    def apply_role(self) -> None:
        """After a sign-in: what the user's role may do decides which actions show."""
        self._update_actions()

    def _selected_row(self) -> visitors.VisitRow | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.view and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_selected()
                return True
            if key == Qt.Key.Key_Delete:
                self.void_selected()
                return True
        return super().eventFilter(watched, event)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()

    def _context_menu(self, pos) -> None:
        if not self.view.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.void_action)
        menu.addSeparator()
        menu.addAction(self.refresh_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------ actions

    def edit_selected(self) -> None:
        """Open the detail/edit dialog of the selected visit."""
        visit = self._selected_row()
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
        self._open(dialog)

    def void_selected(self) -> None:
        """Ask for a reason and void the selected visit."""
        visit = self._selected_row()
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
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        """Window-modal, without a nested event loop; the table refreshes when it closes."""
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    def _dialog_finished(self, result: int) -> None:
        self._dialog = None
        self.view.setFocus()
        self.refresh()  # even when cancelled: a conflict may have shown the view is stale
        if result == QDialog.DialogCode.Accepted:
            self.visitsChanged.emit()
