"""Demo inspections: a roster, and for every open day the checks a duty manager walks.

The opening and self-service checks before opening, the patrol within the first hour and again
at midday, the service sampling in the weak midday period, the Monday fire check, the closing check after
closing — each now and then skipped (missed), with a few realistic failures that became
corrective actions: the older ones mostly verified, some left open and overdue. Written straight
into the tables (a year is thousands of answers), in one transaction per chunk of whole days,
with one audit entry each; scores and the sampling draw come from the inspections service's own
rules, so the demo agrees with the screens.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import CorrectiveAction, InspectionAnswer, InspectionRun, Staff, User
from frontdesk.i18n import _
from frontdesk.services import audit, kit, session, workdays
from frontdesk.services import inspections as ins
from frontdesk.services.demo.profiles import GUIDES, MANAGERS, STAFF, VIP_STAFF
from frontdesk.services.settings import BranchSettings

# (position, names): the demo hall's roster.
ROSTER = (("duty_manager", MANAGERS), ("guide", GUIDES), ("lobby_manager", VIP_STAFF), ("teller", STAFF))
FAIL_NOTES = ("已现场整改", "已通知保洁处理", "物品不足，已申领", "已报修，待维修人员上门", "已提醒相关员工")
SAMPLING_NOTES = ("服务用语不规范，已现场指导", "未主动问候客户，已提醒", "办理较慢，已安排带教")
SKIP = {"fire": 0.06}  # the share of days a check is skipped (missed); others: SKIP_OTHER
SKIP_OTHER = 0.02
FAIL_RATE, NA_RATE = 0.015, 0.08
# When each kind is walked: (anchor, earliest minutes, latest minutes) from opening or closing.
WHEN = {
    "opening": ("opening", -25, -8), "self_service": ("opening", -15, -3), "patrol": ("opening", 10, 50),
    "fire": ("opening", 60, 150), ins.SAMPLING: ("closing", -330, -300), "closing": ("closing", 5, 30),
}


@dataclass(frozen=True)
class DemoInspections:
    runs: int
    actions: int


@kit.command(session.MANAGE_SETTINGS)
def ensure_roster() -> list[int]:
    """The demo hall's people (created once), the demo users linked by name; their ids."""
    if not Staff.select().exists():
        accounts = {u.display_name: u.id for u in User.select(User.id, User.display_name)}
        number, now = 0, datetime.combine(date(2000, 1, 1), time.min)
        for position, names in ROSTER:
            for name in names:
                number += 1
                counter = f"{number - len(MANAGERS) - len(GUIDES) - len(VIP_STAFF)}号窗口" if position == "teller" else ""
                Staff.insert(name=name, staff_no=f"D{number:03d}", position=position, counter=counter,
                             user=accounts.get(name), created_at=now, updated_at=now).execute()
        audit.record("demo", entity="staff", detail=_("示范数据：人员名册 {n} 人").format(n=number))
    return [s.id for s in Staff.select(Staff.id).where(Staff.active == True).order_by(Staff.id)]  # noqa: E712


def _moment(kind: str, day: date, branch: BranchSettings, rng: random.Random) -> datetime | None:
    rule = WHEN.get(kind)
    if rule is None:
        return None
    anchor, low, high = rule
    at = datetime.combine(day, branch.opening_time if anchor == "opening" else branch.closing_time)
    return at + timedelta(minutes=rng.randint(low, high), seconds=rng.randrange(60))


def _due(day: date) -> date | None:
    try:
        return workdays.add_working_days(day, ins.ACTION_DUE_WORKDAYS)
    except workdays.CalendarUnknownError:
        return None


@kit.command(session.MANAGE_SETTINGS)
def write_days(days: list[date], now: datetime, seed: int, branch: BranchSettings,
               staff_ids: list[int]) -> DemoInspections:
    """The runs of these open days (today's only as far as ``now``), in this one transaction."""
    manager = User.get_or_none(User.display_name == MANAGERS[0])
    templates = [t for t in ins.current_templates() if t.kind in WHEN]
    runs = actions = 0
    for day in days:
        rng = random.Random(f"frontdesk-demo-inspections:{seed}:{day.isoformat()}")
        for t in templates:
            if not t.due_on(day) or rng.random() < SKIP.get(t.kind, SKIP_OTHER):
                continue
            started = _moment(t.kind, day, branch, rng)
            finished = started + timedelta(minutes=rng.randint(4, 15))
            if finished > now:
                continue
            actions += _write_run(t, day, started, finished, now, rng, manager, staff_ids)
            runs += 1
        midday = _midday_patrol(templates, day, now, seed)  # its own draw: the day's others stay as they were
        if midday is not None:
            patrol, started, finished, extra = midday
            actions += _write_run(patrol, day, started, finished, now, extra, manager, staff_ids)
            runs += 1
    if runs:
        audit.record("demo", entity="inspection_run", detail=_(
            "示范数据：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 的检查记录 {n} 次").format(first=days[0], last=days[-1], n=runs))
    return DemoInspections(runs, actions)


