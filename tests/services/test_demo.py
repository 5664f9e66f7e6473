"""The demo generator on each backend: consistent visits the visitor services can read,
refusal of a database that has visits, and whole days only when a run dies midway."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from frontdesk.db.models import Visit, VisitCare
from frontdesk.errors import ConflictError, ValidationError
from frontdesk.services import demo, lists, settings, visitors
from frontdesk.services.presets import BUSINESS_TYPE, PRESETS

# These run as the command line and scripts do: as the program itself.
pytestmark = pytest.mark.usefixtures("as_command_line")

# A Wednesday afternoon in the 14:00–16:00 peak.
NOW = datetime(2026, 11, 18, 15, 40, 0)


def visit_rows() -> list[Visit]:
    return list(Visit.select().order_by(Visit.id))


def test_generate_writes_what_it_reports_and_sets_up_the_branch(database) -> None:
    assert not settings.load().configured
    summary = demo.generate(3, seed=5, now=NOW)
    rows = visit_rows()
    assert summary.visits == sum(1 for v in rows if v.voided_at is None) > 0
    assert (summary.first_day, summary.last_day, summary.days) == (NOW.date() - timedelta(days=2), NOW.date(), 3)
    branch = settings.load()
    assert branch.configured and branch.preset == "insurance" == summary.preset
    assert branch.branch_name == summary.branch_name
    assert branch.opening_time < branch.closing_time
    days = Counter(v.arrived_at.date() for v in rows)
    assert set(days) <= {summary.first_day + timedelta(days=i) for i in range(3)}
    assert summary.open_days == len(days)


def test_visits_are_consistent_and_stop_at_now(database) -> None:
    demo.generate(3, seed=5, now=NOW)
    diverted = 0
    for v in visit_rows():
        times = [t for t in (v.arrived_at, v.called_at, v.finished_at) if t is not None]
        assert times == sorted(times) and times[-1] <= NOW
        assert all(t.microsecond == 0 for t in times)
        assert v.created_at == v.arrived_at <= v.updated_at <= NOW
        if v.status == visitors.LEFT:
            assert v.called_at is None and v.finished_at is not None and v.outcome == visitors.LEFT
        elif v.status == visitors.FINISHED and v.outcome in visitors.AT_REGISTRATION:
            # Sent elsewhere or answered on the spot: finished as registered, never called.
            assert v.called_at is None and v.finished_at == v.arrived_at
            handling = lists.get_entry(v.destination_id).handling
            assert visitors.OUTCOME_OF_HANDLING[handling] == v.outcome
            diverted += 1
        elif v.status == visitors.FINISHED:
            assert v.called_at is not None and v.outcome in visitors.SERVICE_OUTCOMES
            assert lists.get_entry(v.destination_id).queues
        elif v.status == visitors.SERVING:
            assert v.called_at is not None and v.finished_at is None
        else:
            assert v.status == visitors.WAITING and v.called_at is None
    assert diverted > 0  # the insurance preset sends some customers to self-service or online


def test_the_visitor_services_see_the_demo_day(database) -> None:
    """Today's last arrivals are still waiting or in service, in the order the panel shows them."""
    summary = demo.generate(2, seed=5, now=NOW)
    waiting = visitors.waiting_now()
    serving = visitors.serving_now()
    assert (len(waiting), len(serving)) == (summary.waiting_now, summary.serving_now)
    assert waiting or serving
    assert all(r.arrived_at.date() == NOW.date() for r in waiting + serving)
    keys = [(not r.priority, r.arrived_at) for r in waiting]
    assert keys == sorted(keys)
    counts = visitors.day_counts(NOW.date())
    assert counts.waiting == len(waiting) and counts.serving == len(serving)
    assert counts.registered == sum(
        1 for v in visit_rows() if v.arrived_at.date() == NOW.date() and v.voided_at is None
    )
    row = visitors.get_visit(visit_rows()[0].id).row
    assert row.business_type and row.destination


def test_same_seed_same_rows(database) -> None:
    demo.generate(2, seed=9, now=NOW)
    first = [tuple(v.__data__[k] for k in sorted(v.__data__) if k != "id") for v in visit_rows()]
    care = [(c.at, c.detail) for c in VisitCare.select().order_by(VisitCare.at, VisitCare.id)]
    assert care, "long waits were looked after"
    VisitCare.delete().execute()
    Visit.delete().execute()
    demo.generate(2, seed=9, now=NOW)
    again = [tuple(v.__data__[k] for k in sorted(v.__data__) if k != "id") for v in visit_rows()]
    assert first == again
    assert care == [(c.at, c.detail) for c in VisitCare.select().order_by(VisitCare.at, VisitCare.id)]


def test_refuses_a_database_with_visits_unless_appending(configured) -> None:
    business = lists.entries(BUSINESS_TYPE)[0]
    destination = lists.entries("destination")[0]
    visitors.register(visitors.VisitInput(business_type_id=business.id, destination_id=destination.id))
    with pytest.raises(ConflictError, match="--append"):
        demo.generate(2, seed=1, now=NOW)
    assert Visit.select().count() == 1
    summary = demo.generate(2, seed=1, now=NOW, append=True)
    assert Visit.select().count() == 1 + summary.visits
    assert settings.load().branch_name == "测试支行营业厅"  # a real branch keeps its name


def test_preset_switches_the_lists(database) -> None:
    summary = demo.generate(2, seed=1, preset="hospital", now=NOW)
    assert settings.load().preset == "hospital" == summary.preset
    hospital = {label for label, _tag in PRESETS["hospital"].business_types}
    used = {row.business_type for row in (visitors.get_visit(v.id).row for v in visit_rows()[:50])}
    assert used and used <= hospital


