"""A full disk while the guide registers: a clear message with the place, the form kept, and
the same Enter saves once there is room again.

Found on the old code: a full disk gave a raw "cannot rollback" message, exit code 70 and the
crash dialog. Here the disk is made full for real: SQLite's ``max_page_count`` on the worker's
own connection stops the file from growing, exactly as a full disk does (SQLITE_FULL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from frontdesk.db.database import current_database
from frontdesk.services import lists, visitors
from frontdesk.ui.kit import worker
from frontdesk.ui.visitors.quick_entry import QuickEntryForm
from tests.ui.register_helpers import type_chinese
from tests.ui.worker_helpers import settle


def _on_worker(qtbot, sql: str) -> None:
    done = []
    worker.shared_worker().submit(lambda: current_database().execute_sql(sql).fetchall(),
                                  on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


def _limit_pages(pages: int) -> None:
    """Every connection opened from now on stops the file at ``pages`` (the worker opens one per
    job); 1073741823 is SQLite's own limit, i.e. room again."""
    db = current_database()
    db._pragmas = [(k, v) for k, v in db._pragmas if k != "max_page_count"] + [("max_page_count", pages)]


@pytest.mark.parametrize("db_location", ["sqlite"], indirect=True)
def test_a_full_disk_keeps_the_form_and_the_next_enter_saves(configured, qtbot, db_location):
    form = QuickEntryForm()
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    _on_worker(qtbot, "VACUUM")
    pages = current_database().execute_sql("PRAGMA page_count").fetchone()[0]
    _limit_pages(pages)  # the disk is full from now on

    saved = 0
    for attempt in range(60):  # the last pages fill up within a few registrations
        form.business.set_current(lists.entries("business_type")[0].id)
        form.destination.set_current(lists.entries("destination")[0].id)
        form.customer_name.setFocus()
        type_chinese(form.customer_name, f"王阿姨{attempt}")
        form.notes.setFocus()
        type_chinese(form.notes, "需要轮椅，已安排爱心窗口。" * 10)
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
        if form.customer_name.text():  # not cleared: refused
            break
        saved += 1
    else:
        pytest.fail("the database never filled up")
    shown = form.message.text()
    assert "磁盘已满" in shown and str(Path(db_location).parent) in shown and "已填写的内容仍在" in shown
    assert form.customer_name.text() == f"王阿姨{saved}" and form.notes.text().startswith("需要轮椅")
    assert len(visitors.waiting_now()) == saved  # nothing half-written

    _limit_pages(1073741823)  # room again
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert len(visitors.waiting_now()) == saved + 1 and not form.customer_name.text()
