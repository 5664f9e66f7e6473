"""The demo's meetings: a morning meeting every open day before opening, the roster's attendance,
the figures as the service computes them, action items carried over, the monthly meeting."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdesk.db.models import Meeting, Visit
from frontdesk.services import demo, session, settings, staff
from frontdesk.services import meetings as mt

NOW = datetime(2026, 11, 18, 15, 40, 0)  # a Wednesday afternoon


@pytest.fixture(autouse=True)
def _command_line():
    with session.act_as(session.command_line_actor()):
        yield


def test_two_months_of_meetings(database):
    demo.generate(60, seed=4, now=NOW)
    opening = settings.load().opening_time
    rows = mt.fetch_meetings(mt.MeetingQuery(NOW.date() - timedelta(days=59), NOW.date()), 0, 1000)
    mornings = [r for r in rows if r.kind == mt.MORNING]
    open_days = {v.arrived_at.date() for v in Visit.select(Visit.arrived_at)}
    assert {r.day for r in mornings} == open_days  # one a day the hall was open, today's included
    assert len(mornings) == len(open_days)
    for r in mornings:
        lead = (datetime.combine(r.day, opening) - datetime.combine(r.day, r.started_at)).total_seconds() / 60
        assert 15 <= lead <= 30 and r.minutes <= min(20, lead)  # over before the doors open
        assert r.expected == len(staff.roster()) and r.attended <= r.expected
        assert (r.status == mt.FINAL) == (r.day < NOW.date())
    monthly = [r for r in rows if r.kind == mt.MONTHLY]
    # the first open day from the 25th of each month (by the 30th): September's and October's;
    # November's is still ahead
    expected = {min(d for d in open_days if d.month == m and d.day >= 25)
                for m in {d.month for d in open_days} if any(d.month == m and d.day >= 25 for d in open_days)}
    assert {r.day for r in monthly} == expected and len(monthly) == 2
    assert all(r.day.day <= 30 for r in monthly)
    detail = mt.get_meeting(max(mornings, key=lambda r: r.day).id)
    assert detail.numbers_day == mt.last_working_day_before(detail.row.day)
    assert list(detail.numbers) == [tuple(n) for n in mt.numbers_of(detail.numbers_day)]
    assert detail.sections[0].title == "表扬" and detail.sections[0].text
    carried = [mt.get_meeting(r.id).carried for r in mornings[-10:]]
    assert any(carried), "some action items are carried over to later meetings"
    assert all(a.meeting_day < d.row.day or a.meeting_id != d.row.id
               for d, items in zip((mt.get_meeting(r.id) for r in mornings[-10:]), carried, strict=True)
               for a in items)
    assert Meeting.select().count() == len(rows)


def test_the_demo_makes_teaching_cases_of_meetings_and_of_one_or_two_closed_complaints(database):
    from frontdesk.db.models import AuditEntry, Complaint, TeachingCase
    from frontdesk.services import complaints as cs

    summary = demo.generate(60, seed=4, now=NOW)
    cases = mt.cases()
    assert len(cases) == summary.cases
    from_tickets = [c for c in cases if c.complaint_id is not None]
    assert len(from_tickets) == 2 and any(c.meeting_id is not None for c in cases)
    for case in from_tickets:
        ticket = Complaint.get_by_id(case.complaint_id)
        assert ticket.status == cs.CLOSED and ticket.kind == cs.COMPLAINT
        draft = mt.case_from_complaint(ticket.id)  # as 设为典型案例 pre-fills it
        assert (case.situation, case.handling) == (draft.situation, draft.handling)
        assert "投诉" in case.tags and ticket.category in case.tags and case.title and case.lesson
    made = AuditEntry.select().where((AuditEntry.entity == "teaching_case") & (AuditEntry.action == "create"))
    assert {e.entity_id for e in made} == {c.id for c in from_tickets}
    assert mt.cases(from_tickets[0].title)  # found in the case book by its title
    assert TeachingCase.select().where(TeachingCase.complaint.is_null(False)).count() == 2
