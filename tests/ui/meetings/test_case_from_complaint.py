"""工单详情 → 设为典型案例… (Ctrl+K): a closed ticket becomes a teaching case, pre-filled from its
description and reply, for whoever holds meetings; never an open ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.db.models import AuditEntry
from frontdesk.services import clock, session
from frontdesk.services import meetings as mt
from frontdesk.ui.complaints.detail_dialog import ComplaintDetailDialog
from frontdesk.ui.meetings.case_book import CaseInputDialog
from tests.services.test_meetings import WEDNESDAY, closed_complaint
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle


def open_detail(qtbot, ticket_id: int) -> ComplaintDetailDialog:
    dialog = ComplaintDetailDialog(ticket_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=5000)
    dialog.activateWindow()  # as a window manager does (offscreen has none)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_ctrl_k_makes_a_closed_ticket_a_teaching_case(configured, qtbot):
    ticket = closed_complaint()
    with clock.pinned(WEDNESDAY):
        dialog = open_detail(qtbot, ticket.id)
        assert dialog.case_button.isVisible()
        qtbot.keyClick(dialog.timeline, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CaseInputDialog), timeout=5000)
        case = QApplication.activeModalWidget()
        case.activateWindow()
        qtbot.waitUntil(case.isActiveWindow)
        assert case.title_edit.text() == "等候超时" and case.title_edit.hasFocus()
        assert "等候四十分钟" in case.situation.toPlainText()
        assert case.handling.toPlainText() == "当面致歉，说明高峰原因，增开窗口"
        case.lesson.setFocus()
        type_chinese(case.lesson, "高峰前增开窗口")
        qtbot.keyClick(case.lesson, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: dialog.message.text() == "已设为典型案例。", timeout=5000)
    [saved] = mt.cases()
    assert saved.complaint_id == ticket.id and saved.lesson == "高峰前增开窗口" and "投诉" in saved.tags
    assert AuditEntry.select().where((AuditEntry.entity == "teaching_case") & (AuditEntry.action == "create")).count() == 1
    dialog.reject()


def test_an_open_ticket_or_the_front_desk_is_offered_no_case(configured, qtbot, sign_in_as):
    replied = closed_complaint(close=False)
    with clock.pinned(WEDNESDAY):
        dialog = open_detail(qtbot, replied.id)
        assert not dialog.case_button.isVisible()
        qtbot.keyClick(dialog.timeline, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot)
        assert not isinstance(QApplication.activeModalWidget(), CaseInputDialog)
        dialog.reject()
    closed = closed_complaint()
    sign_in_as(session.FRONT_DESK, "guide1")
    with clock.pinned(WEDNESDAY):
        dialog = open_detail(qtbot, closed.id)
        assert not dialog.case_button.isVisible()
        dialog.reject()
