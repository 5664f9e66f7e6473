"""The demo's inspections: a roster, the day's checks, scores by the service's rule, actions."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from frontdesk.db.models import (
    CorrectiveAction,
    InspectionAnswer,
    InspectionItem,
    InspectionRun,
    InspectionTemplate,
)
from frontdesk.services import demo, session, staff
from frontdesk.services import inspections as ins

NOW = datetime(2026, 11, 18, 15, 40, 0)  # a Wednesday afternoon


@pytest.fixture(autouse=True)
def _command_line():
    with session.act_as(session.command_line_actor()):
        yield


def test_a_month_of_checks_follows_the_schedule_and_the_scoring_rule(database):
    summary = demo.generate(30, seed=4, now=NOW)
    runs = list(InspectionRun.select(InspectionRun, InspectionTemplate)
                .join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id)))
    assert summary.inspection_runs == len(runs) > 0
    assert summary.corrective_actions == CorrectiveAction.select().count()
    assert len(staff.roster()) > 10
    fire_days = {r.day for r in runs if r.template.key == "fire"}
    assert fire_days and all(d.weekday() == 0 for d in fire_days)
    assert all(r.finished_at <= NOW for r in runs)
    assert all((r.status == ins.SIGNED) == (r.day < NOW.date()) for r in runs)
    for run in runs:
        answers = list(InspectionAnswer.select(InspectionAnswer, InspectionItem)
                       .join(InspectionItem, on=(InspectionAnswer.item == InspectionItem.id))
                       .where(InspectionAnswer.run == run.id))
        earned = possible = 0
        for a in answers:
            if a.result == ins.NA or not a.item.scored:
                continue
            if a.points is not None:
                earned, possible = earned + a.item.weight * a.points, possible + a.item.weight * 5
            else:
                earned += a.item.weight if a.result == ins.PASS else 0
                possible += a.item.weight
        assert run.score == pytest.approx(earned / possible)
        assert run.failed == sum(1 for a in answers if a.result == ins.FAIL)
        if run.template.kind == ins.SAMPLING:
            on_duty = [int(x) for x in run.on_duty.split(",")]
            assert run.drawn == ",".join(map(str, ins.draw(on_duty, run.sample_seed)))
            assert len({a.staff_id for a in answers}) == ins.sample_size(len(on_duty))
    failed = Counter(a.run_id for a in InspectionAnswer.select().where(InspectionAnswer.result == ins.FAIL))
    actions = Counter(a.run_id for a in CorrectiveAction.select())
    assert failed == actions  # every preset item turns its failure into an action


def test_older_actions_are_mostly_closed_and_some_are_overdue(database):
    demo.generate(120, seed=4, now=NOW)
    old = list(CorrectiveAction.select().join(InspectionRun, on=(CorrectiveAction.run == InspectionRun.id))
               .where(InspectionRun.day < NOW.date() - timedelta(days=30)))
    assert old
    closed = sum(1 for a in old if a.status != ins.ACTION_OPEN)
    assert closed / len(old) > 0.9
    every = list(CorrectiveAction.select())
    assert any(a.status == ins.ACTION_OPEN and a.due_on is not None and a.due_on < NOW.date() for a in every)
    assert all(a.done_at is None or a.done_at <= NOW for a in every)

    # Every action has its owner from the roster; a sampled person owns their own low score.
    assert all(a.owner_id is not None for a in every)
    sampled = [(a.owner_id, ans.staff_id) for a in every if (ans := InspectionAnswer.get_by_id(a.answer_id)).staff_id]
    assert sampled and all(owner == person for owner, person in sampled)


def test_today_stops_at_now(database):
    morning = datetime(2026, 11, 16, 8, 50)  # a Monday, before opening
    demo.generate(1, seed=2, now=morning)
    today = list(InspectionRun.select().where(InspectionRun.day == date(2026, 11, 16)))
    assert all(r.finished_at <= morning for r in today)


def test_the_demo_walks_both_patrols_so_its_schedule_misses_only_what_it_skipped(database):
    from frontdesk.services import clock

    demo.generate(30, seed=4, now=NOW)
    with clock.pinned(NOW):
        got = ins.schedule(NOW)
    days = {r.day for r in InspectionRun.select(InspectionRun.day)}
    midday = [m for m in got.missed if m.label == "午间巡视"]
    assert len(midday) <= 1 and len(got.missed) <= 4  # the 2 % and 6 % skipped now and then
    assert all(m.day in days for m in got.missed)
