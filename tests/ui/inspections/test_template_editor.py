"""The template editor, from the keyboard: add an item, give it a weight, save a new revision."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from frontdesk.services import clock
from frontdesk.services import inspections as ins
from frontdesk.ui.inspections.run_dialog import RunDialog
from frontdesk.ui.inspections.template_editor import (
    ACTION,
    ALLOW_NA,
    NOTE,
    PHOTO,
    TEXT,
    WEIGHT,
    TemplateEditorDialog,
    TemplatesDialog,
)
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle


def patrol() -> ins.TemplateRow:
    return next(t for t in ins.templates() if t.key == "patrol")


@pytest.fixture
def editor(configured, qtbot):
    d = TemplateEditorDialog(patrol())
    qtbot.addWidget(d)
    d.show()
    return d


def edit_cell(qtbot, d: TemplateEditorDialog, row: int, column: int, text: str) -> None:
    d.table.setFocus()
    d.table.setCurrentCell(row, column)
    qtbot.keyClick(d.table, Qt.Key.Key_F2)
    [field] = d.table.viewport().findChildren(QLineEdit)  # the cell's editor
    field.selectAll()
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        type_chinese(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.table.item(row, column).text() == text)  # the view commits it queued


def test_an_added_item_is_saved_as_the_next_revision(editor, qtbot):
    old = patrol()
    editor.table.setFocus()
    editor.table.setCurrentCell(len(old.items) - 1, TEXT)
    qtbot.keyClick(editor.table, Qt.Key.Key_Insert)
    row = editor.table.currentRow()
    assert row == len(old.items)
    edit_cell(qtbot, editor, row, TEXT, "午间服务薄弱时段巡视")
    edit_cell(qtbot, editor, row, WEIGHT, "3")
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # one place up
    qtbot.keyClick(editor.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.saved is not None, timeout=5000)
    new = patrol()
    assert new.revision == old.revision + 1 and len(new.items) == len(old.items) + 1
    added = new.items[len(old.items) - 1]
    assert (added.text, added.weight) == ("午间服务薄弱时段巡视", 3)
    assert [i.text for i in ins.get_template(old.id).items] == [i.text for i in old.items]


def test_a_weight_that_is_no_number_is_refused_and_nothing_is_lost(editor, qtbot):
    edit_cell(qtbot, editor, 0, WEIGHT, "x")
    qtbot.keyClick(editor.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert "第 1 项的权重" in editor.message.text()
    assert editor.table.item(0, WEIGHT).text() == "x" and editor.saved is None
    assert patrol().revision == 1


def test_a_name_left_empty_is_refused_at_the_field(editor, qtbot):
    editor.name.clear()
    qtbot.keyClick(editor.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert editor.errors.message("name") == "请填写模板名称。"


@pytest.fixture
def templates_dialog(configured, qtbot):
    d = TemplatesDialog()
    qtbot.addWidget(d)
    d.show()
    settle(qtbot)
    qtbot.waitUntil(lambda: d.list.count() == 6)
    return d


def test_delete_removes_an_item_and_the_list_opens_the_editor(templates_dialog, qtbot):
    d = templates_dialog
    qtbot.keyClick(d.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.editor is not None)
    editor = d.editor
    count = editor.table.rowCount()
    editor.table.setFocus()
    editor.table.setCurrentCell(0, TEXT)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert editor.table.rowCount() == count - 1
    qtbot.keyClick(editor.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: d.editor is None, timeout=5000)
    settle(qtbot)
    first = next(t for t in ins.templates() if t.key == "opening")  # the first of the list
    assert first.revision == 2 and len(first.items) == count - 1


def test_insert_creates_a_new_template_from_scratch(templates_dialog, qtbot):
    d = templates_dialog
    qtbot.keyClick(d.list, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: d.editor is not None)
    editor = d.editor
    assert editor.windowTitle() == "新建模板" and editor.table.rowCount() == 1
    type_chinese(editor.name, "雨天防滑检查")
    for n in range(1, 7):  # Mondays only: untick Tuesday to Sunday
        editor.days[n].setFocus()
        qtbot.keyClick(editor.days[n], Qt.Key.Key_Space)
    edit_cell(qtbot, editor, 0, TEXT, "防滑标识已摆放")
    qtbot.keyClick(editor.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: d.editor is None, timeout=5000)
    qtbot.waitUntil(lambda: d.list.count() == 7)
    made = next(t for t in ins.templates() if t.name == "雨天防滑检查")
    assert (made.kind, made.revision, made.due_weekdays) == ("custom", 1, 0b0000001)
    assert [i.text for i in made.items] == ["防滑标识已摆放"]
    assert d.list.currentItem().text().startswith("雨天防滑检查")


def test_c_copies_the_selected_template(templates_dialog, qtbot):
    d = templates_dialog
    d.list.setCurrentRow(0)  # 班前检查
    qtbot.keyClick(d.list, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: d.editor is not None)
    editor = d.editor
    assert editor.name.text() == "班前检查（副本）"
    qtbot.keyClick(editor.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: d.editor is None, timeout=5000)
    qtbot.waitUntil(lambda: d.list.count() == 7)
    copy = next(t for t in ins.templates() if t.name == "班前检查（副本）")
    opening = next(t for t in ins.templates() if t.key == "opening")
    assert copy.kind == "opening" and [i.text for i in copy.items] == [i.text for i in opening.items]


def test_delete_deactivates_and_reactivates_the_selected_template(templates_dialog, qtbot):
    d = templates_dialog
    names = [d.list.item(n).text() for n in range(d.list.count())]
    d.list.setCurrentRow(next(n for n, text in enumerate(names) if text.startswith("消防器材巡检")))
    qtbot.keyClick(d.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: d.list.currentItem().text().endswith("（已停用）"))
    assert "fire" not in {t.key for t in ins.templates()}
    assert d.list.count() == 6  # still listed, to be reactivated
    qtbot.keyClick(d.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not d.list.currentItem().text().endswith("（已停用）"))
    fire = next(t for t in ins.templates() if t.key == "fire")
    assert fire.active and fire.revision == 3


def test_a_front_desk_user_is_refused_deactivating_with_the_reason_shown(templates_dialog, qtbot, sign_in_as):
    from frontdesk.services import session

    sign_in_as(session.FRONT_DESK, "desk1")
    qtbot.keyClick(templates_dialog.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(templates_dialog.message.isVisible)
    assert "修改检查模板" in templates_dialog.message.text()
    assert all(t.active for t in ins.templates(include_inactive=True))


def test_every_per_item_switch_is_ticked_by_keys_and_a_photo_then_holds_the_run(configured, qtbot):
    """Right arrows reach the switches, Space ticks them; the saved revision asks for a photo
    when its first item fails, and a run of it cannot be finished without one."""
    fire = next(t for t in ins.templates() if t.key == "fire")
    assert [(i.allow_na, i.note_on_fail, i.action_on_fail, i.photo_on_fail) for i in fire.items[2:]] == \
        [(False, True, True, False)] * 2
    d = TemplateEditorDialog(fire)
    qtbot.addWidget(d)
    d.show()
    d.table.setFocus()
    d.table.setCurrentCell(0, TEXT)

    def tick(column: int) -> None:
        while d.table.currentColumn() < column:
            qtbot.keyClick(d.table, Qt.Key.Key_Right)
        while d.table.currentColumn() > column:
            qtbot.keyClick(d.table, Qt.Key.Key_Left)
        qtbot.keyClick(d.table, Qt.Key.Key_Space)

    tick(PHOTO)
    assert d.table.item(0, PHOTO).checkState() == Qt.CheckState.Checked
    qtbot.keyClick(d.table, Qt.Key.Key_Down)
    qtbot.keyClick(d.table, Qt.Key.Key_Down)
    tick(ALLOW_NA)
    qtbot.keyClick(d.table, Qt.Key.Key_Down)
    tick(NOTE)
    tick(ACTION)
    qtbot.keyClick(d.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: d.saved is not None, timeout=5000)
    new = next(t for t in ins.templates() if t.key == "fire")
    assert new.revision == fire.revision + 1
    assert d.table.horizontalHeaderItem(PHOTO).text() == "不合格须拍照"
    assert [i.photo_on_fail for i in new.items] == [True, False, False, False]
    assert [(i.allow_na, i.note_on_fail, i.action_on_fail) for i in new.items[2:]] == \
        [(True, True, True), (False, False, False)]
    assert not any(i.photo_on_fail for i in ins.get_template(fire.id).items)  # the old revision as it was

    with clock.pinned(datetime(2026, 11, 16, 17, 40)):
        run = RunDialog(ins.start_run(new.id))
        qtbot.addWidget(run)
        run.show()
        run.activateWindow()
        qtbot.waitUntil(run.table.hasFocus)
        assert run.photo.text() == "须附照片\n(Ctrl+O)"
        qtbot.keyClick(run.table, Qt.Key.Key_F)
        type_chinese(run.note, "压力不足")
        qtbot.keyClick(run.note, Qt.Key.Key_Return)
        settle(qtbot)
        for _item in new.items[1:]:
            qtbot.keyClick(run.table, Qt.Key.Key_P)
            settle(qtbot)
        qtbot.keyClick(run.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot)
        assert run.errors.message("photo") == \
            "“灭火器在位，压力正常，在有效期内”不合格，须附照片（Ctrl+O）后才能完成检查。"
        assert run.finished_run is None and run.table.currentRow() == 0
        assert ins.get_run(run.run.row.id).row.status == ins.OPEN
