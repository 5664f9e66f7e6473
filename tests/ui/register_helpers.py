"""Building blocks for the register-table tests: many visits, inserted fast."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from frontdesk.db.database import write_transaction
from frontdesk.db.models import Visit
from frontdesk.services import lists

BULK = 500


def list_ids(kind: str) -> dict[str, int]:
    return {e.label: e.id for e in lists.entries(kind, include_inactive=True)}


def insert_visits(count: int, day: date, *, start: time = time(8, 0), step_seconds: int = 5,
                  **overrides: object) -> None:
    """``count`` finished visits on ``day``, one every ``step_seconds``, via ``insert_many``.

    Visit ``n`` is ``客户n`` with ticket ``A{n:05d}``, phone ``139{n:08d}`` (no ``1234`` in it
    unless ``n`` holds it), waited ``n % 30`` minutes and was served for 5 minutes.
    """
    bts = list(list_ids("business_type").values())
    dests = list(list_ids("destination").values())
    first = datetime.combine(day, start)
    rows = []
    for n in range(count):
        arrived = first + timedelta(seconds=n * step_seconds)
        called = arrived + timedelta(minutes=n % 30)
        finished = called + timedelta(minutes=5)
        row = dict(
            arrived_at=arrived, ticket_no=f"A{n:05d}", customer_name=f"客户{n}",
            phone=f"139{n:08d}", business_type=bts[n % len(bts)], destination=dests[n % len(dests)],
            special_needs=0, vip=False, documents_complete=True, missing_documents="",
            status="finished", called_at=called, finished_at=finished, outcome="done",
            served_by="王芳", notes="", void_reason="", created_at=arrived, updated_at=finished,
            version=1,
        )
        row.update(overrides)
        rows.append(row)
    with write_transaction():
        for chunk in range(0, len(rows), BULK):
            Visit.insert_many(rows[chunk:chunk + BULK]).execute()


def type_chinese(widget, text: str) -> None:
    """Type ``text`` as an input method commits it (QTest's key clicks are ASCII only)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
