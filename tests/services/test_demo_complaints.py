"""Demo tickets: the deadlines stored are the ones the rules give for their timelines, nothing
happens after "now", and the mix a hall sees is there (on the spot, open, late, opinion book,
one extension with approval) — over National Day 2026 and its make-up Saturday."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontdesk.db.models import Complaint, ComplaintEvent
from frontdesk.services import complaints as cs
from frontdesk.services import demo

pytestmark = pytest.mark.usefixtures("as_command_line")

NOW = datetime(2026, 10, 20, 16, 0)  # thirty days back reach over National Day


def test_demo_tickets_are_consistent_and_varied(database):
    summary = demo.generate(30, seed=7, now=NOW)
    tickets = list(Complaint.select().order_by(Complaint.id))
    assert summary.tickets == len(tickets) > 10
    for c in tickets:
        events = list(ComplaintEvent.select().where(ComplaintEvent.complaint == c.id)
                      .order_by(ComplaintEvent.at, ComplaintEvent.id))
        assert events[0].kind == cs.E_ACCEPTED and all(e.at <= NOW for e in events)
        internal, regulatory = cs.clocks_of(c.kind, c.received_at.date(), c.accepted_on, c.regulatory_limit,
                                            [(e.kind, e.at.date(), e.reason) for e in events])
        assert c.internal_due == internal.due
        assert c.regulatory_due == (regulatory.due if regulatory else None)
        assert c.due_on == min(d for d in (internal.due, c.regulatory_due) if d is not None)
        assert (c.replied_at is not None) == any(e.kind == cs.E_REPLY for e in events)
        assert (c.status == cs.CLOSED) == any(e.kind == cs.E_CLOSED for e in events)
    statuses = {c.status for c in tickets}
    assert cs.CLOSED in statuses and statuses & set(cs.AWAITING_REPLY)
    assert any(c.on_the_spot for c in tickets)
    assert any(c.channel in ("opinion_book", "opinion_box") for c in tickets)
    assert sum(1 for c in tickets if c.regulatory_limit == 30) == 1
    assert any(c.replied_at is not None and c.replied_at.date() > c.due_on for c in tickets)
    # National Day 2026 lies in the period: some internal deadline was counted over it.
    assert any(c.accepted_on.isoformat() < "2026-10-01" < c.internal_due.isoformat() for c in tickets)
