"""A visit's dialog: Ctrl+P prints its 一次性告知单, ticked as the dialog shows the missing papers
(saved or not), recorded on the visit and audited; the dialog lists the visit's care actions and
slips (time, what, who)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt

from frontdesk.db.models import AuditEntry
from frontdesk.services import care, clock, lists, session, slips, visitors
from frontdesk.services.presets import CARE_ACTION
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.visitors import slip_dialog
from frontdesk.ui.visitors.form_dialog import VisitFormDialog
from tests.ui.register_helpers import list_ids
from tests.ui.widget_helpers import show_active

NOW = datetime(2026, 11, 25, 10, 30, 0)


@pytest.fixture
def claim(configured, monkeypatch, sign_in_as):
    """A 理赔 customer who came without the medical records, given water at 10:16."""
    monkeypatch.setattr(clock, "now", lambda: NOW - timedelta(minutes=14))
    for key in (slip_dialog.FORMAT_KEY, slip_dialog.PRINTER_KEY):
        QSettings().remove(key)
    sign_in_as(session.FRONT_DESK, "guide", "李娜")
    bts, dests = list_ids("business_type"), list_ids("destination")
    row = visitors.register(VisitInput(business_type_id=bts["理赔"], destination_id=dests["1号窗口"],
                                       arrived_at=NOW - timedelta(minutes=20), documents_complete=False,
                                       missing_documents=("病历/诊断证明",)))
    care.record(row.id, lists.entries(CARE_ACTION)[0].id)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return row.id


def test_ctrl_p_prints_the_slip_ticked_as_the_dialog_shows_and_the_history_lists_it(claim, qtbot, tmp_path,
                                                                                    monkeypatch):
    target = tmp_path / "给客户.pdf"
    monkeypatch.setattr(slip_dialog.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kw: (str(target), "")))
    dialog = show_active(qtbot, VisitFormDialog(claim), 760, 720)
    assert dialog.care_history.text() == "10:16　已送水　— 李娜"
    # The invoices are missing too: ticked here, not saved yet.
    dialog.missing_list.setFocus()
    dialog.missing_list.setCurrentRow(8)
    assert dialog.missing_list.currentItem().text() == "医疗费用发票原件"
    qtbot.keyClick(dialog.missing_list, Qt.Key.Key_Space)

    dialog.activateWindow()  # the shortcut's window, active
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.missing_list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.slip_dialog is not None and dialog.slip_dialog.draft is not None,
                    timeout=10_000)
    slip = dialog.slip_dialog
    assert slip.visit_id == claim
    assert slip.missing() == ("病历/诊断证明", "医疗费用发票原件")
    assert slip.draft.guide == "李娜" and slip.draft.business_type == "理赔"
    qtbot.waitExposed(slip)
    qtbot.keyClick(slip, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "已交给客户" in slip.status.text(), timeout=10_000)
    assert target.exists()

    [record] = slips.slips_of(claim)
    assert "病历/诊断证明、医疗费用发票原件" in record.detail and record.username == "李娜"
    entry = AuditEntry.select().where(AuditEntry.action == "slip").get()
    assert entry.entity_id == claim
    lines = dialog.care_history.text().split("\n")
    assert lines[0] == "10:16　已送水　— 李娜"
    assert lines[1].startswith("10:30　一次性告知单：") and "医疗费用发票原件" in lines[1]
    assert lines[1].endswith("— 李娜")

    qtbot.keyClick(slip, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.slip_dialog is None)
    assert dialog.has_edits()  # the ticked paper is still the user's to save


def test_a_voided_visit_has_no_slip(claim, qtbot, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "boss", "王经理")
    visitors.void(claim, "登记重复")
    dialog = show_active(qtbot, VisitFormDialog(claim), 760, 720)
    assert not dialog.slip_button.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert dialog.slip_dialog is None
    assert "已送水" in dialog.care_history.text()  # the history stays to read
