"""今日窗口 (issue 10, item 7), through the real widgets and keys: the duty manager closes a counter
with F11, Space and Enter, and the quick entry no longer offers it; a guide sees the counters
read-only; a counter closed on another station greys out here too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from frontdesk.db.models import AuditEntry, CounterDay
from frontdesk.services import clock, counters, lists, session, visitors
from frontdesk.ui.visitors import quick_entry
from frontdesk.ui.visitors.tab import VisitorTab
from tests.ui.register_helpers import type_chinese
from tests.ui.widget_helpers import show_active
from tests.ui.worker_helpers import settle


def _queue_ids() -> list[int]:
    return [e.id for e in lists.entries("destination") if e.queues]


def _press(qtbot, *keys) -> None:
    for key in keys:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        qtbot.keyClick(widget, key)
        settle(qtbot)


@pytest.fixture
def open_tab(qtbot, monkeypatch):
    monkeypatch.setattr(quick_entry, "COUNTERS_POLL_MS", 200)

    def make() -> VisitorTab:
        tab = show_active(qtbot, VisitorTab(), 1366, 700)
        tab.apply_role(session.current())
        tab.focus_first()
        settle(qtbot)
        return tab

    return make


def _open_dialog(qtbot, form):
    _press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: form.counters_dialog is not None and form.counters_dialog.isVisible())
    dialog = form.counters_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.list)
    return dialog


def test_duty_manager_closes_a_counter_and_the_quick_entry_no_longer_offers_it(configured, sign_in_as, open_tab,
                                                                               qtbot):
    first, second = _queue_ids()[:2]
    sign_in_as(session.DUTY_MANAGER, "duty", "赵经理")
    tab = open_tab()
    form = tab.quick_entry
    assert form.counters_button.isVisible() and "F11" in form.counters_button.text()

    visitors.register(visitors.VisitInput(business_type_id=lists.entries("business_type")[1].id,
                                          destination_id=first))
    dialog = _open_dialog(qtbot, form)
    assert dialog.list.currentRow() == 0 and not dialog.reason.isEnabled()
    assert dialog.list.item(0).text().endswith("等候 1 人")  # they stay when it closes
    _press(qtbot, Qt.Key.Key_Space)  # the first counter: closed
    assert dialog.list.item(0).checkState() == Qt.CheckState.Unchecked
    assert dialog.reason.isEnabled()
    _press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.reason
    type_chinese(dialog.reason, "设备故障")
    assert dialog.reason.currentText() == "设备故障"
    _press(qtbot, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: form.counters_dialog is None)

    qtbot.waitUntil(lambda: not form.destination.button_for(first).isEnabled())
    assert "设备故障" in form.destination.button_for(first).toolTip()
    row = CounterDay.get()
    assert (row.entry_id, row.open, row.reason, row.username, row.day) == (first, False, "设备故障", "赵经理",
                                                                            clock.today())
    assert AuditEntry.select().where(AuditEntry.action == "counter_close").count() == 1

    # The guide's keys: 缴费, then the closed counter's key says why and picks nothing.
    assert QApplication.focusWidget() is form.business
    _press(qtbot, "2", "1")
    assert form.destination.current_id() is None
    assert QApplication.focusWidget() is form.destination
    message = form.findChild(QLabel, "error_destination")
    assert message.isVisible() and "今日已关闭（设备故障）" in message.text()
    _press(qtbot, Qt.Key.Key_Left)  # the arrows step over it too
    _press(qtbot, Qt.Key.Key_Right)
    assert form.destination.current_id() == second
    _press(qtbot, Qt.Key.Key_Return)
    waiting = visitors.waiting_now()
    assert [v.destination_id for v in waiting] == [first, second]


def test_a_guide_sees_the_counters_read_only(configured, sign_in_as, open_tab, qtbot):
    first = _queue_ids()[0]
    sign_in_as(session.FRONT_DESK, "guide")
    tab = open_tab()
    dialog = _open_dialog(qtbot, tab.quick_entry)
    assert dialog.save_button is None and not dialog.reason.isEnabled()
    assert "只有值班经理或管理员" in dialog.findChild(QLabel, "countersHint").text()
    _press(qtbot, Qt.Key.Key_Space)
    assert dialog.list.item(0).checkState() == Qt.CheckState.Checked  # nothing to tick
    assert not dialog.list.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable
    _press(qtbot, Qt.Key.Key_Return)  # closes, writes nothing
    qtbot.waitUntil(lambda: tab.quick_entry.counters_dialog is None)
    assert CounterDay.select().count() == 0
    assert tab.quick_entry.destination.button_for(first).isEnabled()


def test_a_counter_closed_on_another_station_greys_out_here(configured, sign_in_as, make_user, open_tab, qtbot):
    first = _queue_ids()[0]
    sign_in_as(session.FRONT_DESK, "guide")
    tab = open_tab()
    form = tab.quick_entry
    assert form.destination.button_for(first).isEnabled()
    other = make_user(session.DUTY_MANAGER, "duty")
    with session.act_as(other):  # another station: no announcement on this one's change bus
        counters.set_counters(clock.today(), {first: False}, reason="人手不足")
    qtbot.waitUntil(lambda: not form.destination.button_for(first).isEnabled(), timeout=5000)
    # … and open again: the button comes back.
    with session.act_as(other):
        counters.set_counters(clock.today(), {first: True})
    qtbot.waitUntil(lambda: form.destination.button_for(first).isEnabled(), timeout=5000)


def test_a_counter_closed_a_moment_ago_elsewhere_is_refused_with_the_reason_and_nothing_is_lost(
        configured, sign_in_as, make_user, qtbot):
    first = _queue_ids()[0]
    sign_in_as(session.FRONT_DESK, "guide")
    tab = show_active(qtbot, VisitorTab(), 1366, 700)  # polling every 10 s: this view is stale
    tab.apply_role(session.current())
    tab.focus_first()
    settle(qtbot)
    form = tab.quick_entry
    with session.act_as(make_user(session.DUTY_MANAGER, "duty")):
        counters.set_counters(clock.today(), {first: False}, reason="人手不足")
    _press(qtbot, "2", "1", Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "A012")
    _press(qtbot, Qt.Key.Key_Return)
    message = form.findChild(QLabel, "error_destination")
    label = lists.get_entry(first).label
    assert message.text() == f"窗口“{label}”今日已关闭（人手不足），请另选分流去向。"
    assert visitors.waiting_now() == [] and form.ticket.text() == "A012"  # nothing lost
    qtbot.waitUntil(lambda: not form.destination.button_for(first).isEnabled())
    assert form.destination.current_id() is None
