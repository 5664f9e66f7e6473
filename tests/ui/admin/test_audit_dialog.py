"""The audit-log viewer: real entries from real service calls, filters, paging, the chain's check."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from frontdesk.db.database import current_database, write_transaction
from frontdesk.errors import PermissionDeniedError
from frontdesk.services import audit, clock, session, visitors
from frontdesk.services.audit import AuditFilter
from frontdesk.ui.admin.audit_dialog import PAGE_SIZE, AuditLogDialog, AuditTableModel
from frontdesk.ui.kit.common import ERROR_STYLE
from tests.services.test_audit_view import NEW_PHONE, PHONE, register

COL_SEQ, COL_AT, COL_WHO, COL_STATION, COL_ACTION, COL_TITLE, COL_CONTENT = range(7)


def change_phone(visit_id: int) -> None:
    detail = visitors.get_visit(visit_id)
    visitors.update(visit_id, replace(detail.to_input(), phone=NEW_PHONE, notes="客户要求回电"), detail)


def settle(qtbot, dialog: AuditLogDialog) -> None:
    qtbot.waitUntil(lambda: dialog.settled, timeout=10_000)


@pytest.fixture
def open_dialog(qtbot):
    def open_(**kw) -> AuditLogDialog:
        dialog = AuditLogDialog(**kw)
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot, dialog)
        return dialog

    return open_


def cell(dialog: AuditLogDialog, row: int, column: int) -> str:
    return dialog.model.data(dialog.model.index(row, column))


def column(dialog: AuditLogDialog, col: int) -> list[str]:
    return [cell(dialog, row, col) for row in range(dialog.model.rowCount())]


def seqs(dialog: AuditLogDialog) -> list[int]:
    return [int(s) for s in column(dialog, COL_SEQ)]


def choose(qtbot, dialog: AuditLogDialog, combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    settle(qtbot, dialog)


def click(qtbot, dialog: AuditLogDialog, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog)


def select_row(qtbot, dialog: AuditLogDialog, row: int) -> None:
    rect = dialog.table.visualRect(dialog.model.index(row, COL_ACTION))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def every_text(dialog: AuditLogDialog) -> str:
    """Whatever the dialog can show: labels, fields, lists, buttons, tooltips and every cell."""
    texts = [dialog.windowTitle()]
    for widget in dialog.findChildren(QWidget):
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
    model = dialog.model
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                texts.append(str(model.data(model.index(row, col), role) or ""))
    return "\n".join(texts)


def test_shows_the_entries_of_real_service_calls_newest_first(kinds, open_dialog):
    row = register(kinds)
    change_phone(row.id)
    visitors.void(row.id, "重复登记")
    dialog = open_dialog()

    assert "审计日志" in dialog.windowTitle()
    headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["序号", "时间", "用户", "工作站", "操作", "记录", "内容"]
    total = audit.count(AuditFilter())
    assert dialog.model.rowCount() == total and dialog.count_label.text() == f"共 {total} 条"
    assert seqs(dialog) == sorted(seqs(dialog), reverse=True)
    assert column(dialog, COL_ACTION)[:3] == ["作废", "修改", "新建"]
    assert column(dialog, COL_TITLE)[:3] == [f"来访 #{row.id}"] * 3
    assert cell(dialog, 0, COL_WHO) == "管理员（admin）"
    assert cell(dialog, 0, COL_CONTENT).startswith("作废原因 （空） → 重复登记")
    assert cell(dialog, 1, COL_CONTENT).startswith("电话 138****5678 → 139****5432")
    newest = audit.entries(AuditFilter(), limit=1)[0]
    assert cell(dialog, 0, COL_AT) == newest.at.strftime("%Y-%m-%d %H:%M:%S")
    assert cell(dialog, 0, COL_STATION) == newest.station and newest.station
    # Opened on the last seven days.
    f = dialog.current_filter()
    assert (f.date_to - f.date_from).days == 6 and f.date_to == clock.today()


def test_the_detail_pane_shows_every_change_with_the_phone_masked(kinds, open_dialog, qtbot):
    row = register(kinds, special_needs=frozenset({"elderly", "pregnant"}))
    change_phone(row.id)
    visitors.reveal_phone(row.id)
    dialog = open_dialog()
    assert dialog.detail.toPlainText() == ""

    update = column(dialog, COL_ACTION).index("修改")
    select_row(qtbot, dialog, update)
    text = dialog.detail.toPlainText()
    assert "电话：138****5678 → 139****5432" in text.splitlines()
    assert "备注：（空） → 客户要求回电" in text.splitlines()
    assert f"记录：来访 #{row.id}" in text

    select_row(qtbot, dialog, column(dialog, COL_ACTION).index("新建"))
    created = dialog.detail.toPlainText().splitlines()
    assert "特殊客户：（空） → 老年人、孕妇" in created
    assert "电话：（空） → 138****5678" in created

    select_row(qtbot, dialog, 0)  # the look at the full number: one line
    assert f"管理员 查看了 来访 #{row.id} 的完整电话" in dialog.detail.toPlainText()

    shown = every_text(dialog)
    assert "138****5678" in shown
    assert PHONE not in shown and NEW_PHONE not in shown


def test_filters_by_user_kind_record_and_action(kinds, open_dialog, qtbot, sign_in_as):
    first = register(kinds)
    sign_in_as(session.DUTY_MANAGER, "lina", "李娜")
    second = register(kinds, phone="")
    change_phone(second.id)
    dialog = open_dialog()
    everything = dialog.model.rowCount()
    assert dialog.user_combo.findData("lina") > 0 and dialog.user_combo.findData("admin") > 0

    choose(qtbot, dialog, dialog.user_combo, "lina")
    assert dialog.model.rowCount() == audit.count(AuditFilter(username="lina")) < everything
    assert set(column(dialog, COL_WHO)) == {"李娜（lina）"}
    choose(qtbot, dialog, dialog.user_combo, "")

    choose(qtbot, dialog, dialog.entity_combo, "visit")
    assert set(column(dialog, COL_TITLE)) == {f"来访 #{first.id}", f"来访 #{second.id}"}
    assert dialog.record_edit.isEnabled()
    dialog.record_edit.setFocus()
    qtbot.keyClicks(dialog.record_edit, f"{second.id}x")  # digits only
    assert dialog.record_edit.text() == str(second.id)
    qtbot.keyClick(dialog.record_edit, Qt.Key.Key_Return)
    settle(qtbot, dialog)
    assert column(dialog, COL_TITLE) == [f"来访 #{second.id}"] * 2
    assert column(dialog, COL_ACTION) == ["修改", "新建"]

    choose(qtbot, dialog, dialog.action_combo, "update")
    assert column(dialog, COL_ACTION) == ["修改"]
    assert dialog.count_label.text() == "共 1 条"

    choose(qtbot, dialog, dialog.entity_combo, "")
    assert not dialog.record_edit.isEnabled()  # a number alone names no record
    assert dialog.current_filter() == AuditFilter(
        date_from=dialog.current_filter().date_from, date_to=clock.today(), action="update")
    assert dialog.model.rowCount() == 1


def test_a_record_number_applies_after_a_short_pause(kinds, open_dialog, qtbot):
    row = register(kinds)
    register(kinds)
    dialog = open_dialog()
    choose(qtbot, dialog, dialog.entity_combo, "visit")
    assert dialog.model.rowCount() == 2
    dialog.record_edit.setFocus()
    qtbot.keyClicks(dialog.record_edit, str(row.id))
    settle(qtbot, dialog)  # no Enter: the pause applies it
    assert column(dialog, COL_TITLE) == [f"来访 #{row.id}"]


def test_dates_narrow_the_rows(kinds, open_dialog, qtbot, monkeypatch):
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(days=20))
    old = register(kinds)
    monkeypatch.setattr(clock, "now", real_now)
    recent = register(kinds)
    dialog = open_dialog(entity="visit")

    # Opened on one kind of record: all dates.
    assert dialog.all_dates.isChecked() and not dialog.date_from.isEnabled()
    assert set(column(dialog, COL_TITLE)) == {f"来访 #{old.id}", f"来访 #{recent.id}"}

    click(qtbot, dialog, dialog.week_button)
    assert not dialog.all_dates.isChecked() and dialog.date_from.isEnabled()
    assert column(dialog, COL_TITLE) == [f"来访 #{recent.id}"]
    click(qtbot, dialog, dialog.month_button)
    assert column(dialog, COL_TITLE) == [f"来访 #{recent.id}", f"来访 #{old.id}"]
    click(qtbot, dialog, dialog.today_button)
    assert dialog.current_filter().date_from == clock.today()
    assert column(dialog, COL_TITLE) == [f"来访 #{recent.id}"]

    # A range typed into the date fields: only the old day.
    day = (real_now() - timedelta(days=20)).date()
    dialog.date_from.setDate(day)
    dialog.date_to.setDate(day)
    settle(qtbot, dialog)
    assert column(dialog, COL_TITLE) == [f"来访 #{old.id}"]

    dialog.all_dates.click()
    settle(qtbot, dialog)
    assert dialog.current_filter().date_from is None and dialog.current_filter().date_to is None
    assert dialog.model.rowCount() == 2


def test_opened_on_one_record_shows_its_whole_story(kinds, open_dialog, monkeypatch):
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() - timedelta(days=400))
    row = register(kinds)
    monkeypatch.setattr(clock, "now", real_now)
    register(kinds)
    visitors.void(row.id, "登记错误")

    dialog = open_dialog(entity="visit", entity_id=row.id)
    f = dialog.current_filter()
    assert (f.entity, f.entity_id, f.date_from, f.date_to) == ("visit", row.id, None, None)
    assert dialog.record_edit.text() == str(row.id)
    assert column(dialog, COL_ACTION) == ["作废", "新建"]
    assert dialog.count_label.text() == "共 2 条"


def many_entries(count: int) -> None:
    with write_transaction():
        for n in range(count):
            audit.record("export", entity="database", detail=f"第 {n} 份导出")


def test_pages_of_200_are_fetched_as_the_user_scrolls(configured, open_dialog, qtbot, monkeypatch):
    from frontdesk.services import audit_view

    many_entries(450)
    pages: list[int] = []
    real_next = audit_view.next_page

    def counting(f, after, limit):
        pages.append(after.seq)
        return real_next(f, after, limit)

    monkeypatch.setattr(audit_view, "next_page", counting)
    dialog = open_dialog()
    total = audit.count(AuditFilter())
    assert total > 450
    assert dialog.count_label.text() == f"共 {total} 条"
    assert dialog.model.rowCount() == PAGE_SIZE and pages == []
    assert dialog.model.canFetchMore()

    bar = dialog.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle(qtbot, dialog)
    assert dialog.model.rowCount() == 2 * PAGE_SIZE and len(pages) == 1
    bar.setValue(bar.maximum())
    settle(qtbot, dialog)
    assert dialog.model.rowCount() == total and not dialog.model.canFetchMore()
    assert seqs(dialog) == list(range(total, 0, -1))  # every entry once, newest first
    bar.setValue(bar.maximum())
    settle(qtbot, dialog)
    assert len(pages) == 2


def test_the_chain_check_reports_intact_then_the_broken_entry(kinds, open_dialog, qtbot):
    register(kinds)
    dialog = open_dialog()
    click(qtbot, dialog, dialog.verify_button)
    entries = audit.count(AuditFilter())
    assert dialog.verify_label.text() == f"审计链完整：{entries} 条"
    assert ERROR_STYLE not in dialog.verify_label.styleSheet()

    current_database().execute_sql("UPDATE audit_entry SET detail='x' WHERE seq=3")
    click(qtbot, dialog, dialog.verify_button)
    assert "第 3 条" in dialog.verify_label.text()
    assert dialog.verify_label.styleSheet() == ERROR_STYLE
    assert dialog.verify_button.isEnabled()


def test_the_front_desk_is_refused(configured, open_dialog, sign_in_as, qtbot):
    sign_in_as(session.FRONT_DESK, "wangfang", "王芳")
    with pytest.raises(PermissionDeniedError):
        audit.entries(AuditFilter())

    dialog = open_dialog()
    assert dialog.message.isVisible()
    assert "没有权限查看审计日志" in dialog.message.text()
    assert dialog.model.rowCount() == 0 and dialog.user_combo.count() == 1
    click(qtbot, dialog, dialog.verify_button)
    assert "没有权限查看审计日志" in dialog.verify_label.text()


def test_a_duty_manager_may_read_the_trail(kinds, open_dialog, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "lina")
    register(kinds)
    dialog = open_dialog()
    assert not dialog.message.isVisible()
    assert "新建" in column(dialog, COL_ACTION)


def test_the_model_passes_the_model_tester(configured, qtbot, qtmodeltester):
    many_entries(250)
    model = AuditTableModel()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(AuditFilter())
    assert model.rowCount() == PAGE_SIZE and model.columnCount() == 7
    qtmodeltester.check(model)  # asks for more rows: they arrive under its eye
    qtbot.waitUntil(lambda: model.settled, timeout=10_000)
    assert model.rowCount() == model.total
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(AuditFilter(action="export", entity="database"))
    assert model.rowCount() == PAGE_SIZE
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: model.settled, timeout=10_000)
    model.shutdown()
