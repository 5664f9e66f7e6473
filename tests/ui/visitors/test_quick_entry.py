"""The quick-entry form, driven from the keyboard as the front-desk guide uses it."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QWidget

from frontdesk.db.database import is_postgres
from frontdesk.services import clock, lists, visitors
from frontdesk.ui.kit.common import to_qdatetime
from frontdesk.ui.visitors.quick_entry import QuickEntryForm, split_documents
from tests.ui.widget_helpers import show_active, when_modal
from tests.ui.worker_helpers import settle

# The offscreen platform cannot apply a window's size hints and says so: harmless there.


class Keyboard:
    """Sends each key to whichever widget has the focus, as a real keyboard does, and counts."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, *keys) -> None:
        for key in keys:
            self.qtbot.keyClick(self.focus(), key)
            self.count += 1
            settle(self.qtbot)  # a registration runs on the database worker

    def type(self, text: str) -> None:
        """Typing text counts as its characters. Chinese arrives as an input method commits it."""
        if text.isascii():
            self.qtbot.keyClicks(self.focus(), text)
        else:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(self.focus(), event)
        self.count += len(text)


@pytest.fixture
def form(configured, qtbot):
    widget = show_active(qtbot, QuickEntryForm(), 760, 520)
    widget.focus_first()
    return widget


@pytest.fixture
def keyboard(qtbot) -> Keyboard:
    return Keyboard(qtbot)


