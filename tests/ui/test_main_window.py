"""The main window, and starting the program with ``run_gui``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from frontdesk.app import build_main_window, run_gui
from frontdesk.db.database import close_database, open_database
from frontdesk.services import clock, lists, settings, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui import crash
from frontdesk.ui.inspections.tab import InspectionsTab
from frontdesk.ui.main_window import GEOMETRY_KEY, MAXIMIZED_KEY, window_settings
from frontdesk.ui.meetings.tab import MeetingsTab
from tests.ui.session_helpers import answer_sign_in, prepare_database
from tests.ui.widget_helpers import when_modal
from tests.ui.worker_helpers import settle

# The offscreen platform cannot apply a window's size hints and says so: harmless there.


@pytest.fixture
def window(db_location, configured, qtbot):
    widget = build_main_window(db_location)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def test_title_and_the_four_tabs(window):
    assert "FrontDesk" in window.windowTitle()
    assert window.windowTitle().endswith("测试支行营业厅")
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["来访登记", "检查巡检", "投诉工单", "晨会记录"]
    assert isinstance(tabs.widget(1), InspectionsTab)
    assert type(tabs.widget(2)).__name__ == "ComplaintTab"
    assert isinstance(tabs.widget(3), MeetingsTab)
    assert tabs.currentWidget() is window.visitor_tab


def test_ctrl_and_a_number_brings_a_tab_forward_with_its_first_field_focused(window, qtbot):
    tabs = window.tabs
    assert [tabs.tabToolTip(i) for i in range(tabs.count())] == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    window.visitor_tab.focus_first()
    for number in (2, 4, 3, 1):
        focused = QApplication.focusWidget() or window
        qtbot.keyClick(focused, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda number=number: tabs.currentIndex() == number - 1)
        page = tabs.currentWidget()
        qtbot.waitUntil(lambda page=page: page.isAncestorOf(QApplication.focusWidget()))
    assert tabs.currentWidget() is window.visitor_tab


def test_the_roster_is_in_the_settings_menu_for_whoever_maintains_it(window):
    assert window.roster_action.text() == "人员名册(&R)…"
    assert window.roster_action.isVisible()  # the administrator


def test_status_bar_shows_branch_location_and_counts(window, db_location):
    assert "测试支行营业厅" in window.branch_label.text()
    assert window.location_label.isVisible()
    assert window.counts_label.text() == "今日登记 0 · 等候 0 · 办理中 0 · 已完成 0"


def test_database_password_is_never_shown(configured, qtbot):
    widget = build_main_window("postgresql://fd:s3cret@db.example:5432/frontdesk")
    qtbot.addWidget(widget)
    assert "s3cret" not in widget.location_label.text()
    assert "fd@db.example:5432/frontdesk" in widget.location_label.text()


def test_register_call_and_finish_from_the_keyboard_updates_the_counts(window, qtbot):
    def press(key):
        qtbot.keyClick(QApplication.focusWidget(), key)
        settle(qtbot)  # writes run on the database worker

    assert QApplication.focusWidget() is window.visitor_tab.quick_entry.business
    press("1")
    press("2")
    press(Qt.Key.Key_Return)
    press("2")
    press("1")
    press(Qt.Key.Key_Return)
    assert window.counts_label.text() == "今日登记 2 · 等候 2 · 办理中 0 · 已完成 0"
    panel = window.visitor_tab.waiting_panel
    assert len(panel.waiting_model.rows()) == 2

    # F2 works while the focus is still in the quick-entry form; F3 finishes the one just called.
    assert QApplication.focusWidget() is window.visitor_tab.quick_entry.business
    press(Qt.Key.Key_F2)
    assert window.counts_label.text() == "今日登记 2 · 等候 1 · 办理中 1 · 已完成 0"
    press(Qt.Key.Key_F3)
    assert window.counts_label.text() == "今日登记 2 · 等候 1 · 办理中 0 · 已完成 1"
    [finished] = [r for r in visitors.fetch_rows(_today(), 0, 10) if r.status == visitors.FINISHED]
    assert finished.business_type == "咨询" and finished.outcome == "done"


def test_function_keys_work_without_the_shortcut_system(window, qtbot):
    """A window never activated (no window manager) still gets keys, but no shortcuts."""
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    visit = visitors.register(VisitInput(business_type_id=bt, destination_id=dest)).id
    window.visitor_tab.waiting_panel.reload()
    form = window.visitor_tab.quick_entry
    QApplication.sendEvent(form.notes, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier))
    settle(qtbot)
    assert visitors.get_visit(visit).row.status == visitors.SERVING


def _today() -> visitors.VisitQuery:
    today = clock.today()
    return visitors.VisitQuery(date_from=today, date_to=today)


def test_counts_refresh_picks_up_another_station(weekday_morning, window):
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    visitors.register(VisitInput(business_type_id=bt, destination_id=dest, arrived_at=clock.now() - timedelta(minutes=1)))
    window.refresh_counts()
    assert window.counts_label.text().startswith("今日登记 1 · 等候 1")


def test_periodic_counts_refresh_runs_on_the_worker(window, qtbot):
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    visitors.register(VisitInput(business_type_id=bt, destination_id=dest))
    window.refresh_counts_in_background()
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("今日登记 1 · 等候 1"), timeout=3000)


def test_settings_dialog_from_the_menu_renames_the_branch(window, qtbot):
    def rename(dialog: QDialog) -> None:
        dialog.branch_name.setText("新名称网点")
        dialog.save_button.click()
        settle(qtbot)  # the save runs on the database worker

    timer = when_modal(rename)
    window.settings_action.trigger()
    timer.stop()
    assert window.windowTitle() == "FrontDesk 前台值班台 — 新名称网点"
    assert "新名称网点" in window.branch_label.text()


def test_list_edits_in_settings_reach_the_quick_entry_form(window, qtbot):
    def add_type(dialog: QDialog) -> None:
        editor = dialog.list_editors["business_type"]
        editor.label_edit.setText("养老金领取")
        editor.add_button.click()
        dialog.reject()  # closed without 保存: list edits are already saved

    timer = when_modal(add_type)
    window.settings_action.trigger()
    timer.stop()
    settle(qtbot)  # the edit was saved on the database worker, and told on the change bus
    strip = window.visitor_tab.quick_entry.business
    assert strip.entries()[-1].label == "养老金领取"


def test_about_names_the_version(window):
    seen = []

    def close(box):
        seen.append(box.text())
        box.accept()

    timer = when_modal(close)
    about = [a for a in window.menuBar().actions() if "帮助" in a.text()][0].menu().actions()[0]
    about.trigger()
    timer.stop()
    from frontdesk import __version__

    assert seen and __version__ in seen[0]


def test_window_geometry_is_remembered(db_location, configured, qtbot):
    """Closing keeps the window's place and whether it was maximized; ``test_window_on_screen``
    opens it there again (on a screen of the right size)."""
    first = build_main_window(db_location)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(10, 20, first.minimumSizeHint().width() + 40, first.minimumSizeHint().height() + 30)
    geometry = first.geometry()
    first.close()
    assert window_settings().value(GEOMETRY_KEY) == geometry
    assert str(window_settings().value(MAXIMIZED_KEY)).lower() == "false"


# ---------------------------------------------------------------- run_gui


@pytest.fixture
def hooks():
    yield
    crash.uninstall()


@pytest.mark.qt_no_exception_capture
def test_run_gui_signs_in_then_shows_the_main_window(db_location, hooks, qtbot):
    prepare_database(db_location)
    shown, titles = [], []

    def on_shown(window):
        shown.append(window)
        QApplication.exit(0)  # quit() would close the windows, leaving a Quit event pending

    signing_in = answer_sign_in("admin", "admin-pass-1", titles, title_ends="西单支行")
    assert run_gui(db_location, on_shown=on_shown) == 0
    signing_in.stop()
    [window] = shown
    assert titles == ["FrontDesk 前台值班台 — 登录 — 西单支行"]
    assert window.windowTitle() == "FrontDesk 前台值班台 — 西单支行"
    assert window.user_label.text() == "当前用户：管理员（管理员）"
    # Closed after the loop ended, so no quit is left pending for the next test.
    window.close()
    window.deleteLater()


@pytest.mark.qt_no_exception_capture
def test_run_gui_first_run_cancelled_exits_cleanly(db_location, hooks, qtbot):
    seen = []

    def cancel(dialog):
        seen.append(dialog.windowTitle())
        dialog.reject()

    timer = when_modal(cancel)
    assert run_gui(db_location) == 0
    timer.stop()
    assert seen and "FrontDesk" in seen[0]
    open_database(db_location)
    try:
        assert not settings.load().configured
    finally:
        close_database()


@pytest.mark.qt_no_exception_capture
def test_run_gui_unusable_database_gives_a_message_and_exit_code_1(tmp_path, hooks, qtbot):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    seen = []

    def read(box):
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + "\n" + box.informativeText())
        box.accept()

    timer = when_modal(read)
    assert run_gui(str(folder)) == 1
    timer.stop()
    assert seen and "无法打开数据库" in seen[0] and "文件夹" in seen[0]


@pytest.mark.parametrize(
    ("action", "title"),
    [("users_action", "用户管理"), ("audit_action", "审计日志"), ("password_action", "修改密码"),
     ("settings_action", "网点设置")],
)
def test_the_menus_open_their_dialogs(window, qtbot, action, title):
    seen = []

    def close(dialog):
        seen.append(dialog.windowTitle())
        dialog.reject()

    timer = when_modal(close)
    getattr(window, action).trigger()
    timer.stop()
    assert seen and title in seen[0]


def test_the_window_and_its_tabs_follow_the_change_bus(window, qtbot):
    """A write made anywhere is told on the change bus: the tabs and the status bar follow it."""
    from dataclasses import replace

    from frontdesk.ui.kit.changes import SETTINGS, VISIT
    from frontdesk.ui.kit.operations import Op
    from frontdesk.ui.kit.tab import Tab

    assert all(isinstance(page, Tab) for page in window.tab_pages)
    assert [window.tabs.tabText(n) for n in range(window.tabs.count())] == \
        [page.title() for page in window.tab_pages] == ["来访登记", "检查巡检", "投诉工单", "晨会记录"]
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    Op(None, lambda: visitors.register(VisitInput(business_type_id=bt, destination_id=dest)),
       changes={VISIT}).run()
    settle(qtbot)
    assert window.counts_label.text().startswith("今日登记 1 · 等候 1")
    assert len(window.visitor_tab.waiting_panel.waiting_model.rows()) == 1
    table = window.visitor_tab.register_table
    qtbot.waitUntil(lambda: table.model.settled and table.model.total == 1, timeout=5000)

    Op(None, lambda: settings.save(replace(settings.load(), branch_name="新街口支行")),
       changes={SETTINGS}).run()
    settle(qtbot)
    assert "新街口支行" in window.windowTitle() and "新街口支行" in window.branch_label.text()


def test_closing_the_window_signs_out_on_the_worker(window, monkeypatch):
    """The last write of a session (its sign-out entry) runs on the database worker too."""
    import threading

    from frontdesk.db.models import AuditEntry
    from frontdesk.services import users as users_service

    seen = []
    original = users_service.sign_out

    def sign_out():
        seen.append(threading.current_thread())
        return original()

    monkeypatch.setattr(users_service, "sign_out", sign_out)
    window.close()
    assert seen and seen[0] is not threading.main_thread()
    assert AuditEntry.select().order_by(AuditEntry.seq.desc()).get().action == "sign_out"


def test_a_complaint_is_registered_from_a_visit_in_the_register(window, qtbot):
    """登记投诉 on a visit of the register opens the complaint tab's new ticket, linked to it."""
    from frontdesk.ui.complaints.tab import ComplaintTab

    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    visit = visitors.register(VisitInput(business_type_id=bt, destination_id=dest, customer_name="赵女士"))
    table = window.visitor_tab.register_table
    table.refresh()
    qtbot.waitUntil(lambda: table.model.settled and table.model.total == 1, timeout=5000)
    assert table.complaint_action in table.context_actions and table.complaint_action.isVisible()
    assert not table.complaint_action.isEnabled()  # nothing selected yet
    cell = table.view.visualRect(table.model.index(0, 1)).center()
    qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.waitUntil(lambda: table.selected_id() == visit.id)
    assert table.complaint_action.isEnabled()
    table.complaint_action.trigger()
    complaints = window.tabs.currentWidget()
    assert isinstance(complaints, ComplaintTab)
    qtbot.waitUntil(lambda: complaints.table.dialog_open)
    form = complaints.table._dialog
    assert f"由来访记录 #{visit.id} 登记" in " ".join(label.text() for label in form.findChildren(QLabel))
    form.reject()


def test_overdue_tickets_are_counted_in_the_status_bar_from_every_tab(window, qtbot):
    from datetime import timedelta

    from PySide6.QtWidgets import QLabel

    from frontdesk.services import clock
    from frontdesk.services import complaints as cs
    from frontdesk.ui.complaints.tab import ComplaintTab

    with clock.pinned(clock.now() - timedelta(days=20)):
        cs.create(cs.ComplaintInput(kind=cs.CONSULTATION, channel=cs.ON_SITE, category="服务态度及服务质量",
                                    customer_name="张先生", phone="13812345678", description="咨询未答复"))
    page = next(p for p in window.tab_pages if isinstance(p, ComplaintTab))
    label = window.statusBar().findChild(QLabel, "complaintStatus")
    assert label is page.status_label
    assert window.tabs.currentIndex() == 0  # the register is shown, not the complaint tab
    page.look_again()
    qtbot.waitUntil(label.isVisible, timeout=5000)
    assert label.text() == "投诉 逾期 1"
