"""The record table every tab shows: a filter bar, the paged table, polling, dialogs.

What a tab's list needs beyond its columns and filters lives here once:

- filters apply as new queries on the database worker; typing waits for a pause (``debounced``);
- the selected record stays selected across a refresh, found again by its id;
- while ``should_poll()`` says so (e.g. the view includes today), the table looks every few
  seconds for rows another station added or changed (the model's ``check_for_changes``: a
  fingerprint first, rows only if it moved) and shows them without moving the user's selection
  or scroll position — never under an open dialog, a pending filter or a click in progress;
- Enter or a double click opens the record (``open_selected``), Delete its second action; the
  dialog is window-modal without a nested event loop, and the table refreshes when it closes.

A tab subclasses ``RecordTable``, builds its filter bar into ``filter_layout`` and implements
``current_query`` (and, for its dialogs, ``open_selected`` / ``delete_selected``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDateEdit,
    QDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.ui.kit.common import ERROR_STYLE, bound_date_edit, qdate
from frontdesk.ui.kit.paged_model import PagedTableModel

DEBOUNCE_MS = 250
# How often to look for other stations' changes: a change there shows here within 5 s.
POLL_MS = 4000


def debounced(parent: QObject, ms: int, slot) -> QTimer:
    """A single-shot timer that calls ``slot`` once ``ms`` passed since its last ``start()``."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer


