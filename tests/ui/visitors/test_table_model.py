"""The register table's model: lazy pages, SQL sorting and filtering, selection kept by id."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

from frontdesk.services import clock, visitors
from frontdesk.services.visitors import VisitQuery
from frontdesk.ui.visitors.register_table import RegisterTableWidget
from frontdesk.ui.visitors.table_model import COLUMNS, PAGE_SIZE, VisitTableModel
from tests.ui.register_helpers import insert_visits

# The offscreen platform cannot resize a window to its size hints, and says so.

NOW = datetime(2026, 11, 25, 18, 0, 0)
DAY = NOW.date()
ROWS = 3000


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def filled(configured, frozen):
    insert_visits(ROWS, DAY)
    return ROWS


@pytest.fixture
def fetches(monkeypatch):
    """Every ``fetch_rows`` call the model makes, as ``(offset, limit)``."""
    calls: list[tuple[int, int]] = []
    real = visitors.fetch_rows

    def counting(q, offset, limit, total=None):
        calls.append((offset, limit))
        return real(q, offset, limit, total)

    monkeypatch.setattr(visitors, "fetch_rows", counting)
    return calls


def column(key: str) -> int:
    return next(n for n, c in enumerate(COLUMNS) if c.key == key)


def load(qtbot, model: VisitTableModel, query: VisitQuery | None = None, **kw) -> None:
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(query or VisitQuery(DAY, DAY), **kw)


def settle(qtbot, model: VisitTableModel) -> None:
    qtbot.waitUntil(lambda: model.settled, timeout=10_000)


def text(model: VisitTableModel, row: int, key: str) -> str:
    return model.data(model.index(row, column(key)))


def test_model_passes_the_model_tester(filled, qtbot, qtmodeltester):
    model = VisitTableModel()
    load(qtbot, model)
    assert model.rowCount() == ROWS
    assert model.columnCount() == 17
    qtmodeltester.check(model)
    settle(qtbot, model)  # the pages the tester asked for arrive (dataChanged) under its eye
    qtmodeltester.check(model)
    load(qtbot, model, VisitQuery(DAY, DAY, text="客户1"))  # a reset, also watched
    qtmodeltester.check(model)


def test_headers_and_cells_read_as_the_register(filled, qtbot):
    model = VisitTableModel()
    load(qtbot, model)
    headers = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
    assert headers == ["到达时间", "票号", "称呼", "电话", "业务类型", "分流去向", "特殊客户", "贵宾",
                       "资料", "状态", "叫号时间", "结束时间", "等候(分)", "办理(分)", "结果", "经办人", "备注"]
    qtbot.waitUntil(lambda: model.rows_loaded(0, 10))
    assert text(model, 7, "arrived_at") == "08:00"  # one day: the time only
    assert text(model, 7, "customer_name") == "客户7"
    assert text(model, 7, "phone") == "139****0007"  # masked: personal data
    assert text(model, 7, "wait") == "7.0"  # minutes, one decimal
    assert text(model, 7, "service") == "5.0"
    assert text(model, 7, "status") == "已完成"
    assert text(model, 7, "outcome") == "办结"
    assert text(model, 7, "documents") == "齐全"
    assert model.data(model.index(7, 0), Qt.ItemDataRole.UserRole) > 0
    load(qtbot, model, VisitQuery(DAY - timedelta(days=6), DAY))
    qtbot.waitUntil(lambda: model.rows_loaded(0, 0))
    assert text(model, 0, "arrived_at") == "2026-11-25 08:00"  # a range: with the date


@pytest.mark.parametrize("sync_rows", [0, 20_000], ids=["worker", "small-view-direct"])
def test_only_the_pages_on_screen_are_fetched(configured, frozen, qtbot, fetches, sync_rows):
    insert_visits(5000, DAY, step_seconds=1)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    model = VisitTableModel(view, sync_rows=sync_rows)
    view.setModel(model)
    view.show()
    load(qtbot, model)
    settle(qtbot, model)
    assert model.rowCount() == 5000
    assert fetches == [(0, PAGE_SIZE)]  # the first page came with the count: nothing else
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rows_loaded(4990, 4999))
    settle(qtbot, model)
    assert fetches == [(0, PAGE_SIZE), (4800, PAGE_SIZE)]  # the last page, none in between
    assert model.cached_pages() == [0, 24]
    assert text(model, 4999, "customer_name") == "客户4999"
    view.scrollTo(model.index(2500, 0))
    qtbot.waitUntil(lambda: model.rows_loaded(2500, 2505))
    assert (2400, PAGE_SIZE) in fetches and len(fetches) <= 4


def test_the_page_cache_is_bounded(filled, qtbot):
    model = VisitTableModel(max_pages=3, sync_rows=0)
    load(qtbot, model)
    for page in range(ROWS // PAGE_SIZE):
        model.row_at(page * PAGE_SIZE)
        qtbot.waitUntil(lambda p=page: model.rows_loaded(p * PAGE_SIZE, p * PAGE_SIZE))
        assert len(model.cached_pages()) <= 3
    assert model.cached_pages() == [12, 13, 14]
    # An evicted page comes back on demand.
    assert model.row_at(0) is None
    qtbot.waitUntil(lambda: model.row_at(0) is not None)
    assert model.row_at(0).customer_name == "客户0"


def test_placeholder_while_a_page_of_a_big_view_is_on_its_way(filled, qtbot):
    model = VisitTableModel(sync_rows=1000)  # 3,000 rows count as big here
    load(qtbot, model)
    with qtbot.waitSignal(model.dataChanged, timeout=5000) as blocker:
        assert text(model, 2999, "arrived_at") == "…"
        assert text(model, 2999, "customer_name") is None
    top, bottom = blocker.args[0], blocker.args[1]
    assert top.row() <= 2999 <= bottom.row()
    assert text(model, 2999, "customer_name") == "客户2999"


def test_a_small_view_reads_a_missing_page_at_once(filled, qtbot, fetches):
    model = VisitTableModel()
    load(qtbot, model)
    assert text(model, 2999, "customer_name") == "客户2999"  # no placeholder, no waiting
    assert fetches[-1] == (2800, PAGE_SIZE)
    assert model.settled


def test_sorting_is_a_query(filled, qtbot, fetches):
    model = VisitTableModel()
    load(qtbot, model)
    with qtbot.waitSignal(model.loaded):
        model.sort(column("wait"), Qt.SortOrder.DescendingOrder)
    assert model.query().sort_key == "wait" and model.query().descending
    assert model.rowCount() == ROWS
    assert text(model, 0, "wait") == "29.0"
    with qtbot.waitSignal(model.loaded):
        model.sort(column("customer_name"), Qt.SortOrder.AscendingOrder)
    assert text(model, 0, "customer_name") == "客户0"
    assert text(model, 1, "customer_name") == "客户1"
    assert text(model, 2, "customer_name") == "客户10"  # text order, as SQL sorts it
    # A column that cannot be sorted leaves the view alone.
    before = model.query()
    model.sort(column("phone"))
    assert model.query() == before and not model.busy


def click_header_of(qtbot, widget: RegisterTableWidget, key: str) -> None:
    header = widget.view.horizontalHeader()
    x = header.sectionViewportPosition(column(key)) + header.sectionSize(column(key)) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_sort_and_filter_from_the_widget(filled, qtbot):
    widget = RegisterTableWidget()
    qtbot.addWidget(widget)
    widget.resize(1200, 500)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.settled and widget.model.rowCount() == ROWS, timeout=10_000)
    header = widget.view.horizontalHeader()

    def click_header(key: str) -> None:
        with qtbot.waitSignal(widget.model.loaded):
            click_header_of(qtbot, widget, key)

    click_header("ticket_no")
    assert header.sortIndicatorSection() == column("ticket_no")
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    click_header("ticket_no")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    qtbot.waitUntil(lambda: widget.model.rows_loaded(0, 0))
    assert text(widget.model, 0, "ticket_no") == "A02999"

    with qtbot.waitSignal(widget.model.loaded, timeout=5000):
        qtbot.keyClicks(widget.search, "A0299")
    assert widget.model.rowCount() == 10  # tickets A02990 … A02999
    assert widget.count_label.text() == "共 10 条"
    assert widget.model.query().sort_key == "ticket_no"  # the sort survives the filter


def test_selection_is_restored_by_id_after_refresh(filled, qtbot):
    widget = RegisterTableWidget()
    qtbot.addWidget(widget)
    widget.resize(1200, 500)
    widget.show()
    model = widget.model
    qtbot.waitUntil(lambda: model.settled and model.rowCount() == ROWS, timeout=10_000)
    widget.view.scrollTo(model.index(2500, 0))
    qtbot.waitUntil(lambda: model.rows_loaded(2500, 2500))
    widget.view.selectRow(2500)
    chosen = widget.selected_visit_id()
    assert model.row_at(2500).customer_name == "客户2500"

    # Another station registers ten earlier visits: the chosen one moves down by ten.
    insert_visits(10, DAY, start=time(7, 0))
    with qtbot.waitSignal(model.rowLocated, timeout=5000) as located:
        widget.refresh()
    assert located.args == [chosen, 2510]
    assert model.rowCount() == ROWS + 10
    qtbot.waitUntil(lambda: model.rows_loaded(2510, 2510))
    assert widget.view.selectionModel().selectedRows()[0].row() == 2510
    assert widget.selected_visit_id() == chosen

    # Sorting keeps it too (arrival is sorted ascending: one click turns it round).
    with qtbot.waitSignal(model.rowLocated, timeout=5000) as located:
        click_header_of(qtbot, widget, "arrived_at")
    assert model.query().descending
    assert located.args == [chosen, ROWS + 10 - 1 - 2510]
    qtbot.waitUntil(lambda: model.rows_loaded(499, 499))
    assert widget.selected_visit_id() == chosen

    # Filtered out: nothing stays selected.
    with qtbot.waitSignal(model.rowLocated, timeout=5000) as located:
        widget.apply_text_filter("客户1")
    assert located.args == [chosen, -1]
    assert widget.view.selectionModel().selectedRows() == []


def test_voided_rows_are_grey_and_struck_through(filled, qtbot):
    model = VisitTableModel()
    load(qtbot, model)
    qtbot.waitUntil(lambda: model.rows_loaded(0, 0))
    first = model.row_at(0)
    visitors.void(first.id, "重复登记")
    load(qtbot, model)
    assert model.rowCount() == ROWS - 1  # hidden from the default view
    load(qtbot, model, VisitQuery(DAY, DAY, status=visitors.VOIDED))
    assert model.rowCount() == 1
    qtbot.waitUntil(lambda: model.rows_loaded(0, 0))
    index = model.index(0, column("customer_name"))
    assert model.data(index) == "客户0"
    assert model.data(index, Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == "#9e9e9e"
    assert "重复登记" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert text(model, 0, "status") == "已作废"


def test_a_storage_error_is_reported_not_raised(filled, qtbot, monkeypatch):
    from frontdesk.errors import DatabaseLockedError

    def locked(_q):
        raise DatabaseLockedError("数据库正被另一个程序占用")

    monkeypatch.setattr(visitors, "count_visits", locked)
    model = VisitTableModel()
    with qtbot.waitSignal(model.errorOccurred, timeout=5000) as blocker:
        model.set_query(VisitQuery(DAY, DAY))
    assert "占用" in blocker.args[0]
    assert not model.busy


def test_yesterday_is_empty_today_is_full(filled, qtbot):
    model = VisitTableModel()
    yesterday = DAY - timedelta(days=1)
    load(qtbot, model, VisitQuery(yesterday, yesterday))
    assert model.rowCount() == 0
    load(qtbot, model, VisitQuery(date(2026, 1, 1), DAY, text="客户2999"))
    assert model.rowCount() == 1


def test_a_change_check_reads_rows_only_when_the_register_changed(filled, qtbot, qtmodeltester,
                                                                   fetches):
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    model = VisitTableModel(view, sync_rows=0)  # a big view: missing pages come from the worker
    view.setModel(model)
    view.show()
    load(qtbot, model)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)  # laid out
    view.scrollTo(model.index(1500, 0), QTableView.ScrollHint.PositionAtTop)
    qtbot.waitUntil(lambda: model.rows_loaded(1500, 1510))
    settle(qtbot, model)
    qtmodeltester.check(model)
    fetches.clear()
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    assert model.check_for_changes((1500, 1510))
    settle(qtbot, model)
    assert fetches == [] and resets == []  # unchanged: only the fingerprint was read

    # Another station registers five earlier arrivals: every row moves down by five.
    kept = model.row_at(1505).id
    insert_visits(5, DAY, start=time(7, 0), customer_name="早到客户")
    with qtbot.waitSignal(model.changesShown, timeout=5000) as shown:
        assert model.check_for_changes((1500, 1510), keep_id=kept)
    assert model.rows_loaded(1500, 1515)  # in with the reset: the rows on screen never flash "…"
    assert shown.args == [kept, 1510]
    assert model.rowCount() == ROWS + 5
    assert fetches == [(1400, PAGE_SIZE)]  # the page on screen, in the same job
    assert resets == [1]
    before = model.placeholders_shown
    view.viewport().repaint()
    assert model.placeholders_shown == before
    assert model.row_at(1510).id == kept
    qtmodeltester.check(model)


def test_a_failed_change_check_is_reported_not_raised(filled, qtbot, monkeypatch):
    from frontdesk.errors import DatabaseLockedError

    model = VisitTableModel()
    load(qtbot, model)

    def locked(_q):
        raise DatabaseLockedError("数据库正被另一个程序占用")

    monkeypatch.setattr(visitors, "change_stamp", locked)
    with qtbot.waitSignal(model.errorOccurred, timeout=5000) as blocker:
        assert model.check_for_changes()
    assert "占用" in blocker.args[0]
    settle(qtbot, model)
    assert model.rowCount() == ROWS
