"""设置 → 投诉设置 through the real settings dialog, by key presses: the category list, an
industry preset for it, and the internal deadlines (refused at the field, saved, open tickets
recomputed); read-only for anyone but the administrator."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from frontdesk.services import clock, lists, session
from frontdesk.services import complaints as cs
from frontdesk.services.presets import COMPLAINT_CATEGORIES, COMPLAINT_CATEGORY
from frontdesk.ui.admin.settings_dialog import SettingsDialog
from frontdesk.ui.complaints.form_dialog import ComplaintFormDialog
from tests.ui.admin.test_settings_dialog import answer_next_message_box
from tests.ui.worker_helpers import settle


@pytest.fixture
def monday():
    clock.pin(datetime(2026, 9, 28, 10, 0), ticking=False)
    yield
    clock.unpin()


def _open(qtbot) -> SettingsDialog:
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.tabs.setCurrentWidget(dialog.complaint_page)
    settle(qtbot)  # the deadlines are read on the database worker
    return dialog


@pytest.fixture
def dialog(configured, qtbot):
    return _open(qtbot)


def alt(qtbot, widget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)


def retype(qtbot, spin, text: str) -> None:
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, text)


def test_the_page_shows_the_categories_and_the_deadlines(dialog):
    page = dialog.complaint_page
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "投诉设置"
    labels = [e.label for e in page.categories.entries()]
    assert labels == list(COMPLAINT_CATEGORIES["insurance"])
    assert [spin.value() for spin in page.days.values()] == [7, 2, 7]
    assert page.preset.currentData() == "insurance"
    assert "重新计算" in page.findChild(type(page.status), "deadlinesNote").text()
    assert page.roll.isEnabled() and not page.roll.isChecked()  # off by default
    assert "合规负责人" in page.findChild(type(page.status), "rollNote").text()


def test_rolling_regulatory_deadlines_is_ticked_and_unticked_by_keys_and_open_tickets_follow(configured, qtbot):
    clock.pin(datetime(2026, 9, 18, 10, 0), ticking=False)  # 15 calendar days → 10-03, National Day
    try:
        ticket = cs.create(cs.ComplaintInput(category="理赔纠纷", description="理赔进度慢"))
        assert ticket.regulatory_due == date(2026, 10, 3)
        dialog = _open(qtbot)
        page = dialog.complaint_page
        qtbot.waitUntil(page.roll.isEnabled)

        alt(qtbot, dialog, Qt.Key.Key_R)  # 监管时限落在节假日时顺延至下一个工作日(&R)
        qtbot.waitUntil(lambda: "已重新计算" in page.status.text(), timeout=10_000)
        assert page.roll.isChecked()
        assert "顺延至下一个工作日；1 张未办结工单" in page.status.text()
        assert cs.regulatory_roll() is True
        detail = cs.get_complaint(ticket.id)
        assert detail.row.regulatory_due == date(2026, 10, 8)
        assert "原截止日 2026-10-03 为国庆节法定节假日" in detail.explanation()

        qtbot.waitUntil(page.roll.isEnabled)
        page.roll.setFocus()
        page.status.clear()
        qtbot.keyClick(page.roll, Qt.Key.Key_Space)  # the focused box, unticked
        qtbot.waitUntil(lambda: "不顺延" in page.status.text(), timeout=10_000)
        assert not page.roll.isChecked() and cs.regulatory_roll() is False
        assert cs.get_complaint(ticket.id).row.regulatory_due == date(2026, 10, 3)
    finally:
        clock.unpin()


def test_a_wrong_deadline_is_refused_at_its_field_then_saved_and_open_tickets_follow(configured, monday, qtbot):
    ticket = cs.create(cs.ComplaintInput(category="理赔纠纷", description="理赔进度慢"))
    assert ticket.internal_due == date(2026, 10, 13)
    dialog = _open(qtbot)
    page = dialog.complaint_page
    complaint_days = page.days["complaint"]

    alt(qtbot, dialog, Qt.Key.Key_C)  # 投诉(&C)
    qtbot.waitUntil(lambda: complaint_days.hasFocus())
    retype(qtbot, complaint_days, "0")
    alt(qtbot, dialog, Qt.Key.Key_N)  # 咨询(&N)
    qtbot.waitUntil(lambda: page.days["consultation"].hasFocus())
    retype(qtbot, page.days["consultation"], "61")
    alt(qtbot, dialog, Qt.Key.Key_D)  # 保存时限(&D)
    qtbot.waitUntil(lambda: bool(page.errors.message("internal_days_complaint")), timeout=10_000)
    assert page.errors.message("internal_days_complaint") == "请填写 1 到 60 之间的工作日数。"
    assert page.errors.message("internal_days_consultation") == "请填写 1 到 60 之间的工作日数。"
    assert (complaint_days.value(), page.days["consultation"].value()) == (0, 61)  # nothing lost
    assert cs.internal_days() == cs.InternalDays()

    complaint_days.setFocus()
    retype(qtbot, complaint_days, "10")
    page.days["consultation"].setFocus()
    retype(qtbot, page.days["consultation"], "3")
    alt(qtbot, dialog, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: "已保存内部时限" in page.status.text(), timeout=10_000)
    assert "投诉 10、咨询 3、意见建议 7" in page.status.text() and "1 张未办结工单" in page.status.text()
    assert not page.errors.message("internal_days_complaint")
    assert cs.internal_days() == cs.InternalDays(complaint=10, consultation=3, opinion=7)
    assert cs.get_complaint(ticket.id).row.internal_due == date(2026, 10, 16)


def test_categories_are_added_renamed_deactivated_and_moved_from_the_keyboard(dialog, qtbot):
    editor = dialog.complaint_page.categories
    editor.label_edit.setFocus()
    editor.label_edit.clear()
    qtbot.keyClicks(editor.label_edit, "Hall")
    qtbot.keyClick(editor.label_edit, Qt.Key.Key_Return)  # Enter adds
    settle(qtbot)
    assert cs.categories()[-1] == "Hall"
    editor.label_edit.selectAll()
    qtbot.keyClicks(editor.label_edit, "Lobby")
    qtbot.mouseClick(editor.rename_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert cs.categories()[-2:] == ["Lobby", "其他"]
    before = cs.categories()
    first = next(e for e in editor.entries() if e.label == "销售纠纷")
    editor.select(first.id)
    qtbot.mouseClick(editor.toggle_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "销售纠纷" not in cs.categories() and "已停用" in editor.list.currentItem().text()
    assert cs.categories() == [label for label in before if label != "销售纠纷"]

    form = ComplaintFormDialog()
    qtbot.addWidget(form)
    offered = [form.category.itemText(i) for i in range(1, form.category.count())]
    assert offered == cs.categories()  # the new ticket form offers the active list, in its order


def test_an_industry_preset_is_chosen_and_applied_from_the_keyboard(dialog, qtbot):
    page = dialog.complaint_page
    alt(qtbot, dialog, Qt.Key.Key_I)  # 行业预设(&I)
    qtbot.waitUntil(lambda: page.preset.hasFocus())
    qtbot.keyClick(page.preset, Qt.Key.Key_Down)
    assert page.preset.currentData() == "bank"

    seen: list[str] = []
    timer = answer_next_message_box(QMessageBox.StandardButton.No, seen)
    alt(qtbot, dialog, Qt.Key.Key_P)  # 套用预设(&P), declined
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    timer.stop()
    assert "银行网点" in seen[0]
    assert cs.categories() == list(COMPLAINT_CATEGORIES["insurance"])

    timer = answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    page.apply_button.setFocus()
    qtbot.keyClick(page.apply_button, Qt.Key.Key_Space)  # the focused button, pressed again
    qtbot.waitUntil(lambda: "已套用" in page.status.text(), timeout=10_000)
    timer.stop()
    assert cs.categories() == list(COMPLAINT_CATEGORIES["bank"])
    shown = [e.label for e in page.categories.entries() if e.active]
    assert shown == list(COMPLAINT_CATEGORIES["bank"])
    assert "销售纠纷" in [e.label for e in lists.entries(COMPLAINT_CATEGORY, include_inactive=True)]


@pytest.mark.parametrize("role", [session.DUTY_MANAGER, session.FRONT_DESK])
def test_others_see_the_complaint_settings_read_only(sign_in_as, qtbot, role):
    sign_in_as(role)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentWidget(dialog.complaint_page)
    settle(qtbot)
    page = dialog.complaint_page
    assert not page.save_button.isVisible() and not page.apply_button.isVisible()
    assert not page.categories.add_button.isVisible() and page.categories.list.count() > 0
    assert not page.roll.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    settle(qtbot)
    assert not page.roll.isChecked() and cs.regulatory_roll() is False
    spin = page.days["complaint"]
    spin.setFocus()
    retype(qtbot, spin, "9")
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == 7


def test_the_dialogs_save_does_not_pass_over_unsaved_deadlines(dialog, qtbot):
    page = dialog.complaint_page
    dialog.tabs.setCurrentIndex(0)
    spin = page.days["opinion"]
    spin.setFocus()
    retype(qtbot, spin, "5")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.tabs.currentWidget() is page
    assert "尚未保存" in page.message.text() and spin.value() == 5  # said, nothing lost
    alt(qtbot, dialog, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: "已保存内部时限" in page.status.text(), timeout=10_000)
    assert cs.internal_days().opinion == 5
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
