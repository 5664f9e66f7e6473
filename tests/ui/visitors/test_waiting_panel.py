"""The waiting-now panel: order, live timers, colours, and call / finish / leave by key."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from frontdesk.services import clock, lists, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.kit.worker import shared_worker
from frontdesk.ui.visitors import waiting_panel
from frontdesk.ui.visitors.waiting_panel import LEVEL_COLOURS, WaitingPanel, format_elapsed
from tests.ui.worker_helpers import settle

# The offscreen platform cannot apply a window's size hints and says so: harmless there.


@pytest.fixture
def frozen(monkeypatch):
    """A fixed 'now' so waits are exact; arrivals are placed relative to it."""
    state = {"now": clock.now().replace(hour=10, minute=30, second=0)}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


@pytest.fixture
def arrive(configured, frozen):
    bt = lists.entries("business_type")
    dest = lists.entries("destination")

    def arrive(minutes_ago: float, **kw) -> int:
        data = VisitInput(
            business_type_id=bt[0].id,
            destination_id=dest[0].id,
            arrived_at=frozen["now"] - timedelta(minutes=minutes_ago),
            **kw,
        )
        return visitors.register(data).id

    return arrive


@pytest.fixture
def panel(configured, qtbot):
    widget = WaitingPanel()
    qtbot.addWidget(widget)
    widget.resize(640, 500)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.waiting_view.setFocus()
    return widget


def waiting_ids(panel: WaitingPanel) -> list[int]:
    return [r.id for r in panel.waiting_model.rows()]


def serving_ids(panel: WaitingPanel) -> list[int]:
    return [r.id for r in panel.serving_model.rows()]


def test_models_pass_the_model_tester(arrive, panel, qtmodeltester):
    arrive(3)
    arrive(20, special_needs=frozenset({"elderly"}))
    visitors.call(arrive(8))
    panel.reload()
    qtmodeltester.check(panel.waiting_model)
    qtmodeltester.check(panel.serving_model)


def test_priority_customers_first_then_by_arrival(arrive, panel):
    plain_early = arrive(25)
    plain_late = arrive(4)
    elderly = arrive(2, special_needs=frozenset({"elderly"}))
    vip = arrive(10, vip=True)
    panel.reload()
    assert waiting_ids(panel) == [vip, elderly, plain_early, plain_late]
    model = panel.waiting_model
    customer = model.HEADERS.index("客户")
    assert model.index(1, customer).data().startswith("★ 老年人")
    assert model.index(0, customer).data().startswith("★ 贵宾")
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(2, 0).data(Qt.ItemDataRole.FontRole) is None
    assert "等候中" in panel.waiting_title.text() and "4" in panel.waiting_title.text()


def test_colours_cross_five_fifteen_thirty_minutes(arrive, panel, frozen):
    ids = [arrive(m) for m in (2, 5, 15, 30)]
    panel.reload()
    model = panel.waiting_model
    by_id = {r.id: i for i, r in enumerate(model.rows())}
    levels = [model.level(by_id[i]) for i in ids]
    assert levels == [0, 1, 2, 3]
    backgrounds = [model.index(by_id[i], 0).data(Qt.ItemDataRole.BackgroundRole) for i in ids]
    assert backgrounds[0] is None
    assert [b.color() for b in backgrounds[1:]] == [LEVEL_COLOURS[1], LEVEL_COLOURS[2], LEVEL_COLOURS[3]]
    timer = model.TIMER_COLUMN
    assert model.index(by_id[ids[1]], timer).data() == "送水 05:00"
    assert model.index(by_id[ids[0]], timer).data() == "02:00"

    # Three minutes later the first visitor crosses the water threshold, on the tick alone.
    frozen["now"] += timedelta(minutes=3)
    panel.tick()
    assert model.level(by_id[ids[0]]) == 1
    assert model.index(by_id[ids[0]], timer).data() == "送水 05:00"


def test_thresholds_come_from_settings(arrive, panel):
    from dataclasses import replace

    from frontdesk.services import settings

    visit = arrive(7)
    panel.reload()
    assert panel.waiting_model.level(0) == 1
    current = settings.load()
    settings.save(replace(current, standards=replace(current.standards, water_minutes=8)))
    panel.reload()
    assert panel.waiting_model.level(panel.waiting_model.row_of(visit)) == 0


def test_tick_updates_timers_without_querying(arrive, panel, frozen, monkeypatch, qtbot):
    arrive(1)
    panel.reload()
    calls = []
    monkeypatch.setattr(visitors, "waiting_now", lambda: calls.append(1) or [])
    changed = []
    panel.waiting_model.dataChanged.connect(lambda a, b, roles: changed.append((a.column(), b.column())))
    frozen["now"] += timedelta(seconds=1)
    panel.tick()
    timer = panel.waiting_model.TIMER_COLUMN
    assert panel.waiting_model.index(0, timer).data() == "01:01"
    assert calls == []
    assert changed == [(timer, timer)]


def test_live_timer_ticks_every_second(arrive, panel, frozen, qtbot):
    arrive(0)
    panel.reload()
    timer = panel.waiting_model.TIMER_COLUMN
    frozen["now"] += timedelta(seconds=2)
    qtbot.waitUntil(lambda: panel.waiting_model.index(0, timer).data() == "00:02", timeout=2500)


def test_f2_calls_the_first_in_order_then_the_selected(arrive, panel, qtbot):
    plain = arrive(20)
    priority = arrive(1, special_needs=frozenset({"pregnant"}))
    other = arrive(10)
    panel.reload()
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F2)
    settle(qtbot)  # the write runs on the database worker
    assert visitors.get_visit(priority).row.status == visitors.SERVING
    assert serving_ids(panel) == [priority]
    # The called visitor is selected in 办理中, ready for F3.
    assert panel.selected_serving().id == priority

    panel.waiting_view.selectRow(panel.waiting_model.row_of(other))
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F2)
    settle(qtbot)  # the write runs on the database worker
    assert visitors.get_visit(other).row.status == visitors.SERVING
    assert waiting_ids(panel) == [plain]


def test_f3_finishes_the_selected_in_service_visitor(arrive, panel, qtbot):
    first = arrive(10)
    second = arrive(5)
    visitors.call(first)
    visitors.call(second)
    panel.reload()
    changes = []
    panel.visitsChanged.connect(lambda: changes.append(1))
    panel.serving_view.selectRow(panel.serving_model.row_of(second))
    qtbot.keyClick(panel.serving_view, Qt.Key.Key_F3)
    settle(qtbot)  # the write runs on the database worker
    row = visitors.get_visit(second).row
    assert (row.status, row.outcome) == (visitors.FINISHED, "done")
    assert serving_ids(panel) == [first]
    assert changes == [1]


def test_f3_without_a_selection_says_what_to_do(arrive, panel, qtbot):
    visitors.call(arrive(5))
    panel.reload()
    panel.serving_view.clearSelection()
    qtbot.keyClick(panel.serving_view, Qt.Key.Key_F3)
    assert "选择" in panel.message.text()
    assert len(visitors.serving_now()) == 1


def test_f4_marks_the_selected_waiting_visitor_as_left(arrive, panel, qtbot):
    stays = arrive(10)
    leaves = arrive(5)
    panel.reload()
    panel.waiting_view.selectRow(panel.waiting_model.row_of(leaves))
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F4)
    settle(qtbot)  # the write runs on the database worker
    row = visitors.get_visit(leaves).row
    assert (row.status, row.outcome) == (visitors.LEFT, "left")
    assert waiting_ids(panel) == [stays]


def test_finish_with_another_outcome(arrive, panel, qtbot):
    visit = arrive(5)
    visitors.call(visit)
    panel.reload()
    panel.serving_view.selectRow(0)
    labels = [a.text() for a in panel.outcome_menu.actions()]
    assert "未办理离开" not in labels and "转介" in labels
    referred = next(a for a in panel.outcome_menu.actions() if a.data() == "referred")
    referred.trigger()
    settle(qtbot)
    assert visitors.get_visit(visit).row.outcome == "referred"


def test_a_visitor_called_at_another_station_is_explained(arrive, panel, qtbot):
    visit = arrive(5)
    panel.reload()
    visitors.call(visit)  # another station was quicker
    panel.waiting_view.selectRow(0)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F2)
    settle(qtbot)  # the write runs on the database worker
    assert "等候中" in panel.message.text()
    assert waiting_ids(panel) == [] and serving_ids(panel) == [visit]


def test_reload_keeps_the_selection_and_picks_up_other_stations(arrive, panel):
    first = arrive(10)
    second = arrive(5)
    panel.reload()
    panel.waiting_view.selectRow(panel.waiting_model.row_of(second))
    third = arrive(1, vip=True)  # registered at another station
    panel.reload()
    assert waiting_ids(panel) == [third, first, second]
    assert panel.selected_waiting().id == second


def test_background_reload_picks_up_another_station(arrive, panel, qtbot):
    assert waiting_ids(panel) == []
    visit = arrive(2)  # registered at another station
    panel.reload_in_background()
    qtbot.waitUntil(lambda: waiting_ids(panel) == [visit], timeout=3000)


def test_a_stale_background_read_never_undoes_a_call(arrive, panel, qtbot, monkeypatch):
    visit = arrive(5)
    panel.reload()
    stale = waiting_panel._read_panel()
    real = waiting_panel._read_panel
    release = threading.Event()

    def read():
        if threading.current_thread() is threading.main_thread():
            return real()
        release.wait(5)
        return stale  # read before the call below was committed

    monkeypatch.setattr(waiting_panel, "_read_panel", read)
    panel.reload_in_background()
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F2)
    settle(qtbot)  # the write runs on the database worker
    release.set()
    assert shared_worker().wait_idle(3000)
    assert serving_ids(panel) == [visit] and waiting_ids(panel) == []


def test_double_click_opens_the_edit_dialog(arrive, panel, qtbot):
    visit = arrive(5)
    panel.reload()
    seen = []

    def close_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        poll.stop()
        seen.append(getattr(dialog, "visit_id", None))
        dialog.reject()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(close_dialog)
    poll.start()
    view = panel.waiting_view
    rect = view.visualRect(panel.waiting_model.index(0, 1))
    # A double click as the platform delivers it: press/release, then the double-click press.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    poll.stop()
    assert seen == [visit]


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "00:00"), (59, "00:59"), (61, "01:01"), (3600 + 62, "1:01:02"), (-3, "00:00")]
)
def test_format_elapsed(seconds, text):
    assert format_elapsed(seconds) == text
