"""设置: the branch phone the slip prints, 告知资料 (each business's papers edited as text), and the
retention period of names and phones with its dry run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from frontdesk.db.models import AuditEntry
from frontdesk.services import lists, session, settings, slips
from frontdesk.services.presets import PRESETS
from frontdesk.services.slips import Paper
from frontdesk.ui.admin.papers_page import format_papers, parse_papers
from frontdesk.ui.admin.settings_dialog import SettingsDialog
from tests.ui.worker_helpers import settle


@pytest.fixture
def dialog(configured, qtbot):
    widget = SettingsDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def _business(label: str) -> int:
    return next(e.id for e in lists.entries("business_type") if e.label == label)


def _choose(qtbot, page, label: str) -> None:
    page.business.setFocus()
    while page.business.currentText() != label:
        before = page.business.currentIndex()
        qtbot.keyClick(page.business, Qt.Key.Key_Down)
        if page.business.currentIndex() == before:
            break
    settle(qtbot)
    qtbot.waitUntil(lambda: page._shown[0] == page.current_id())


def test_the_branch_phone_is_saved_and_a_bad_one_refused_at_its_field(dialog, qtbot):
    dialog.branch_phone.setFocus()
    qtbot.keyClicks(dialog.branch_phone, "010-6552 1234 abc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "网点电话只能包含" in dialog.errors.message("branch_phone")
    assert dialog.branch_phone.text() == "010-6552 1234 abc"  # nothing typed is lost
    for _ in range(4):
        qtbot.keyClick(dialog.branch_phone, Qt.Key.Key_Backspace)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert settings.load().branch_phone == "010-6552 1234"
    entry = AuditEntry.select().where(AuditEntry.action == "settings").order_by(AuditEntry.seq.desc()).first()
    assert "010-6552 1234" in entry.after


def test_each_business_shows_its_papers_and_an_edit_is_saved_and_audited(dialog, qtbot):
    page = dialog.papers_page
    dialog.tabs.setCurrentWidget(page)
    _choose(qtbot, page, "理赔")
    expected = tuple(Paper(label, purpose) for label, purpose in PRESETS["insurance"].papers["理赔"])
    assert parse_papers(page.papers.toPlainText()) == expected
    page.papers.setFocus()
    page.papers.moveCursor(page.papers.textCursor().MoveOperation.End)
    qtbot.keyClick(page.papers, Qt.Key.Key_Return)
    qtbot.keyClicks(page.papers, "ABC|x")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    settle(qtbot)
    qtbot.waitUntil(lambda: "已保存" in page.status.text())
    assert slips.papers_for(_business("理赔")) == (*expected, Paper("ABC", "x"))
    assert AuditEntry.select().where(AuditEntry.action == "slip_papers").count() == 1


def test_a_duplicate_is_refused_and_switching_business_keeps_the_unsaved_text(dialog, qtbot):
    page = dialog.papers_page
    dialog.tabs.setCurrentWidget(page)
    _choose(qtbot, page, "理赔")
    page.papers.setPlainText("身份证\n身份证｜核实身份")
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "重复" in page.message.text())
    assert page.papers.toPlainText() == "身份证\n身份证｜核实身份"
    qtbot.keyClick(page.business, Qt.Key.Key_Down)  # to another business, unsaved
    assert page.business.currentText() == "理赔" and "请先保存" in page.message.text()
    assert page.papers.toPlainText() == "身份证\n身份证｜核实身份"
    assert slips.papers_for(_business("理赔"))[0].label == "理赔申请书"  # unchanged


def test_a_duty_manager_sees_the_papers_but_cannot_change_them(configured, qtbot, sign_in_as):
    sign_in_as(session.DUTY_MANAGER)
    widget = SettingsDialog()
    qtbot.addWidget(widget)
    page = widget.papers_page
    assert page.papers.isReadOnly() and not page.save_button.isVisibleTo(widget)


def test_text_and_papers_round_trip():
    papers = (Paper("理赔申请书", "申请理赔"), Paper("身份证"))
    assert parse_papers(format_papers(papers)) == papers
    assert parse_papers("a|b｜c\n\n  \nd") == (Paper("a", "b｜c"), Paper("d"))


def test_the_retention_period_shows_what_it_would_clear_and_zero_warns(configured, kinds, qtbot):
    from datetime import timedelta

    from frontdesk.services import clock, visitors
    from frontdesk.services.visitors import VisitInput

    bts, dests = kinds
    now = clock.now()
    for days_ago in (400, 100, 40, 3):
        at = now - timedelta(days=days_ago)
        with clock.pinned(at, ticking=False):
            visitors.register(VisitInput(business_type_id=bts["缴费"], destination_id=dests["1号窗口"],
                                         arrived_at=at, customer_name="王先生"))
    widget = SettingsDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    box = widget.retention
    assert box.value() == 12 and box.suffix() == " 个月"
    qtbot.waitUntil(lambda: "将清除 1 条" in widget.retention_hint.text())
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "1")  # 40 days ago is more than a calendar month
    qtbot.waitUntil(lambda: "将清除 3 条" in widget.retention_hint.text())
    widget.keep_forever.setFocus()
    qtbot.keyClick(widget.keep_forever, Qt.Key.Key_Space)
    assert widget.keep_forever.isChecked() and not box.isEnabled()
    assert "个人信息保护法" in widget.retention_hint.text()
    qtbot.keyClick(widget.keep_forever, Qt.Key.Key_Space)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "3")
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not widget.isVisible())
    assert settings.load().retention_months == 3
