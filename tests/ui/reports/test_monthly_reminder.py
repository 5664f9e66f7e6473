"""The status bar reminds the duty manager of last month's report until it is exported; a click
opens the report dialog on the monthly report."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from frontdesk.app import build_main_window
from frontdesk.services import clock, reporting, session, visitors
from frontdesk.services.visitors import VisitInput
from tests.ui.widget_helpers import when_modal
from tests.ui.worker_helpers import settle

MORNING = datetime(2026, 12, 2, 8, 40)


@pytest.fixture
def window(db_location, configured, kinds, qtbot, sign_in_as):
    bts, dests = kinds
    arrived = datetime(2026, 11, 20, 10, 0)
    with clock.pinned(arrived, ticking=False):
        visitors.register(VisitInput(business_type_id=bts["理赔"], destination_id=dests["1号窗口"],
                                     arrived_at=arrived))
    with clock.pinned(MORNING):
        sign_in_as(session.DUTY_MANAGER)
        widget = build_main_window(db_location)
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        yield widget


def test_the_reminder_shows_opens_the_monthly_report_and_goes_once_exported(window, qtbot, tmp_path):
    reminder = window.monthly_reminder
    qtbot.waitUntil(reminder.isVisible, timeout=10_000)
    assert "11月月报请于 12月3日 前导出" in reminder.text()
    assert reminder.focusPolicy() == Qt.FocusPolicy.NoFocus

    seen = {}

    def export_november(dialog):
        seen["monthly"] = dialog.monthly.isChecked()
        seen["month"] = dialog.month.date().toString("yyyy-MM")
        dialog.folder.setText(str(tmp_path))
        dialog.export()
        qtbot.waitUntil(lambda: bool(dialog.written), timeout=20_000)
        dialog.reject()

    when_modal(export_november)
    qtbot.mouseClick(reminder, Qt.MouseButton.LeftButton)
    assert seen == {"monthly": True, "month": "2026-11"}
    settle(qtbot)
    qtbot.waitUntil(lambda: not reminder.isVisible(), timeout=10_000)
    assert reporting.monthly_reminder() is None


def test_after_the_third_it_is_red(window, qtbot):
    with clock.pinned(datetime(2026, 12, 4, 9, 0)):
        window.monthly_reminder.refresh()
        qtbot.waitUntil(lambda: "应于 12月3日 前导出，尚未导出" in window.monthly_reminder.text(), timeout=10_000)
    assert "c62828" in window.monthly_reminder.styleSheet()


def test_the_front_desk_is_not_reminded(window, qtbot, sign_in_as):
    sign_in_as(session.FRONT_DESK)
    window.refresh_user()
    assert not window.monthly_reminder.isVisible()
