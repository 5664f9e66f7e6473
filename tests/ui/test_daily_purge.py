"""The retention run at start-up: after the window shows, off the GUI thread, once a day whichever
station starts first, audited as the program with the count."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from PySide6.QtWidgets import QApplication

from frontdesk import app
from frontdesk.app import run_gui
from frontdesk.db.database import close_database, open_database
from frontdesk.db.models import AuditEntry, ListItem, Visit
from frontdesk.services import clock, privacy, session, settings, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui import crash
from tests.ui.session_helpers import answer_sign_in, prepare_database

START = datetime(2026, 3, 30, 8, 50)  # retention of 2 months reaches back across February to 30 January


@pytest.fixture
def hall(tmp_path, monkeypatch):
    """A database with a visit of 30 January (past 2 months on 30 March) and one of 31 January."""
    path = tmp_path / "frontdesk.sqlite"
    prepare_database(str(path))
    monkeypatch.setattr(app, "DAILY_BACKUP_DELAY_MS", 0)
    open_database(str(path))
    try:
        with session.act_as(session.SYSTEM):
            settings.save(replace(settings.load(), retention_months=2))
            bt = ListItem.get((ListItem.kind == "business_type") & ListItem.active).id
            dest = _queue_destination()
            for day in (30, 31):
                at = datetime(2026, 1, day, 10)
                with clock.pinned(at, ticking=False):
                    visitors.register(VisitInput(business_type_id=bt, destination_id=dest, arrived_at=at,
                                                 phone="13812345678", customer_name="王先生"))
    finally:
        close_database()
    yield path
    crash.uninstall()


def _queue_destination() -> int:
    from frontdesk.services import lists

    return next(e.id for e in lists.entries("destination") if e.queues)


def _noted(count: int):
    """Until the trail holds ``count`` retention runs (the daily backup's thread may be the one
    that ran it: whichever comes first claims the day)."""
    return lambda _window: AuditEntry.select().where(AuditEntry.action == "privacy_purge").count() == count


def _start(location: str, qtbot, until) -> None:
    shown = []

    def on_shown(window):
        shown.append(window)
        try:
            qtbot.waitUntil(lambda: until(window), timeout=10000)
        finally:
            QApplication.exit(0)

    signing_in = answer_sign_in("admin", "admin-pass-1")
    assert run_gui(location, on_shown=on_shown) == 0
    signing_in.stop()
    [window] = shown
    window.close()
    window.deleteLater()


def _purges(location: str) -> list[AuditEntry]:
    open_database(location)
    try:
        return list(AuditEntry.select().where(AuditEntry.action == "privacy_purge"))
    finally:
        close_database()


@pytest.mark.qt_no_exception_capture
def test_the_first_start_of_the_day_purges_once_and_the_next_does_not(hall, qtbot, monkeypatch):
    with clock.pinned(START):
        _start(str(hall), qtbot, _noted(1))
    [entry] = _purges(str(hall))
    assert entry.username == session.SYSTEM.username and "1 条来访" in entry.detail
    open_database(str(hall))
    try:
        assert [v.phone for v in Visit.select().order_by(Visit.arrived_at)] == ["", "13812345678"]
    finally:
        close_database()

    runs = []
    real = privacy.daily_purge
    monkeypatch.setattr(privacy, "daily_purge", lambda: runs.append(real()) or runs[-1])
    with clock.pinned(START.replace(hour=14)):  # a second start that day: nothing to do, nothing noted
        _start(str(hall), qtbot, lambda _w: runs == [None])
    assert len(_purges(str(hall))) == 1

    with clock.pinned(START.replace(day=31)):  # the next morning: 31 January is past the period now
        _start(str(hall), qtbot, _noted(2))
    assert len(_purges(str(hall))) == 2
