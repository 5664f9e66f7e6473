"""The inspections' schedule in the real main window's status bar and on the tab."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

import pytest

from frontdesk.app import build_main_window
from frontdesk.services import clock, settings
from frontdesk.services import inspections as ins
from frontdesk.ui.inspections.status import OVERDUE_STYLE
from frontdesk.ui.inspections.tab import InspectionsTab

MONDAY = datetime(2026, 11, 16, 8, 40)
NATIONAL_DAY = datetime(2026, 10, 5, 8, 40)


@pytest.fixture
def hours(configured):
    settings.save(replace(settings.load(), opening_time=time(9, 0), closing_time=time(17, 0)))


@pytest.fixture(autouse=True)
def _clock_put_back():
    yield
    clock.unpin()


def window_at(moment: datetime, db_location, qtbot):
    clock.pin(moment)
    widget = build_main_window(db_location)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_status_bar_counts_what_is_due_and_turns_red_when_overdue(hours, db_location, qtbot):
    window = window_at(MONDAY, db_location, qtbot)
    label = window.inspection_status
    # Monday 08:40: opening, self-service, the two patrols, fire, sampling, closing.
    qtbot.waitUntil(lambda: label.text() == "巡检：7 项待办")
    assert label.styleSheet() == ""
    # The opening check is started; the change bus refreshes the label at once.
    tab = next(p for p in window.tab_pages if isinstance(p, InspectionsTab))
    window.tabs.setCurrentWidget(tab)
    from frontdesk.ui.kit.changes import INSPECTION
    from frontdesk.ui.kit.operations import Op

    opening = next(t for t in ins.templates() if t.key == "opening")
    Op(tab, lambda: ins.start_run(opening.id), changes={INSPECTION}).run()
    qtbot.waitUntil(lambda: label.text() == "巡检：6 项待办")
    # 09:30 comes without anything changing: the timer alone finds the self-service check late.
    clock.pin(datetime(2026, 11, 16, 9, 30))
    label.timer.setInterval(50)
    qtbot.waitUntil(lambda: label.text() == "巡检：5 项待办，1 项逾期")
    assert label.styleSheet() == OVERDUE_STYLE
    tab.plan_timer.setInterval(50)
    qtbot.waitUntil(lambda: "自助设备检查（已逾期，应于 09:00 前）" in tab.plan_label.text())
    assert "已做：班前检查" in tab.plan_label.text()


def test_on_a_holiday_the_status_bar_says_the_hall_is_closed(hours, db_location, qtbot):
    window = window_at(NATIONAL_DAY, db_location, qtbot)
    qtbot.waitUntil(lambda: window.inspection_status.text() == "巡检：今日闭厅（法定节假日）")
    tab = next(p for p in window.tab_pages if isinstance(p, InspectionsTab))
    qtbot.waitUntil(lambda: tab.plan_label.text() == "今日闭厅（法定节假日）：不排检查")


def test_a_check_missed_yesterday_shows_on_the_tab_and_in_the_status_bar(hours, db_location, qtbot):
    with clock.pinned(MONDAY):
        ins.start_run(next(t for t in ins.templates() if t.key == "opening").id)
    window = window_at(datetime(2026, 11, 17, 8, 0), db_location, qtbot)
    qtbot.waitUntil(lambda: "近 7 天漏检 6 项" in window.inspection_status.text())
    assert "漏检：2026-11-16 消防器材巡检" in window.inspection_status.toolTip()
    tab = next(p for p in window.tab_pages if isinstance(p, InspectionsTab))
    qtbot.waitUntil(lambda: "近 7 天漏检：" in tab.plan_label.text())
    assert "11-16 消防器材巡检" in tab.plan_label.text()
