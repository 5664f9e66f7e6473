"""The register table's item model: a window onto a view of the register that may be endless.

As in Anki's browser, the model never holds the whole view. It knows the row count (from
``count_visits``) and fetches rows in pages (``fetch_rows``) only when the view asks for them,
keeping a bounded least-recently-used set of pages: memory stays flat on a million rows.
Sorting and filtering are new queries in SQL, never a ``QSortFilterProxyModel``.

Every query runs on the database worker, so a slow one (counting years of visits, a text search)
never freezes the window: until a new view is counted the old rows stay on screen, and a row
whose page is still on its way shows a placeholder for the moment it takes.

Another station registers and edits too. ``check_for_changes`` asks the worker for a cheap
fingerprint of the view (``visitors.change_stamp``) and only when it moved re-reads the count and
the rows on screen, in the same job: an edit then only repaints its cells, and new visits reset
the model with the rows already in, so nothing flashes and the widget can keep its selection
and scroll position.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from frontdesk.errors import UserError
from frontdesk.services import clock, visitors
from frontdesk.services.visitors import ChangeStamp, VisitQuery, VisitRow
from frontdesk.ui.kit.common import format_minutes
from frontdesk.ui.kit.worker import DbWorker, Job, shared_worker

PAGE_SIZE = 200
MAX_PAGES = 40  # 8,000 rows at most in memory, whatever the size of the view
SYNC_ROWS = 20_000  # a view this small reads a missing page at once: any query on it is quick
PLACEHOLDER = "…"
CHECK_PAGES = 3  # pages a change check re-reads at most: the ones on screen

_Changes = tuple[ChangeStamp, int, dict[int, list[VisitRow]], int | None]

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    sort_key: str | None  # None: not sortable (computed or personal data)
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("arrived_at", "arrived_at"),
    Column("ticket_no", "ticket_no"),
    Column("customer_name", "customer_name"),
    Column("phone", None),
    Column("business_type", "business_type"),
    Column("destination", "destination"),
    Column("special_needs", None),
    Column("vip", None),
    Column("documents", None),
    Column("status", "status"),
    Column("called_at", "called_at"),
    Column("finished_at", "finished_at"),
    Column("wait", "wait", numeric=True),
    Column("service", "service", numeric=True),
    Column("outcome", "outcome"),
    Column("served_by", "served_by"),
    Column("notes", None),
)
_COLUMN_OF = {c.key: n for n, c in enumerate(COLUMNS)}
_COLUMN_OF_SORT = {c.sort_key: n for n, c in enumerate(COLUMNS) if c.sort_key}

VOID_COLOR = QColor("#9e9e9e")

DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
USER = int(Qt.ItemDataRole.UserRole.value)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
FONT = int(Qt.ItemDataRole.FontRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ROLES = frozenset({DISPLAY, USER, ALIGNMENT, FOREGROUND, FONT, TOOLTIP})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NCOLUMNS = len(COLUMNS)


class _Page:
    """One page of rows and, rendered on first display, their cell texts."""

    __slots__ = ("rows", "cells")

    def __init__(self, rows: list[VisitRow]) -> None:
        self.rows = rows
        self.cells: list[tuple[str, ...] | None] = [None] * len(rows)


def default_query() -> VisitQuery:
    today = clock.today()
    return VisitQuery(date_from=today, date_to=today)


def _same_filter(a: VisitQuery, b: VisitQuery) -> bool:
    """True when ``a`` and ``b`` select the same visits (they may sort differently)."""
    return replace(a, sort_key="arrived_at", descending=False) == replace(
        b, sort_key="arrived_at", descending=False
    )


class VisitTableModel(QAbstractTableModel):
    """Rows of ``fetch_rows`` pages, cached in a bounded LRU; everything else is a query."""

    loaded = Signal()  # a new view is counted and its first page is in
    busyChanged = Signal(bool)
    errorOccurred = Signal(str)  # a storage error from a background query, in Chinese
    visitLocated = Signal(int, int)  # visit id kept across a refresh, its row (-1: gone)
    # Another station changed the view: emitted around the quiet reset that shows it (no reset
    # when only the contents of rows changed). ``changesShown``: the visit kept (0: none), its row
    # (-1: gone from the view).
    changesAboutToShow = Signal()
    changesShown = Signal(int, int)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        worker: DbWorker | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        sync_rows: int = SYNC_ROWS,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._page_size = page_size
        self._max_pages = max(2, max_pages)
        self._sync_rows = sync_rows
        self.placeholders_shown = 0  # rows painted before their page was in (tests, benchmark)
        self._recent = -1  # page number data() used last
        self._headers = self._make_headers()
        self._query = default_query()  # the view on screen
        self._total = 0
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._failed: set[int] = set()  # pages whose fetch failed in this view: not retried
        self._shown_gen = 0  # bumped at every reset; late pages of an older view are dropped
        self._load_gen = 0
        self._load_job: Job | None = None
        self._locate_job: Job | None = None
        self._page_jobs: dict[int, Job] = {}  # page → job fetching it
        self._check_job: Job | None = None
        self._stamp: ChangeStamp | None = None  # the fingerprint of the view on screen
        self._wanted: set[int] = set()
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        self._void_brush = QBrush(VOID_COLOR)

    def _make_headers(self) -> dict[str, str]:
        return {
            "arrived_at": self.tr("到达时间"),
            "ticket_no": self.tr("票号"),
            "customer_name": self.tr("称呼"),
            "phone": self.tr("电话"),
            "business_type": self.tr("业务类型"),
            "destination": self.tr("分流去向"),
            "special_needs": self.tr("特殊客户"),
            "vip": self.tr("贵宾"),
            "documents": self.tr("资料"),
            "status": self.tr("状态"),
            "called_at": self.tr("叫号"),
            "finished_at": self.tr("结束"),
            "wait": self.tr("等候(分)"),
            "service": self.tr("办理(分)"),
            "outcome": self.tr("结果"),
            "served_by": self.tr("经办人"),
            "notes": self.tr("备注"),
        }

    # ------------------------------------------------------------ queries

    @property
    def worker(self) -> DbWorker:
        if self._worker is None or self._worker.is_shut_down:
            self._worker = shared_worker()
        return self._worker

    def query(self) -> VisitQuery:
        """The view on screen (the one being loaded shows once it is in)."""
        return self._query

    @property
    def total(self) -> int:
        return self._total

    @property
    def busy(self) -> bool:
        """A new view is being counted and loaded."""
        return self._load_job is not None

    @property
    def settled(self) -> bool:
        """Nothing on its way: no view loading, no page or selection being fetched."""
        return self._load_job is None and not self._page_jobs and self._locate_job is None \
            and not self._wanted and self._check_job is None

    def set_query(self, query: VisitQuery, *, keep_id: int | None = None, recount: bool = True) -> None:
        """Show ``query``. The old rows stay until the new view is counted and its first page is in.

        ``keep_id``: a visit to find again (``visitLocated``) once the view is in.
        ``recount=False`` reuses the row count when only the sort changed.
        """
        self._load_gen += 1
        gen = self._load_gen
        self._cancel_all()
        known_total = self._total if not recount and _same_filter(query, self._query) else None
        size = self._page_size

        def load() -> tuple[int, list[VisitRow], ChangeStamp]:
            stamp = visitors.change_stamp(query)  # first: a change while reading shows next check
            total, rows = visitors.first_page(query, size, known_total)
            return total, rows, stamp

        was_busy = self.busy
        self._load_job = self.worker.submit(
            load,
            lambda result: self._loaded(gen, query, result, keep_id),
            lambda exc: self._load_failed(gen, exc),
            owner=self,
            interruptible=True,
        )
        if not was_busy:
            self.busyChanged.emit(True)

    def refresh(self, *, keep_id: int | None = None) -> None:
        """Query the same view again (the data changed)."""
        self.set_query(self._query, keep_id=keep_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL: a new query on the same rows. Unsortable columns are ignored."""
        self.sort_by(column, order)

    def sort_by(self, column: int, order: Qt.SortOrder, *, keep_id: int | None = None) -> None:
        """``sort``, finding ``keep_id`` again in the new order (``visitLocated``)."""
        if not self.is_sortable(column):
            return
        query = replace(
            self._query,
            sort_key=COLUMNS[column].sort_key,
            descending=order == Qt.SortOrder.DescendingOrder,
        )
        self.set_query(query, keep_id=keep_id, recount=False)

    def sort_column(self) -> int:
        return _COLUMN_OF_SORT.get(self._query.sort_key, 0)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder

    @staticmethod
    def column_of(key: str) -> int:
        return _COLUMN_OF[key]

    @staticmethod
    def is_sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort_key is not None

    def shutdown(self) -> None:
        """Drop every query on its way (the widget is closing)."""
        self._load_gen += 1
        self._cancel_all()

    def _cancel_all(self) -> None:
        if self._worker is not None and not self._worker.is_shut_down:
            for job in (self._load_job, self._locate_job, self._check_job, *self._page_jobs.values()):
                self._worker.cancel(job)
        was_busy = self.busy
        self._load_job = None
        self._locate_job = None
        self._check_job = None
        self._page_jobs.clear()
        self._wanted.clear()
        if was_busy:
            self.busyChanged.emit(False)

    def _loaded(self, gen: int, query: VisitQuery, result: tuple[int, list[VisitRow], ChangeStamp],
                keep_id: int | None) -> None:
        if gen != self._load_gen:
            return
        total, first, self._stamp = result
        self.beginResetModel()
        self._shown_gen += 1
        self._query = query
        self._total = total
        self._pages.clear()
        self._recent = -1
        self._failed.clear()
        if first:
            self._pages[0] = _Page(first)
        self.endResetModel()
        self._load_job = None
        self.busyChanged.emit(False)
        self.loaded.emit()
        if keep_id is not None:
            self._locate(keep_id, first)

    def _load_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._load_gen:
            return
        self._load_job = None
        self.busyChanged.emit(False)
        self._report(exc)

    def _report(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            raise exc
        self.errorOccurred.emit(exc.message)

    def _locate(self, visit_id: int, first: list[VisitRow]) -> None:
        for n, row in enumerate(first):
            if row.id == visit_id:
                self.visitLocated.emit(visit_id, n)
                return
        if len(first) < self._page_size:  # the whole view is in the first page: it is gone
            self.visitLocated.emit(visit_id, -1)
            return
        gen, query = self._shown_gen, self._query

        def found(position: int | None) -> None:
            self._locate_job = None
            if gen == self._shown_gen:
                self.visitLocated.emit(visit_id, -1 if position is None else position)

        def failed(exc: BaseException) -> None:
            self._locate_job = None
            self._report(exc)

        self._locate_job = self.worker.submit(
            lambda: visitors.position_of(query, visit_id), found, failed,
            owner=self, interruptible=True,
        )

    # ------------------------------------------------------------ other stations

    def check_for_changes(self, visible: tuple[int, int] | None = None,
                          keep_id: int | None = None) -> bool:
        """Show what another station changed in this view, if anything; False if not checked now.

        ``visible``: the rows on screen (first, last), re-read in the same job when the view
        changed, so they never flash placeholders. ``keep_id``: the selected visit, located in
        the new view (``changesShown``). Skipped while anything else is on its way.
        """
        worker = self._worker
        if worker is None or worker.is_shut_down or not self.settled or self._stamp is None:
            return False  # the program is closing, or the view is not in yet
        gen, query, known, size = self._shown_gen, self._query, self._stamp, self._page_size
        first, last = visible if visible is not None else (0, 0)
        first_page = max(0, first) // size
        pages = range(first_page, min(max(first, last) // size, first_page + CHECK_PAGES - 1) + 1)

        def check() -> _Changes | None:
            stamp = visitors.change_stamp(query)
            if stamp == known:
                return None
            total = visitors.count_visits(query)
            rows = {p: visitors.fetch_rows(query, p * size, size, total) for p in pages if p * size < total}
            position = None
            if keep_id is not None:
                position = next((p * size + n for p, page in rows.items()
                                 for n, row in enumerate(page) if row.id == keep_id), None)
                if position is None:
                    position = visitors.position_of(query, keep_id)
            return stamp, total, rows, position

        def failed(exc: BaseException) -> None:
            self._check_job = None
            if gen == self._shown_gen:
                self._report(exc)

        self._check_job = worker.submit(
            check, lambda result: self._changes_arrived(gen, keep_id, result), failed,
            owner=self, interruptible=True,
        )
        return True

    def _changes_arrived(self, gen: int, keep_id: int | None, result: _Changes | None) -> None:
        self._check_job = None
        if gen != self._shown_gen or self.busy or result is None:
            return
        stamp, total, pages, position = result
        self._stamp = stamp
        same_places = total == self._total and all(
            number in self._pages and [r.id for r in self._pages[number].rows] == [r.id for r in rows]
            for number, rows in pages.items()
        )
        if same_places:
            # The same visits in the same rows: repaint what changed, and the view keeps its
            # selection and scroll position by itself.
            last_column = len(COLUMNS) - 1
            for number in list(self._pages):
                if number not in pages:
                    del self._pages[number]  # off screen: read again when next shown
            for number, rows in pages.items():
                old = self._pages[number].rows
                self._pages[number] = _Page(rows)
                for n, (was, now) in enumerate(zip(old, rows, strict=True)):
                    if was != now:
                        row = number * self._page_size + n
                        self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
            self._recent = -1
            self._failed.clear()
            return
        self.changesAboutToShow.emit()
        self.beginResetModel()
        self._shown_gen += 1
        self._total = total
        self._pages.clear()
        self._recent = -1
        self._failed.clear()
        self._wanted.clear()
        for job in self._page_jobs.values():
            self.worker.cancel(job)  # pages of the old rows
        self._page_jobs.clear()
        for number, rows in sorted(pages.items()):
            self._pages[number] = _Page(rows)
        self.endResetModel()
        self.changesShown.emit(keep_id or 0, -1 if position is None else position)

    def row_of(self, visit_id: int) -> int | None:
        """The row of ``visit_id`` if its page is in memory (does not fetch)."""
        for number, page in self._pages.items():
            for n, row in enumerate(page.rows):
                if row.id == visit_id:
                    return number * self._page_size + n
        return None

    # ------------------------------------------------------------ paging

    def row_at(self, row: int) -> VisitRow | None:
        """The visit at ``row`` if its page is in (or cheap to read now); otherwise None.

        A missing page of a small view (``sync_rows``) is read at once, as Anki's browser does:
        any query on it takes a few milliseconds. Pages of a big view come from the worker and
        the row shows a placeholder until then.
        """
        page = self._page_of(row)
        if page is None:
            return None
        offset = row - (row // self._page_size) * self._page_size
        return page.rows[offset] if offset < len(page.rows) else None

    def _page_of(self, row: int) -> _Page | None:
        if not 0 <= row < self._total:
            return None
        number = row // self._page_size
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if number in self._failed:
            return None
        if self._total <= self._sync_rows and not self.busy:
            return self._fetch_now(number)
        self._want(number)
        return None

    def _fetch_now(self, number: int) -> _Page | None:
        try:
            rows = visitors.fetch_rows(
                self._query, number * self._page_size, self._page_size, self._total
            )
        except UserError as exc:
            self._failed.add(number)
            message = exc.message  # reported after the paint that asked for the row
            QTimer.singleShot(0, self, lambda: self.errorOccurred.emit(message))
            return None
        page = self._store(number, rows)
        return page

    def _store(self, number: int, rows: list[VisitRow]) -> _Page:
        page = _Page(rows)
        self._recent = -1
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page

    def rows_loaded(self, first: int, last: int) -> bool:
        """Whether rows ``first`` … ``last`` are all in memory (does not fetch)."""
        first, last = max(0, first), min(last, self._total - 1)
        return all(
            p in self._pages for p in range(first // self._page_size, last // self._page_size + 1)
        ) if first <= last else True

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    def _want(self, page: int) -> None:
        if page in self._page_jobs or page in self._wanted:
            return
        self._wanted.add(page)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _fetch_wanted(self) -> None:
        if self.busy:
            # A new view is on its way: don't spend the worker on pages of the old one.
            self._wanted.clear()
            return
        pages = sorted(p for p in self._wanted if p not in self._pages and p not in self._page_jobs)
        self._wanted.clear()
        if not pages:
            return
        worker = self._worker
        if worker is None or worker.is_shut_down:
            return  # the program is closing: paint placeholders, start nothing new
        gen, query, total, size = self._shown_gen, self._query, self._total, self._page_size

        def fetch() -> dict[int, list[VisitRow]]:
            return {p: visitors.fetch_rows(query, p * size, size, total) for p in pages}

        job = worker.submit(
            fetch,
            lambda result: self._pages_arrived(gen, result),
            lambda exc: self._pages_failed(gen, pages, exc),
            owner=self,
        )
        for p in pages:
            self._page_jobs[p] = job

    def _pages_arrived(self, gen: int, result: dict[int, list[VisitRow]]) -> None:
        if gen != self._shown_gen:
            return
        for page, rows in result.items():
            self._page_jobs.pop(page, None)
            self._store(page, rows)
        last_column = len(COLUMNS) - 1
        for page in result:
            first = page * self._page_size
            last = min(first + self._page_size, self._total) - 1
            if first <= last:
                self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))

    def _pages_failed(self, gen: int, pages: list[int], exc: BaseException) -> None:
        if gen != self._shown_gen:
            return
        for p in pages:
            self._page_jobs.pop(p, None)
            self._failed.add(p)
        self._report(exc)

    # ------------------------------------------------------------ the model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[COLUMNS[section].key]
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section].sort_key is None:
                return self.tr("此列不能排序")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.row() >= 0 else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called thousands of times a paint: plain ints, no enum arithmetic, cells rendered once.
        if role not in _ROLES:
            return None
        row, col = index.row(), index.column()
        if row < 0 or not 0 <= col < _NCOLUMNS:
            return None
        number, offset = divmod(row, self._page_size)
        if number == self._recent and row < self._total:
            page = self._pages.get(number)  # the page the last call used: no LRU bookkeeping
        else:
            page = self._page_of(row)
            self._recent = number if page is not None else -1
        if page is None or offset >= len(page.rows):
            if role == DISPLAY and col == 0:
                self.placeholders_shown += 1
                return PLACEHOLDER
            return None
        if role == DISPLAY:
            cells = page.cells[offset]
            if cells is None:
                cells = page.cells[offset] = self._render(page.rows[offset])
            return cells[col]
        visit = page.rows[offset]
        if role == USER:
            return visit.id
        if role == ALIGNMENT:
            return _RIGHT if COLUMNS[col].numeric else None
        voided = visit.status == visitors.VOIDED
        if role == FOREGROUND:
            return self._void_brush if voided else None
        if role == FONT:
            return self._strike if voided else None
        if role == TOOLTIP:
            return self._tooltip(visit, COLUMNS[col].key)
        return None

    def _render(self, visit: VisitRow) -> tuple[str, ...]:
        return tuple(_RENDER[c.key](self, visit) for c in COLUMNS)

    # ------------------------------------------------------------ text

    def _arrival(self, row: VisitRow) -> str:
        """The time only when the view is one day; the date too over a range."""
        if self._query.date_from == self._query.date_to:
            return row.arrived_at.strftime("%H:%M")
        return row.arrived_at.strftime("%Y-%m-%d %H:%M")

    @staticmethod
    def _clock(value: datetime | None, row: VisitRow) -> str:
        """Called and finished times: the date only when it differs from the arrival's."""
        if value is None:
            return ""
        if value.date() == row.arrived_at.date():
            return value.strftime("%H:%M")
        return value.strftime("%m-%d %H:%M")

    def _documents(self, row: VisitRow) -> str:
        if row.documents_complete:
            return self.tr("齐全")
        return self.tr("缺：{papers}").replace("{papers}", "、".join(row.missing_documents))

    def _tooltip(self, row: VisitRow, key: str) -> str | None:
        if row.status == visitors.VOIDED:
            return self.tr("已作废：{reason}").replace("{reason}", row.void_reason)
        if key == "notes" and row.notes:
            return row.notes
        if key == "documents" and not row.documents_complete:
            return "\n".join(row.missing_documents)
        if key == "special_needs" and row.special_needs:
            return _needs(row)
        return None


def _needs(row: VisitRow) -> str:
    return "、".join(label for code, (_bit, label) in visitors.SPECIAL_NEEDS.items()
                    if code in row.special_needs)


_RENDER: dict[str, Callable[[VisitTableModel, VisitRow], str]] = {
    "arrived_at": lambda m, r: m._arrival(r),
    "ticket_no": lambda m, r: r.ticket_no,
    "customer_name": lambda m, r: r.customer_name,
    "phone": lambda m, r: r.phone_masked,
    "business_type": lambda m, r: r.business_type,
    "destination": lambda m, r: r.destination,
    "special_needs": lambda m, r: _needs(r),
    "vip": lambda m, r: m.tr("贵宾") if r.vip else "",
    "documents": lambda m, r: m._documents(r),
    "status": lambda m, r: visitors.STATUSES.get(r.status, r.status),
    "called_at": lambda m, r: m._clock(r.called_at, r),
    "finished_at": lambda m, r: m._clock(r.finished_at, r),
    "wait": lambda m, r: format_minutes(r.wait_minutes),
    "service": lambda m, r: format_minutes(r.service_minutes),
    "outcome": lambda m, r: visitors.OUTCOMES.get(r.outcome, "") if r.outcome else "",
    "served_by": lambda m, r: r.served_by,
    "notes": lambda m, r: " ".join(r.notes.split()),
}