def _midday_patrol(templates: list[ins.TemplateRow], day: date, now: datetime,
                   seed: int) -> tuple[ins.TemplateRow, datetime, datetime, random.Random] | None:
    """The second patrol of the day, in the weak midday period (skipped now and then)."""
    patrol = next((t for t in templates if t.kind == "patrol" and t.due_on(day)), None)
    rng = random.Random(f"frontdesk-demo-inspections:midday:{seed}:{day.isoformat()}")
    if patrol is None or rng.random() < SKIP_OTHER:
        return None
    started = datetime.combine(day, ins.MIDDAY[0]) + timedelta(minutes=rng.randint(5, 80), seconds=rng.randrange(60))
    finished = started + timedelta(minutes=rng.randint(4, 15))
    return (patrol, started, finished, rng) if finished <= now else None


def _write_run(t: ins.TemplateRow, day: date, started: datetime, finished: datetime, now: datetime,
               rng: random.Random, manager: User | None, staff_ids: list[int]) -> int:
    signed = finished.date() < now.date()
    values = {"template": t.id, "day": day, "status": ins.SIGNED if signed else ins.FINISHED,
              "inspector": manager.id if manager else None,
              "inspector_name": manager.display_name if manager else MANAGERS[0], "started_at": started,
              "finished_at": finished, "signed_by": manager.id if manager and signed else None,
              "signed_at": finished + timedelta(hours=1) if signed else None, "created_at": started,
              "updated_at": finished}
    subjects: list[int | None] = [None]
    if t.sampling:
        seed = rng.randrange(2**31)
        drawn = ins.draw(staff_ids, seed)
        subjects = list(drawn)
        values.update(sample_seed=seed, on_duty=",".join(map(str, sorted(staff_ids))),
                      drawn=",".join(map(str, drawn)))
    run_id = InspectionRun.insert(**values).execute()
    lines, failures = [], []
    for subject in subjects:
        for item in t.items:
            points = None
            if t.sampling:
                points = rng.choices((5, 4, 3, 2), (50, 38, 11, 1))[0]
                result = ins.points_result(points)
                note = rng.choice(SAMPLING_NOTES) if result == ins.FAIL else ""
            elif item.allow_na and rng.random() < NA_RATE:
                result, note = ins.NA, ""
            elif rng.random() < FAIL_RATE:
                result, note = ins.FAIL, rng.choice(FAIL_NOTES)
            else:
                result, note = ins.PASS, ""
            answer_id = InspectionAnswer.insert(run=run_id, item=item.id, staff=subject, result=result,
                                                points=points, note=note, answered_at=started).execute()
            lines.append(ins.ScoreLine(item.weight, item.scored, result, points))
            if result == ins.FAIL and item.action_on_fail:
                failures.append((answer_id, item, subject, note))
    InspectionRun.update(score=ins.score(lines), failed=sum(1 for x in lines if x.result == ins.FAIL)) \
        .where(InspectionRun.id == run_id).execute()
    names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_([s for s in subjects if s]))}
    for answer_id, item, subject, note in failures:
        what = f"{names[subject]}：{item.text}" if subject else item.text
        due = _due(day)
        age = (now.date() - day).days
        status, done_at, verified_at = ins.ACTION_OPEN, None, None
        if age > 10 and rng.random() < 0.97 or age > 2 and rng.random() < 0.4:
            done_at = finished + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
            if done_at < now:
                status = ins.ACTION_DONE
                if age > 5:
                    status, verified_at = ins.ACTION_VERIFIED, done_at + timedelta(hours=20)
            else:
                done_at = None
        # The sampled person answers for their own score; any other failure goes to someone of the
        # roster (a draw of its own, so the rest of the demo stays as the seed made it).
        owner = subject or random.Random(f"frontdesk-demo-owner:{answer_id}").choice(staff_ids)
        CorrectiveAction.insert(run=run_id, answer=answer_id, what=f"{what}（{note}）", owner=owner, due_on=due,
                                status=status,
                                done_at=done_at, verified_at=verified_at,
                                verified_by=manager.id if manager and verified_at else None,
                                created_at=finished, updated_at=verified_at or done_at or finished).execute()
    return len(failures)
