"""The roster dialog, driven from the keyboard: add, edit, tick today's duty list."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.services import clock, staff
from frontdesk.services.staff import StaffInput
from frontdesk.ui.staff.roster_dialog import RosterDialog, StaffFormDialog
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle

DAY = datetime(2026, 11, 18, 8, 30)


@pytest.fixture
def dialog(configured, qtbot):
    with clock.pinned(DAY):
        staff.add_staff(StaffInput("李娜", "A002", "teller", counter="2号窗口"))
        staff.add_staff(StaffInput("王芳", "A001", "guide"))
        d = RosterDialog()
        qtbot.addWidget(d)
        d.show()
        settle(qtbot)
        qtbot.waitUntil(lambda: d.model.rowCount() == 2)
        yield d


def form(qtbot) -> StaffFormDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), StaffFormDialog), timeout=5000)
    return QApplication.activeModalWidget()


def test_the_roster_lists_people_by_staff_number_and_passes_the_model_tester(dialog, qtmodeltester):
    qtmodeltester.check(dialog.model)
    assert [r.name for r in dialog.model.rows] == ["王芳", "李娜"]
    assert "未排班" in dialog.duty_label.text() and "2 人" in dialog.duty_label.text()


def test_insert_adds_a_person_and_a_refusal_shows_at_its_field(dialog, qtbot):
    qtbot.keyClick(dialog.view, Qt.Key.Key_Insert)
    f = form(qtbot)
    type_chinese(f.name, "张伟")
    qtbot.keyClicks(f.staff_no, "A001")  # taken
    qtbot.keyClick(f.staff_no, Qt.Key.Key_Return)
    settle(qtbot)
    assert "已被他人使用" in f.errors.message("staff_no")
    assert f.name.text() == "张伟"  # nothing typed is lost
    f.staff_no.clear()
    qtbot.keyClicks(f.staff_no, "A003")
    qtbot.keyClick(f.staff_no, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.form is None, timeout=5000)
    settle(qtbot)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert [r.staff_no for r in staff.roster()] == ["A001", "A002", "A003"]
    assert dialog.selected_row().name == "张伟"


def test_enter_edits_the_selected_person(dialog, qtbot):
    dialog.view.selectRow(1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    f = form(qtbot)
    assert f.name.text() == "李娜"
    f.counter.clear()
    qtbot.keyClicks(f.counter, "VIP")
    qtbot.keyClick(f.counter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.form is None, timeout=5000)
    settle(qtbot)
    assert next(r for r in staff.roster() if r.name == "李娜").counter == "VIP"


def test_space_ticks_people_off_and_on_todays_duty_list(dialog, qtbot):
    dialog.view.setFocus()
    dialog.view.selectRow(0)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # 王芳 off: only 李娜 on duty
    settle(qtbot)
    with clock.pinned(DAY):
        duty = staff.duty_list(DAY.date())
    assert duty.ticked and [s.name for s in duty.staff] == ["李娜"]
    qtbot.waitUntil(lambda: "按值班名单" in dialog.duty_label.text())
    dialog.view.selectRow(1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # the last one off: refused with a reason
    settle(qtbot)
    assert "至少要有一人" in dialog.message.text()
    dialog.view.selectRow(0)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # back on: everyone, as if nobody ticked
    settle(qtbot)
    with clock.pinned(DAY):
        assert not staff.duty_list(DAY.date()).ticked


def test_h_shows_a_persons_sampling_score_sheets(configured, qtbot):
    from frontdesk.services import inspections as ins
    from frontdesk.ui.staff.roster_dialog import SamplingHistoryDialog

    with clock.pinned(DAY):
        person = staff.add_staff(StaffInput("李娜", "A002", "teller"))
        sampling = next(t for t in ins.templates() if t.key == "sampling")
        run = ins.start_run(sampling.id, seed=1)
        given = [5, 4, 3, 5, 4, 4]
        for item, points in zip(run.template.items, given, strict=True):
            run = ins.answer(run.row.id, item.id, staff_id=person.id, points=points)
        ins.finish_run(run.row.id, run.row)
        d = RosterDialog()
        qtbot.addWidget(d)
        d.show()
        settle(qtbot)
        qtbot.waitUntil(lambda: d.model.rowCount() == 1)
        d.view.selectRow(0)
        qtbot.keyClick(d.view, Qt.Key.Key_H)
        qtbot.waitUntil(lambda: isinstance(d.history, SamplingHistoryDialog), timeout=5000)
        table = d.history.table
        assert table.rowCount() == 1
        assert [table.item(0, c).text() for c in range(1, 7)] == [str(p) for p in given]
        assert table.item(0, 7).text() == f"{sum(given) / 30 * 100:.1f}%"
        assert table.item(0, 0).text() == DAY.date().isoformat()


def test_tomorrows_duty_list_is_ticked_from_the_keyboard_and_the_sampling_draw_follows_it(dialog, qtbot):
    from frontdesk.services import inspections as ins

    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.view.setFocus()
    with clock.pinned(DAY):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # tomorrow
        qtbot.waitUntil(lambda: "明日（2026-11-19）未排班" in dialog.duty_label.text())
        assert dialog.date.date().toString("yyyy-MM-dd") == "2026-11-19"
        dialog.view.setFocus()
        dialog.view.selectRow(1)  # 李娜
        qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # off tomorrow: only 王芳
        settle(qtbot)
        qtbot.waitUntil(lambda: "明日（2026-11-19）在岗 1 人（按值班名单）" in dialog.duty_label.text())
        assert [s.name for s in staff.duty_list(DAY.date().replace(day=19)).staff] == ["王芳"]
        assert not staff.duty_list(DAY.date()).ticked  # today untouched
        # Alt+D takes the keyboard to the date; Down steps back a day: today again.
        qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(dialog.date.hasFocus)
        qtbot.keyClick(dialog.date, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: "今日（2026-11-18）未排班" in dialog.duty_label.text())
    # Tomorrow morning the sampling draw takes tomorrow's list: 王芳 alone.
    with clock.pinned(DAY.replace(day=19)):
        run = ins.start_run(next(t for t in ins.templates() if t.key == "sampling").id, seed=3)
    assert [s.name for s in run.drawn] == ["王芳"]
