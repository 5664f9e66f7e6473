"""The complaint tab driven as a user drives it: Ctrl+N, Tab, typing, Enter; the model under the
model tester; overdue tickets standing out."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from frontdesk.services import clock, complaints, session
from frontdesk.services.complaints import ComplaintInput, ComplaintQuery
from frontdesk.ui.complaints.detail_dialog import ComplaintDetailDialog, actions_for
from frontdesk.ui.complaints.form_dialog import ComplaintFormDialog
from frontdesk.ui.complaints.tab import ComplaintTab
from frontdesk.ui.complaints.table_model import OVERDUE_TEXT, ComplaintTableModel
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle as settle_worker

MONDAY = datetime(2026, 9, 28, 10, 0)


@pytest.fixture
def monday():
    clock.pin(MONDAY, ticking=False)
    yield MONDAY
    clock.unpin()


def ticket(**kw) -> ComplaintInput:
    base = dict(kind=complaints.COMPLAINT, channel=complaints.ON_SITE, category="服务态度及服务质量",
                customer_name="张先生", phone="13812345678", description="柜员态度生硬")
    base.update(kw)
    return ComplaintInput(**base)


@pytest.fixture
def tab(configured, monday, qtbot):
    w = ComplaintTab()
    qtbot.addWidget(w)
    w.resize(1300, 700)
    w.show()
    qtbot.waitActive(w)
    settle(qtbot, w)
    return w


def settle(qtbot, w: ComplaintTab) -> None:
    settle_worker(qtbot)
    qtbot.waitUntil(lambda: w.table.model.settled and not w.table._text_timer.isActive(), timeout=10_000)


def modal(qtbot, kind: type) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=5000)
    return QApplication.activeModalWidget()


def column(model: ComplaintTableModel, key: str) -> int:
    return next(n for n, c in enumerate(model.columns) if c.key == key)


def test_the_model_passes_the_model_tester(configured, monday, qtbot, qtmodeltester):
    for name in ("甲", "乙", "丙"):
        complaints.create(ticket(customer_name=name))
    model = ComplaintTableModel()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(ComplaintQuery(view=complaints.V_ALL))
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(ComplaintQuery(view=complaints.V_ALL, text="乙"))
    assert model.rowCount() == 1
    qtmodeltester.check(model)


def test_a_new_complaint_from_the_keyboard(tab, qtbot):
    qtbot.keyClick(tab.table.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = modal(qtbot, ComplaintFormDialog)
    assert dialog.focusWidget() is dialog.kind
    order = [dialog.channel, dialog.category, dialog.customer_name, dialog.phone, dialog.id_number,
             dialog.acting_for, dialog.about, dialog.motive,
             dialog.request, dialog.description, dialog.people, dialog.handler, dialog.on_the_spot]
    for expected in order:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() is expected, expected.objectName()
    dialog.category.setFocus()
    qtbot.keyClick(dialog.category, Qt.Key.Key_Down)  # 销售纠纷, the first of the insurer's categories
    qtbot.keyClick(dialog.category, Qt.Key.Key_Tab)
    type_chinese(dialog.customer_name, "张先生")
    qtbot.keyClick(dialog.customer_name, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.phone, "13812345678")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.id_number, "11010519491231002x")
    qtbot.keyClick(dialog.id_number, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.acting_for, Qt.Key.Key_Down)  # 代理: the note opens
    assert dialog.acting_note.isEnabled()
    qtbot.keyClick(dialog.acting_for, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.acting_note
    type_chinese(dialog.acting_note, "代父亲投诉，有授权委托书")
    qtbot.keyClick(dialog.acting_note, Qt.Key.Key_Tab)
    type_chinese(dialog.about, "3号窗口")
    qtbot.keyClick(dialog.about, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.motive, Qt.Key.Key_Down)  # 求发泄
    dialog.request.setFocus()
    type_chinese(dialog.request, "要求道歉")
    dialog.description.setFocus()
    type_chinese(dialog.description, "柜员态度生硬")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, tab)
    assert tab.table.model.rowCount() == 1
    row = tab.table.model.row_at(0)
    assert (row.category, row.customer_name, row.phone_masked, row.about, row.motive, row.first_contact) == \
        ("销售纠纷", "张先生", "138****5678", "3号窗口", "vent", "管理员")
    assert (row.id_masked, row.acting_for, row.acting_note) == ("110105********002X", "agent", "代父亲投诉，有授权委托书")
    assert tab.table.model.data(tab.table.model.index(0, column(tab.table.model, "phone"))) == "138****5678"


def test_a_refusal_shows_at_its_field_and_keeps_what_was_typed(tab, qtbot):
    qtbot.mouseClick(tab.table.new_button, Qt.MouseButton.LeftButton)
    dialog = modal(qtbot, ComplaintFormDialog)
    type_chinese(dialog.customer_name, "李女士")
    qtbot.keyClicks(dialog.phone, "12")
    qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    settle_worker(qtbot)
    qtbot.waitUntil(lambda: dialog.errors.message("description") != "")
    assert dialog.isVisible()
    assert "类别" in dialog.errors.message("category")
    assert "电话" in dialog.errors.message("phone")
    assert dialog.customer_name.text() == "李女士" and dialog.phone.text() == "12"
    assert complaints.count_complaints(ComplaintQuery(view=complaints.V_ALL)) == 0


def test_overdue_tickets_stand_out_in_colour_words_and_the_banner(configured, qtbot):
    clock.pin(MONDAY, ticking=False)
    try:
        complaints.create(ticket(kind=complaints.CONSULTATION, customer_name="过期"))  # due 09-30
        complaints.create(ticket(customer_name="未到期"))  # due 10-13
        clock.pin(datetime(2026, 10, 8, 9, 0), ticking=False)
        w = ComplaintTab()
        qtbot.addWidget(w)
        w.show()
        settle(qtbot, w)
        qtbot.waitUntil(lambda: w.alerts is not None)
        assert w.banner.isVisible() and "已逾期 1 件" in w.banner.text()
        assert w.status_label.text() == "投诉 逾期 1"  # the main window's status bar shows it
        model = w.table.model
        rows = {model.row_at(r).customer_name: r for r in range(model.rowCount())}
        late = model.index(rows["过期"], column(model, "due_on"))
        assert "逾期 8 天" in model.data(late)
        assert model.data(late, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_TEXT
        fine = model.index(rows["未到期"], column(model, "due_on"))
        assert model.data(fine, Qt.ItemDataRole.ForegroundRole) is None
        w.table.view_choice.setFocus()
        w.table.view_choice.setCurrentIndex(w.table.view_choice.findData(complaints.V_OVERDUE))
        settle(qtbot, w)
        assert [model.row_at(r).customer_name for r in range(model.rowCount())] == ["过期"]
    finally:
        clock.unpin()


def test_the_detail_shows_the_timeline_and_the_explanation_and_records_steps(tab, qtbot):
    row = complaints.create(ticket())
    tab.table.refresh()
    settle(qtbot, tab)
    tab.table.view.setFocus()
    tab.table.view.selectRow(0)
    qtbot.keyClick(tab.table.view, Qt.Key.Key_Return)
    dialog = modal(qtbot, ComplaintDetailDialog)
    qtbot.waitUntil(lambda: dialog.detail is not None)
    assert "受理" in dialog.timeline.toPlainText()
    assert "国庆节法定节假日" in dialog.explanation.toPlainText()
    assert dialog.action.currentData() == complaints.E_PROGRESS
    dialog.text.setFocus()
    type_chinese(dialog.text, "已电话告知客户正在调查")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "进度反馈" in dialog.timeline.toPlainText(), timeout=5000)
    assert dialog.text.toPlainText() == ""
    dialog.action.setCurrentIndex(dialog.action.findData(complaints.E_EXTENSION))
    assert dialog.approved_by.isVisible() and not dialog.reply_proof.isVisible()
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)  # no approver, no reason
    settle_worker(qtbot)
    qtbot.waitUntil(lambda: dialog.errors.message("approved_by") != "")
    assert complaints.get_complaint(row.id).row.regulatory_limit == 15
    type_chinese(dialog.approved_by, "总公司客服部")
    qtbot.keyClick(dialog.approved_by, Qt.Key.Key_Return)  # Enter in a field never closes the dialog
    assert dialog.isVisible()
    dialog.text.setFocus()
    type_chinese(dialog.text, "需调取多份保单材料")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "监管时限延至 30 天" in dialog.timeline.toPlainText(), timeout=5000)
    assert complaints.get_complaint(row.id).row.regulatory_limit == 30


def test_the_front_desk_is_offered_no_handling_actions(configured, monday, sign_in_as):
    row = complaints.create(ticket())
    detail = complaints.get_complaint(row.id)
    guide = sign_in_as(session.FRONT_DESK, "guide")
    offered = actions_for(detail, guide)
    assert complaints.E_REPLY in offered and complaints.E_PROGRESS in offered
    assert not {complaints.E_EXTENSION, complaints.E_PAUSE, complaints.E_CLOSED, complaints.E_WITHDRAWN} & set(offered)
    manager = sign_in_as(session.DUTY_MANAGER, "manager")
    assert complaints.E_EXTENSION in actions_for(detail, manager)


def open_detail(qtbot, row_id: int) -> ComplaintDetailDialog:
    dialog = ComplaintDetailDialog(row_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=5000)
    return dialog


def test_another_stations_change_is_named_and_the_text_typed_stays(configured, monday, qtbot):
    row = complaints.create(ticket())
    dialog = open_detail(qtbot, row.id)
    complaints.assign(row.id, "李经理", complaints.get_complaint(row.id).row)  # the other station
    dialog.action.setCurrentIndex(dialog.action.findData(complaints.E_REPLY))
    dialog.text.setFocus()
    type_chinese(dialog.text, "经核实已致歉")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    settle_worker(qtbot)
    qtbot.waitUntil(lambda: "其他工作站" in dialog.message.text(), timeout=5000)
    assert "李经理" in dialog.message.text()
    assert dialog.text.toPlainText() == "经核实已致歉"
    qtbot.waitUntil(lambda: dialog.detail.row.handler == "李经理", timeout=5000)  # read again
    assert complaints.get_complaint(row.id).row.status == complaints.ACCEPTED
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)  # a second try, on the fresh ticket
    qtbot.waitUntil(lambda: "答复客户" in dialog.timeline.toPlainText(), timeout=5000)
    assert complaints.get_complaint(row.id).row.status == complaints.REPLIED


def test_the_full_number_is_shown_on_request_and_the_look_is_audited(configured, monday, qtbot, sign_in_as):
    from frontdesk.db.models import AuditEntry

    row = complaints.create(ticket())
    sign_in_as(session.FRONT_DESK, "guide")
    dialog = open_detail(qtbot, row.id)
    assert dialog.reveal_button.isHidden() and "138****5678" in dialog.summary.text()
    dialog.close()
    sign_in_as(session.DUTY_MANAGER, "manager")
    dialog = open_detail(qtbot, row.id)
    assert not dialog.reveal_button.isHidden()
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "13812345678" in dialog.summary.text(), timeout=5000)
    assert AuditEntry.select().where((AuditEntry.action == "reveal") & (AuditEntry.entity == "complaint")).count() == 1


def test_a_ticket_opened_for_a_visit_takes_the_visits_phone(kinds, monday, qtbot):
    from frontdesk.services import visitors

    bts, dests = kinds
    visit = visitors.register(visitors.VisitInput(business_type_id=bts["投诉"], destination_id=dests["客户接待室"],
                                                  customer_name="陈女士", phone="13755556666"))
    w = ComplaintTab()
    qtbot.addWidget(w)
    w.show()
    settle(qtbot, w)
    w.table.new_ticket(visit_id=visit.id, customer_name=visit.customer_name)
    dialog = modal(qtbot, ComplaintFormDialog)
    assert dialog.customer_name.text() == "陈女士" and dialog.phone.isHidden()
    dialog.category.setCurrentIndex(1)
    dialog.description.setFocus()
    type_chinese(dialog.description, "对等候时间不满")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [made] = complaints.tickets_of_visit(visit.id)
    assert made.phone_masked == "137****6666" and made.customer_name == "陈女士"


def test_the_duty_manager_merges_a_repeat_from_the_detail(configured, monday, qtbot):
    first = complaints.create(ticket())
    repeat = complaints.create(ticket(channel="phone"))
    dialog = open_detail(qtbot, repeat.id)
    dialog.action.setCurrentIndex(dialog.action.findData(complaints.E_MERGED))
    assert dialog.into.isVisible() and not dialog.handler.isVisible()
    dialog.into.setFocus()
    dialog.into.selectAll()
    qtbot.keyClicks(dialog.into, str(first.id))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.detail.row.status == complaints.MERGED, timeout=5000)
    assert f"并入工单 #{first.id}" in dialog.timeline.toPlainText()
    assert not dialog.act_box.isHidden()  # reopening is still offered
    assert dialog.action.currentData() == complaints.E_REOPENED


def test_the_administrator_types_in_next_years_holidays(configured, qtbot, sign_in_as):
    from frontdesk.ui.complaints.holidays_dialog import HolidaysDialog

    clock.pin(datetime(2026, 12, 24, 10, 0), ticking=False)
    try:
        row = complaints.create(ticket())
        assert row.due_provisional
        w = ComplaintTab()
        qtbot.addWidget(w)
        w.show()
        settle(qtbot, w)
        qtbot.waitUntil(lambda: w.alerts is not None)
        assert "2027 年的国家法定节假日安排尚未收录" in w.banner.text()
        assert not w.table.holidays_button.isHidden()
        qtbot.mouseClick(w.table.holidays_button, Qt.MouseButton.LeftButton)
        dialog = modal(qtbot, HolidaysDialog)
        qtbot.waitUntil(lambda: "2027" in dialog.warning.text())
        type_chinese(dialog.text, "2027-01-01~2027-01-03 假 元旦")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        settle_worker(qtbot)
        qtbot.waitUntil(lambda: "第 1 行无法识别" in dialog.errors.message("text"))
        dialog.text.selectAll()
        type_chinese(dialog.text, "2027-01-01~2027-01-03 休 元旦")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "1 张未办结工单" in dialog.message.text(), timeout=5000)
        qtbot.waitUntil(lambda: "2027-01-01" in dialog.known.toPlainText())
        assert complaints.get_complaint(row.id).row.internal_due.isoformat() == "2027-01-05"
        dialog.close()
        guide = sign_in_as(session.FRONT_DESK, "guide")
        w.apply_role(guide)
        assert w.table.holidays_button.isHidden()
    finally:
        clock.unpin()


def test_a_batch_of_opinion_book_entries_from_the_keyboard(tab, qtbot):
    from frontdesk.ui.complaints.opinion_dialog import OpinionBookDialog

    qtbot.keyClick(tab.table.search, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = modal(qtbot, OpinionBookDialog)
    assert dialog.focusWidget() is dialog.text
    dialog.day.setDate(dialog.day.date().addDays(-3))  # last Friday's book
    for n, words in enumerate(("饮水机无水", "希望周六也营业")):
        type_chinese(dialog.text, words)
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda n=n: len(dialog.saved) == n + 1, timeout=5000)
        assert dialog.text.text() == "" and dialog.focusWidget() is dialog.text
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)  # nothing typed: refused at the field
    settle_worker(qtbot)
    qtbot.waitUntil(lambda: dialog.errors.message("description") != "")
    rows = [complaints.get_complaint(r.id).row for r in dialog.saved]
    assert {(r.kind, r.channel, r.category) for r in rows} == {(complaints.OPINION, "opinion_book", "其他")}
    assert {r.received_at for r in rows} == {datetime(2026, 9, 25, 18, 0)}
    # Fri 09-25 + 7 working days: 09-28 … 09-30, National Day off, 10-08, 10-09, Sat 10-10 (made up), 10-12.
    assert rows[0].internal_due.isoformat() == "2026-10-12"


def test_a_deadline_passing_while_the_window_is_open_turns_the_ticket_overdue(configured, qtbot):
    from PySide6.QtWidgets import QTabWidget

    clock.pin(MONDAY, ticking=False)
    try:
        complaints.create(ticket(kind=complaints.CONSULTATION, customer_name="今晚到期"))  # due 09-30
        clock.pin(datetime(2026, 9, 30, 23, 58), ticking=False)
        tabs = QTabWidget()
        qtbot.addWidget(tabs)
        w = ComplaintTab()
        tabs.addTab(w, w.title())
        tabs.show()
        settle(qtbot, w)
        qtbot.waitUntil(lambda: w.alerts is not None)
        model = w.table.model
        due = model.index(0, column(model, "due_on"))
        assert w.alerts.overdue == 0 and "今天到期" in model.data(due)
        assert tabs.tabText(0) == "投诉工单"
        clock.pin(datetime(2026, 10, 1, 0, 1), ticking=False)
        w.look_again()  # what the banner's minute timer does
        qtbot.waitUntil(lambda: w.alerts.overdue == 1, timeout=5000)
        assert "已逾期 1 件" in w.banner.text()
        assert tabs.tabText(0) == "投诉工单（逾期 1）"
        assert model.data(due, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_TEXT
        assert w.table.poll()  # the rows on screen are read again: the day is part of the fingerprint
        qtbot.waitUntil(lambda: "逾期 1 天" in (model.data(model.index(0, column(model, "due_on"))) or ""),
                        timeout=5000)
    finally:
        clock.unpin()


def test_the_administrator_reads_a_gbk_csv_of_the_notice_with_ctrl_o(configured, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from frontdesk.services import holidays
    from frontdesk.ui.complaints.holidays_dialog import HolidaysDialog

    notice = tmp_path / "2027年节假日.csv"
    notice.write_bytes("2027-01-01,休,元旦\r\n2027-02-06~2027-02-12,休,春节\r\n2027-02-14,班,春节\r\n".encode("gbk"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(notice), "")))
    clock.pin(datetime(2026, 12, 24, 10, 0), ticking=False)
    try:
        dialog = HolidaysDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.text, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        assert dialog.text.toPlainText().splitlines()[0] == "2027-01-01,休,元旦"  # read, not yet saved
        assert dialog.source.text() == "2027年节假日.csv" and not [e for e in holidays.entries() if e.day.year == 2027]
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "已处理 9 天" in dialog.message.text(), timeout=5000)
        days = {e.day.isoformat(): (e.kind, e.name, e.source) for e in holidays.entries() if e.day.year == 2027}
        assert days["2027-02-14"] == (holidays.WORKDAY, "春节", "2027年节假日.csv") and len(days) == 9
        dialog.close()
    finally:
        clock.unpin()


def test_the_ticket_opens_its_visit_editable_or_read_only_as_the_register_does(kinds, monday, qtbot, sign_in_as):
    from frontdesk.services import visitors
    from frontdesk.ui.visitors.form_dialog import VisitFormDialog

    bts, dests = kinds
    visit = visitors.register(visitors.VisitInput(business_type_id=bts["投诉"], destination_id=dests["客户接待室"],
                                                  customer_name="陈女士", phone="13755556666"))
    row = complaints.create(ticket(visit_id=visit.id, customer_name="陈女士"))
    plain = open_detail(qtbot, complaints.create(ticket()).id)
    assert plain.visit_button.isHidden()
    plain.close()

    for role, read_only in ((session.DUTY_MANAGER, False), (session.FRONT_DESK, True)):
        sign_in_as(role)
        dialog = open_detail(qtbot, row.id)
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        assert not dialog.visit_button.isHidden() and f"#{visit.id}" in dialog.visit_button.text()
        assert "来访记录" not in dialog.summary.text()
        qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        opened = modal(qtbot, VisitFormDialog)
        assert opened.visit_id == visit.id and opened.read_only is read_only
        assert opened.save_button.isHidden() is read_only
        qtbot.keyClick(opened, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda d=dialog: d.visit_dialog is None, timeout=5000)
        assert dialog.focusWidget() is dialog.visit_button
        qtbot.keyClick(dialog.visit_button, Qt.Key.Key_Space)  # the button itself, reached by Tab
        opened = modal(qtbot, VisitFormDialog)
        qtbot.keyClick(opened, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda d=dialog: d.visit_dialog is None, timeout=5000)
        dialog.close()


def test_the_administrator_deletes_copied_days_and_fills_a_year_from_the_library(configured, qtbot, sign_in_as):
    from frontdesk.services import holidays
    from frontdesk.ui.complaints.holidays_dialog import HolidaysDialog

    clock.pin(MONDAY, ticking=False)
    try:
        sign_in_as(session.ADMIN, "boss")
        row = complaints.create(ticket())
        assert row.internal_due.isoformat() == "2026-10-13"
        dialog = HolidaysDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        qtbot.waitUntil(lambda: "2026-10-01　休　国庆节　chinesecalendar" in dialog.known.toPlainText(), timeout=5000)
        dialog.days.setFocus()
        qtbot.keyClicks(dialog.days, "2026-10-32")
        qtbot.keyClick(dialog.days, Qt.Key.Key_Return)
        assert "请输入日期" in dialog.errors.message("days")
        dialog.days.selectAll()
        qtbot.keyClicks(dialog.days, "2026-10-06~2026-10-07")
        qtbot.keyClick(dialog.days, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "已处理 2 天；1 张" in dialog.message.text(), timeout=5000)
        qtbot.waitUntil(lambda: "2026-10-06" not in dialog.known.toPlainText(), timeout=5000)
        assert complaints.get_complaint(row.id).row.internal_due.isoformat() == "2026-10-10"
        holidays.remove_year(2026)  # as if the table had never had 2026
        assert complaints.get_complaint(row.id).row.due_provisional
        qtbot.keyClick(dialog.days, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "1 张未办结工单" in dialog.message.text(), timeout=5000)
        qtbot.waitUntil(lambda: "2026-10-06　休" in dialog.known.toPlainText(), timeout=5000)
        fixed = complaints.get_complaint(row.id).row
        assert fixed.internal_due.isoformat() == "2026-10-13" and not fixed.due_provisional
    finally:
        clock.unpin()
