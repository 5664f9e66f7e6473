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
    for day in (date(2026, 1, 29), date(2026, 2, 28), date(2026, 3, 1)):
        _arrive(kinds, day, phone=PHONE)
    _ticket(date(2026, 1, 20), kind=complaints.OPINION, channel="opinion_book")
    _ticket(date(2026, 1, 21), closed=False)  # open: its contact stays
    clock.pin(datetime(2026, 3, 31, 9))
    widget = SettingsDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    yield widget
    clock.unpin()


def test_the_period_is_in_months_and_the_dry_run_counts_what_it_would_clear(dialog, qtbot):
    assert dialog.retention.suffix() == " 个月" and dialog.retention.value() == 12
    assert (dialog.retention.minimum(), dialog.retention.maximum()) == (1, 120)
    set_spin(qtbot, dialog.retention, 1)  # on 31 March: up to the end of 28 February
    qtbot.waitUntil(lambda: "将清除 2 条来访的姓名和电话" in dialog.retention_hint.text())
    assert "1 条已办结投诉/意见" in dialog.retention_hint.text()
    set_spin(qtbot, dialog.retention, 2)  # up to the end of 31 January
    qtbot.waitUntil(lambda: "将清除 1 条来访" in dialog.retention_hint.text())
    qtbot.keyClick(dialog.retention, Qt.Key.Key_Tab)
    assert dialog.keep_forever.hasFocus()  # the explicit choice follows the months


def test_keeping_for_ever_is_chosen_only_after_a_warning(dialog, qtbot):
    dialog.keep_forever.setFocus()
    qtbot.keyClick(dialog.keep_forever, Qt.Key.Key_Space)
    assert dialog.keep_forever.isChecked() and not dialog.retention.isEnabled()
    assert "永久保留" in dialog.retention_hint.text() and "最短时间" in dialog.retention_hint.text()
    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.No, seen)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    settle(qtbot)
    timer.stop()
    assert seen and "永久保留" in seen[0]
    assert dialog.isVisible() and settings.load().retention_months == 12

    timer = answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    settle(qtbot)
    timer.stop()
    assert len(seen) == 2 and settings.load().retention_months == settings.KEEP_FOREVER


def test_a_branch_keeping_for_ever_sees_it_ticked_and_may_go_back_to_months(dialog, qtbot):
    from dataclasses import replace

    settings.save(replace(settings.load(), retention_months=settings.KEEP_FOREVER))
    dialog.close()
    again = SettingsDialog()
    qtbot.addWidget(again)
    again.show()
    again.activateWindow()
    qtbot.waitActive(again)
    assert again.keep_forever.isChecked() and not again.retention.isEnabled()
    again.keep_forever.setFocus()
    qtbot.keyClick(again.keep_forever, Qt.Key.Key_Space)
    set_spin(qtbot, again.retention, 6)
    qtbot.keyClick(again.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert settings.load().retention_months == 6