def setup_record_view(view: QTableView, model, *, row_padding: int = 10) -> None:
    """A list of records: whole rows selected one at a time, read-only, uniform row heights (the
    view never asks a million rows for their height), no row numbers."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + row_padding)
    rows.hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)


class RecordTable(QWidget):
    """A filtered, sorted, lazily paged list of records; see the module's docstring."""

    recordsChanged = Signal()  # a record was changed through a dialog opened here

    def __init__(self, model: PagedTableModel, parent: QWidget | None = None, *,
                 view_name: str = "records_view", poll_ms: int = POLL_MS,
                 count_name: str = "count_label", error_name: str = "error_label",
                 keep_selection: bool = True) -> None:
        super().__init__(parent)
        self._keep_id: int | None = None
        self._keep_selection = keep_selection
        self._dialog: QDialog | None = None
        self._anchor: tuple[int | None, int, int, int] = (None, 0, 0, 0)  # see _remember_view
        self._debouncers: list[QTimer] = []
        self.model = model
        self.view = QTableView(self)
        self.view.setObjectName(view_name)
        self.context_actions: list[QAction | None] = []  # None: a separator

        self.count_label = QLabel(self)
        self.count_label.setObjectName(count_name)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error_label = QLabel(self)
        self.error_label.setObjectName(error_name)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.filter_layout = QVBoxLayout()  # the tab's filter rows go here
        self.filter_layout.setContentsMargins(0, 0, 0, 0)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addLayout(self.filter_layout)
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.view, 1)

        self._setup_view()
        model.busyChanged.connect(self._update_count)
        model.loaded.connect(self._loaded)
        model.pageLoaded.connect(self._update_count)
        model.errorOccurred.connect(self.show_error)
        model.rowLocated.connect(self._row_located)
        model.modelReset.connect(self.update_actions)
        model.changesAboutToShow.connect(self._remember_view)
        model.changesShown.connect(self._restore_view)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(poll_ms)
        self._poll_timer.timeout.connect(self.poll)
        self._polling = poll_ms > 0

    # ------------------------------------------------------------ what a tab provides

    def current_query(self) -> Any:
        """The view the filter bar describes (keeping the table's sort)."""
        raise NotImplementedError

    def should_poll(self) -> bool:
        """Whether other stations may be changing the view on screen now."""
        return True

    def open_selected(self) -> None:
        """Enter or a double click on a row."""

    def delete_selected(self) -> None:
        """Delete on a row."""

    def update_actions(self) -> None:
        """Enable what the selection allows (after a selection change or a new view)."""

    # ------------------------------------------------------------ building

    def _setup_view(self) -> None:
        view, model = self.view, self.model
        setup_record_view(view, model)
        view.setAlternatingRowColors(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setCornerButtonEnabled(False)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        header = view.horizontalHeader()
        if any(c.sort_key for c in model.columns):
            # Always there: the rows arriving never narrow the view and force a second paint.
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
            header.setSectionsClickable(True)
            header.setSortIndicatorShown(True)
            header.setSortIndicator(model.sort_column(), model.sort_order())
            header.sectionClicked.connect(self._header_clicked)
        metrics = view.fontMetrics()
        indicator = metrics.horizontalAdvance("中") + 12  # room for the sort arrow
        for n, column in enumerate(model.columns):
            if column.sample:
                header.resizeSection(n, max(metrics.horizontalAdvance(column.sample) + 16,
                                            metrics.horizontalAdvance(column.header) + indicator))
        view.doubleClicked.connect(self._double_clicked)
        view.installEventFilter(self)
        view.selectionModel().selectionChanged.connect(self._selection_changed)

    def debounced(self, ms: int = DEBOUNCE_MS) -> QTimer:
        """A timer that applies the filters once typing paused for ``ms``."""
        timer = debounced(self, ms, self.apply_filters)
        self._debouncers.append(timer)
        return timer

    def date_range(self, name: str, first: date, last: date) -> tuple[QDateEdit, QDateEdit]:
        """The filter bar's dates from … to (``{name}_from``, ``{name}_to``): calendar pop-ups
        bounded to 2000–2099, applying the filters once the user paused."""
        timer = self.debounced()
        edits = []
        for suffix, day in (("from", first), ("to", last)):
            edit = QDateEdit(qdate(day), self)
            edit.setObjectName(f"{name}_{suffix}")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            bound_date_edit(edit)
            edit.dateChanged.connect(timer.start)
            edits.append(edit)
        return edits[0], edits[1]

    # ------------------------------------------------------------ filters

    def apply_filters(self) -> None:
        """Show the view the filter bar describes (nothing is read again if it did not change)."""
        for timer in self._debouncers:
            timer.stop()
        query = self.current_query()
        if query == self.model.query() and not self.model.busy and self.model.total:
            return
        self._load(query)

    def _load(self, query: Any) -> None:
        if self._keep_selection:
            self._keep_id = self.selected_id() or self._keep_id
        self.error_label.hide()
        self.model.set_query(query, keep_id=self._keep_id if self._keep_selection else None)

    def refresh(self) -> None:
        """Query again (the records changed), keeping the selected record selected."""
        for timer in self._debouncers:
            timer.stop()
        self._load(self.current_query())

    # ------------------------------------------------------------ other stations

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._polling:
            self._poll_timer.start()
            self.poll()  # back from another tab or a minimised window: look now, not later

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._poll_timer.stop()
        super().hideEvent(event)

    def poll(self) -> bool:
        """Show rows another station added or changed; False when this is not the moment."""
        if not self.should_poll():
            return False
        if self._dialog is not None or QApplication.activeModalWidget() is not None:
            return False
        if any(timer.isActive() for timer in self._debouncers):
            return False  # the filter bar is about to change the view
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return False  # a click or a drag in progress: the rows must not move under it
        return self.model.check_for_changes(self._visible_rows(), self.selected_id())

    def _visible_rows(self) -> tuple[int, int]:
        viewport = self.view.viewport()
        first = self.view.rowAt(0)
        last = self.view.rowAt(viewport.height() - 1)
        if first < 0:
            return 0, 0
        return first, last if last >= 0 else self.model.rowCount() - 1

    def _remember_view(self) -> None:
        """Before the rows move: the record at the top of the viewport, scroll and current column."""
        top = self.view.rowAt(0)
        row = self.model.row_at(top) if top >= 0 else None
        bar = self.view.verticalScrollBar()
        self._anchor = (
            self.model.source.row_id(row) if row is not None and bar.value() > 0 else None,
            bar.value(),
            self.view.horizontalScrollBar().value(),
            max(0, self.view.currentIndex().column()),
        )

    def _restore_view(self, row_id: int, row: int) -> None:
        """After other stations' rows came in: the same selection, the same rows in sight.

        At the top of the list the view stays at the top (new rows show there when the list
        runs newest first); scrolled down, the row that was at the top stays at the top.
        """
        anchor_id, vertical, horizontal, column = self._anchor
        self.view.doItemsLayout()  # the new row count, before scrolling
        auto_scroll = self.view.hasAutoScroll()
        self.view.setAutoScroll(False)  # selecting must not scroll the view
        try:
            if row_id and row_id == self._keep_id:
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
        self.update_actions()

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
        self._keep_id = self.selected_id() or self._keep_id
        self.model.sort_by(column, order, keep_id=self._keep_id)

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.row_at(rows[0].row())
        return self.model.source.row_id(row) if row is not None else self._keep_id

    def selected_row(self) -> Any | None:
        """The selected record's row, if its page is in."""
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_row()
        if row is not None:
            self._keep_id = self.model.source.row_id(row)
        self.update_actions()

    def _row_located(self, row_id: int, row: int) -> None:
        if row_id != self._keep_id:
            return
        if row < 0:
            self._keep_id = None
            self.view.clearSelection()
            self.update_actions()
            return
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self.update_actions()

    def _loaded(self) -> None:
        if self.view.horizontalHeader().isSortIndicatorShown():
            self.view.horizontalHeader().setSortIndicator(self.model.sort_column(), self.model.sort_order())
        self._update_count()

    def _update_count(self) -> None:
        if self.model.busy:
            self.count_label.setText(self.tr("正在查询…"))
        else:
            self.count_label.setText(self.tr("共 {n} 条").replace("{n}", f"{self.model.total:,}"))

    def show_error(self, message: str) -> None:
        """A storage problem or a refusal, said above the table; the filters stay as typed."""
        self.error_label.setText(message)
        self.error_label.show()
        self._update_count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.view and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if key == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_selected()

    def _context_menu(self, pos) -> None:
        if not self.context_actions or not self.view.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------ dialogs

    def open_dialog(self, dialog: QDialog) -> None:
        """Window-modal, without a nested event loop; the table refreshes when it closes."""
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    @property
    def dialog_open(self) -> bool:
        return self._dialog is not None

    def _dialog_finished(self, result: int) -> None:
        self._dialog = None
        self.view.setFocus()
        self.refresh()  # even when cancelled: a conflict may have shown the view is stale
        if result == QDialog.DialogCode.Accepted:
            self.recordsChanged.emit()
