"""The kit's table over a row source of its own: what a new tab gets without writing any paging."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import Qt

from frontdesk.ui.kit.paged_model import Column, PagedTableModel, SourceBase
from frontdesk.ui.kit.record_table import RecordTable
from frontdesk.ui.kit.tab import PlaceholderTab, Tab
from tests.ui.worker_helpers import settle


@dataclass(frozen=True)
class Ticket:
    id: int
    title: str
    minutes: float


@dataclass(frozen=True)
class TicketQuery:
    text: str = ""
    sort_key: str = "id"
    descending: bool = False


class TicketSource(SourceBase[TicketQuery, Ticket]):
    """Rows from a plain list, as a service would return them (read on the worker)."""

    def __init__(self, rows: list[Ticket]) -> None:
        self.rows = rows
        self.stamp = 0

    def _view(self, q: TicketQuery) -> list[Ticket]:
        rows = [r for r in self.rows if q.text in r.title]
        return sorted(rows, key=lambda r: getattr(r, q.sort_key), reverse=q.descending)

    def count(self, q: TicketQuery) -> int:
        return len(self._view(q))

    def page(self, q: TicketQuery, offset: int, size: int, total: int) -> list[Ticket]:
        return self._view(q)[offset:offset + size]

    def change_stamp(self, q: TicketQuery) -> int:
        return self.stamp

    def position_of(self, q: TicketQuery, row_id: int) -> int | None:
        return next((n for n, r in enumerate(self._view(q)) if r.id == row_id), None)

    def same_rows(self, a: TicketQuery, b: TicketQuery) -> bool:
        return a.text == b.text

    def sorted_by(self, q: TicketQuery, sort_key: str, descending: bool) -> TicketQuery:
        return replace(q, sort_key=sort_key, descending=descending)

    def sort_of(self, q: TicketQuery) -> tuple[str, bool]:
        return q.sort_key, q.descending


class SequentialTickets(TicketSource):
    sequential = True

    def first_page(self, q: TicketQuery, size: int, known_total: int | None) -> tuple[int, list[Ticket]]:
        view = self._view(q)
        return len(view), view[:size]

    def next_page(self, q: TicketQuery, after: Ticket, size: int) -> list[Ticket]:
        view = self._view(q)
        start = next(n for n, r in enumerate(view) if r.id == after.id) + 1
        return view[start:start + size]


COLUMNS = [
    Column("id", "编号", lambda r: str(r.id), sort_key="id", numeric=True, sample="12345"),
    Column("title", "标题", lambda r: r.title, sort_key="title"),
    Column("minutes", "时长", lambda r: f"{r.minutes:.1f}"),
]


def tickets(n: int) -> list[Ticket]:
    return [Ticket(i, f"工单{i:04d}", i / 10) for i in range(1, n + 1)]


@pytest.fixture
def source(qapp):
    return TicketSource(tickets(450))


def loaded(qtbot, model: PagedTableModel, query: TicketQuery) -> None:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(query)


def test_one_model_pages_any_source_and_passes_the_model_tester(source, qtbot, qtmodeltester):
    model = PagedTableModel(source, COLUMNS, TicketQuery(), page_size=100, sync_rows=0)
    loaded(qtbot, model, TicketQuery())
    assert model.rowCount() == 450 and model.cached_pages() == [0]
    assert model.data(model.index(0, 0)) == "1" and model.data(model.index(0, 2)) == "0.1"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.data(model.index(420, 0)) == "…"  # its page is on its way
    qtbot.waitUntil(lambda: model.rows_loaded(420, 420), timeout=5000)
    assert model.data(model.index(420, 1)) == "工单0421"
    qtmodeltester.check(model)
    model.shutdown()


def test_sorting_is_a_new_query_and_unsortable_columns_are_ignored(source, qtbot):
    model = PagedTableModel(source, COLUMNS, TicketQuery(), page_size=100)
    loaded(qtbot, model, TicketQuery())
    model.sort(2, Qt.SortOrder.DescendingOrder)  # 时长: not sortable
    assert model.settled
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 1)) == "工单0450"
    assert (model.sort_column(), model.sort_order()) == (1, Qt.SortOrder.DescendingOrder)


def test_a_sequential_source_grows_as_the_view_asks(qapp, qtbot, qtmodeltester):
    model = PagedTableModel(SequentialTickets(tickets(250)), COLUMNS, TicketQuery(), page_size=100)
    loaded(qtbot, model, TicketQuery())
    assert model.rowCount() == 100 and model.total == 250 and model.canFetchMore()
    qtmodeltester.check(model)  # asks for more rows: they arrive under its eye
    qtbot.waitUntil(lambda: model.settled, timeout=5000)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 250, timeout=5000)
    assert not model.canFetchMore() and model.data(model.index(249, 1)) == "工单0250"


class TicketTable(RecordTable):
    """What a new tab writes: its query from its filter bar."""

    def __init__(self, source: TicketSource) -> None:
        super().__init__(PagedTableModel(source, COLUMNS, TicketQuery(), page_size=100), poll_ms=50)
        self.model.setParent(self)
        self.text = ""
        self.search_timer = self.debounced(30)
        self.opened: list[int | None] = []

    def current_query(self) -> TicketQuery:
        q = self.model.query()
        return TicketQuery(self.text, q.sort_key, q.descending)

    def open_selected(self) -> None:
        self.opened.append(self.selected_id())


def test_the_record_table_debounces_keeps_the_selection_and_polls(source, qtbot):
    table = TicketTable(source)
    qtbot.addWidget(table)
    table.resize(600, 400)
    table.show()
    table.apply_filters()
    qtbot.waitUntil(lambda: table.model.settled and table.model.total == 450, timeout=5000)
    assert table.count_label.text() == "共 450 条"
    table.view.selectRow(3)
    assert table.selected_id() == 4

    table.text = "工单000"  # typing: applied once it pauses
    table.search_timer.start()
    assert not table.poll()  # never while a filter is about to change the view
    qtbot.waitUntil(lambda: table.model.settled and table.model.total == 9, timeout=5000)
    assert table.selected_id() == 4  # found again in the new view

    source.rows.insert(0, Ticket(0, "工单0000", 0.0))  # another station adds one
    source.stamp += 1
    qtbot.waitUntil(lambda: table.model.total == 10, timeout=5000)
    assert table.selected_id() == 4 and table.count_label.text() == "共 10 条"

    qtbot.keyClick(table.view, Qt.Key.Key_Return)
    assert table.opened == [4]
    settle(qtbot)
    table.model.shutdown()


def test_placeholder_tabs_speak_the_tab_protocol(qapp):
    tab = PlaceholderTab("投诉工单", "尚在开发中")
    assert isinstance(tab, Tab) and tab.title() == "投诉工单"
    tab.apply_role(None)
    tab.reload_settings()
