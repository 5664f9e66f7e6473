"""One table model for every record list: a window onto a view that may be endless.

As in Anki's browser (``browser/table/model.py`` + ``state.py``), one model serves every kind of
record: what differs is a **row source** (how to count a view, read a page of it, fingerprint it,
find a record in it) and a list of **columns** (key, header, sort key, renderer, alignment).
Rows are plain frozen objects with an ``id``, never ORM instances.

``PagedTableModel`` never holds the whole view. It knows the row count and fetches rows in pages
only when the view asks for them, keeping a bounded least-recently-used set of pages: memory stays
flat on a million rows. Sorting and filtering are new queries in SQL, never a
``QSortFilterProxyModel``. Every query runs on the database worker, so a slow one never freezes
the window: until a new view is counted the old rows stay on screen, and a row whose page is
still on its way shows a placeholder for the moment it takes.

Another station registers and edits too. ``check_for_changes`` asks the worker for the source's
cheap fingerprint of the view and only when it moved re-reads the count and the rows on screen,
in the same job: an edit then only repaints its cells, and new rows reset the model with the rows
already in, so nothing flashes and the widget can keep its selection and scroll position.

A source that can only read on from the last row (a keyset, like the audit trail pinned to its
newest entry) declares ``sequential = True``; the model then grows by Qt's incremental fetching
(``canFetchMore``/``fetchMore``) as the user scrolls to the bottom.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from frontdesk.errors import UserError
from frontdesk.ui.kit.worker import DbWorker, Job, shared_worker

PAGE_SIZE = 200
MAX_PAGES = 40  # 8,000 rows at most in memory, whatever the size of the view
SYNC_ROWS = 20_000  # a view this small reads a missing page at once: any query on it is quick
PLACEHOLDER = "…"
CHECK_PAGES = 3  # pages a change check re-reads at most: the ones on screen

Q = TypeVar("Q")  # a query: a frozen dataclass describing the view
R = TypeVar("R")  # a row: a frozen dataclass with an ``id``

Index = QModelIndex | QPersistentModelIndex


class RowSource(Protocol[Q, R]):
    """Where a model's rows come from. Every method but the last three runs on the worker."""

    sequential: bool  # True: pages only follow one another (``next_page``), no offsets

    def first_page(self, query: Q, size: int, known_total: int | None) -> tuple[int, list[R]]:
        """The row count of the view (``known_total`` if given) and its first ``size`` rows."""

    def page(self, query: Q, offset: int, size: int, total: int) -> list[R]:
        """Rows ``offset`` … ``offset + size - 1`` of the view (``total`` rows long)."""

    def next_page(self, query: Q, after: R, size: int) -> list[R]:
        """The ``size`` rows that follow ``after`` (sequential sources)."""

    def count(self, query: Q) -> int: ...

    def change_stamp(self, query: Q) -> Hashable:
        """A cheap fingerprint that moves when the rows of the view change (None: never polled)."""

    def position_of(self, query: Q, row_id: int) -> int | None:
        """The row number of ``row_id`` in the view, or None when it is not in it."""

    def same_rows(self, a: Q, b: Q) -> bool:
        """Whether two queries select the same rows (they may sort differently)."""

    def sorted_by(self, query: Q, sort_key: str, descending: bool) -> Q: ...

    def sort_of(self, query: Q) -> tuple[str, bool]:
        """The sort key and direction of ``query``."""

    def row_id(self, row: R) -> int:
        """What identifies ``row`` across views (its record's id)."""


