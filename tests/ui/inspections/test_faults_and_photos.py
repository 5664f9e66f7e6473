"""The run dialog's photos and equipment faults, and the fault log, driven from the keyboard."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from frontdesk.services import clock, faults, session
from frontdesk.services import inspections as ins
from frontdesk.services.faults import FaultQuery
from frontdesk.ui.inspections.faults_dialog import FaultDialog
from frontdesk.ui.inspections.faults_table import FaultsTable, FaultTableModel
from frontdesk.ui.inspections.run_dialog import RunDialog
from frontdesk.ui.inspections.start_dialog import StartRunDialog
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle

MONDAY = datetime(2026, 11, 16, 8, 35)


@pytest.fixture
def monday(configured):
    with clock.pinned(MONDAY):
        yield MONDAY


def modal(qtbot, kind):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=5000)
    return QApplication.activeModalWidget()


def walk(qtbot, run: ins.RunDetail) -> RunDialog:
    dialog = RunDialog(run)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.table.hasFocus)
    settle(qtbot)
    return dialog


def fail(qtbot, dialog: RunDialog, note: str) -> None:
    qtbot.keyClick(dialog.table, Qt.Key.Key_F)
    assert dialog.note.hasFocus()
    type_chinese(dialog.note, note)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    settle(qtbot)


def picture(path, size=(64, 48)) -> str:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("#1e88e5"))
    assert image.save(str(path), "PNG")
    return str(path)


@pytest.fixture
def photo_run(monday):
    closing = next(t for t in ins.templates() if t.key == "closing")
    items = (ins.ItemSpec("自助终端已关机", photo_on_fail=True), ins.ItemSpec("空调已关闭"))
    template = ins.revise_template(closing.id, ins.TemplateInput("闭厅检查", items))
    return ins.start_run(template.id)


def test_a_failure_asking_for_a_photo_holds_the_finish_until_one_is_attached(photo_run, qtbot, tmp_path, monkeypatch):
    dialog = walk(qtbot, photo_run)
    assert dialog.photo.text() == "须附照片\n(Ctrl+O)"
    fail(qtbot, dialog, "未关机")
    qtbot.keyClick(dialog.table, Qt.Key.Key_P)
    settle(qtbot)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert dialog.errors.message("photo") == "“自助终端已关机”不合格，须附照片（Ctrl+O）后才能完成检查。"
    assert dialog.table.currentRow() == 0 and dialog.table.hasFocus() and dialog.isVisible()

    path = picture(tmp_path / "terminal.png")
    asked = []

    def choose(parent, caption, folder, filters):
        asked.append(filters)
        return path, filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    qtbot.keyClick(dialog.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert asked == ["照片 (*.png *.jpg *.jpeg)"]
    first = dialog.run.template.items[0].id
    assert dialog.run.has_photo(first)
    qtbot.waitUntil(lambda: dialog.photo_pixmap is not None)
    assert (dialog.photo_pixmap.width(), dialog.photo_pixmap.height()) == (160, 120)
    assert ins.photo(dialog.run.row.id, first).data == (tmp_path / "terminal.png").read_bytes()

    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.finished_run is not None, timeout=5000)
    assert dialog.finished_run.row.status == ins.FINISHED


def test_a_file_that_is_no_picture_or_too_big_is_refused_under_the_photo(photo_run, qtbot, tmp_path, monkeypatch):
    dialog = walk(qtbot, photo_run)
    qtbot.keyClick(dialog.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert dialog.errors.message("photo") == "请先选择这一项的结果，再附照片。"
    fail(qtbot, dialog, "未关机")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    big = tmp_path / "big.png"
    picture(tmp_path / "small.png")
    big.write_bytes((tmp_path / "small.png").read_bytes() + b"\0" * ins.MAX_PHOTO_BYTES)
    for path, message in ((text, "只能附 PNG 或 JPEG 格式的照片。"), (big, "照片太大（4.0 MB），最大 4 MB。请缩小后再附。")):
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, p=path: (str(p), ""))
        qtbot.keyClick(dialog.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot)
        assert dialog.errors.message("photo") == message
        assert not dialog.run.has_photo(dialog.run.template.items[0].id)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))  # cancelled: nothing happens
    qtbot.keyClick(dialog.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert not dialog.run.photos


def test_g_on_a_failed_device_item_logs_the_fault_with_its_device(monday, qtbot):
    opening = next(t for t in ins.templates() if t.key == "opening")
    row = next(n for n, i in enumerate(opening.items) if i.text.startswith("大厅电视"))
    dialog = walk(qtbot, ins.start_run(opening.id))
    qtbot.keyClick(dialog.table, Qt.Key.Key_G)  # not failed (not even answered): refused, said why
    assert dialog.errors.message("note") == "先将这一项判为不合格（F），再登记设备故障。"
    for _step in range(row):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    fail(qtbot, dialog, "黑屏")
    assert dialog.message.text() == "“大厅电视”不合格：如属设备故障，回到该项按 G 登记（暂停使用、报修）。"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    assert dialog.table.currentRow() == row
    qtbot.keyClick(dialog.table, Qt.Key.Key_G)
    form = modal(qtbot, FaultDialog)
    assert form.device.currentText() == "大厅电视" and form.description.text() == "黑屏"
    assert form.description.hasFocus()
    qtbot.keyClick(form.description, Qt.Key.Key_Tab)
    assert form.sign.hasFocus()
    qtbot.keyClick(form.sign, Qt.Key.Key_Space)
    qtbot.keyClick(form.sign, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(form.description, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.fault_dialog is None, timeout=5000)
    assert dialog.message.text() == "已登记设备故障：大厅电视"
    [fault] = faults.faults(FaultQuery())
    assert (fault.device_label, fault.description, fault.sign_posted_at) == ("大厅电视", "黑屏", MONDAY)
    assert (fault.run_id, fault.item_id) == (dialog.run.row.id, opening.items[row].id)


@pytest.fixture
def table(monday, qtbot, qtmodeltester):
    w = FaultsTable()
    qtbot.addWidget(w)
    w.update_actions()
    w.resize(1000, 400)
    w.show()
    w.activateWindow()
    settle(qtbot)
    qtbot.waitUntil(lambda: w.model.settled)
    return w


def test_the_fault_log_reports_follows_up_and_drops_a_fixed_fault(table, qtbot, qtmodeltester):
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    form = modal(qtbot, FaultDialog)
    qtbot.waitUntil(form.device.hasFocus)
    assert form.device.currentData() is None
    qtbot.keyClick(form.device, Qt.Key.Key_Tab)
    qtbot.keyClick(form.description, Qt.Key.Key_Return)  # nothing chosen, nothing written
    settle(qtbot)
    assert form.errors.message("device") == "请选择故障设备。"
    assert form.errors.message("description") == "请写明故障情况。"
    form.device.setFocus()
    qtbot.keyClick(form.device, Qt.Key.Key_Down)
    assert form.device.currentText() == "叫号机"
    qtbot.keyClick(form.device, Qt.Key.Key_Tab)
    type_chinese(form.description, "不出票")
    qtbot.keyClick(form.description, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not table.dialog_open, timeout=5000)
    qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    qtmodeltester.check(table.model)
    model = table.model
    assert [model.data(model.index(0, c)) for c in range(model.columnCount())] == \
        ["叫号机", "不出票", "11-16 08:35 管理员", "未张贴", "未联系", "未修复 0.0 小时"]

    later = MONDAY + timedelta(hours=2)
    with clock.pinned(later):
        table.view.setFocus()
        table.view.selectRow(0)
        qtbot.keyClick(table.view, Qt.Key.Key_Return)
        form = modal(qtbot, FaultDialog)
        qtbot.waitUntil(form.description.hasFocus)
        for box in (form.contacted, form.fixed):
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Space)
        type_chinese(form.repairer, "厂家 李工 13800000000")
        type_chinese(form.fixed_note, "更换打印机芯")
        qtbot.keyClick(form.fixed_note, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not table.dialog_open, timeout=5000)
        qtbot.waitUntil(lambda: table.model.rowCount() == 0)
    table.scope.setCurrentIndex(1)
    qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    assert model.data(model.index(0, 4)) == "11-16 10:35 厂家 李工 13800000000"
    assert model.data(model.index(0, 5)) == "11-16 10:35"


def test_the_front_desk_reports_faults_too(monday, qtbot, sign_in_as):
    sign_in_as(session.FRONT_DESK, "guide1")
    w = FaultsTable()
    qtbot.addWidget(w)
    w.update_actions()
    assert w.report_action.isEnabled() and w.buttons["report"].isEnabled()
    assert isinstance(w.model, FaultTableModel)


def test_ctrl_g_anywhere_in_the_tab_reports_a_fault(monday, qtbot):
    from frontdesk.ui.inspections.tab import InspectionsTab

    tab = InspectionsTab()
    qtbot.addWidget(tab)
    tab.apply_role(session.current())
    tab.show()
    tab.activateWindow()
    settle(qtbot)
    tab.runs.view.setFocus()
    qtbot.waitUntil(tab.runs.view.hasFocus)
    qtbot.keyClick(tab.runs.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    form = modal(qtbot, FaultDialog)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not tab.faults_table.dialog_open)


def test_ctrl_g_reports_a_fault_from_anywhere_in_a_window_never_activated(monday, qtbot):
    """No window manager: keys arrive but shortcuts never fire; the tab's fallback catches Ctrl+G
    wherever the focus is, as it does Ctrl+N."""
    from frontdesk.ui.inspections.tab import InspectionsTab

    tab = InspectionsTab()
    qtbot.addWidget(tab)
    tab.apply_role(session.current())
    tab.resize(1300, 700)
    tab.show()
    settle(qtbot)
    qtbot.waitUntil(lambda: tab.runs.model.settled and tab.actions_table.model.settled)
    for widget in (tab.runs.view, tab.runs.result, tab.runs.date_from, tab.actions_table.view,
                   tab.faults_table.scope, tab.start_button):
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
        form = modal(qtbot, FaultDialog)
        qtbot.keyClick(form, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not tab.faults_table.dialog_open)
    tab.runs.result.setFocus()  # and Ctrl+N from a combo box, which would take it for a typed letter
    qtbot.keyClick(tab.runs.result, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    chooser = modal(qtbot, StartRunDialog)
    qtbot.keyClick(chooser, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.dialog is None)
