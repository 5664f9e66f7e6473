"""报表 → 导出日报/月报 driven by the keyboard: files written on the worker, read back."""

from __future__ import annotations

import subprocess

import openpyxl
from PySide6.QtCore import QDate, Qt

from frontdesk.db.models import AuditEntry
from frontdesk.services import session


def test_yesterday_is_preselected_and_enter_exports_both_files(dialog, qtbot, tmp_path):
    tmp_path = tmp_path / "报表"
    assert dialog.daily.isChecked() and dialog.day.date() == QDate(2026, 11, 18)
    assert dialog.month.date() == QDate(2026, 10, 1)
    qtbot.keyClick(dialog.day, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.written), timeout=20_000)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["日报-测试支行营业厅-2026-11-18.pdf", "日报-测试支行营业厅-2026-11-18.xlsx"]
    text = subprocess.run(["pdftotext", str(tmp_path / names[0]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "营业厅日报" in text and "2026年11月18日" in text
    book = openpyxl.load_workbook(tmp_path / names[1])
    assert book["来访明细"].max_row == 4  # the header and three visits
    assert "已导出" in dialog.message.text()
    assert AuditEntry.select().where(AuditEntry.action == "export").count() == 1


def test_the_monthly_report_as_excel_only(dialog, qtbot, tmp_path):
    tmp_path = tmp_path / "报表"
    qtbot.mouseClick(dialog.monthly, Qt.MouseButton.LeftButton)
    assert not dialog.day.isEnabled() and dialog.month.isEnabled()
    dialog.month.setDate(QDate(2026, 11, 1))
    qtbot.mouseClick(dialog.pdf, Qt.MouseButton.LeftButton)  # PDF off
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.written), timeout=20_000)
    assert [p.name for p in tmp_path.iterdir()] == ["月报-测试支行营业厅-2026-11.xlsx"]


def test_a_missing_folder_or_no_format_is_said_at_its_place(dialog, qtbot, tmp_path):
    tmp_path = tmp_path / "报表"
    dialog.folder.setText(str(tmp_path / "没有这个文件夹"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "已有的文件夹" in dialog.message.text() and dialog.folder.hasFocus()
    dialog.folder.setText(str(tmp_path))
    dialog.pdf.setChecked(False)
    dialog.xlsx.setChecked(False)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "至少选择一种格式" in dialog.message.text()
    assert list(tmp_path.iterdir()) == []


def test_the_front_desk_has_no_report_menu(configured, sign_in_as, qtbot, db_location):
    from frontdesk.app import build_main_window

    window = build_main_window(db_location)
    qtbot.addWidget(window)
    sign_in_as(session.FRONT_DESK)
    window.refresh_user()
    assert not window.reports_action.isVisible()
    session.set_current(None)