@pytest.mark.parametrize(("kwargs", "field"), [({"days": 0}, "days"), ({"days": 2, "preset": "zoo"}, "preset")])
def test_bad_arguments_are_refused_before_anything_is_written(database, kwargs, field) -> None:
    with pytest.raises(ValidationError) as caught:
        demo.generate(seed=1, now=NOW, **kwargs)
    assert field in caught.value.fields
    assert Visit.select().count() == 0 and not settings.load().configured


def test_a_run_killed_midway_leaves_whole_days(database, monkeypatch) -> None:
    """One transaction per chunk of whole days: a failure inside a chunk writes none of it."""
    written: list[list[tuple]] = []
    statements = 0
    real_write = demo.visits.write_visits

    def write(rows: list[tuple], registered_by: int | None) -> None:
        nonlocal statements
        written.append(list(rows))
        statements = 0
        real_write(rows, registered_by)

    monkeypatch.setattr(demo, "CHUNK_ROWS", 1)  # every open day is its own chunk
    monkeypatch.setattr(demo.visits, "BATCH_ROWS", 20)  # and several INSERT statements
    monkeypatch.setattr(demo.visits, "write_visits", write)
    real_execute = database.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        nonlocal statements
        if sql.startswith('INSERT INTO "visit"'):
            statements += 1
            if len(written) == 3 and statements > 2:  # midway through the third day
                raise RuntimeError("power cut")
        return real_execute(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", execute_sql)
    with pytest.raises(RuntimeError, match="power cut"):
        demo.generate(5, seed=2, preset="telecom", now=NOW)
    monkeypatch.undo()

    assert len(written) == 3
    saved = Counter(v.arrived_at.date() for v in visit_rows())
    expected = Counter(row[0].date() for chunk in written[:2] for row in chunk)
    assert saved == expected and len(saved) == 2


@pytest.mark.parametrize(
    ("now", "today", "message"),
    [
        # Monday 00:15 at an insurer's counter (opens 08:30): today has not begun.
        (datetime(2026, 12, 7, 0, 15), "not_yet_open", "没有营业时段"),
        # Sunday afternoon: an insurer's counter does not open on Sundays.
        (datetime(2026, 12, 6, 15, 0), "closed", "没有营业时段"),
    ],
)
def test_a_run_with_no_open_hours_writes_no_visit_but_is_recorded(database, now, today, message) -> None:
    from frontdesk.db.models import AuditEntry

    summary = demo.generate(1, seed=3, preset="insurance", now=now)
    assert (summary.visits, summary.open_days, summary.today) == (0, 0, today)
    assert Visit.select().count() == 0
    details = [e.detail for e in AuditEntry.select().where(
        (AuditEntry.action == "demo") & (AuditEntry.entity == "database"))]  # the roster has its own
    assert len(details) == 1 and message in details[0] and now.strftime("%Y-%m-%d") in details[0]


def test_an_open_day_reports_the_queue_at_the_moment_of_the_run(database) -> None:
    summary = demo.generate(1, seed=3, preset="insurance", now=datetime(2026, 12, 7, 10, 0))
    assert summary.today == "open" and summary.visits > 0


def test_the_summary_counts_what_check_counts_voided_visits_left_out(database) -> None:
    """``demo`` said 来访 40519 人次 where ``check`` said 40365: the voided ones were counted."""
    from frontdesk.db.database import current_database, is_postgres
    from frontdesk.db.migrations import read_version
    from frontdesk.services import health

    summary = demo.generate(40, seed=11, now=NOW)
    rows = visit_rows()
    voided = sum(1 for v in rows if v.voided_at is not None)
    assert voided > 0  # the case at issue
    db = current_database()
    checked = health.summarize(db, read_version(db), postgres=is_postgres(db))
    assert summary.visits == checked.visits == len(rows) - voided


def test_customers_without_all_their_papers_were_mostly_given_the_slip_and_the_report_counts_them(database) -> None:
    from frontdesk.db.models import AuditEntry
    from frontdesk.reports import KeyFigures
    from frontdesk.services import clock, reporting, slips
    from frontdesk.services.demo.slips import FORMAT, PRINTER

    demo.generate(3, seed=5, now=NOW)
    given = list(VisitCare.select().where(VisitCare.kind == slips.SLIP))
    visits = {v.id: v for v in visit_rows()}
    missing = [v for v in visits.values() if not v.documents_complete and v.voided_at is None]
    assert 0 < len(given) <= len(missing) and len({c.visit_id for c in given}) == len(given)
    for slip in given:
        v = visits[slip.visit_id]
        assert not v.documents_complete and v.voided_at is None
        assert v.arrived_at <= slip.at and (v.called_at is None or slip.at <= v.called_at)
        papers = tuple(p for p in v.missing_documents.split("\n") if p)
        assert slip.detail == slips.slip_detail(papers, FORMAT, slips.PRINTED, PRINTER)
    assert [s.detail for s in slips.slips_of(given[0].visit_id)] == [given[0].detail]
    assert AuditEntry.select().where(AuditEntry.detail == f"示范数据：一次性告知单 {len(given)} 张").count() == 1

    day = NOW.date() - timedelta(days=1)
    by_hand = len({c.visit_id for c in given if visits[c.visit_id].arrived_at.date() == day})
    with clock.pinned(NOW):
        report = reporting.daily_report(day)
    figures = {f.label: f.value for s in report.sections for b in s.blocks if isinstance(b, KeyFigures)
               for f in b.figures}
    assert figures["发出一次性告知单"] == by_hand > 0