def click_box(qtbot, box: QCheckBox) -> None:
    """Click a check box on its indicator, where a user clicks (its centre may be empty space)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def ids(kind: str) -> dict[str, int]:
    return {e.label: e.id for e in lists.entries(kind)}


def test_typical_registration_takes_three_keys(form, keyboard, qtbot):
    registered = []
    form.registered.connect(registered.append)
    assert keyboard.focus() is form.business

    keyboard.press("2")  # 缴费
    assert keyboard.focus() is form.destination
    keyboard.press("1")  # 1号窗口
    keyboard.press(Qt.Key.Key_Return)

    assert keyboard.count == 3
    [row] = visitors.waiting_now()
    assert registered == [row.id]
    assert (row.business_type, row.destination, row.status) == ("缴费", "1号窗口", visitors.WAITING)
    assert abs((row.arrived_at - clock.now()).total_seconds()) < 5
    # Ready for the next customer: reset, focus back on the business strip, arrival live again.
    assert form.business.current_id() is None and form.destination.current_id() is None
    assert keyboard.focus() is form.business
    assert form.arrival_is_live()
    assert "缴费" in form.status.text()


def today_rows() -> list[visitors.VisitRow]:
    today = clock.today()
    return visitors.first_page(visitors.VisitQuery(today, today), 100)[1]


def test_letter_keys_pick_past_the_tenth_entry_and_enter_saves(form, keyboard):
    keyboard.press("1", "a", Qt.Key.Key_Enter)  # 'a' is the 11th destination of the preset
    [row] = today_rows()
    assert row.destination == lists.entries("destination")[10].label
    assert keyboard.count <= 5


def test_arrow_keys_move_within_a_strip_without_moving_on(form, keyboard):
    keyboard.press(Qt.Key.Key_Right, Qt.Key.Key_Right)
    assert form.business.current_entry().label == "缴费"
    assert keyboard.focus() is form.business


def test_a_full_registration_with_every_field(weekday_morning, form, keyboard, qtbot):
    arrived = clock.now().replace(second=0) - timedelta(minutes=20)
    keyboard.press("3", "2")
    click_box(qtbot, form.needs["elderly"])
    click_box(qtbot, form.needs["walking"])
    click_box(qtbot, form.vip)
    form.ticket.setFocus()
    keyboard.type("A018")
    form.customer_name.setFocus()
    keyboard.type("王先生")
    form.phone.setFocus()
    keyboard.type("138-1234-5678")
    form.notes.setFocus()
    keyboard.type("代办")
    form.arrival.setDateTime(to_qdatetime(arrived))
    assert not form.arrival_is_live()

    click_box(qtbot, form.documents_complete)
    assert form.missing.isEnabled()
    form.missing.setFocus()
    keyboard.type("保单原件，授权委托书")
    form.document_menu.actions()[0].trigger()  # quick-add 投保人身份证原件
    assert form.missing.text() == "保单原件、授权委托书、投保人身份证原件"
    keyboard.press(Qt.Key.Key_Return)

    [row] = visitors.waiting_now()
    assert row.business_type == "新契约/投保" and row.destination == "2号窗口"
    assert row.arrived_at == arrived
    assert row.special_needs == {"elderly", "walking"} and row.vip
    assert (row.ticket_no, row.customer_name, visitors.reveal_phone(row.id)) == ("A018", "王先生", "13812345678")
    assert row.phone_masked == "138****5678"
    assert not row.documents_complete
    assert row.missing_documents == ("保单原件", "授权委托书", "投保人身份证原件")
    assert row.notes == "代办"
    assert form.arrival_is_live() and form.ticket.text() == "" and form.documents_complete.isChecked()


def test_validation_error_is_shown_next_to_the_field_and_input_kept(form, keyboard, qtbot):
    keyboard.press("2")  # destination left empty
    form.ticket.setFocus()
    keyboard.type("A001")
    form.phone.setFocus()
    keyboard.type("12345")
    form.customer_name.setFocus()
    keyboard.type("李女士")
    click_box(qtbot, form.needs["pregnant"])
    keyboard.press(Qt.Key.Key_Return)

    assert visitors.waiting_now() == []
    assert "分流去向" in form.errors.message("destination")
    assert "电话" in form.errors.message("phone")
    assert form.errors.message("business_type") == ""
    # Focus on the first bad field; nothing typed is lost.
    assert keyboard.focus() is form.destination
    assert form.business.current_entry().label == "缴费"
    assert (form.ticket.text(), form.phone.text(), form.customer_name.text()) == ("A001", "12345", "李女士")
    assert form.needs["pregnant"].isChecked()

    # Fix it from the keyboard: the errors go, the visit is registered.
    keyboard.press("4")
    form.phone.selectAll()
    form.phone.setFocus()
    keyboard.type("13900001111")
    keyboard.press(Qt.Key.Key_Return)
    [row] = visitors.waiting_now()
    assert row.destination == "4号窗口" and row.special_needs == {"pregnant"}
    assert form.errors.message("destination") == "" and form.errors.message("phone") == ""


def test_missing_papers_required_when_documents_incomplete(form, keyboard, qtbot):
    keyboard.press("1", "1")
    click_box(qtbot, form.documents_complete)
    keyboard.press(Qt.Key.Key_Return)
    assert "一次性告知" in form.errors.message("missing_documents")
    assert keyboard.focus() is form.missing
    assert visitors.waiting_now() == []


def test_surrender_fields_appear_only_for_surrender(form, keyboard, qtbot):
    assert not form.surrender_box.isVisible()
    keyboard.press("6")  # 退保
    assert form.surrender_box.isVisible()
    form.business.setFocus()
    keyboard.press("1")  # 咨询
    assert not form.surrender_box.isVisible()

    form.business.setFocus()
    keyboard.press("6", "1")
    form.surrender_reason.setCurrentIndex(form.surrender_reason.findData("need_cash"))
    form.retention.setCurrentIndex(form.retention.findData("retained"))
    keyboard.press(Qt.Key.Key_Return)
    [row] = visitors.waiting_now()
    assert (row.business_type, row.surrender_reason, row.retention) == ("退保", "need_cash", "retained")
    assert not form.surrender_box.isVisible()


def test_surrender_retention_undecided_by_default(form, keyboard):
    keyboard.press("6", "1", Qt.Key.Key_Return)
    [row] = visitors.waiting_now()
    assert row.surrender_reason is None and row.retention is None


def test_escape_clears_the_form(form, keyboard):
    keyboard.press("2", "3")
    form.ticket.setFocus()
    keyboard.type("B7")
    keyboard.press(Qt.Key.Key_Escape)
    assert form.business.current_id() is None and form.destination.current_id() is None
    assert form.ticket.text() == ""
    assert keyboard.focus() is form.business
    assert visitors.waiting_now() == []


def test_enter_and_esc_work_without_the_shortcut_system(form, keyboard):
    """A window never activated (no window manager) still gets keys, but no shortcuts."""
    keyboard.press("2", "1")
    form.ticket.setFocus()
    QApplication.sendEvent(form.ticket, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
    settle(keyboard.qtbot)
    assert [r.business_type for r in visitors.waiting_now()] == ["缴费"]
    keyboard.press("3")
    QApplication.sendEvent(form.business, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    assert form.business.current_id() is None


def test_mouse_picks_work_too(form, qtbot):
    dest = ids("destination")["自助服务区"]
    qtbot.mouseClick(form.business.button_for(ids("business_type")["查询"]), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.destination.button_for(dest), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    [row] = today_rows()
    assert (row.business_type, row.destination) == ("查询", "自助服务区")


@pytest.mark.parametrize(("key", "label", "outcome"), [
    ("6", "自助服务区", visitors.DIVERTED),
    ("a", "推荐电话/网上/手机渠道", visitors.DIVERTED),
    ("8", "咨询台", visitors.ANSWERED),
    ("1", "1号窗口", None),
])
def test_a_customer_sent_elsewhere_is_finished_at_once_and_never_waits(form, keyboard, key, label, outcome):
    """A destination that is no queue finishes the visit as it is registered, with its outcome;
    a counter still queues."""
    keyboard.press("1", key, Qt.Key.Key_Return)  # 咨询 → the destination by its key
    [row] = today_rows()
    assert row.destination == label
    if outcome is None:
        assert row.status == visitors.WAITING and [r.id for r in visitors.waiting_now()] == [row.id]
        return
    assert (row.status, row.outcome, row.called_at) == (visitors.FINISHED, outcome, None)
    assert row.finished_at is not None and row.served_by == "管理员"  # the signed-in guide
    assert visitors.waiting_now() == [] and visitors.serving_now() == []
    assert visitors.OUTCOMES[outcome] in form.status.text()
    counts = visitors.day_counts(clock.today())
    assert (counts.diverted, counts.answered_on_spot) == ((1, 0) if outcome == visitors.DIVERTED else (0, 1))


def test_arrival_follows_the_clock_until_edited(form, monkeypatch):
    later = clock.now() + timedelta(minutes=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    form._follow_clock()
    assert form.arrival.dateTime() == to_qdatetime(later)
    earlier = later - timedelta(minutes=10)
    form.arrival.setDateTime(to_qdatetime(earlier))
    assert not form.arrival_is_live() and form.arrival_now.isVisibleTo(form)
    form._follow_clock()
    assert form.arrival.dateTime() == to_qdatetime(earlier)
    form.arrival_now.click()
    assert form.arrival_is_live() and form.arrival.dateTime() == to_qdatetime(later)


def test_disabled_list_entries_are_not_offered(form):
    entry = lists.entries("business_type")[0]
    lists.update_entry(entry.id, active=False)
    form.reload_lists()
    assert entry.id not in [e.id for e in form.business.entries()]
    assert form.business.entries()[0].label == "缴费"


def test_locked_database_gives_a_clear_message_and_keeps_the_form(form, keyboard, configured, tmp_path):
    if is_postgres(configured):
        pytest.skip("SQLite file locking")
    configured.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(configured.database, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        keyboard.press("2", "1")
        form.ticket.setFocus()
        keyboard.type("C3")
        keyboard.press(Qt.Key.Key_Return)
        assert "占用" in form.message.text()
        assert form.message.isVisibleTo(form)
        assert form.ticket.text() == "C3" and form.business.current_entry().label == "缴费"
    finally:
        other.rollback()
        other.close()
    keyboard.press(Qt.Key.Key_Return)
    [row] = visitors.waiting_now()
    assert row.ticket_no == "C3"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", ()), ("身份证、 保单，银行卡,委托书；户口本", ("身份证", "保单", "银行卡", "委托书", "户口本"))],
)
def test_split_documents(text, expected):
    assert split_documents(text) == expected


# ------------------------------------------------------------------ the arrival time


def modal_answer(qtbot, seen: list[str], button_text: str | None) -> QTimer:
    """On the next modal box: note its text, then click the button named ``button_text`` (as a
    user does), or press Enter on its default button (``None``)."""

    def answer(box: QMessageBox) -> None:
        seen.append(box.text())
        if button_text is None:
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            [button] = [b for b in box.buttons() if b.text() == button_text]
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    return when_modal(answer)


def test_the_issue_sequence_saves_ticket_and_phone_at_now(form, keyboard):
    """``3 2 Tab A012 Tab 13812345678 Enter``: Tab after the destination goes to 票号, then 电话;
    the arrival time (out of the Tab chain) stays now."""
    with clock.pinned(clock.now(), ticking=False):
        keyboard.press("3", "2", Qt.Key.Key_Tab)
        assert keyboard.focus() is form.ticket
        keyboard.type("A012")
        keyboard.press(Qt.Key.Key_Tab)
        assert keyboard.focus() is form.phone
        keyboard.type("13812345678")
        keyboard.press(Qt.Key.Key_Return)
        [row] = visitors.waiting_now()
        assert (row.ticket_no, row.arrived_at) == ("A012", clock.now())
        assert row.business_type == "新契约/投保" and row.destination == "2号窗口"
        assert visitors.reveal_phone(row.id) == "13812345678"


def test_tab_never_enters_the_arrival_time(form, keyboard):
    seen = []
    for _ in range(40):
        keyboard.press(Qt.Key.Key_Tab)
        seen.append(keyboard.focus())
    assert form.arrival not in seen
    assert form.ticket in seen and form.phone in seen and form.customer_name in seen
    assert seen.index(form.ticket) < seen.index(form.phone) < seen.index(form.customer_name)
    assert "Alt+T" in form.arrival.toolTip() and "&T" in form.arrival_label.text()


def test_alt_t_edits_the_arrival_and_another_day_asks_first(weekday_morning, form, keyboard, qtbot):
    keyboard.press("2", "1")
    qtbot.keyClick(keyboard.focus(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert keyboard.focus() is form.arrival
    keyboard.press(Qt.Key.Key_Backtab)  # from the hour back to the day
    keyboard.press(Qt.Key.Key_Down)  # yesterday
    assert not form.arrival_is_live()
    seen: list[str] = []
    timer = modal_answer(qtbot, seen, None)  # Enter: the default is to go back and correct
    keyboard.press(Qt.Key.Key_Return)
    timer.stop()
    yesterday = weekday_morning - timedelta(days=1)
    assert seen and yesterday.strftime("%Y-%m-%d %H:%M") in seen[0] and "不是今天" in seen[0]
    assert today_rows() == []
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.arrival)
    assert form.business.current_entry().label == "缴费"  # nothing lost

    timer = modal_answer(qtbot, seen, "按此时间登记(&Y)")
    keyboard.press(Qt.Key.Key_Return)
    timer.stop()
    settle(qtbot)
    assert len(seen) == 2
    [row] = visitors.first_page(visitors.VisitQuery(yesterday.date(), yesterday.date()), 10)[1]
    assert row.arrived_at == yesterday.replace(second=0)


def test_an_arrival_before_opening_asks_and_one_in_the_future_is_refused(weekday_morning, form, keyboard, qtbot):
    keyboard.press("2", "1")
    qtbot.keyClick(keyboard.focus(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    keyboard.press(Qt.Key.Key_Down, Qt.Key.Key_Down)  # 10:30 → 08:30, before the 09:00 opening
    seen: list[str] = []
    timer = modal_answer(qtbot, seen, "返回修改(&N)")
    keyboard.press(Qt.Key.Key_Return)
    timer.stop()
    assert seen and "08:30" in seen[0] and "早于今天的营业时间（09:00）" in seen[0]
    assert today_rows() == []
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.arrival)

    keyboard.press(Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Up)  # 11:30: not yet arrived
    timer = modal_answer(qtbot, seen, None)
    keyboard.press(Qt.Key.Key_Return)
    timer.stop()
    assert len(seen) == 1  # nothing to confirm: the register refuses it at the field
    assert "不能晚于现在" in form.errors.message("arrived_at")
    assert today_rows() == []

    keyboard.press(Qt.Key.Key_Down, Qt.Key.Key_Down)  # 09:30, within opening hours: no question
    keyboard.press(Qt.Key.Key_Return)
    [row] = today_rows()
    assert row.arrived_at == weekday_morning.replace(hour=9, second=0) and len(seen) == 1