class SourceBase(Generic[Q, R]):
    """Defaults for a row source: offsets, no fingerprint, no sorting."""

    sequential = False

    def first_page(self, query: Q, size: int, known_total: int | None) -> tuple[int, list[R]]:
        total = self.count(query) if known_total is None else known_total
        return total, self.page(query, 0, size, total) if total else []

    def page(self, query: Q, offset: int, size: int, total: int) -> list[R]:
        raise NotImplementedError

    def next_page(self, query: Q, after: R, size: int) -> list[R]:
        raise NotImplementedError

    def count(self, query: Q) -> int:
        raise NotImplementedError

    def change_stamp(self, query: Q) -> Hashable:
        return None

    def position_of(self, query: Q, row_id: int) -> int | None:
        return None

    def same_rows(self, a: Q, b: Q) -> bool:
        return a == b

    def sorted_by(self, query: Q, sort_key: str, descending: bool) -> Q:
        return query

    def sort_of(self, query: Q) -> tuple[str, bool]:
        return "", False

    def row_id(self, row: R) -> int:
        return row.id  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: what it is called, how it sorts (None: it does not), how a row reads in it."""

    key: str
    header: str
    render: Callable[[R], str]
    sort_key: str | None = None
    numeric: bool = False  # right-aligned
    sample: str = ""  # a typical value: the initial width


DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
USER = int(Qt.ItemDataRole.UserRole.value)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
FONT = int(Qt.ItemDataRole.FontRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ROLES = frozenset({DISPLAY, USER, ALIGNMENT, FOREGROUND, FONT, TOOLTIP})
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

_Changes = tuple[Hashable, int, dict[int, list[Any]], int | None]


class _Page:
    """One page of rows and, rendered on first display, their cell texts."""

    __slots__ = ("rows", "cells")

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows
        self.cells: list[tuple[str, ...] | None] = [None] * len(rows)


class PagedTableModel(QAbstractTableModel, Generic[Q, R]):
    """Rows of a ``RowSource``'s pages, cached in a bounded LRU; everything else is a query.

    Subclasses say how a row looks beyond its text: ``dimmed`` (greyed and struck through, e.g.
    a voided record) and ``tooltip``.
    """

    loaded = Signal()  # a new view is counted and its first page is in
    pageLoaded = Signal()  # one more page of a sequential view is in
    busyChanged = Signal(bool)
    errorOccurred = Signal(str)  # a storage error from a background query, in Chinese
    failed = Signal(object)  # … the same error itself (a refusal to read, for instance)
    rowLocated = Signal(int, int)  # record id kept across a refresh, its row (-1: gone)
    # Another station changed the view: emitted around the quiet reset that shows it (no reset
    # when only the contents of rows changed). ``changesShown``: the record kept (0: none), its
    # row (-1: gone from the view).
    changesAboutToShow = Signal()
    changesShown = Signal(int, int)

    def __init__(
        self,
        source: RowSource[Q, R],
        columns: Sequence[Column[R]],
        query: Q,
        parent: QObject | None = None,
        *,
        worker: DbWorker | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        sync_rows: int = SYNC_ROWS,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.columns: tuple[Column[R], ...] = tuple(columns)
        self._column_of = {c.key: n for n, c in enumerate(self.columns)}
        self._column_of_sort = {c.sort_key: n for n, c in enumerate(self.columns) if c.sort_key}
        self._ncolumns = len(self.columns)
        self._renderers = tuple(c.render for c in self.columns)
        self._worker = worker
        self._page_size = page_size
        self._max_pages = max(2, max_pages)
        self._sync_rows = 0 if source.sequential else sync_rows
        self.placeholders_shown = 0  # rows painted before their page was in (tests, benchmark)
        self._recent = -1  # page number data() used last
        self._query: Q = query  # the view on screen
        self._total = 0
        self._loaded_rows = 0  # sequential views: the rows in so far
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._failed: set[int] = set()  # pages whose fetch failed in this view: not retried
        self._shown_gen = 0  # bumped at every reset; late pages of an older view are dropped
        self._load_gen = 0
        self._load_job: Job | None = None
        self._locate_job: Job | None = None
        self._page_jobs: dict[int, Job] = {}  # page → job fetching it
        self._check_job: Job | None = None
        self._stamp: Hashable = None  # the fingerprint of the view on screen
        self._shown = False  # a view has been loaded at least once
        self._wanted: set[int] = set()
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        self._dim_brush = QBrush(Qt.GlobalColor.gray)

    # ------------------------------------------------------------ how rows look

    def dimmed(self, row: R) -> bool:
        """A row shown greyed and struck through (a voided record)."""
        return False

    def tooltip(self, row: R, key: str) -> str | None:
        return None

    def foreground(self, row: R) -> QBrush | None:
        """A row's text colour when it must stand out (an overdue action); None: the usual."""
        return None

    def set_dim_color(self, brush: QBrush) -> None:
        self._dim_brush = brush

    # ------------------------------------------------------------ queries

    @property
    def worker(self) -> DbWorker:
        if self._worker is None or self._worker.is_shut_down:
            self._worker = shared_worker()
        return self._worker

    def query(self) -> Q:
        """The view on screen (the one being loaded shows once it is in)."""
        return self._query

    @property
    def total(self) -> int:
        """Rows in the view on screen (of a sequential view: not all of them in yet)."""
        return self._total

    @property
    def loaded_rows(self) -> int:
        return self._loaded_rows if self.source.sequential else self._total

    @property
    def busy(self) -> bool:
        """A new view is being counted and loaded."""
        return self._load_job is not None

    @property
    def settled(self) -> bool:
        """Nothing on its way: no view loading, no page or selection being fetched."""
        return self._load_job is None and not self._page_jobs and self._locate_job is None \
            and not self._wanted and self._check_job is None

    def set_query(self, query: Q, *, keep_id: int | None = None, recount: bool = True) -> None:
        """Show ``query``. The old rows stay until the new view is counted and its first page is in.

        ``keep_id``: a record to find again (``rowLocated``) once the view is in.
        ``recount=False`` reuses the row count when only the sort changed.
        """
        self._load_gen += 1
        gen = self._load_gen
        self._cancel_all()
        known_total = self._total if not recount and self._shown \
            and self.source.same_rows(query, self._query) else None
        size, source = self._page_size, self.source

        def load() -> tuple[int, list[R], Hashable]:
            stamp = source.change_stamp(query)  # first: a change while reading shows next check
            total, rows = source.first_page(query, size, known_total)
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
        """``sort``, finding ``keep_id`` again in the new order (``rowLocated``)."""
        if not self.is_sortable(column):
            return
        query = self.source.sorted_by(self._query, self.columns[column].sort_key or "",
                                      order == Qt.SortOrder.DescendingOrder)
        self.set_query(query, keep_id=keep_id, recount=False)

    def sort_column(self) -> int:
        return self._column_of_sort.get(self.source.sort_of(self._query)[0], 0)

    def sort_order(self) -> Qt.SortOrder:
        descending = self.source.sort_of(self._query)[1]
        return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder

    def column_of(self, key: str) -> int:
        return self._column_of[key]

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < self._ncolumns and self.columns[column].sort_key is not None

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

    def _loaded(self, gen: int, query: Q, result: tuple[int, list[R], Hashable],
                keep_id: int | None) -> None:
        if gen != self._load_gen:
            return
        total, first, self._stamp = result
        self.beginResetModel()
        self._shown_gen += 1
        self._shown = True
        self._query = query
        self._pages.clear()
        self._recent = -1
        self._failed.clear()
        if first:
            self._pages[0] = _Page(first)
        # A sequential view with no first page has no more pages either (entries vanished).
        self._total = max(total, len(first)) if first or not self.source.sequential else 0
        self._loaded_rows = len(first)
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
        self.failed.emit(exc)

    def _locate(self, row_id: int, first: list[R]) -> None:
        for n, row in enumerate(first):
            if self.source.row_id(row) == row_id:
                self.rowLocated.emit(row_id, n)
                return
        if len(first) < self._page_size or self.source.sequential:
            self.rowLocated.emit(row_id, -1)  # the whole view is in the first page: it is gone
            return
        gen, query, source = self._shown_gen, self._query, self.source

        def found(position: int | None) -> None:
            self._locate_job = None
            if gen == self._shown_gen:
                self.rowLocated.emit(row_id, -1 if position is None else position)

        def failed(exc: BaseException) -> None:
            self._locate_job = None
            self._report(exc)

        self._locate_job = self.worker.submit(
            lambda: source.position_of(query, row_id), found, failed,
            owner=self, interruptible=True,
        )

    # ------------------------------------------------------------ other stations

    def check_for_changes(self, visible: tuple[int, int] | None = None,
                          keep_id: int | None = None) -> bool:
        """Show what another station changed in this view, if anything; False if not checked now.

        ``visible``: the rows on screen (first, last), re-read in the same job when the view
        changed, so they never flash placeholders. ``keep_id``: the selected record, located in
        the new view (``changesShown``). Skipped while anything else is on its way.
        """
        worker = self._worker
        if worker is None or worker.is_shut_down or not self.settled or self._stamp is None \
                or self.source.sequential:
            return False  # the program is closing, or the view is not in yet
        gen, query, known, size, source = \
            self._shown_gen, self._query, self._stamp, self._page_size, self.source
        first, last = visible if visible is not None else (0, 0)
        first_page = max(0, first) // size
        pages = range(first_page, min(max(first, last) // size, first_page + CHECK_PAGES - 1) + 1)

        def check() -> _Changes | None:
            stamp = source.change_stamp(query)
            if stamp == known:
                return None
            total = source.count(query)
            rows = {p: source.page(query, p * size, size, total) for p in pages if p * size < total}
            position = None
            if keep_id is not None:
                position = next((p * size + n for p, page in rows.items()
                                 for n, row in enumerate(page) if source.row_id(row) == keep_id), None)
                if position is None:
                    position = source.position_of(query, keep_id)
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
        row_id = self.source.row_id
        same_places = total == self._total and all(
            number in self._pages
            and [row_id(r) for r in self._pages[number].rows] == [row_id(r) for r in rows]
            for number, rows in pages.items()
        )
        if same_places:
            # The same records in the same rows: repaint what changed, and the view keeps its
            # selection and scroll position by itself.
            last_column = self._ncolumns - 1
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

    def row_of(self, row_id: int) -> int | None:
        """The row of ``row_id`` if its page is in memory (does not fetch)."""
        for number, page in self._pages.items():
            for n, row in enumerate(page.rows):
                if self.source.row_id(row) == row_id:
                    return number * self._page_size + n
        return None

    # ------------------------------------------------------------ paging

    def row_at(self, row: int) -> R | None:
        """The record at ``row`` if its page is in (or cheap to read now); otherwise None.

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
            if not self.source.sequential:
                self._pages.move_to_end(number)
            return page
        if number in self._failed or self.source.sequential:
            return None
        if self._total <= self._sync_rows and not self.busy:
            return self._fetch_now(number)
        self._want(number)
        return None

    def _fetch_now(self, number: int) -> _Page | None:
        try:
            rows = self.source.page(self._query, number * self._page_size, self._page_size, self._total)
        except UserError as exc:
            self._failed.add(number)
            message = exc.message  # reported after the paint that asked for the row
            QTimer.singleShot(0, self, lambda: self.errorOccurred.emit(message))
            return None
        return self._store(number, rows)

    def _store(self, number: int, rows: list[R]) -> _Page:
        page = _Page(rows)
        self._recent = -1
        self._pages[number] = page
        self._pages.move_to_end(number)
        while len(self._pages) > self._max_pages and not self.source.sequential:
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
        gen, query, total, size, source = \
            self._shown_gen, self._query, self._total, self._page_size, self.source

        def fetch() -> dict[int, list[R]]:
            return {p: source.page(query, p * size, size, total) for p in pages}

        job = worker.submit(
            fetch,
            lambda result: self._pages_arrived(gen, result),
            lambda exc: self._pages_failed(gen, pages, exc),
            owner=self,
        )
        for p in pages:
            self._page_jobs[p] = job

    def _pages_arrived(self, gen: int, result: dict[int, list[R]]) -> None:
        if gen != self._shown_gen:
            return
        for page, rows in result.items():
            self._page_jobs.pop(page, None)
            self._store(page, rows)
        last_column = self._ncolumns - 1
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

    # ------------------------------------------------------------ sequential views

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return self.source.sequential and not parent.isValid() and self._shown \
            and 0 < self._loaded_rows < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        """The next page of a sequential view, read on from its last row."""
        if not self.canFetchMore(parent) or self._page_jobs or self._load_job is not None:
            return
        number = self._loaded_rows // self._page_size
        last = self.row_at(self._loaded_rows - 1)
        gen, query, size, source = self._shown_gen, self._query, self._page_size, self.source
        self._page_jobs[number] = self.worker.submit(
            lambda: source.next_page(query, last, size),
            lambda rows: self._next_arrived(gen, number, rows),
            lambda exc: self._pages_failed(gen, [number], exc),
            owner=self,
            interruptible=True,
        )

    def _next_arrived(self, gen: int, number: int, rows: list[R]) -> None:
        if gen != self._shown_gen:
            return
        if len(rows) < self._page_size:
            # The view ends here, whatever the count said (an entry removed meanwhile): no more
            # pages are asked for.
            self._total = self._loaded_rows + len(rows)
        if rows:
            first = self._loaded_rows
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._store(number, rows)
            self._loaded_rows += len(rows)
            self.endInsertRows()
        # Only now: a view that asks for more while the rows go in must not ask twice.
        self._page_jobs.pop(number, None)
        self.pageLoaded.emit()

    # ------------------------------------------------------------ the model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        if parent.isValid():
            return 0
        return self._loaded_rows if self.source.sequential else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._ncolumns

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self._ncolumns:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].sort_key is None \
                    and not self.source.sequential:
                return self.tr("此列不能排序")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.row() >= 0 else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called thousands of times a paint: plain ints, no enum arithmetic, cells rendered once.
        if role not in _ROLES:
            return None
        row, col = index.row(), index.column()
        if row < 0 or not 0 <= col < self._ncolumns:
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
                item = page.rows[offset]
                cells = page.cells[offset] = tuple(render(item) for render in self._renderers)
            return cells[col]
        item = page.rows[offset]
        if role == USER:
            return self.source.row_id(item)
        if role == ALIGNMENT:
            return RIGHT if self.columns[col].numeric else None
        if role == FOREGROUND:
            return self._dim_brush if self.dimmed(item) else self.foreground(item)
        if role == FONT:
            return self._strike if self.dimmed(item) else None
        if role == TOOLTIP:
            return self.tooltip(item, self.columns[col].key)
        return None
