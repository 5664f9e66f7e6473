"""The waiting-now panel: order, live timers, colours, and call / finish / leave by key."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.services import clock, lists, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.kit.worker import shared_worker
from frontdesk.ui.visitors import waiting_panel
from frontdesk.ui.visitors.waiting_panel import LEVEL_COLOURS, WaitingPanel, format_elapsed
from tests.ui.widget_helpers import show_active, when_modal
from tests.ui.worker_helpers import settle

# The offscreen platform cannot apply a window's size hints and says so: harmless there.
# Nor can it raise a popup menu or let it grab the keyboard (the menu takes the keys anyway).
OFFSCREEN_MENU = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")


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
    widget = show_active(qtbot, WaitingPanel(), 640, 500)
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
    assert model.index(by_id[ids[1]], timer).data() == "请送水/安抚 05:00"
    assert model.index(by_id[ids[0]], timer).data() == "02:00"

    # Three minutes later the first visitor crosses the water threshold, on the tick alone.
    frozen["now"] += timedelta(minutes=3)
    panel.tick()
    assert model.level(by_id[ids[0]]) == 1
    assert model.index(by_id[ids[0]], timer).data() == "请送水/安抚 05:00"


@OFFSCREEN_MENU
def test_f8_brings_water_to_the_first_customer_due_and_the_mark_goes(arrive, panel, qtbot, frozen):
    from frontdesk.db.models import AuditEntry
    from frontdesk.services import care

    fresh, due, longest = arrive(3), arrive(7), arrive(12)
    panel.reload()
    model = panel.waiting_model
    timer = model.TIMER_COLUMN
    row_of = model.row_of
    assert [model.needs_care(row_of(v)) for v in (fresh, due, longest)] == [False, True, True]
    assert panel.water_action.text() == "已送水（F8）"  # the care list's first action
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F8)  # nothing selected: the first due, the longest wait
    qtbot.waitUntil(lambda: "已送水" in panel.message_text())
    assert set(care.care_of([fresh, due, longest])) == {longest}
    [record] = care.care_of([longest])[longest]
    assert (record.label, record.at) == ("已送水", frozen["now"])
    assert model.index(row_of(longest), timer).data() == "送水 12:00"  # looked after: the plain level
    assert model.index(row_of(longest), len(model.HEADERS) - 1).data().startswith("[已送水]")
    assert "已送水 10:30" in model.index(row_of(longest), 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row_of(due), timer).data().startswith("请送水/安抚")
    entry = AuditEntry.select().where(AuditEntry.action == "care").get()
    assert (entry.entity_id, entry.detail) == (longest, "已送水")

    # F9 on a customer chosen in the list: the whole care list in a menu; 2 is 已安抚.
    panel.waiting_view.selectRow(row_of(fresh))
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F9)
    qtbot.waitUntil(panel.care_menu.isVisible)
    assert [a.text() for a in panel.care_menu.actions()] == [
        "&1 已送水", "&2 已安抚", "&3 已告知预计等候时间", "&4 已引导至自助", "&5 已报告值班经理"]
    qtbot.keyClick(panel.care_menu, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: "已安抚" in panel.message_text())
    assert [r.label for r in care.care_of([fresh])[fresh]] == ["已安抚"]

    # ↓↓ Enter: the third, for the customer due.
    qtbot.waitUntil(lambda: not panel.busy)
    panel.waiting_view.selectRow(row_of(due))
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F9)
    qtbot.waitUntil(panel.care_menu.isVisible)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(panel.care_menu, key)
    qtbot.waitUntil(lambda: "已告知预计等候时间" in panel.message_text())
    assert [r.label for r in care.care_of([due])[due]] == ["已告知预计等候时间"]


@OFFSCREEN_MENU
def test_the_care_list_is_the_administrators(arrive, panel, qtbot):
    from frontdesk.services import care
    from frontdesk.services.presets import CARE_ACTION

    visit = arrive(8)  # the administrator is signed in
    _first, second = lists.entries(CARE_ACTION)[:2]
    lists.move_entry(second.id, -1)
    lists.add_entry(CARE_ACTION, "已提供老花镜")
    panel.reload()
    assert panel.water_action.text() == "已安抚（F8）"
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: "已安抚" in panel.message_text() and not panel.busy)
    panel.waiting_view.selectRow(0)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F9)
    qtbot.waitUntil(panel.care_menu.isVisible)
    assert panel.care_menu.actions()[-1].text() == "&6 已提供老花镜"
    qtbot.keyClick(panel.care_menu, Qt.Key.Key_6)
    qtbot.waitUntil(lambda: "已提供老花镜" in panel.message_text())
    assert [r.label for r in care.care_of([visit])[visit]] == ["已安抚", "已提供老花镜"]


def test_f8_with_nobody_due_says_so_and_records_nothing(arrive, panel, qtbot):
    from frontdesk.services import care

    visit = arrive(2)
    panel.reload()
    panel.waiting_view.clearSelection()
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F8)
    assert "没有等候满 5 分钟" in panel.message_text()
    assert care.care_of([visit]) == {}


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


def test_f2_f2_f3_f3_serves_everyone_without_selecting(arrive, panel, qtbot):
    """The issue's sequence: after F2 twice and F3 once, F3 finishes the one customer left in
    service (it used to ask for a selection). F3 records who served: the signed-in user."""
    first, second = arrive(10), arrive(5)
    panel.reload()
    for key in (Qt.Key.Key_F2, Qt.Key.Key_F2, Qt.Key.Key_F3):
        qtbot.keyClick(panel.waiting_view, key)
        settle(qtbot)
    assert serving_ids(panel) == [first] and panel.selected_serving() is None
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F3)
    settle(qtbot)
    assert serving_ids(panel) == [] and waiting_ids(panel) == []
    for visit in (first, second):
        row = visitors.get_visit(visit).row
        assert (row.status, row.outcome, row.served_by) == (visitors.FINISHED, "done", "管理员")
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F3)
    assert "没有办理中的客户" in panel.message_text()


def test_f3_without_a_selection_finishes_the_longest_in_service(arrive, panel, frozen, qtbot):
    early, late = arrive(30), arrive(20)
    visitors.call(late)
    frozen["now"] += timedelta(minutes=1)
    visitors.call(early)  # called after: less time in service
    panel.reload()
    panel.serving_view.clearSelection()
    qtbot.keyClick(panel.serving_view, Qt.Key.Key_F3)
    settle(qtbot)
    assert visitors.get_visit(late).row.status == visitors.FINISHED
    assert serving_ids(panel) == [early]


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


# ------------------------------------------------------------------ the keyboard route


def answer_modal(qtbot, *keys) -> QTimer:
    """Press ``keys`` in the next modal dialog, where its focus is (as a user does)."""

    def answer(dialog: QWidget) -> None:
        for key in keys:
            qtbot.keyClick(dialog.focusWidget() or dialog, key)

    return when_modal(answer)


def test_f4_without_a_selection_asks_whom(arrive, panel, qtbot):
    stays, leaves = arrive(10), arrive(5)
    panel.reload()
    panel.waiting_view.clearSelection()
    timer = answer_modal(qtbot, Qt.Key.Key_Escape)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F4)
    timer.stop()
    settle(qtbot)
    assert waiting_ids(panel) == [stays, leaves]  # cancelled: nobody marked
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.waiting_view)  # back in the list

    timer = answer_modal(qtbot, Qt.Key.Key_Down, Qt.Key.Key_Return)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F4)
    timer.stop()
    settle(qtbot)
    assert waiting_ids(panel) == [stays]
    assert visitors.get_visit(leaves).row.status == visitors.LEFT


@pytest.fixture
def tab(configured, qtbot):
    from frontdesk.ui.visitors.tab import VisitorTab

    widget = show_active(qtbot, VisitorTab(), 1366, 700)
    widget.focus_first()
    return widget


def test_f6_and_f7_move_into_the_lists_and_arrows_select(arrive, tab, qtbot):
    panel = tab.waiting_panel
    first, second, third = arrive(15), arrive(10), arrive(5)
    panel.reload()
    assert QApplication.focusWidget() is tab.quick_entry.business

    def key(k, modifier=Qt.KeyboardModifier.NoModifier):
        qtbot.keyClick(QApplication.focusWidget(), k, modifier)
        settle(qtbot)

    key(Qt.Key.Key_F6)
    assert QApplication.focusWidget() is panel.waiting_view
    assert panel.selected_waiting().id == first
    key(Qt.Key.Key_Down)
    assert panel.selected_waiting().id == second
    key(Qt.Key.Key_F2)  # calls the selected one
    assert visitors.get_visit(second).row.status == visitors.SERVING
    key(Qt.Key.Key_F2)  # the selection went with the call: the first waiting is next
    assert visitors.get_visit(first).row.status == visitors.SERVING
    key(Qt.Key.Key_F7)
    assert QApplication.focusWidget() is panel.serving_view
    key(Qt.Key.Key_Up)
    key(Qt.Key.Key_Down)
    [chosen] = [r for r in panel.serving_model.rows() if r.id == panel.selected_serving().id]
    key(Qt.Key.Key_F3)
    assert visitors.get_visit(chosen.id).row.status == visitors.FINISHED
    assert waiting_ids(panel) == [third]
    assert "F6" in panel.waiting_title.text() and "F7" in panel.serving_title.text()


def test_ctrl_z_takes_back_a_call_a_finish_and_a_leave(arrive, tab, qtbot):
    from frontdesk.db.models import AuditEntry

    panel = tab.waiting_panel
    visit, other = arrive(10), arrive(5)
    panel.reload()

    def key(k, modifier=Qt.KeyboardModifier.NoModifier):
        qtbot.keyClick(QApplication.focusWidget(), k, modifier)
        settle(qtbot)

    key(Qt.Key.Key_F2)
    assert visitors.get_visit(visit).row.status == visitors.SERVING
    assert "撤销（Ctrl+Z）" in panel.message.text()
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = visitors.get_visit(visit).row
    assert (row.status, row.called_at, row.served_by) == (visitors.WAITING, None, "")
    assert waiting_ids(panel) == [visit, other] and "已撤销" in panel.message_text()
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing more to take back
    assert visitors.get_visit(visit).row.status == visitors.WAITING
    assert "没有可以撤销" in panel.message_text()

    key(Qt.Key.Key_F2)
    key(Qt.Key.Key_F3)
    assert visitors.get_visit(visit).row.status == visitors.FINISHED
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = visitors.get_visit(visit).row
    assert (row.status, row.finished_at, row.outcome) == (visitors.SERVING, None, None)
    assert row.called_at is not None and serving_ids(panel) == [visit]

    panel.waiting_view.selectRow(panel.waiting_model.row_of(other))
    key(Qt.Key.Key_F4)
    assert visitors.get_visit(other).row.status == visitors.LEFT
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    row = visitors.get_visit(other).row
    assert (row.status, row.finished_at, row.outcome) == (visitors.WAITING, None, None)

    actions = [e.action for e in AuditEntry.select().where(AuditEntry.entity == "visit").order_by(AuditEntry.seq)]
    assert actions.count("undo_call") == 1 and actions.count("undo_finish") == 1
    assert actions.count("undo_left") == 1


def test_undo_is_refused_once_the_visit_changed_or_time_passed(arrive, panel, frozen, qtbot):
    visit, later = arrive(10), arrive(5)
    panel.reload()
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F2)
    settle(qtbot)
    detail = visitors.get_visit(visit)
    from dataclasses import replace

    visitors.update(visit, replace(detail.to_input(), notes="另一工作站补的备注"), detail)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert "不能撤销" in panel.message_text()
    assert visitors.get_visit(visit).row.status == visitors.SERVING

    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F2)
    settle(qtbot)
    frozen["now"] += visitors.UNDO_WINDOW + timedelta(seconds=1)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert "不能撤销" in panel.message_text()
    assert visitors.get_visit(later).row.status == visitors.SERVING


def test_rows_show_missing_papers_and_surrender_flags(configured, frozen, panel):
    bts = {e.label: e for e in lists.entries("business_type")}
    counter = lists.entries("destination")[0].id
    plain = visitors.register(VisitInput(business_type_id=bts["缴费"].id, destination_id=counter)).id
    papers = visitors.register(VisitInput(business_type_id=bts["理赔"].id, destination_id=counter,
                                          documents_complete=False, missing_documents=("保单原件",))).id
    surrender = visitors.register(VisitInput(business_type_id=bts["退保"].id, destination_id=counter,
                                             customer_name="王先生")).id
    visitors.call(surrender)
    panel.reload()
    model = panel.waiting_model
    customer = len(model.HEADERS) - 1
    cell = {r.id: model.index(model.row_of(r.id), customer).data() for r in model.rows()}
    assert "[缺资料]" in cell[papers] and "[退保]" not in cell[papers]
    assert "[缺资料]" not in cell[plain] and "[退保]" not in cell[plain]
    serving = panel.serving_model
    text = serving.index(serving.row_of(surrender), customer).data()
    assert "[退保]" in text and "王先生" in text
    assert serving.headerData(0, Qt.Orientation.Horizontal) == "叫号时间"


def test_f10_opens_the_slip_of_the_selected_customer(arrive, panel, qtbot):
    visit = arrive(2, documents_complete=False, missing_documents=("保单原件",))
    panel.reload()
    panel.waiting_view.clearSelection()
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F10)
    assert "请先在等候或办理中列表中选择客户" in panel.message_text() and panel.slip_dialog is None
    panel.waiting_view.selectRow(0)
    qtbot.keyClick(panel.waiting_view, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: panel.slip_dialog is not None and panel.slip_dialog.draft is not None)
    dialog = panel.slip_dialog
    assert dialog.visit_id == visit and dialog.missing() == ("保单原件",)
    assert dialog.draft.business_type == lists.entries("business_type")[0].label
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
