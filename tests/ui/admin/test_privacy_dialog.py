"""设置 → 个人信息查询与删除, driven by the keyboard: type the phone, see every visit, complaint and
opinion entry, export them to PDF and Excel (read back), erase with a reason after a confirmation;
the front desk cannot open it."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from frontdesk.app import build_main_window
from frontdesk.db.models import AuditEntry, Complaint, Visit
from frontdesk.errors import PermissionDeniedError
from frontdesk.services import complaints, session
from frontdesk.ui.admin.privacy_dialog import PrivacyDialog
from tests.services.test_privacy import PHONE, _arrive, _ticket, pdf_text


@pytest.fixture
def held(kinds):
    """Two visits and an opinion-book entry of PHONE, and a stranger's visit."""
    mine = [_arrive(kinds, date(2026, 2, 27), phone=PHONE, name="李女士"),
            _arrive(kinds, date(2026, 3, 1), phone=PHONE)]
    ticket = _ticket(date(2026, 3, 1), kind=complaints.OPINION, channel="opinion_book")
    other = _arrive(kinds, date(2026, 3, 1), phone="13912345678")
    return mine, ticket, other


@pytest.fixture
def dialog(held, qtbot, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager", "赵经理")
    widget = PrivacyDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def _find(dialog, qtbot, phone: str) -> None:
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, phone)
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)


def test_a_phone_lists_every_record_and_the_look_is_audited(dialog, qtbot, held):
    _find(dialog, qtbot, "12")
    qtbot.waitUntil(lambda: dialog.phone_error.text() != "")
    assert "电话号码" in dialog.phone_error.text() and not dialog.pdf_button.isEnabled()

    _find(dialog, qtbot, "138 1234 5678")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    assert dialog.phone_error.text() == ""
    texts = [[dialog.table.item(r, c).text() for c in range(7)] for r in range(3)]
    assert [t[0] for t in texts] == ["来访", "来访", "意见（意见簿）"]
    assert texts[0][3] == "李女士" and all(t[4] == PHONE for t in texts)
    assert "2 条来访、1 条投诉/意见" in dialog.message.text()
    entry = AuditEntry.select().where(AuditEntry.action == "privacy_find").get()
    assert entry.username == "manager" and "5678" not in entry.detail


def test_the_records_go_to_pdf_and_excel_for_the_person(dialog, qtbot, tmp_path, monkeypatch):
    _find(dialog, qtbot, PHONE)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    chosen = iter([str(tmp_path / "给当事人"), str(tmp_path / "给当事人.xlsx")])  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (next(chosen), "")))

    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    pdf = tmp_path / "给当事人.pdf"
    qtbot.waitUntil(lambda: "已导出 3 条" in dialog.message.text(), timeout=20_000)
    text = pdf_text(pdf)
    assert "个人信息查询结果" in text and "李女士" in text and "意见簿" in text and PHONE in text

    qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    xlsx = tmp_path / "给当事人.xlsx"
    qtbot.waitUntil(lambda: str(xlsx) in dialog.message.text(), timeout=20_000)
    visits, tickets = load_workbook(xlsx).worksheets
    assert [r[3] for r in visits.iter_rows(min_row=4, values_only=True)] == ["李女士", "王先生"]
    assert [r[1] for r in tickets.iter_rows(min_row=4, values_only=True)] == ["意见"]
    assert AuditEntry.select().where(AuditEntry.action == "privacy_export").count() == 2


def test_erase_needs_a_reason_and_a_confirmation(dialog, qtbot, held):
    mine, ticket, other = held
    _find(dialog, qtbot, PHONE)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)

    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "删除原因" in dialog.reason_error.text() and dialog.findChild(QMessageBox, "eraseConfirm") is None

    qtbot.keyClicks(dialog.reason, "signed request")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "eraseConfirm") is not None)
    box = dialog.findChild(QMessageBox, "eraseConfirm")
    assert "3 条记录" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # the default is to keep everything
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "eraseConfirm") is None)
    assert Visit.get_by_id(mine[0]).phone == PHONE

    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "eraseConfirm") is not None)
    box = dialog.findChild(QMessageBox, "eraseConfirm")
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setFocus()
    qtbot.keyClick(yes, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "已从 3 条记录" in dialog.message.text())
    assert dialog.table.rowCount() == 0 and not dialog.erase_button.isEnabled()
    assert [(Visit.get_by_id(v).customer_name, Visit.get_by_id(v).phone) for v in mine] == [("", "")] * 2
    c = Complaint.get_by_id(ticket)
    assert (c.customer_name, c.phone, c.id_number) == ("", "", "") and c.description == "柜员态度生硬"
    assert Visit.get_by_id(other).phone == "13912345678"
    entry = AuditEntry.select().where(AuditEntry.action == "privacy_erase").get()
    assert entry.username == "manager" and "signed request" in entry.detail and "5678" not in entry.detail


def test_the_front_desk_has_no_way_in(held, db_location, qtbot, sign_in_as):
    sign_in_as(session.FRONT_DESK, "guide")
    with pytest.raises(PermissionDeniedError):
        PrivacyDialog()
    window = build_main_window(db_location)
    qtbot.addWidget(window)
    assert not window.privacy_action.isVisible()
    sign_in_as(session.DUTY_MANAGER, "manager")
    window.refresh_user()
    assert window.privacy_action.isVisible()
