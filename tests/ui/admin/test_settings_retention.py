"""The retention setting in 网点设置: the dry run counts what a period would clear (visits, and
closed complaints and opinion entries), and "keep for ever" is chosen only after a warning."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from frontdesk.services import clock, complaints, settings
from frontdesk.ui.admin.settings_dialog import SettingsDialog
from tests.services.test_privacy import PHONE, _arrive, _ticket
from tests.ui.admin.test_settings_dialog import answer_next_message_box, set_spin
from tests.ui.worker_helpers import settle


@pytest.fixture
def dialog(kinds, qtbot):
    for day in (date(2026, 1, 29), date(2026, 1, 30), date(2026, 2, 10)):
        _arrive(kinds, day, phone=PHONE)
    _ticket(date(2026, 1, 20), kind=complaints.OPINION, channel="opinion_book")
    _ticket(date(2026, 1, 21), closed=False)  # open: its contact stays
    clock.pin(datetime(2026, 3, 2, 9))
    widget = SettingsDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    yield widget
    clock.unpin()


def test_the_dry_run_counts_what_the_period_would_clear(dialog, qtbot):
    set_spin(qtbot, dialog.retention, 30)  # before 31 January, across the month's end
    qtbot.waitUntil(lambda: "将清除 2 条来访的姓名和电话" in dialog.retention_hint.text())
    assert "1 条已办结投诉/意见" in dialog.retention_hint.text()
    set_spin(qtbot, dialog.retention, 19)  # before 11 February
    qtbot.waitUntil(lambda: "将清除 3 条来访" in dialog.retention_hint.text())


def test_keeping_for_ever_is_chosen_only_after_a_warning(dialog, qtbot):
    set_spin(qtbot, dialog.retention, 0)
    assert "永久保留" in dialog.retention_hint.text() and "最短时间" in dialog.retention_hint.text()
    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.No, seen)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    settle(qtbot)
    timer.stop()
    assert seen and "永久保留" in seen[0]
    assert dialog.isVisible() and settings.load().retention_days == 365

    timer = answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    settle(qtbot)
    timer.stop()
    assert len(seen) == 2 and settings.load().retention_days == 0
