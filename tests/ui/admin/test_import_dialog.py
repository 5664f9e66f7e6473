"""设置 → 导入旧的来访登记, driven by the keyboard: check first, see the rows and every problem,
import all or nothing, never twice."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from frontdesk.db.models import AuditEntry, Visit
from frontdesk.ui.admin.import_dialog import ImportDialog
from tests.services.test_imports import write_csv

pytestmark = pytest.mark.usefixtures("weekday_morning")

GOOD = [
    "2026-10-08 09:12,理赔,1号窗口,09:20,09:35,办结,老年人,是,13812345678,王大爷,王芳",
    "2026-10-08 10:05,咨询,咨询台,,,,,否,,,",
    "2026-10-09 10:30,缴费,2号窗口,,10:50,未办理离开,,,,李女士,",
]


@pytest.fixture
def dialog(configured, qtbot):
    widget = ImportDialog()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)  # Alt+letter shortcuts reach the active window only
    return widget


def _type_file_and_press_enter(dialog, qtbot, path) -> None:
    dialog.file.clear()
    qtbot.keyClicks(dialog.file, str(path))
    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog._job is None and dialog.result is not None, timeout=20_000)


def test_a_clean_file_is_checked_shown_and_then_imported_once(dialog, qtbot, tmp_path):
    path = tmp_path / "old-log.csv"  # typed: QTest types ASCII only
    write_csv(path, GOOD, encoding="gbk")
    assert not dialog.import_button.isEnabled()
    _type_file_and_press_enter(dialog, qtbot, path)
    assert "检查通过" in dialog.summary.text() and "3 条" in dialog.summary.text()
    assert "2026-10-08 至 2026-10-09" in dialog.summary.text()
    assert Visit.select().count() == 0  # checking writes nothing
    assert dialog.preview.rowCount() == 3
    headers = [dialog.preview.horizontalHeaderItem(c).text() for c in range(dialog.preview.columnCount())]
    assert headers[:3] == ["到达时间", "业务类型", "分流去向"]
    assert dialog.preview.item(0, headers.index("客户称呼")).text() == "王大爷"
    assert dialog.import_button.isEnabled() and dialog.import_button.isDefault()

    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)  # Enter now imports
    qtbot.waitUntil(lambda: dialog.result.written, timeout=20_000)
    assert "已导入 3 条" in dialog.summary.text()
    arrivals = [v.arrived_at for v in Visit.select().order_by(Visit.arrived_at)]
    assert arrivals == [datetime(2026, 10, 8, 9, 12), datetime(2026, 10, 8, 10, 5), datetime(2026, 10, 9, 10, 30)]
    assert AuditEntry.select().where(AuditEntry.action == "import").count() == 1
    assert not dialog.import_button.isEnabled()  # Enter again only checks, and is refused

    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "导入过" in dialog.summary.text(), timeout=20_000)
    assert Visit.select().count() == 3


def test_bad_rows_are_listed_with_their_lines_and_nothing_can_be_imported(dialog, qtbot, tmp_path):
    path = tmp_path / "log.csv"
    write_csv(path, [GOOD[0], "2026-10-08 09:30,洗车,1号窗口,,,,,,,,", "昨天上午,理赔,1号窗口,,,,,,,,"])
    _type_file_and_press_enter(dialog, qtbot, path)
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert dialog.problems.isVisible() and len(lines) == 2
    assert lines[0].startswith("第 3 行") and "洗车" in lines[0]
    assert lines[1].startswith("第 4 行") and "昨天上午" in lines[1]
    assert "2 行有问题" in dialog.summary.text() and "没有导入任何记录" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert Visit.select().count() == 0


def test_another_file_or_option_after_a_clean_check_must_be_checked_again(dialog, qtbot, tmp_path):
    path = tmp_path / "old-log.csv"  # typed: QTest types ASCII only
    write_csv(path, GOOD)
    _type_file_and_press_enter(dialog, qtbot, path)
    assert dialog.import_button.isEnabled()
    qtbot.keyClick(dialog.add_missing, Qt.Key.Key_Space)
    assert not dialog.import_button.isEnabled() and dialog.check_button.isDefault()
    qtbot.keyClick(dialog.add_missing, Qt.Key.Key_Space)
    assert dialog.import_button.isEnabled()
    qtbot.keyClick(dialog.file, Qt.Key.Key_Backspace)
    assert not dialog.import_button.isEnabled()
    assert dialog.file.text() == str(path)[:-1]  # what was typed stays as typed


def test_a_missing_file_is_said_at_the_field(dialog, qtbot, tmp_path):
    qtbot.keyClicks(dialog.file, str(tmp_path / "missing.csv"))
    qtbot.keyClick(dialog.file, Qt.Key.Key_Return)
    assert "请选择要导入的文件" in dialog.summary.text() and dialog.file.hasFocus()
    assert dialog.result is None


def test_the_template_is_saved_where_chosen(dialog, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "template.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "模板已保存" in dialog.summary.text())  # a mnemonic clicks after 100 ms
    assert target.is_file()
    # The template as saved imports as it is (its sample row is yesterday's).
    _type_file_and_press_enter(dialog, qtbot, target)
    assert "检查通过" in dialog.summary.text()
