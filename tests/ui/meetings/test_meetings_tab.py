"""The meetings tab, driven from the keyboard as the duty manager holds the morning meeting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from frontdesk.db.models import AuditEntry
from frontdesk.services import clock, session, staff
from frontdesk.services import meetings as mt
from frontdesk.services.staff import StaffInput
from frontdesk.ui.meetings.meeting_dialog import MeetingDialog
from frontdesk.ui.meetings.tab import MeetingsTab
from tests.ui.register_helpers import type_chinese
from tests.ui.reports.test_print_preview import file_printer  # noqa: F401 - a fixture
from tests.ui.worker_helpers import settle

WEDNESDAY = datetime(2026, 11, 18, 8, 40)


@pytest.fixture
def people(configured):
    return [staff.add_staff(StaffInput(name, f"U{n}", "teller")).id
            for n, name in enumerate(("王芳", "李娜", "张伟", "刘洋"))]


@pytest.fixture
def tab(people, qtbot):
    with clock.pinned(WEDNESDAY):
        w = MeetingsTab()
        qtbot.addWidget(w)
        w.apply_role(session.current())
        w.resize(1300, 700)
        w.show()
        settle(qtbot)
        qtbot.waitUntil(lambda: w.table.model.settled)
        yield w


def modal(qtbot, kind):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=5000)
    return QApplication.activeModalWidget()


def open_today(qtbot, tab: MeetingsTab) -> MeetingDialog:
    qtbot.keyClick(tab.table.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = modal(qtbot, MeetingDialog)
    settle(qtbot)
    return dialog


def type_time(qtbot, edit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def test_ctrl_n_opens_todays_morning_meeting_with_the_roster(tab, qtbot, people):
    dialog = open_today(qtbot, tab)
    assert dialog.meeting.row.kind == mt.MORNING and dialog.meeting.row.day == WEDNESDAY.date()
    assert dialog.table.rowCount() == len(people) and dialog.table.hasFocus()
    assert dialog.sections.tabText(0) == "表扬"
    assert dialog.counts.text().startswith(f"应到 {len(people)}　出席 {len(people)}")
    dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None)
    settle(qtbot)
    again = open_today(qtbot, tab)
    assert again.meeting.row.id == dialog.meeting.row.id
    assert mt.count_meetings(mt.MeetingQuery(WEDNESDAY.date(), WEDNESDAY.date())) == 1


def test_the_roster_is_ticked_from_the_keyboard_and_the_meeting_finalised(tab, qtbot, people):
    dialog = open_today(qtbot, tab)
    table = dialog.table
    qtbot.keyClick(table, Qt.Key.Key_P)  # 王芳 present
    qtbot.keyClick(table, Qt.Key.Key_L)  # 李娜 late: the minutes
    assert dialog.late_minutes.hasFocus()
    qtbot.keyClicks(dialog.late_minutes, "7")
    qtbot.keyClick(dialog.late_minutes, Qt.Key.Key_Return)
    assert table.hasFocus() and table.currentRow() == 2
    qtbot.keyClick(table, Qt.Key.Key_V)  # 张伟 on leave: the kind
    assert dialog.leave_kind.hasFocus()
    qtbot.keyClick(dialog.leave_kind, Qt.Key.Key_Down)  # 病假
    qtbot.keyClick(dialog.leave_kind, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_A)  # 刘洋 absent
    assert dialog.counts.text() == "应到 4　出席 1　迟到 1　缺席 1　请假 1"
    assert table.currentRow() == 3  # the last person: the selection stays
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_N)  # 李娜's grooming needs attention: the note
    assert dialog.grooming_note.hasFocus()
    type_chinese(dialog.grooming_note, "胸牌未佩戴")
    qtbot.keyClick(dialog.grooming_note, Qt.Key.Key_Return)
    type_chinese(dialog.section_edits[0], "王芳耐心安抚等候的老人")
    type_time(qtbot, dialog.start, "8:50")
    type_time(qtbot, dialog.end, "09:12")
    assert "开门前至少 15 分钟" in dialog.warning.text()  # 8:50 is later than 8:45
    assert "用时 22 分钟，超过计划的 20 分钟" in dialog.warning.text()
    qtbot.keyClick(dialog.end, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.meeting.row.status == mt.FINAL, timeout=5000)
    saved = mt.get_meeting(dialog.meeting.row.id)
    by_name = {a.staff_name: a for a in saved.attendance}
    assert by_name["李娜"].status == mt.LATE and by_name["李娜"].late_minutes == 7
    assert by_name["李娜"].grooming == mt.GROOMING_ATTENTION and by_name["李娜"].grooming_note == "胸牌未佩戴"
    assert by_name["张伟"].status == mt.LEAVE and by_name["张伟"].leave_kind == list(mt.LEAVE_KINDS)[1]
    assert by_name["刘洋"].status == mt.ABSENT and by_name["王芳"].status == mt.PRESENT
    assert saved.sections[0].text == "王芳耐心安抚等候的老人"
    assert (saved.row.started_at, saved.row.ended_at) == (time(8, 50), time(9, 12))
    assert not dialog.save_button.isEnabled() and dialog.reopen_button.isVisible()
    qtbot.keyClick(table, Qt.Key.Key_A)  # finalised: the keys change nothing
    assert dialog.attendance == list(saved.attendance)


def test_finalising_without_times_shows_the_message_at_the_field(tab, qtbot):
    dialog = open_today(qtbot, tab)
    type_time(qtbot, dialog.end, "8.5")
    qtbot.keyClick(dialog.end, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.errors.message("ended_at") == "请按 08:30 的格式填写时间。"
    assert dialog.end.text() == "8.5"  # nothing typed is lost
    dialog.end.clear()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.errors.message("started_at") != "", timeout=5000)
    assert dialog.errors.message("started_at") == "定稿前请填写开始时间。"
    assert mt.get_meeting(dialog.meeting.row.id).row.status == mt.DRAFT


def test_an_action_item_is_added_and_carried_to_the_next_day(tab, qtbot, people):
    dialog = open_today(qtbot, tab)
    dialog.action_text.setFocus()
    type_chinese(dialog.action_text, "补充宣传资料")
    qtbot.keyClick(dialog.action_text, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.actions.rowCount() == 1, timeout=5000)
    assert dialog.actions.item(0, 0).text() == "补充宣传资料"
    assert dialog.actions.item(0, 3).text() == "今日到期"
    qtbot.keyClick(dialog.action_text, Qt.Key.Key_Return)  # empty: refused at the field
    qtbot.waitUntil(lambda: dialog.errors.message("text") != "", timeout=5000)
    dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None)
    with clock.pinned(WEDNESDAY + timedelta(days=1)):
        next_day = mt.open_today()
    [carried] = next_day.carried
    assert carried.text == "补充宣传资料" and carried.overdue(date(2026, 11, 19))


def test_the_front_desk_reads_a_meeting_but_cannot_change_it(people, qtbot, sign_in_as):
    with clock.pinned(WEDNESDAY):
        meeting = mt.open_today()
    sign_in_as(session.FRONT_DESK, "guide1")
    with clock.pinned(WEDNESDAY):
        w = MeetingsTab()
        qtbot.addWidget(w)
        w.apply_role(session.current())
        w.show()
        assert not w.today_button.isEnabled()
        w.open_meeting(meeting.row.id)
        dialog = modal(qtbot, MeetingDialog)
        settle(qtbot)
        assert not dialog.save_button.isEnabled() and dialog.section_edits[0].isReadOnly()
        qtbot.keyClick(dialog.table, Qt.Key.Key_A)
        assert dialog.attendance == list(meeting.attendance)
        dialog.reject()


def test_the_list_filters_by_kind(tab, qtbot):
    with clock.pinned(WEDNESDAY):
        mt.create_meeting(mt.MORNING, WEDNESDAY.date())
        mt.create_meeting(mt.AFTER_SHIFT, WEDNESDAY.date())
        mt.create_meeting(mt.MORNING, WEDNESDAY.date() - timedelta(days=1))
    tab.table.refresh()
    qtbot.waitUntil(lambda: tab.table.model.rowCount() == 3, timeout=5000)
    tab.table.kind.setFocus()
    index = tab.table.kind.findData(mt.AFTER_SHIFT)
    for _step in range(index):
        qtbot.keyClick(tab.table.kind, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: tab.table.model.rowCount() == 1, timeout=5000)
    model = tab.table.model
    assert model.data(model.index(0, 1)) == "班后会"


def test_enter_opens_a_meeting_from_the_list_and_the_model_passes_the_tester(tab, qtbot, qtmodeltester):
    with clock.pinned(WEDNESDAY):
        for n in range(3):
            mt.create_meeting(mt.MORNING, WEDNESDAY.date() - timedelta(days=n))
    tab.table.refresh()
    qtbot.waitUntil(lambda: tab.table.model.rowCount() == 3, timeout=5000)
    qtmodeltester.check(tab.table.model)
    tab.table.view.setFocus()
    tab.table.view.selectRow(1)
    qtbot.keyClick(tab.table.view, Qt.Key.Key_Return)
    dialog = modal(qtbot, MeetingDialog)
    assert dialog.meeting.row.day == WEDNESDAY.date() - timedelta(days=1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)


def test_ctrl_e_saves_the_protocol_pdf(tab, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from tests.reports.conftest import pdf_text, squeeze

    target = tmp_path / "纪要.pdf"
    asked = []

    def choose(parent, title, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    dialog = open_today(qtbot, tab)
    assert not dialog.print_button.isEnabled()  # a draft is not printed as a protocol
    qtbot.keyClick(dialog.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: target.exists() and "已保存纪要" in dialog.message.text(), timeout=10_000)
    assert asked == ["晨会纪要-2026-11-18.pdf"]
    text = squeeze(pdf_text(target))
    assert "晨会纪要" in text and all(a.staff_name in text for a in dialog.meeting.attendance)
    qtbot.waitUntil(lambda: AuditEntry.select().where(AuditEntry.action == "export").count() == 1)
    assert str(target) in AuditEntry.get(AuditEntry.action == "export").detail


def _finalised_today(people) -> mt.MeetingDetail:
    with clock.pinned(WEDNESDAY):
        meeting = mt.open_today()
        a = meeting.attendance
        late = (mt.AttendanceRow(a[0].staff_id, a[0].staff_name, grooming=mt.GROOMING_ATTENTION, grooming_note="工牌歪斜"),
                mt.AttendanceRow(a[1].staff_id, a[1].staff_name, mt.LATE, 6), *a[2:])
        saved = mt.update_meeting(meeting.row.id, meeting.row.version, mt.MeetingInput(
            time(8, 30), time(8, 50), people[0], meeting.sections, late, meeting.numbers))
        mt.add_action(saved.row.id, "更新利率公告", people[2], WEDNESDAY.date())
        return mt.finalise(saved.row.id, saved.row.version)


def test_ctrl_p_prints_a_finalised_meeting_on_one_page_and_audits_it(tab, qtbot, people, file_printer):  # noqa: F811
    from PySide6.QtPrintSupport import QPrintDialog

    from tests.reports.conftest import page_count, squeeze

    final = _finalised_today(people)
    tab.open_meeting(final.row.id)
    dialog = modal(qtbot, MeetingDialog)
    settle(qtbot)
    assert dialog.print_button.isEnabled()
    qtbot.keyClick(dialog.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(dialog.printing, QPrintDialog), timeout=20_000)
    print_dialog = dialog.printing
    qtbot.waitExposed(print_dialog)
    qtbot.keyClick(print_dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "纪要已发送到打印机" in dialog.message.text(), timeout=20_000)
    assert page_count(file_printer) == 1
    qtbot.waitUntil(lambda: AuditEntry.select().where(AuditEntry.action == "print").count() == 1)
    entry = AuditEntry.get(AuditEntry.action == "print")
    assert entry.entity == "meeting" and entry.entity_id == final.row.id
    assert "2026-11-18 晨会纪要" in entry.detail and str(file_printer) in entry.detail and "1 页" in entry.detail
    # what went to paper is the protocol as a picture: the PDF printed holds no text, so read the source
    text = squeeze(pdf_text_of_protocol(final.row.id))
    assert "【迟到】李娜（6分钟）" in text and "更新利率公告" in text and "工牌歪斜" not in text  # praise only


def pdf_text_of_protocol(meeting_id: int) -> str:
    import tempfile
    from pathlib import Path

    from frontdesk.ui.meetings.protocol import protocol_pdf
    from tests.reports.conftest import pdf_text

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.pdf"
        path.write_bytes(protocol_pdf(meeting_id))
        return pdf_text(path)


def test_ctrl_shift_p_previews_the_protocol_and_looking_is_not_printing(tab, qtbot, people):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    final = _finalised_today(people)
    tab.open_meeting(final.row.id)
    dialog = modal(qtbot, MeetingDialog)
    settle(qtbot)
    qtbot.keyClick(dialog.table, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(dialog.printing, QPrintPreviewDialog), timeout=20_000)
    preview = dialog.printing
    qtbot.waitExposed(preview)
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == 1, timeout=10_000)
    assert "晨会纪要 2026-11-18" in preview.windowTitle()
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.printing is None)
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 0


def test_the_administrator_edits_the_template_and_the_settings(tab, qtbot, people):
    from frontdesk.db.models import AuditEntry
    from frontdesk.ui.meetings.template_dialog import MeetingTemplatesDialog

    def entries() -> int:
        return AuditEntry.select().where(AuditEntry.entity.in_(("meeting_template", "meeting_config"))).count()

    before = entries()
    assert tab.templates_button.isVisible()
    qtbot.mouseClick(tab.templates_button, Qt.MouseButton.LeftButton)
    dialog = modal(qtbot, MeetingTemplatesDialog)
    qtbot.waitUntil(lambda: dialog.titles.toPlainText().startswith("表扬"), timeout=5000)
    dialog.titles.setFocus()
    qtbot.keyClick(dialog.titles, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.titles, Qt.Key.Key_Return)
    type_chinese(dialog.titles, "表扬")  # a second 表扬: refused at the box, nothing lost
    qtbot.keyClick(dialog.titles, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.errors.message("titles") != "", timeout=5000)
    assert dialog.errors.message("titles") == "栏目名称不能重复。"
    assert dialog.titles.toPlainText().endswith("今日重点\n表扬")
    qtbot.keyClick(dialog.titles, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.titles, Qt.Key.Key_Backspace)
    type_chinese(dialog.titles, "安全提示")
    dialog.lead.setFocus()
    dialog.lead.selectAll()
    qtbot.keyClicks(dialog.lead, "30")
    qtbot.keyClick(dialog.lead, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.message.text() == "已保存。", timeout=5000)
    assert [s.title for s in mt.template(mt.MORNING)][-1] == "安全提示"
    assert mt.config().lead_minutes == 30
    assert entries() == before + 1  # the sections and the setting: one command, one entry
    dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None)
    meeting = open_today(qtbot, tab)
    assert meeting.sections.tabText(meeting.sections.count() - 1) == "安全提示"
    assert meeting.meeting.row.planned_start == time(8, 30)


def test_the_duty_manager_does_not_see_the_template_button(people, qtbot, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    w = MeetingsTab()
    qtbot.addWidget(w)
    w.apply_role(session.current())
    w.show()
    assert not w.templates_button.isVisible() and w.today_button.isEnabled()


def test_a_section_becomes_a_teaching_case_found_in_the_case_book_and_exported(tab, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from frontdesk.ui.meetings.case_book import CaseBookDialog, CaseInputDialog
    from tests.reports.conftest import pdf_text, squeeze

    dialog = open_today(qtbot, tab)
    dialog.sections.setCurrentIndex(0)
    type_chinese(dialog.section_edits[0], "王芳耐心安抚等候四十分钟的老人，客户当场表扬")
    qtbot.keyClick(dialog.section_edits[0], Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    flag = modal(qtbot, CaseInputDialog)
    flag.activateWindow()  # as a window manager does (offscreen has none)
    qtbot.waitUntil(flag.isActiveWindow)
    assert flag.tags.text() == "表扬" and "老人" in flag.situation.toPlainText()
    qtbot.keyClick(flag.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # no title yet
    qtbot.waitUntil(lambda: flag.errors.message("title") != "", timeout=5000)
    type_chinese(flag.title_edit, "安抚久等的老人")
    qtbot.keyClick(flag.title_edit, Qt.Key.Key_Tab)  # the situation: from the section
    assert flag.situation.hasFocus()
    qtbot.keyClick(flag.situation, Qt.Key.Key_Tab)
    type_chinese(flag.handling, "引至休息区，送水")
    qtbot.keyClick(flag.handling, Qt.Key.Key_Tab)
    type_chinese(flag.lesson, "先处理情绪")
    qtbot.keyClick(flag.lesson, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已记为典型案例" in dialog.message.text(), timeout=5000)
    [case] = mt.cases()
    assert case.title == "安抚久等的老人" and case.meeting_id == dialog.meeting.row.id
    assert (case.handling, case.lesson, case.tags) == ("引至休息区，送水", "先处理情绪", ("表扬",))
    dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None)
    with clock.pinned(WEDNESDAY):
        mt.add_case(mt.CaseInput("叫号机故障", "叫号机无法出票，改为人工发号。", tags="设备"))
    qtbot.mouseClick(tab.cases_button, Qt.MouseButton.LeftButton)
    book = modal(qtbot, CaseBookDialog)
    qtbot.waitUntil(lambda: book.list.count() == 2, timeout=5000)
    type_chinese(book.search, "先处理情绪")  # the lesson is searched too
    qtbot.waitUntil(lambda: book.list.count() == 1, timeout=5000)
    assert "王芳耐心安抚" in book.view.toPlainText() and "【启示】\n先处理情绪" in book.view.toPlainText()
    book.search.clear()
    type_chinese(book.search, "表扬")  # and the tags
    qtbot.waitUntil(lambda: book.list.count() == 1 and "先处理情绪" in book.view.toPlainText(), timeout=5000)
    target = tmp_path / "案例.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    qtbot.keyClick(book.search, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已导出" in book.message.text(), timeout=10_000)
    text = squeeze(pdf_text(target))
    assert "典型案例汇编" in text and "安抚久等的老人" in text and "叫号机故障" not in text  # as found
    assert "处理：引至休息区，送水" in text and "启示：先处理情绪" in text


def test_the_open_items_across_meetings_overdue_first_closed_with_ctrl_d(tab, qtbot, people):
    from frontdesk.ui.meetings.open_items import OpenItemsDialog

    day = WEDNESDAY.date()
    with clock.pinned(WEDNESDAY - timedelta(days=2)):
        older = mt.create_meeting(mt.MORNING, day - timedelta(days=2))
        late = mt.add_action(older.row.id, "更换过期公告", people[0], day - timedelta(days=1))
    with clock.pinned(WEDNESDAY):
        today = mt.open_today()
        due = mt.add_action(today.row.id, "补充单证", people[1], day)
        done = mt.add_action(today.row.id, "已办完的事", None, None)
        mt.close_action(done.id, done)
    tab.refresh_open_actions()
    qtbot.waitUntil(lambda: tab.open_label.text() == "未完成待办 2 项（今日到期 1，已逾期 1）", timeout=5000)
    qtbot.mouseClick(tab.items_button, Qt.MouseButton.LeftButton)
    dialog = modal(qtbot, OpenItemsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    rows = [[dialog.table.item(r, c).text() for c in range(6)] for r in range(2)]
    assert rows[0][0] == "更换过期公告" and rows[0][4] == "2" and rows[0][5] == "已逾期"
    assert rows[1][0] == "补充单证" and rows[1][5] == "今日到期"
    qtbot.keyClick(dialog.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert [a.id for a in mt.open_actions(day)] == [due.id]
    assert late.id not in {a.id for a in mt.open_actions(day)}


def test_a_case_is_edited_from_the_book_with_the_keyboard(tab, qtbot):
    from frontdesk.ui.meetings.case_book import CaseBookDialog, CaseInputDialog

    with clock.pinned(WEDNESDAY):
        case = mt.add_case(mt.CaseInput("叫号机故障", "叫号机无法出票。", "改为人工发号。", tags="设备"))
    qtbot.mouseClick(tab.cases_button, Qt.MouseButton.LeftButton)
    book = modal(qtbot, CaseBookDialog)
    qtbot.waitUntil(lambda: book.list.count() == 1, timeout=5000)
    book.activateWindow()
    qtbot.waitUntil(book.isActiveWindow)
    qtbot.keyClick(book.search, Qt.Key.Key_Down)
    assert book.list.hasFocus()
    qtbot.keyClick(book.list, Qt.Key.Key_Return)
    edit = modal(qtbot, CaseInputDialog)
    edit.activateWindow()  # as a window manager does (offscreen has none)
    qtbot.waitUntil(edit.isActiveWindow)
    assert edit.handling.toPlainText() == "改为人工发号。" and edit.tags.text() == "设备"
    edit.lesson.setFocus()
    type_chinese(edit.lesson, "设备故障预案人人熟悉")
    qtbot.keyClick(edit.lesson, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "设备故障预案" in book.view.toPlainText(), timeout=5000)
    [saved] = mt.cases()
    assert saved.lesson == "设备故障预案人人熟悉" and saved.version == case.version + 1
    book.reject()


def _select_in_list(qtbot, tab: MeetingsTab, meeting_id: int) -> None:
    model = tab.table.model

    def position() -> int | None:
        rows = (model.row_at(n) for n in range(model.rowCount()))
        return next((n for n, r in enumerate(rows) if r is not None and r.id == meeting_id), None)

    tab.table.refresh()
    qtbot.waitUntil(lambda: position() is not None, timeout=5000)
    tab.table.view.setFocus()
    tab.table.view.selectRow(position())


def test_ctrl_p_on_the_list_prints_the_selected_finalised_meeting(tab, qtbot, people, file_printer):  # noqa: F811
    from PySide6.QtPrintSupport import QPrintDialog

    from tests.reports.conftest import page_count

    with clock.pinned(WEDNESDAY):
        draft = mt.create_meeting(mt.AFTER_SHIFT, WEDNESDAY.date())
    final = _finalised_today(people)
    _select_in_list(qtbot, tab, draft.row.id)
    qtbot.keyClick(tab.table.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "请先定稿" in tab.message.text())
    assert tab.printing is None and tab.dialog is None  # a draft is not a protocol; no dialog opened
    _select_in_list(qtbot, tab, final.row.id)
    qtbot.keyClick(tab.table.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(tab.printing, QPrintDialog), timeout=20_000)
    print_dialog = tab.printing
    qtbot.waitExposed(print_dialog)
    qtbot.keyClick(print_dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "纪要已发送到打印机" in tab.message.text(), timeout=20_000)
    assert page_count(file_printer) == 1
    qtbot.waitUntil(lambda: AuditEntry.select().where(AuditEntry.action == "print").count() == 1)
    entry = AuditEntry.get(AuditEntry.action == "print")
    assert entry.entity == "meeting" and entry.entity_id == final.row.id and "1 页" in entry.detail
    qtbot.waitUntil(lambda: tab.printing is None)


def test_ctrl_shift_p_and_ctrl_e_on_the_list_preview_and_save_the_protocol(tab, qtbot, people, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
    from PySide6.QtWidgets import QFileDialog

    from tests.reports.conftest import pdf_text, squeeze

    final = _finalised_today(people)
    _select_in_list(qtbot, tab, final.row.id)
    qtbot.keyClick(tab.table.view, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(tab.printing, QPrintPreviewDialog), timeout=20_000)
    preview = tab.printing
    qtbot.waitExposed(preview)
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == 1, timeout=10_000)
    assert "晨会纪要 2026-11-18" in preview.windowTitle()
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tab.printing is None)
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 0

    target = tmp_path / "纪要.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(target), "")))
    tab.table.view.setFocus()
    qtbot.keyClick(tab.table.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: target.exists() and "已保存纪要" in tab.message.text(), timeout=10_000)
    assert "【迟到】李娜（6分钟）" in squeeze(pdf_text(target))
    qtbot.waitUntil(lambda: AuditEntry.select().where(AuditEntry.action == "export").count() == 1)


def test_the_form_of_a_reopened_meeting_names_each_amendment(tab, qtbot, people):
    final = _finalised_today(people)
    with clock.pinned(WEDNESDAY + timedelta(hours=1)):
        draft = mt.reopen(final.row.id, final.row.version, "补记迟到人员")
        mt.finalise(draft.row.id, draft.row.version)
    tab.open_meeting(final.row.id)
    dialog = modal(qtbot, MeetingDialog)
    settle(qtbot)
    assert dialog.amendments.isVisible()
    assert dialog.amendments.text().startswith("修订记录：2026-11-18 09:40 ")
    assert dialog.amendments.text().endswith("重新打开：补记迟到人员")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
