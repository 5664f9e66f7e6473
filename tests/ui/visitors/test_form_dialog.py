"""The visit detail/edit dialog: errors next to fields, nothing typed lost, conflicts caught."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from frontdesk.errors import NotFoundError
from frontdesk.services import clock, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.kit.common import to_qdatetime
from frontdesk.ui.visitors.form_dialog import VisitFormDialog
from tests.ui.register_helpers import list_ids, type_chinese
from tests.ui.worker_helpers import settle

NOW = datetime(2026, 11, 25, 10, 30, 0)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def ids(configured, frozen):
    return list_ids("business_type"), list_ids("destination")


def register(ids, business: str = "咨询", **kw) -> visitors.VisitRow:
    bts, dests = ids
    kw.setdefault("arrived_at", NOW - timedelta(minutes=20))
    return visitors.register(VisitInput(business_type_id=bts[business], destination_id=dests["1号窗口"], **kw))


def open_dialog(qtbot, visit_id: int) -> VisitFormDialog:
    dialog = VisitFormDialog(visit_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        type_chinese(edit, text)


def test_shows_the_visit_with_the_phone_masked_and_derived_minutes(ids, qtbot):
    row = register(ids, customer_name="王女士", phone="13812345678", ticket_no="A018")
    visitors.call(row.id, at=NOW - timedelta(minutes=5), served_by="李娜")
    dialog = open_dialog(qtbot, row.id)
    assert dialog.customer_name.text() == "王女士"
    assert dialog.phone.text() == "138****5678"  # masked until revealed
    assert dialog.registered_by.text() == "管理员"
    assert dialog.ticket_no.text() == "A018"
    assert dialog.business_type.currentText() == "咨询"
    assert dialog.status_label.text() == "办理中"
    assert dialog.called_check.isChecked() and dialog.called_at.isEnabled()
    assert not dialog.finished_check.isChecked() and not dialog.finished_at.isEnabled()
    assert dialog.wait_label.text() == "15.0"
    assert dialog.service_label.text() == "—"
    assert not dialog.surrender_box.isVisible()
    assert not dialog.void_banner.isVisible()


def test_a_validation_error_shows_next_to_the_field_and_keeps_the_input(ids, qtbot):
    row = register(ids, customer_name="王女士")
    dialog = open_dialog(qtbot, row.id)
    retype(qtbot, dialog.customer_name, "王阿姨")
    retype(qtbot, dialog.phone, "12345")  # too short
    retype(qtbot, dialog.served_by, "Zhao")
    dialog.needs["elderly"].setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "电话" in dialog.errors.message("phone")
    error_label = dialog.findChild(type(dialog.status_label), "error_phone")
    assert error_label.isVisible()
    assert dialog.focusWidget() is dialog.phone  # the cursor goes to the field to correct
    # Nothing typed is lost, and nothing was saved.
    assert dialog.customer_name.text() == "王阿姨"
    assert dialog.phone.text() == "12345"
    assert dialog.served_by.text() == "Zhao"
    assert dialog.needs["elderly"].isChecked()
    assert visitors.get_visit(row.id).row.customer_name == "王女士"

    retype(qtbot, dialog.phone, "13912345678")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = visitors.get_visit(row.id)
    assert visitors.reveal_phone(row.id) == "13912345678" and saved.row.customer_name == "王阿姨"
    assert saved.row.special_needs == frozenset({"elderly"})
    assert dialog.saved_row.id == row.id


def test_times_that_contradict_each_other_are_refused_at_the_field(ids, qtbot):
    row = register(ids)
    dialog = open_dialog(qtbot, row.id)
    dialog.called_check.setChecked(True)
    dialog.called_at.setDateTime(to_qdatetime(NOW - timedelta(minutes=30)))  # before arrival
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert "早于到达时间" in dialog.errors.message("called_at")
    assert dialog.isVisible()


def test_call_and_finish_from_the_dialog(ids, qtbot):
    row = register(ids)
    dialog = open_dialog(qtbot, row.id)
    dialog.called_check.setChecked(True)
    dialog.called_at.setDateTime(to_qdatetime(NOW - timedelta(minutes=12)))
    dialog.finished_check.setChecked(True)
    dialog.finished_at.setDateTime(to_qdatetime(NOW - timedelta(minutes=2)))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("done"))
    assert dialog.wait_label.text() == "8.0"
    assert dialog.service_label.text() == "10.0"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = visitors.get_visit(row.id).row
    assert saved.status == visitors.FINISHED and saved.outcome == "done"
    assert saved.service_minutes == pytest.approx(10.0)


def test_a_conflict_keeps_the_input_and_offers_the_newer_record(ids, qtbot):
    row = register(ids, customer_name="王女士")
    dialog = open_dialog(qtbot, row.id)
    retype(qtbot, dialog.customer_name, "王小姐")
    type_chinese(dialog.notes, "客户要求回电")

    # Meanwhile another station saves the same visit.
    other = visitors.get_visit(row.id)
    visitors.update(row.id, replace(other.to_input(), served_by="另一工作站"), expected=other)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.conflict_box.isVisible()
    assert "其他工作站" in dialog.conflict_headline.text()
    assert "未丢失" in dialog.conflict_headline.text()
    assert changes_listed(dialog) == ["经办人：（空） → 另一工作站"]
    assert dialog.customer_name.text() == "王小姐"
    assert dialog.notes.toPlainText() == "客户要求回电"
    assert visitors.get_visit(row.id).row.served_by == "另一工作站"  # theirs is not overwritten
    assert dialog.reload_button.isVisible()
    assert not dialog.reapply_button.isVisible()

    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.served_by.text() == "另一工作站"
    assert dialog.customer_name.text() == "王女士"
    assert dialog.notes.toPlainText() == ""
    assert not dialog.reload_button.isVisible()
    assert dialog.reapply_button.isVisible()
    assert set(dialog.my_changes()) == {"customer_name", "notes"}

    # Their change and the user's own, together; saved only when the user says so.
    qtbot.mouseClick(dialog.reapply_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert (dialog.customer_name.text(), dialog.notes.toPlainText(), dialog.served_by.text()) == (
        "王小姐", "客户要求回电", "另一工作站")
    assert visitors.get_visit(row.id).row.customer_name == "王女士"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = visitors.get_visit(row.id).row
    assert (saved.customer_name, saved.notes, saved.served_by) == ("王小姐", "客户要求回电", "另一工作站")


def changes_listed(dialog: VisitFormDialog) -> list[str]:
    return [dialog.conflict_list.item(n).text() for n in range(dialog.conflict_list.count())]


def test_a_conflict_lists_every_change_with_the_phone_masked(ids, qtbot):
    row = register(ids, customer_name="王女士", phone="13812345678")
    dialog = open_dialog(qtbot, row.id)
    retype(qtbot, dialog.ticket_no, "B007")

    other = visitors.get_visit(row.id)
    visitors.update(row.id, replace(other.to_input(), phone="13999998888", notes="已递水"), expected=other)
    visitors.call(row.id, at=NOW - timedelta(minutes=1), served_by="李娜")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert changes_listed(dialog) == [
        "状态：等候中 → 办理中",
        "电话：138****5678 → 139****8888",
        "叫号时间：（空） → 10:29",
        "经办人：（空） → 李娜",
        "备注：（空） → 已递水",
    ]
    assert "13999998888" not in " ".join(changes_listed(dialog))
    assert dialog.ticket_no.text() == "B007"
    assert visitors.get_visit(row.id).row.ticket_no == ""


def test_reloading_a_record_voided_meanwhile_shows_it_read_only(ids, qtbot):
    row = register(ids, customer_name="王女士")
    dialog = open_dialog(qtbot, row.id)
    retype(qtbot, dialog.customer_name, "王小姐")
    visitors.void(row.id, "重复登记")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert changes_listed(dialog) == ["状态：等候中 → 已作废", "作废原因：（空） → 重复登记"]
    assert dialog.customer_name.text() == "王小姐"
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.void_banner.isVisible() and dialog.customer_name.isReadOnly()
    assert not dialog.reapply_button.isVisible()
    assert visitors.get_visit(row.id).row.customer_name == "王女士"


def test_a_save_elsewhere_that_changed_nothing_does_not_block_this_one(ids, qtbot):
    row = register(ids, customer_name="王女士")
    dialog = open_dialog(qtbot, row.id)
    retype(qtbot, dialog.customer_name, "王小姐")
    other = visitors.get_visit(row.id)
    visitors.update(row.id, other.to_input(), expected=other)  # saved unchanged
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert visitors.get_visit(row.id).row.customer_name == "王小姐"


def test_surrender_fields_show_only_for_a_surrender_visit(ids, qtbot):
    row = register(ids)
    dialog = open_dialog(qtbot, row.id)
    assert not dialog.surrender_box.isVisible()
    dialog.business_type.setFocus()
    dialog.business_type.setCurrentIndex(dialog.business_type.findText("退保"))
    assert dialog.surrender_box.isVisible()
    dialog.surrender_reason.setCurrentIndex(dialog.surrender_reason.findData("need_cash"))
    dialog.retention.setCurrentIndex(dialog.retention.findData("retained"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = visitors.get_visit(row.id).row
    assert saved.business_type == "退保"
    assert (saved.surrender_reason, saved.retention) == ("need_cash", "retained")

    again = open_dialog(qtbot, row.id)
    assert again.surrender_box.isVisible()
    assert again.surrender_reason.currentData() == "need_cash"
    again.business_type.setCurrentIndex(again.business_type.findText("咨询"))
    assert not again.surrender_box.isVisible()
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    saved = visitors.get_visit(row.id).row
    assert (saved.surrender_reason, saved.retention) == (None, None)


def test_missing_documents_are_kept_and_required(ids, qtbot):
    row = register(ids)
    dialog = open_dialog(qtbot, row.id)
    assert not dialog.missing_list.isVisible()
    dialog.documents_complete.setChecked(False)
    assert dialog.missing_list.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert "一次性告知" in dialog.errors.message("missing_documents")
    dialog.missing_list.item(2).setCheckState(Qt.CheckState.Checked)  # 保单原件
    type_chinese(dialog.missing_other, "户口本复印件")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = visitors.get_visit(row.id).row
    assert saved.missing_documents == ("保单原件", "户口本复印件")
    again = open_dialog(qtbot, row.id)
    assert again.missing_list.item(2).checkState() == Qt.CheckState.Checked
    assert again.missing_other.text() == "户口本复印件"


def test_a_voided_visit_opens_read_only_with_its_reason(ids, qtbot):
    row = register(ids, customer_name="王女士")
    visitors.void(row.id, "登记错误，客户未到")
    dialog = open_dialog(qtbot, row.id)
    assert dialog.void_banner.isVisible()
    assert "登记错误，客户未到" in dialog.void_banner.text()
    assert dialog.customer_name.isReadOnly()
    assert not dialog.business_type.isEnabled()
    assert not dialog.save_button.isVisible()
    assert dialog.cancel_button.text() == "关闭"
    assert dialog.status_label.text() == "已作废"


def test_an_unknown_visit_is_a_user_error(ids, qtbot):
    with pytest.raises(NotFoundError):
        VisitFormDialog(987_654)


# ---------------------------------------------------------------- personal data and roles


def test_the_duty_manager_reveals_the_phone_and_the_look_is_audited(ids, qtbot, sign_in_as):
    from frontdesk.db.models import AuditEntry
    from frontdesk.services import session

    row = register(ids, phone="13812345678")
    sign_in_as(session.DUTY_MANAGER, "manager")
    dialog = open_dialog(qtbot, row.id)
    assert dialog.phone.text() == "138****5678" and dialog.reveal_button.isVisible()
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.phone.text() == "13812345678" and not dialog.reveal_button.isVisible()
    [look] = AuditEntry.select().where(AuditEntry.action == "reveal")
    assert (look.username, look.entity_id) == ("manager", row.id)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert visitors.reveal_phone(row.id) == "13812345678"


def test_a_masked_phone_left_as_shown_is_kept_on_save(ids, qtbot):
    row = register(ids, phone="13812345678", notes="")
    dialog = open_dialog(qtbot, row.id)
    type_chinese(dialog.notes, "补充说明")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert visitors.reveal_phone(row.id) == "13812345678"
    assert visitors.get_visit(row.id).row.notes == "补充说明"


def test_the_front_desk_edits_its_own_visit_and_only_sees_others(ids, qtbot, sign_in_as):
    from frontdesk.services import session

    others = register(ids, customer_name="经理登记", phone="13812345678")
    sign_in_as(session.FRONT_DESK, "guide", "王芳")
    mine = register(ids, customer_name="我登记的")

    theirs = open_dialog(qtbot, others.id)
    assert theirs.permission_banner.isVisible() and "只能修改自己今天登记的" in theirs.permission_banner.text()
    assert not theirs.save_button.isVisible() and theirs.customer_name.isReadOnly()
    assert not theirs.reveal_button.isVisible() and theirs.phone.text() == "138****5678"
    assert theirs.registered_by.text() == "管理员"

    own = open_dialog(qtbot, mine.id)
    assert not own.permission_banner.isVisible() and own.save_button.isVisible()
    assert own.registered_by.text() == "王芳"
    retype(qtbot, own.customer_name, "李先生")
    qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the save runs on the database worker
    assert own.result() == QDialog.DialogCode.Accepted
    assert visitors.get_visit(mine.id).row.customer_name == "李先生"


def test_the_history_button_opens_the_trail_of_this_visit(ids, qtbot):
    from PySide6.QtWidgets import QApplication

    from tests.ui.widget_helpers import when_modal

    row = register(ids, customer_name="王女士")
    visitors.call(row.id, at=NOW - timedelta(minutes=5))
    dialog = open_dialog(qtbot, row.id)
    assert dialog.history_button.isVisible()
    seen = []

    def read(log):
        qtbot.waitUntil(lambda: log.model.settled and log.model.rowCount() == 2)
        seen.append((log.windowTitle(), [log.model.line(r).record.action for r in range(2)]))
        log.reject()

    timer = when_modal(read)
    qtbot.mouseClick(dialog.history_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert seen and "审计日志" in seen[0][0] and sorted(seen[0][1]) == ["call", "create"]
    assert QApplication.activeModalWidget() is None or QApplication.activeModalWidget() is dialog


# ---------------------------------------------------------------- looking, closing, button order


def _background(widget) -> tuple[int, int, int]:
    """The colour drawn inside ``widget``, a few pixels in from its right edge (past the text)."""
    image = widget.grab().toImage()
    colour = image.pixelColor(image.width() - 8, image.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def test_a_read_only_visit_looks_read_only_and_keeps_the_focus_off_its_fields(ids, qtbot, sign_in_as):
    from frontdesk.services import session

    others = register(ids, customer_name="经理登记", ticket_no="A001")
    sign_in_as(session.FRONT_DESK, "guide", "王芳")
    mine = register(ids, customer_name="我登记的", ticket_no="A002")
    editable = open_dialog(qtbot, mine.id)
    editable.close()
    dialog = open_dialog(qtbot, others.id)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    fields = (dialog.ticket_no, dialog.customer_name, dialog.phone, dialog.served_by, dialog.notes,
              dialog.arrived_at)
    assert dialog.focusWidget() is dialog.cancel_button
    for _ in range(8):  # Tab walks the buttons, never into a field
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() not in fields
    # A box to type in is white; a read-only one has the dialog's own colour.
    assert _background(editable.customer_name) == (255, 255, 255)
    window = dialog.palette().window().color()
    assert _background(dialog.customer_name) == (window.red(), window.green(), window.blue())
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)  # nothing changed: closes at once
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


def test_esc_with_edits_asks_before_throwing_them_away(ids, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.widget_helpers import when_modal

    row = register(ids, customer_name="王女士")
    dialog = open_dialog(qtbot, row.id)
    retype(qtbot, dialog.customer_name, "李先生")
    asked = []

    def answer(text: str):
        def press(box: QMessageBox) -> None:
            asked.append(box.text())
            button = next(b for b in box.buttons() if b.text() == text)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return press

    timer = when_modal(answer("继续编辑"))
    qtbot.keyClick(dialog.customer_name, Qt.Key.Key_Escape)
    timer.stop()
    assert asked and "未保存的修改" in asked[0]
    assert dialog.isVisible() and dialog.customer_name.text() == "李先生"

    timer = when_modal(answer("放弃修改"))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert len(asked) == 2 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert visitors.get_visit(row.id).row.customer_name == "王女士"


def test_history_stands_left_of_save_and_cancel(ids, qtbot):
    row = register(ids, customer_name="王女士")
    dialog = open_dialog(qtbot, row.id)

    def left(widget) -> int:
        return widget.mapTo(dialog, widget.rect().topLeft()).x()

    assert dialog.history_button.isVisible()
    assert left(dialog.history_button) < left(dialog.save_button)
    assert left(dialog.history_button) < left(dialog.cancel_button)
