"""The inspections tab, driven from the keyboard as a duty manager walks the opening check."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.services import audit, clock, session, staff
from frontdesk.services import inspections as ins
from frontdesk.services.staff import StaffInput
from frontdesk.ui.inspections.actions_table import ActionDialog, ActionTableModel
from frontdesk.ui.inspections.run_dialog import RunDialog
from frontdesk.ui.inspections.start_dialog import StartRunDialog
from frontdesk.ui.inspections.tab import InspectionsTab
from frontdesk.ui.inspections.table_model import RunTableModel, format_score
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle

MONDAY = datetime(2026, 11, 16, 8, 35)


@pytest.fixture
def monday(configured):
    with clock.pinned(MONDAY):
        yield MONDAY


@pytest.fixture
def tab(monday, qtbot):
    w = InspectionsTab()
    qtbot.addWidget(w)
    w.apply_role(session.current())
    w.resize(1300, 700)
    w.show()
    settle(qtbot)
    qtbot.waitUntil(lambda: w.runs.model.settled and w.actions_table.model.settled)
    return w


def modal(qtbot, kind):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=5000)
    return QApplication.activeModalWidget()


def press(qtbot, widget, *keys) -> None:
    for key in keys:
        qtbot.keyClick(widget, key)


def start(qtbot, tab: InspectionsTab, name: str) -> RunDialog:
    qtbot.keyClick(tab.runs.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    chooser = modal(qtbot, StartRunDialog)
    names = [chooser.list.item(n).text().split("　")[0] for n in range(chooser.list.count())]
    for _step in range(names.index(name) - chooser.list.currentRow()):
        qtbot.keyClick(chooser.list, Qt.Key.Key_Down)
    qtbot.keyClick(chooser.list, Qt.Key.Key_Return)
    return modal(qtbot, RunDialog)


def test_the_plan_shows_the_monday_fire_check_as_due(tab, qtbot):
    qtbot.waitUntil(lambda: "消防器材巡检" in tab.plan_label.text())
    assert tab.plan_label.text().startswith("今日待做：")


def test_the_opening_check_walked_from_the_keyboard(tab, qtbot):
    dialog = start(qtbot, tab, "班前检查")
    items = dialog.run.template.items
    assert dialog.run.template.key == "opening" and dialog.table.hasFocus()
    # The first item fails: F sends the keyboard to the note; Enter on an empty note is refused there.
    press(qtbot, dialog.table, Qt.Key.Key_F)
    assert dialog.note.hasFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.errors.message("note") == "不合格时须填写说明。"
    assert dialog.run.answers == ()
    type_chinese(dialog.note, "地面有水渍")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.table.hasFocus() and dialog.table.currentRow() == 1
    na_rows = [n for n, i in enumerate(items) if i.allow_na]
    for n in range(1, len(items)):
        press(qtbot, dialog.table, Qt.Key.Key_N if n == na_rows[0] else Qt.Key.Key_P)
    settle(qtbot)
    applicable = [i for n, i in enumerate(items) if n != na_rows[0]]
    expected = sum(i.weight for i in applicable[1:]) / sum(i.weight for i in applicable)
    assert dialog.run.live_score == pytest.approx(expected)
    assert format_score(expected) in dialog.score_label.text()
    assert f"已检查 {len(items)}/{len(items)}" in dialog.score_label.text()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=5000)
    settle(qtbot)
    [run] = ins.fetch_runs(ins.RunQuery(MONDAY.date(), MONDAY.date()), 0, 10)
    assert run.status == ins.FINISHED and run.failed == 1 and run.score == pytest.approx(expected)
    qtbot.waitUntil(lambda: tab.runs.model.rowCount() == 1 and tab.actions_table.model.rowCount() == 1)
    assert tab.actions_table.model.data(tab.actions_table.model.index(0, 0)) == f"{items[0].text}（地面有水渍）"


def test_na_is_refused_at_the_field_where_the_item_does_not_allow_it(tab, qtbot):
    dialog = start(qtbot, tab, "消防器材巡检")
    assert not dialog.run.template.items[0].allow_na
    press(qtbot, dialog.table, Qt.Key.Key_N)
    assert "不适用" in dialog.errors.message("note")
    assert dialog.table.currentRow() == 0


def test_finishing_too_early_says_how_many_are_left(tab, qtbot):
    dialog = start(qtbot, tab, "消防器材巡检")
    press(qtbot, dialog.table, Qt.Key.Key_P)
    settle(qtbot)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    left = len(dialog.run.template.items) - 1
    assert f"还有 {left} 项未检查" in dialog.message.text()
    assert dialog.isVisible()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.dialog is None)


def test_sampling_is_scored_with_number_keys_person_after_person(tab, qtbot):
    for n in range(3):
        staff.add_staff(StaffInput(f"柜员{n}", f"T{n}", "teller"))
    dialog = start(qtbot, tab, "服务抽查")
    assert dialog.person.count() == 3 and dialog.person_row.isVisible()
    seed = dialog.run.sample_seed
    assert dialog.draw_label.text() == f"在岗 3 人，按规则抽查 3 人（随机种子 {seed}）"
    assert ins.draw(dialog.run.on_duty, seed) == tuple(p.id for p in dialog.run.drawn)  # redrawn from what is shown
    keys = {0: Qt.Key.Key_5, 1: Qt.Key.Key_4, 2: Qt.Key.Key_3}
    for person in range(3):
        for _item in range(6):
            press(qtbot, dialog.table, keys[person])
        settle(qtbot)
    assert len(dialog.run.answers) == 18
    assert dialog.run.live_score == pytest.approx((6 * 5 + 6 * 4 + 6 * 3) / (18 * 5))
    points = {(a.staff_id, a.points) for a in dialog.run.answers}
    assert {p for _s, p in points} == {5, 4, 3}


def test_the_run_list_opens_a_run_with_enter_and_the_models_pass_the_tester(tab, qtbot, qtmodeltester):
    run = ins.start_run(next(t.id for t in ins.templates() if t.key == "patrol"))
    tab.runs.refresh()
    qtbot.waitUntil(lambda: tab.runs.model.rowCount() == 1)
    qtmodeltester.check(tab.runs.model)
    qtmodeltester.check(tab.actions_table.model)
    tab.runs.view.setFocus()
    tab.runs.view.selectRow(0)
    qtbot.keyClick(tab.runs.view, Qt.Key.Key_Return)
    dialog = modal(qtbot, RunDialog)
    assert dialog.run.row.id == run.row.id
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)


def test_an_action_is_given_an_owner_and_done_from_the_keyboard(tab, qtbot):
    owner = staff.add_staff(StaffInput("王芳", "A001", "guide"))
    run = ins.start_run(next(t.id for t in ins.templates() if t.key == "fire"))
    for n, item in enumerate(run.template.items):
        run = ins.answer(run.row.id, item.id, ins.FAIL if n == 0 else ins.PASS, "灭火器过期" if n == 0 else "")
    ins.finish_run(run.row.id, run.row)
    table = tab.actions_table
    table.refresh()
    qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    table.view.setFocus()
    table.view.selectRow(0)
    qtbot.keyClick(table.view, Qt.Key.Key_Return)
    dialog = modal(qtbot, ActionDialog)
    qtbot.keyClick(dialog.owner, Qt.Key.Key_Down)
    assert dialog.owner.currentData() == owner.id
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
    settle(qtbot)
    [action] = ins.actions(ins.ActionQuery())
    assert action.owner_id == owner.id
    qtbot.waitUntil(lambda: table.model.settled and table.selected_row() is not None
                    and table.selected_row().owner_name == "王芳")
    qtbot.keyClick(table.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert ins.actions(ins.ActionQuery())[0].status == ins.ACTION_DONE


def test_the_actions_are_filtered_by_owner_chosen_from_the_keyboard(tab, qtbot):
    from frontdesk.ui.kit.changes import STAFF, change_bus

    people = [staff.add_staff(StaffInput(name, f"A00{n}", "guide")) for n, name in enumerate(("王芳", "李强"))]
    change_bus().announce({STAFF})  # as the roster dialog does: the filter reads the roster again
    table = tab.actions_table
    qtbot.waitUntil(lambda: table.owner.count() == 4)
    assert [table.owner.itemText(n) for n in range(4)] == ["全部责任人", "未指定责任人", "王芳", "李强"]
    fire = next(t.id for t in ins.templates() if t.key == "fire")
    for owner in (people[0].id, people[1].id, None):
        run = ins.start_run(fire)
        for n, item in enumerate(run.template.items):
            run = ins.answer(run.row.id, item.id, ins.FAIL if n == 0 else ins.PASS, "灭火器过期" if n == 0 else "")
        ins.finish_run(run.row.id, run.row)
        action = max(ins.actions(ins.ActionQuery()), key=lambda a: a.id)
        ins.update_action(action.id, action, owner_id=owner, due_on=action.due_on)
    table.refresh()
    qtbot.waitUntil(lambda: table.model.settled and table.model.rowCount() == 3)

    def owners() -> list[str]:
        return [table.model.data(table.model.index(n, 1)) for n in range(table.model.rowCount())]

    table.owner.setFocus()
    for expected in ([""], ["王芳"], ["李强"]):  # 未指定, then each person, Down by Down
        qtbot.keyClick(table.owner, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda e=expected: table.model.settled and owners() == e)
    qtbot.keyClick(table.owner, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: table.model.settled and sorted(owners()) == ["", "李强", "王芳"])


def test_overdue_actions_are_red(monday, qtbot):
    model = ActionTableModel()
    brush = model.foreground(ins.ActionRow(1, 1, "x", MONDAY.date(), "x", None, "", MONDAY.date().replace(day=1),
                                           ins.ACTION_OPEN, None, None, "", 1))
    assert brush is not None and brush.color().name() == "#c62828"


def test_the_front_desk_sees_the_tab_but_cannot_start_a_run(configured, sign_in_as, qtbot):
    guide = sign_in_as(session.FRONT_DESK, "guide1")
    w = InspectionsTab()
    qtbot.addWidget(w)
    w.apply_role(guide)
    assert not w.start_button.isEnabled()
    settle(qtbot)


def test_the_table_model_renders_a_revision(qtbot, monday):
    model = RunTableModel()
    row = ins.RunRow(1, 1, "fire", "消防器材巡检", 2, False, MONDAY.date(), ins.OPEN, "张三", MONDAY, None,
                     None, 0, None, 1)
    assert model._template(row) == "消防器材巡检（第 2 版）"


def test_a_check_not_started_by_its_deadline_stands_out_as_overdue(configured, qtbot):
    from frontdesk.services import settings

    opening = datetime.combine(MONDAY.date(), settings.load().opening_time)
    with clock.pinned(opening + timedelta(minutes=35)):  # past the opening check, within the patrol's hour
        w = InspectionsTab()
        qtbot.addWidget(w)
        w.apply_role(session.current())
        qtbot.waitUntil(lambda: "今日待做" in w.plan_label.text())
        assert f"班前检查（已逾期，应于 {opening:%H:%M} 前）" in w.plan_label.text()
        assert "现场巡视（" in w.plan_label.text() and "现场巡视（已逾期" not in w.plan_label.text()
        settle(qtbot)


def test_the_duty_manager_signs_off_a_finished_run_which_then_is_read_only(configured, sign_in_as, qtbot):
    with clock.pinned(MONDAY):
        run = ins.start_run(next(t for t in ins.templates() if t.key == "fire").id)
        for item in run.template.items:
            run = ins.answer(run.row.id, item.id, ins.PASS)
        done = ins.finish_run(run.row.id, run.row)
        sign_in_as(session.DUTY_MANAGER, "manager1")
        dialog = RunDialog(ins.get_run(run.row.id))
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.sign_button.isVisible() and not dialog.finish_button.isVisible()
        assert format_score(done.row.score) in dialog.score_label.text()
        assert dialog.header.text().endswith("检查人：管理员　开始：2026-11-16 08:35　结束：08:35")
        dialog.table.setFocus()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # signs it off
        settle(qtbot)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # once is enough
        settle(qtbot)
        assert [e.action for e in audit.history("inspection_run", run.row.id)].count("sign_off") == 1
        qtbot.keyClick(dialog.table, Qt.Key.Key_P)  # a change to a finished run needs its reason
        settle(qtbot)
        assert dialog.run.row.status == ins.SIGNED and not dialog.sign_button.isVisible()
        assert "已签核" in dialog.header.text()
        assert ins.get_run(run.row.id).answers == done.answers
        assert dialog.errors.message("reason") == "请填写更正原因。"  # P was refused: no reason yet
        # An amendment: the reason, then F on the second item, its note, Enter.
        type_chinese(dialog.reason, "复查发现消防栓被遮挡")
        dialog.table.setFocus()
        dialog.table.setCurrentCell(1, 1)
        qtbot.keyClick(dialog.table, Qt.Key.Key_F)
        assert dialog.note.hasFocus()
        type_chinese(dialog.note, "消防栓被遮挡")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        settle(qtbot)
        amended = ins.get_run(run.row.id)
        weights = [i.weight for i in amended.template.items]
        assert amended.row.score == pytest.approx((sum(weights) - weights[1]) / sum(weights))
        assert amended.row.status == ins.SIGNED and amended.row.failed == 1
        assert format_score(amended.row.score) in dialog.score_label.text()


def test_an_action_saved_on_another_station_shows_at_the_next_poll(tab, qtbot):
    table = tab.actions_table
    run = ins.start_run(next(t for t in ins.templates() if t.key == "fire").id)
    for n, item in enumerate(run.template.items):
        run = ins.answer(run.row.id, item.id, ins.FAIL if n == 0 else ins.PASS, "灭火器过期" if n == 0 else "")
    ins.finish_run(run.row.id, run.row)  # as another station would: nothing told on this one's bus
    assert table.model.rowCount() == 0
    assert table.poll()
    qtbot.waitUntil(lambda: table.model.rowCount() == 1, timeout=5000)
