"""Operations: writes run on the database worker, errors go where they belong, changes are told."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget

from frontdesk.db.database import is_postgres
from frontdesk.errors import NotFoundError
from frontdesk.services import lists, settings, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.admin.settings_dialog import SettingsDialog
from frontdesk.ui.kit.changes import SETTINGS, VISIT, change_bus
from frontdesk.ui.kit.common import SaveGuard
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.visitors.form_dialog import VisitFormDialog
from frontdesk.ui.visitors.quick_entry import QuickEntryForm
from frontdesk.ui.visitors.void_dialog import VoidVisitDialog
from frontdesk.ui.visitors.waiting_panel import WaitingPanel
from tests.ui.worker_helpers import settle


@pytest.fixture
def owner(configured, qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def record_threads(monkeypatch, module, *names: str,
                   seen: list[tuple[str, threading.Thread]] | None = None) -> list[tuple[str, threading.Thread]]:
    """Wrap ``module.<name>`` so each call notes (in ``seen``) the thread it ran on."""
    seen = [] if seen is None else seen
    for name in names:
        original = getattr(module, name)

        def wrapped(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, threading.current_thread()))
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapped)
    return seen


def off_the_gui_thread(seen: list[tuple[str, threading.Thread]]) -> bool:
    return bool(seen) and all(thread is not threading.main_thread() for _name, thread in seen)


def registered() -> VisitInput:
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    return VisitInput(business_type_id=bt, destination_id=dest)


def entry_form(qtbot) -> QuickEntryForm:
    """A shown quick-entry form with the first business type and destination picked."""
    form = QuickEntryForm()
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    form.business.set_current(lists.entries("business_type")[0].id)
    form.destination.set_current(lists.entries("destination")[0].id)
    return form


# ------------------------------------------------------------------ the builder


def test_an_op_runs_on_the_worker_and_tells_the_bus(owner, qtbot):
    threads: list[threading.Thread] = []
    results: list[int] = []
    told: list[tuple[frozenset[str], object]] = []
    change_bus().subscribe(owner, {VISIT}, lambda kinds, initiator: told.append((kinds, initiator)))

    def work() -> int:
        threads.append(threading.current_thread())
        return 42

    Op(owner, work, changes={VISIT}).success(lambda r: (results.append(r),
                                                        threads.append(threading.current_thread()))).run()
    settle(qtbot)
    assert results == [42]
    assert threads[0] is not threading.main_thread() and threads[1] is threading.main_thread()
    assert told == [(frozenset({VISIT}), owner)]


def test_the_bus_tells_only_the_kinds_subscribed(owner, qtbot):
    told: list[frozenset[str]] = []
    change_bus().subscribe(owner, {SETTINGS}, lambda kinds, _initiator: told.append(kinds))
    Op(owner, lambda: None, changes={VISIT}).run()
    Op(owner, lambda: None, changes={SETTINGS, VISIT}).run()
    QueryOp(owner, lambda: None).run()  # a read tells nothing
    settle(qtbot)
    assert told == [frozenset({SETTINGS, VISIT})]


def test_a_user_error_goes_to_failure_or_a_message_box(owner, qtbot):
    errors: list[BaseException] = []
    QueryOp(owner, lambda: visitors.get_visit(999_999)).failure(errors.append).run()
    settle(qtbot)
    assert len(errors) == 1 and isinstance(errors[0], NotFoundError)

    owner.show()
    Op(owner, lambda: visitors.get_visit(999_999)).run()  # no failure given: shown, not raised
    settle(qtbot)
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    [box] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert box.objectName() == "userErrorBox" and box.text() == errors[0].message
    box.close()


def test_any_other_error_is_a_bug_for_the_crash_handler(owner, qtbot):
    failures: list[BaseException] = []
    ended: list[bool] = []

    def broken() -> None:
        raise RuntimeError("a bug")

    with qtbot.captureExceptions() as raised:
        Op(owner, broken).failure(failures.append).finally_(lambda: ended.append(True)).run()
        settle(qtbot)
    assert failures == [] and ended == [True]
    assert len(raised) == 1 and isinstance(raised[0][1], RuntimeError)


def test_a_save_guard_refuses_a_second_save_while_the_first_runs(owner, qtbot):
    gate = threading.Event()
    runs: list[int] = []
    button = QPushButton(owner)
    guard = SaveGuard(button)

    def slow() -> None:
        gate.wait(5)
        runs.append(1)

    assert guard.run(Op(owner, slow))
    assert guard.busy and not button.isEnabled()
    assert not guard.run(Op(owner, slow))  # a double click
    gate.set()
    settle(qtbot)
    assert runs == [1] and not guard.busy and button.isEnabled()


def test_progress_reaches_the_dialog_and_cancel_stops_the_job(owner, qtbot, monkeypatch):
    from frontdesk.ui.kit import operations

    monkeypatch.setattr(operations, "PROGRESS_DELAY_MS", 0)
    owner.show()
    step = threading.Event()
    done: list[object] = []
    reached: list[int] = []

    def long_job(progress) -> str:
        for n in range(1, 1000):
            step.wait(5)
            step.clear()
            progress.update(n, 1000, f"第 {n} 项")
            reached.append(n)
        return "finished"

    op = Op(owner, long_job).with_progress("正在导入…").success(done.append)
    op.run()
    [dialog] = [w for w in owner.findChildren(QProgressDialog)]
    for _ in range(3):
        step.set()
        qtbot.waitUntil(lambda: bool(reached) and dialog.value() == len(reached), timeout=5000)
    assert dialog.maximum() == 1000 and dialog.labelText() == f"第 {len(reached)} 项"
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)  # 取消
    step.set()
    settle(qtbot)
    assert done == [] and len(reached) < 10  # stopped at the next report, no result delivered


# ------------------------------------------------------------------ every write off the GUI thread


def test_quick_entry_registers_on_the_worker(configured, qtbot, monkeypatch):
    seen = record_threads(monkeypatch, visitors, "register")
    form = entry_form(qtbot)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert off_the_gui_thread(seen) and len(visitors.waiting_now()) == 1


def test_the_waiting_panel_calls_finishes_and_marks_left_on_the_worker(configured, qtbot, monkeypatch):
    for _ in range(2):
        visitors.register(registered())
    seen = record_threads(monkeypatch, visitors, "call", "finish", "mark_left")
    panel = WaitingPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.reload()
    panel.waiting_view.setFocus()
    panel.call_action.trigger()  # F2
    settle(qtbot)
    panel.serving_view.selectRow(0)
    panel.finish_action.trigger()  # F3
    settle(qtbot)
    panel.waiting_view.selectRow(0)
    panel.left_action.trigger()  # F4
    settle(qtbot)
    assert [name for name, _ in seen] == ["call", "finish", "mark_left"], panel.message.text()
    assert off_the_gui_thread(seen)


def test_the_edit_and_void_dialogs_save_on_the_worker(configured, qtbot, monkeypatch):
    row = visitors.register(registered())
    seen = record_threads(monkeypatch, visitors, "update", "void", "reveal_phone")
    dialog = VisitFormDialog(row.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ticket_no, "A1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    void = VoidVisitDialog(row.id)
    qtbot.addWidget(void)
    void.show()
    qtbot.keyClicks(void.reason, "test")
    qtbot.keyClick(void.reason, Qt.Key.Key_Return)
    settle(qtbot)
    assert [name for name, _ in seen] == ["update", "void"] and off_the_gui_thread(seen)
    assert visitors.get_visit(row.id).row.status == visitors.VOIDED


def test_the_settings_dialog_saves_on_the_worker(configured, qtbot, monkeypatch):
    seen = record_threads(monkeypatch, settings, "save")
    record_threads(monkeypatch, lists, "add_entry", seen=seen)
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    editor = next(iter(dialog.list_editors.values()))
    qtbot.keyClicks(editor.label_edit, "New kind")
    qtbot.keyClick(editor.label_edit, Qt.Key.Key_Return)
    settle(qtbot)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert {name for name, _ in seen} == {"add_entry", "save"} and off_the_gui_thread(seen)


def test_a_registration_waiting_on_a_lock_leaves_the_window_answering(configured, db_location, qtbot):
    """Another connection holds the write lock: the form waits without freezing the window,
    keeps what was typed, refuses a second Enter, and saves once the lock is gone."""
    if is_postgres():
        pytest.skip("the lock is taken through SQLite")
    form = entry_form(qtbot)
    form.ticket.setText("A007")

    other = sqlite3.connect(db_location, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # the other station's write transaction
    try:
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        form.save()
        form.save()  # a second Enter while the first is waiting
        qtbot.wait(800)
        timer.stop()
        assert form.busy and form.ticket.text() == "A007"
        assert len(ticks) >= 10  # the event loop kept running the whole time
        assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.5
    finally:
        other.rollback()
        other.close()
    settle(qtbot)
    [row] = visitors.waiting_now()
    assert row.ticket_no == "A007" and not form.busy and form.ticket.text() == ""
