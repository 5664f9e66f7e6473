"""The register table widget, driven as a user drives it: typing, clicking, Enter."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from frontdesk.services import clock, visitors
from frontdesk.ui.visitors.form_dialog import VisitFormDialog
from frontdesk.ui.visitors.register_table import RegisterTableWidget
from frontdesk.ui.visitors.table_model import COLUMNS
from frontdesk.ui.visitors.void_dialog import VoidVisitDialog
from tests.ui.register_helpers import insert_visits, list_ids, type_chinese
from tests.ui.worker_helpers import settle as settle_worker

NOW = datetime(2026, 11, 25, 18, 0, 0)  # a Wednesday
DAY = NOW.date()


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def widget(configured, frozen, qtbot):
    insert_visits(40, DAY, start=time(9, 0), step_seconds=300)
    insert_visits(5, DAY - timedelta(days=1), start=time(10, 0), customer_name="昨日客户")
    insert_visits(3, DAY - timedelta(days=20), start=time(10, 0), customer_name="上月客户")
    w = RegisterTableWidget()
    qtbot.addWidget(w)
    w.resize(1300, 600)
    w.show()
    settle(qtbot, w)
    return w


def settle(qtbot, w: RegisterTableWidget) -> None:
    qtbot.waitUntil(lambda: w.model.settled and not w._search_timer.isActive()
                    and not w._date_timer.isActive(), timeout=10_000)


def names(w: RegisterTableWidget) -> list[str]:
    col = next(n for n, c in enumerate(COLUMNS) if c.key == "customer_name")
    return [w.model.data(w.model.index(r, col)) for r in range(w.model.rowCount())]


def select_row(qtbot, w: RegisterTableWidget, row: int) -> None:
    w.view.setFocus()
    w.view.selectRow(row)
    qtbot.waitUntil(lambda: w.selected_visit_id() is not None)


def modal_dialog(qtbot, kind: type) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=5000)
    return QApplication.activeModalWidget()


def test_opens_on_today(widget):
    assert widget.date_from.date() == widget.date_to.date()
    assert widget.date_from.date().toPython() == DAY
    assert widget.model.rowCount() == 40
    assert widget.count_label.text() == "共 40 条"
    assert widget.view.verticalHeader().sectionResizeMode(0).name == "Fixed"


def test_search_filters_after_a_pause_in_typing(widget, qtbot):
    widget.search.setFocus()
    qtbot.keyClicks(widget.search, "A0001")
    # Typing is debounced: nothing is queried until the pause.
    assert widget.model.rowCount() == 40
    assert widget._search_timer.isActive()
    settle(qtbot, widget)
    assert names(widget) == [f"客户{n}" for n in range(10, 20)]  # tickets A00010 … A00019
    assert widget.count_label.text() == "共 10 条"
    widget.search.clear()
    type_chinese(widget.search, "客户3")
    settle(qtbot, widget)
    assert names(widget) == ["客户3"] + [f"客户{n}" for n in range(30, 40)]


def test_the_last_four_digits_of_the_phone_find_the_visitor(widget, qtbot):
    special = visitors.get_visit(widget.model.row_at(5).id)
    data = special.to_input()
    visitors.update(special.row.id, type(data)(**{**data.__dict__, "phone": "13877771234"}),
                    expected=special)
    widget.search.setFocus()
    qtbot.keyClicks(widget.search, "1234")
    settle(qtbot, widget)
    assert widget.model.rowCount() == 1
    phone_col = next(n for n, c in enumerate(COLUMNS) if c.key == "phone")
    assert widget.model.data(widget.model.index(0, phone_col)) == "138****1234"


def test_a_fragment_of_the_middle_finds_no_phone_and_the_hint_says_why(widget, qtbot):
    """The 尾号 search: the last four digits or the whole number (tests/safety has the attack)."""
    special = visitors.get_visit(widget.model.row_at(5).id)
    data = special.to_input()
    visitors.update(special.row.id, type(data)(**{**data.__dict__, "phone": "15593773779"}),
                    expected=special)
    assert "尾号" in widget.search.placeholderText()
    widget.search.setFocus()
    qtbot.keyClicks(widget.search, "9377")  # the middle of 155****3779: hidden, so never matched
    settle(qtbot, widget)
    assert widget.model.rowCount() == 0
    widget.search.clear()
    qtbot.keyClicks(widget.search, "15593773779")
    settle(qtbot, widget)
    assert widget.model.rowCount() == 1


def test_quick_ranges_and_business_type_and_status(widget, qtbot):
    qtbot.mouseClick(widget.quick_buttons["yesterday"], Qt.MouseButton.LeftButton)
    settle(qtbot, widget)
    assert set(names(widget)) == {"昨日客户"}
    qtbot.mouseClick(widget.quick_buttons["week"], Qt.MouseButton.LeftButton)
    settle(qtbot, widget)
    assert widget.date_from.date().toPython() == DAY - timedelta(days=DAY.weekday())
    assert widget.model.rowCount() == 45
    qtbot.mouseClick(widget.quick_buttons["month"], Qt.MouseButton.LeftButton)
    settle(qtbot, widget)
    assert widget.date_from.date().toPython() == DAY.replace(day=1)
    assert widget.model.rowCount() == 48
    qtbot.mouseClick(widget.quick_buttons["today"], Qt.MouseButton.LeftButton)
    settle(qtbot, widget)
    assert widget.model.rowCount() == 40

    bt = list_ids("business_type")["咨询"]
    widget.business_type.setCurrentIndex(widget.business_type.findData(bt))
    settle(qtbot, widget)
    assert 0 < widget.model.rowCount() < 40
    assert all(widget.model.row_at(r).business_type == "咨询" for r in range(widget.model.rowCount()))
    widget.business_type.setCurrentIndex(0)
    widget.status.setCurrentIndex(widget.status.findData(visitors.WAITING))
    settle(qtbot, widget)
    assert widget.model.rowCount() == 0
    assert widget.count_label.text() == "共 0 条"


def test_typing_a_date_range(widget, qtbot):
    widget.date_from.setFocus()
    widget.date_from.setSelectedSection(widget.date_from.Section.DaySection)
    qtbot.keyClicks(widget.date_from, "05")  # 2026-11-05
    settle(qtbot, widget)
    assert widget.date_from.date().toPython() == DAY.replace(day=5)
    assert widget.model.rowCount() == 48


def test_a_year_like_9999_cannot_be_typed_and_nothing_crashes(widget, qtbot):
    """Found before: 9999-12-31 in the date filter overflowed deep in the query (a crash)."""
    widget.date_to.setFocus()
    widget.date_to.setSelectedSection(widget.date_to.Section.YearSection)
    qtbot.keyClicks(widget.date_to, "9999")
    qtbot.keyClick(widget.date_to, Qt.Key.Key_Tab)
    settle(qtbot, widget)
    assert widget.date_to.date().year() <= 2099
    assert not widget.error_label.isVisible()
    assert widget.model.rowCount() >= 40


def test_edit_through_the_dialog_with_the_keyboard(widget, qtbot):
    select_row(qtbot, widget, 2)
    visit_id = widget.selected_visit_id()
    with qtbot.waitSignal(widget.visitsChanged, timeout=5000):
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
        dialog = modal_dialog(qtbot, VisitFormDialog)
        assert dialog.customer_name.text() == "客户2"
        dialog.customer_name.setFocus()
        dialog.customer_name.selectAll()
        type_chinese(dialog.customer_name, "张先生")
        dialog.served_by.setFocus()
        dialog.served_by.selectAll()
        qtbot.keyClicks(dialog.served_by, "Li")
        qtbot.keyClick(dialog.served_by, Qt.Key.Key_Return)  # Enter saves
        settle_worker(qtbot)  # the save runs on the database worker
    settle(qtbot, widget)
    assert visitors.get_visit(visit_id).row.customer_name == "张先生"
    assert visitors.get_visit(visit_id).row.served_by == "Li"
    assert widget.model.row_at(2).customer_name == "张先生"
    assert widget.selected_visit_id() == visit_id  # still selected after the refresh


def test_double_click_opens_the_dialog_and_escape_cancels(widget, qtbot):
    select_row(qtbot, widget, 0)
    rect = widget.view.visualRect(widget.model.index(0, 2))
    # A double click as a mouse makes it: press/release, then the double-click press/release.
    qtbot.mouseClick(widget.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(widget.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = modal_dialog(qtbot, VisitFormDialog)
    dialog.notes.setPlainText("不会保存")
    from tests.ui.widget_helpers import when_modal

    asked = []

    def discard(box) -> None:  # Esc with an edit asks first: the edit is thrown away on purpose
        asked.append(box.text())
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "放弃修改"), Qt.MouseButton.LeftButton)

    timer = when_modal(discard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: widget._dialog is None)
    timer.stop()
    assert asked
    assert visitors.get_visit(widget.model.row_at(0).id).row.notes == ""


def test_void_with_a_reason_hides_the_row_from_the_default_view(widget, qtbot):
    select_row(qtbot, widget, 3)
    visit_id = widget.selected_visit_id()
    assert widget.void_button.isEnabled()
    qtbot.mouseClick(widget.void_button, Qt.MouseButton.LeftButton)
    dialog = modal_dialog(qtbot, VoidVisitDialog)
    assert "客户3" in [label.text() for label in dialog.findChildren(type(widget.count_label))]

    # No reason: refused next to the field, the dialog stays.
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    settle_worker(qtbot)  # the save runs on the database worker
    assert dialog.isVisible()
    assert "作废原因" in dialog.errors.message("void_reason")
    assert visitors.get_visit(visit_id).row.status != visitors.VOIDED

    with qtbot.waitSignal(widget.visitsChanged, timeout=5000):
        type_chinese(dialog.reason, "重复登记")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        settle_worker(qtbot)  # the save runs on the database worker
    settle(qtbot, widget)
    assert visitors.get_visit(visit_id).row.status == visitors.VOIDED
    assert widget.model.rowCount() == 39
    assert "客户3" not in names(widget)

    # The 已作废 filter shows it, greyed and struck through, and it cannot be voided again.
    widget.status.setCurrentIndex(widget.status.findData(visitors.VOIDED))
    settle(qtbot, widget)
    assert names(widget) == ["客户3"]
    assert widget.model.data(widget.model.index(0, 0), Qt.ItemDataRole.FontRole).strikeOut()
    select_row(qtbot, widget, 0)
    assert not widget.void_button.isEnabled()
    assert widget.edit_button.isEnabled()


def test_delete_key_opens_the_void_dialog_and_cancel_keeps_the_visit(widget, qtbot):
    select_row(qtbot, widget, 1)
    qtbot.keyClick(widget.view, Qt.Key.Key_Delete)
    dialog = modal_dialog(qtbot, VoidVisitDialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: widget._dialog is None)
    settle(qtbot, widget)
    assert widget.model.rowCount() == 40


def test_refresh_shows_visits_registered_elsewhere(widget, qtbot):
    insert_visits(2, DAY, start=time(17, 0), customer_name="新客户")
    widget.refresh()
    settle(qtbot, widget)
    assert widget.model.rowCount() == 42
    assert names(widget)[-2:] == ["新客户", "新客户"]


def test_the_widget_renders_readably(widget, qtbot, tmp_path):
    image = widget.grab()
    assert image.width() >= 1300 and not image.isNull()
    header = widget.view.horizontalHeader()
    phone = next(n for n, c in enumerate(COLUMNS) if c.key == "phone")
    needed = widget.view.fontMetrics().horizontalAdvance("138****1234")
    assert header.sectionSize(phone) > needed


# ------------------------------------------------------------ other stations


def poll_and_settle(qtbot, w: RegisterTableWidget) -> None:
    assert w.poll()
    settle(qtbot, w)


def top_visit(w: RegisterTableWidget) -> int:
    return w.model.row_at(w.view.rowAt(0)).id


def test_the_table_looks_for_other_stations_changes_every_few_seconds(widget):
    assert widget._poll_timer.isActive()
    assert widget._poll_timer.interval() <= 4000  # + the check itself: within 5 s
    widget.hide()
    assert not widget._poll_timer.isActive()  # nothing to show: no queries


def test_visits_registered_elsewhere_appear_without_moving_the_selection(widget, qtbot):
    select_row(qtbot, widget, 6)
    chosen = widget.selected_visit_id()
    assert widget.view.verticalScrollBar().value() == 0
    resets = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    poll_and_settle(qtbot, widget)  # nothing new: nothing read, nothing reset
    assert resets == [] and widget.model.rowCount() == 40

    insert_visits(2, DAY, start=time(17, 0), customer_name="新客户")  # the other station
    poll_and_settle(qtbot, widget)
    assert widget.model.rowCount() == 42
    assert names(widget)[-2:] == ["新客户", "新客户"]
    assert widget.count_label.text() == "共 42 条"
    assert widget.selected_visit_id() == chosen
    assert [i.row() for i in widget.view.selectionModel().selectedRows()] == [6]
    assert widget.view.verticalScrollBar().value() == 0


def test_scrolled_down_the_rows_in_sight_stay_in_sight(widget, qtbot):
    header = widget.view.horizontalHeader()
    with qtbot.waitSignal(widget.model.loaded, timeout=5000):
        widget._header_clicked(0)  # newest first: new visits come in at the top
    settle(qtbot, widget)
    assert widget.model.query().descending
    widget.view.scrollTo(widget.model.index(20, 0), widget.view.ScrollHint.PositionAtTop)
    select_row(qtbot, widget, 22)
    widget.view.scrollTo(widget.model.index(20, 0), widget.view.ScrollHint.PositionAtTop)
    chosen, top = widget.selected_visit_id(), top_visit(widget)
    assert header.sortIndicatorSection() == 0

    insert_visits(3, DAY, start=time(17, 0), customer_name="新客户")
    poll_and_settle(qtbot, widget)
    assert widget.model.rowCount() == 43
    assert names(widget)[:3] == ["新客户"] * 3
    assert top_visit(widget) == top  # the same rows in sight …
    assert widget.selected_visit_id() == chosen  # … and the same visit selected, 3 rows down
    assert [i.row() for i in widget.view.selectionModel().selectedRows()] == [25]


def test_an_edit_elsewhere_repaints_the_row_in_place(widget, qtbot):
    select_row(qtbot, widget, 4)
    chosen = widget.selected_visit_id()
    edited = widget.model.row_at(5)
    detail = visitors.get_visit(edited.id)
    resets = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(widget.model.dataChanged, timeout=5000) as changed:
        visitors.update(edited.id, type(detail.to_input())(**{**detail.to_input().__dict__,
                                                            "customer_name": "改名客户"}), detail)
        assert widget.poll()
    settle(qtbot, widget)
    assert changed.args[0].row() == 5
    assert resets == []
    assert names(widget)[5] == "改名客户"
    assert widget.selected_visit_id() == chosen


def test_no_looking_under_an_open_dialog_or_on_days_gone_by(widget, qtbot):
    select_row(qtbot, widget, 0)
    widget.edit_selected()
    dialog = modal_dialog(qtbot, VisitFormDialog)
    insert_visits(1, DAY, start=time(17, 0), customer_name="新客户")
    assert not widget.poll()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: widget._dialog is None)
    settle(qtbot, widget)
    assert widget.model.rowCount() == 41  # closing the dialog refreshes anyway

    qtbot.mouseClick(widget.quick_buttons["yesterday"], Qt.MouseButton.LeftButton)
    settle(qtbot, widget)
    assert not widget.poll()  # other stations register today, not yesterday
    qtbot.mouseClick(widget.quick_buttons["today"], Qt.MouseButton.LeftButton)
    settle(qtbot, widget)
    widget.search.setFocus()
    qtbot.keyClicks(widget.search, "A00")
    assert not widget.poll()  # the view is about to change anyway


def test_after_midnight_today_means_the_new_day(widget, qtbot, monkeypatch):
    """The front-desk PC left on overnight shows the new day's register the next morning."""
    insert_visits(2, DAY + timedelta(days=1), start=time(8, 30), customer_name="次日客户")
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(hours=15))  # 09:00 the next day
    assert widget.poll()
    settle(qtbot, widget)
    assert widget.date_from.date().toPython() == DAY + timedelta(days=1)
    assert widget.date_to.date().toPython() == DAY + timedelta(days=1)
    assert names(widget) == ["次日客户", "次日客户"]


def test_after_midnight_a_chosen_past_range_stays(widget, qtbot, monkeypatch):
    widget.set_quick_range("yesterday")
    settle(qtbot, widget)
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(hours=15))
    widget.poll()
    settle(qtbot, widget)
    assert widget.date_from.date().toPython() == DAY - timedelta(days=1)
    assert widget.model.rowCount() == 5
