"""Demo data (示范数据): a realistic branch for the N days up to today, fast.

One generator per domain (``visits`` today; complaints, inspections and meetings join as their
tabs arrive), all drawing on the same hall profile (``profiles``) and demo users (``people``).
A run killed midway leaves a healthy database holding whole days. Free of Qt.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import Visit
from frontdesk.errors import ConflictError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import clock, kit, session, settings
from frontdesk.services.demo import care as demo_care
from frontdesk.services.demo import complaints, faults, inspections, meetings, people, visits
from frontdesk.services.demo import slips as demo_slips
from frontdesk.services.demo.people import DEMO_USERS
from frontdesk.services.demo.profiles import PROFILES
from frontdesk.services.presets import DEFAULT_PRESET, PRESETS

__all__ = ["DEMO_USERS", "MAX_DAYS", "DemoSummary", "existing_visits", "generate"]

MAX_DAYS = 3660
INSPECTION_CHUNK_DAYS = 60  # days of inspections per transaction
CHUNK_ROWS = 5000  # rows per transaction (always whole days)


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run wrote, for the CLI's closing line."""

    first_day: date
    last_day: date
    days: int
    open_days: int
    visits: int
    waiting_now: int
    serving_now: int
    branch_name: str
    preset: str
    seed: int
    # The demo users: (user name, name, role, password — None when the user existed already).
    users: tuple[tuple[str, str, str, str | None], ...] = ()
    # Today, at the moment of the run: "open" (visits up to now), "not_yet_open" (before the
    # opening time: nothing yet) or "closed" (the hall does not open today).
    today: str = "open"
    opening_time: time = time(9, 0)
    inspection_runs: int = 0
    corrective_actions: int = 0
    tickets: int = 0  # complaint tickets (and opinion-book entries) written
    meetings: int = 0  # meetings of every kind written
    cases: int = 0  # teaching cases written
    faults: int = 0  # equipment faults written


def _prepare_settings(preset: str | None) -> settings.BranchSettings:
    """Name the demo branch and pick its preset, so no first-run dialog appears."""
    current = settings.load()
    if not current.configured:
        name = preset or DEFAULT_PRESET
        profile = PROFILES.get(name, PROFILES[DEFAULT_PRESET])
        settings.first_run(profile.branch_name, name)
        settings.save(replace(settings.load(), opening_time=profile.opening, closing_time=profile.closing))
    elif preset and preset != current.preset:
        settings.save(replace(current, preset=preset))
    return settings.load()


@kit.query(session.MANAGE_SETTINGS)
def existing_visits() -> int:
    return Visit.select().count()


# Several transactions (one per chunk of whole days), each a command of its own: the role is
# checked here first, so nothing is prepared for someone who may not run the demo.
@kit.action(session.MANAGE_SETTINGS)
def generate(
    days: int,
    *,
    seed: int | None = None,
    preset: str | None = None,
    append: bool = False,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill the open database with the visits of the ``days`` days up to today.

    Refuses (``ConflictError``) a database that already holds visits unless ``append``: demo
    data must never mix silently with a hall's real register.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError.single("days", _("天数应在 1 到 {n} 之间。").format(n=MAX_DAYS))
    if preset is not None and preset not in PRESETS:
        raise ValidationError.single(
            "preset",
            _("未知的行业预设：{name}（可选：{names}）").format(name=preset, names="、".join(PRESETS)),
        )
    found = existing_visits()
    if found and not append:
        raise ConflictError(
            _("数据库里已有 {n} 条来访记录，为免与真实记录混在一起，未生成示范数据。"
              "如确需追加，请使用追加选项（命令行：--append）。").format(n=found)
        )
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    now = (now or clock.now()).replace(microsecond=0)
    branch = _prepare_settings(preset)
    demo_users = people.ensure_users()
    guide = people.guide_id()
    generator = visits.VisitGenerator(branch.preset, seed, branch)
    last_day = now.date()
    first_day = last_day - timedelta(days=days - 1)
    pending: list[visits.VisitRow] = []
    total = open_days = 0
    waiting = serving = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        rows = generator.day_rows(day, now)
        if rows:
            open_days += 1
            # Voided visits are written (a real register has a few) but count for nothing,
            # here as in ``check`` and every figure.
            total += sum(1 for r in rows if r.voided_at is None)
            pending.extend(rows)
        if day == last_day:
            waiting = sum(1 for r in rows if r.status == visits.WAITING and r.voided_at is None)
            serving = sum(1 for r in rows if r.status == visits.SERVING)
        if len(pending) >= CHUNK_ROWS:
            visits.write_visits(pending, guide)
            pending = []
        if progress is not None:
            progress(offset + 1, days)
    if pending:
        visits.write_visits(pending, guide)
    demo_care.write_care(first_day, last_day, seed, branch.standards.water_minutes)
    demo_slips.write_slips(first_day, last_day, seed)
    open_dates = [first_day + timedelta(days=n) for n in range(days)
                  if generator.day_factor(first_day + timedelta(days=n)) > 0]
    checked = _inspections(open_dates, now, seed, branch)
    tickets = complaints.write_tickets(complaints.plan(first_day, last_day, now, seed), guide)
    # faults and tickets before the meetings: a morning meeting reads them out
    reported = 0
    for start in range(0, len(open_dates), INSPECTION_CHUNK_DAYS):
        reported += faults.write_faults(open_dates[start:start + INSPECTION_CHUNK_DAYS], now, seed, branch)
    held = cases = 0
    for start in range(0, len(open_dates), INSPECTION_CHUNK_DAYS):
        done_meetings = meetings.write_days(open_dates[start:start + INSPECTION_CHUNK_DAYS], now, seed, branch)
        held, cases = held + done_meetings.meetings, cases + done_meetings.cases
    cases += meetings.cases_from_complaints(seed)
    if generator.day_factor(last_day) <= 0:
        today = "closed"
    elif now.time() < branch.opening_time:
        today = "not_yet_open"
    else:
        today = "open"
    if total == 0:
        # Nothing written, yet the run happened (and created users, perhaps): the trail says so.
        visits.note_empty_run(first_day, last_day)
    return DemoSummary(
        first_day=first_day,
        last_day=last_day,
        days=days,
        open_days=open_days,
        visits=total,
        waiting_now=waiting,
        serving_now=serving,
        branch_name=branch.branch_name,
        preset=branch.preset,
        seed=seed,
        users=demo_users,
        today=today,
        opening_time=branch.opening_time,
        inspection_runs=checked.runs,
        corrective_actions=checked.actions,
        tickets=tickets,
        meetings=held,
        cases=cases,
        faults=reported,
    )


def _inspections(open_dates: list[date], now: datetime, seed: int,
                 branch: settings.BranchSettings) -> inspections.DemoInspections:
    """The roster, and the checks of the open days, in chunks of whole days."""
    staff_ids = inspections.ensure_roster()
    runs = actions = 0
    for start in range(0, len(open_dates), INSPECTION_CHUNK_DAYS):
        done = inspections.write_days(open_dates[start:start + INSPECTION_CHUNK_DAYS], now, seed, branch, staff_ids)
        runs, actions = runs + done.runs, actions + done.actions
    return inspections.DemoInspections(runs, actions)
