"""The duty manager's notice: customers waiting past 15 minutes (30 in the peak periods) are
counted in red in the status bar of the station where a 值班经理 is signed in, re-read by a
timer as the clock moves on; the guide's station shows nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdesk.app import build_main_window
from frontdesk.services import clock, lists, session, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.visitors import escalation

NOON = datetime(2026, 11, 25, 13, 0)  # a Wednesday, between the default peak periods


@pytest.fixture
def hall(configured, monkeypatch):
    """Three customers waiting: for 16, 12 and 2 minutes at 13:00; the timer every 50 ms."""
    monkeypatch.setattr(escalation, "RECHECK_MS", 50)
    clock.pin(NOON, ticking=False)
    bt = lists.entries("business_type")[0].id
    dest = next(e.id for e in lists.entries("destination") if e.queues)
    for minutes in (16, 12, 2):
        visitors.register(VisitInput(business_type_id=bt, destination_id=dest,
                                     arrived_at=NOON - timedelta(minutes=minutes)))
    yield
    clock.unpin()


def _window(qtbot, db_location):
    window = build_main_window(db_location)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_duty_manager_is_told_and_the_count_follows_the_clock(hall, db_location, sign_in_as, qtbot):
    sign_in_as(session.DUTY_MANAGER, "manager", "王经理")
    window = _window(qtbot, db_location)
    notice = window.escalation_notice
    qtbot.waitUntil(lambda: notice.isVisible() and notice.text() == "1 位客户等候超过 15 分钟")
    assert "c62828" in notice.styleSheet()
    assert "最长已等候 16 分钟" in notice.toolTip()

    clock.pin(NOON + timedelta(minutes=4), ticking=False)  # the second crosses 15 minutes
    qtbot.waitUntil(lambda: notice.text() == "2 位客户等候超过 15 分钟")

    clock.pin(NOON.replace(hour=14, minute=10), ticking=False)  # a peak period: 30 minutes
    qtbot.waitUntil(lambda: notice.text() == "高峰时段：3 位客户等候超过 30 分钟")

    for row in visitors.waiting_now():
        visitors.call(row.id)
    qtbot.waitUntil(lambda: not notice.isVisible())


def test_the_guides_station_is_not_told(hall, db_location, sign_in_as, qtbot):
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    window = _window(qtbot, db_location)
    notice = window.escalation_notice
    qtbot.wait(200)  # several turns of the timer
    assert not notice.isVisible() and notice.text() == ""
