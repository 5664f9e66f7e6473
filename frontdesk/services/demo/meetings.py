"""Demo meetings: every open day's morning meeting 15–30 minutes before opening, with the
roster's attendance (now and then someone late, absent or on leave), praise first, the last
working day's figures as the service computes them, action items of which the older ones were
mostly done days later (some carried over several meetings, a few still open), an after-shift
meeting now and then, the monthly staff meeting before the 30th, and a few teaching cases —
most from meeting sections, one or two from closed complaints (made as 设为典型案例 makes them).
Past meetings are finalised; today's is a draft. Written in one transaction per chunk of days.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from frontdesk.db.database import read_only
from frontdesk.db.models import (
    Complaint,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    MeetingSection,
    Staff,
    TeachingCase,
    User,
)
from frontdesk.i18n import _
from frontdesk.services import audit, kit, session
from frontdesk.services import meetings as mt
from frontdesk.services.demo.profiles import MANAGERS
from frontdesk.services.settings import BranchSettings

PRAISE = ("{name}耐心为老年客户讲解，客户当面致谢", "{name}主动为等候客户送水，获客户好评",
          "{name}业务办理又快又准，昨日零差错", "{name}耐心安抚情绪激动的客户，化解了投诉")
TRAINING = ("新产品条款要点问答", "退保挽留话术分享", "反洗钱身份识别要点", "投诉处理“首问负责制”案例分享")
NOTICES = ("本周起执行新的资料清单", "月底前完成消防安全培训", "节假日营业时间调整通知", "总部服务质量抽检安排")
TODAY = ("高峰时段增开窗口，注意分流", "重点做好老年客户引导", "自助设备使用引导", "做好退保客户挽留")
MONTHLY_FROM = 25  # the monthly staff meeting: the first open day from the 25th (seed 001: by the 30th)
ACTIONS = ("更新宣传资料架", "补充填单台单证", "检修叫号机出票口", "整理意见簿并回复", "更换过期的利率公告",
           "补充饮水机水桶", "安排新员工带教")
CASES = (("老人久等后情绪激动", "投诉处理 等候", "客户等候四十分钟后大声抱怨。", "值班经理引至休息区，送水致歉，安排优先办理。",
          "超时等候要主动安抚，先处理情绪再处理事情。"),
         ("资料不全客户的二次上门", "业务办理 一次性告知", "客户缺少委托书，第二次来仍不齐全。", "一次性书面告知所需资料并电话确认。",
          "一次告知清楚，避免客户多跑。"),
         ("叫号机故障时的秩序维护", "设备 应急", "高峰期叫号机无法出票。", "改为人工发号，报修并张贴说明。",
          "设备故障预案要人人熟悉。"))

COMPLAINT_LESSONS = ("先倾听、再致歉、后解释，首问负责到底。", "答复前核实事实，按时反馈进度，书面留痕。",
                     "把客户的诉求记清楚，办结后回访确认满意度。")
COMPLAINT_CASES = 2  # closed complaints made teaching cases


@dataclass(frozen=True)
class DemoMeetings:
    meetings: int
    actions: int
    cases: int


def _attendance(rng: random.Random) -> tuple[str, int | None, str]:
    roll = rng.random()
    if roll < 0.03:
        return mt.LATE, rng.randint(2, 12), ""
    if roll < 0.04:
        return mt.ABSENT, None, ""
    if roll < 0.07:
        return mt.LEAVE, None, rng.choice(list(mt.LEAVE_KINDS)[:3])
    return mt.PRESENT, None, ""


@kit.command(session.MANAGE_SETTINGS)
def write_days(days: list[date], now: datetime, seed: int, branch: BranchSettings) -> DemoMeetings:
    """The meetings of these open days (today's only when its start has passed), in this transaction."""
    people = list(Staff.select().where(Staff.active == True).order_by(Staff.id))  # noqa: E712
    host = next((p for p in people if p.name == MANAGERS[0]), people[0] if people else None)
    manager = User.get_or_none(User.display_name == MANAGERS[0])
    meetings = actions = cases = 0
    for day in days:
        rng = random.Random(f"frontdesk-demo-meetings:{seed}:{day.isoformat()}")
        lead = rng.randint(15, 30)
        start = datetime.combine(day, branch.opening_time) - timedelta(minutes=lead)
        if start > now or not people:
            continue
        end = start + timedelta(minutes=rng.randint(10, min(20, lead)))  # over by opening time
        final = end.date() < now.date()
        meeting_id = _meeting(mt.MORNING, day, start, end, final, host, manager, people, rng)
        meetings += 1
        if rng.random() < 0.35:
            actions += _action(meeting_id, day, start, now, rng, people, manager)
        if rng.random() < 0.06 and TeachingCase.select().count() < 12:
            title, tags, situation, handling, lesson = rng.choice(CASES)
            TeachingCase.insert(title=title, tags=tags, situation=situation, handling=handling, lesson=lesson,
                                meeting=meeting_id, created_at=end, updated_at=end).execute()
            cases += 1
        evening = datetime.combine(day, branch.closing_time) + timedelta(minutes=10)
        monthly = day.day >= MONTHLY_FROM and not _monthly_held(day)
        if evening < now and (monthly or rng.random() < 0.08):
            length = 50 if monthly else 15
            _meeting(mt.MONTHLY if monthly else mt.AFTER_SHIFT, day, evening, evening + timedelta(minutes=length),
                     evening.date() < now.date(), host, manager, people, rng)
            meetings += 1
    if meetings:
        audit.record("demo", entity="meeting", detail=_(
            "示范数据：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 的会议记录 {n} 次").format(first=days[0], last=days[-1],
                                                                          n=meetings))
    return DemoMeetings(meetings, actions, cases)


def _monthly_held(day: date) -> bool:
    return Meeting.select().where((Meeting.kind == mt.MONTHLY) & (Meeting.day >= day.replace(day=1))
                                  & (Meeting.day <= day)).exists()


def _meeting(kind: str, day: date, start: datetime, end: datetime, final: bool, host: Staff | None,
             manager: User | None, people: list[Staff], rng: random.Random) -> int:
    numbers_day = mt.last_working_day_before(day) if kind == mt.MORNING else None
    numbers = mt.numbers_of(numbers_day) if numbers_day is not None else []
    meeting_id = Meeting.insert(
        kind=kind, day=day, planned_start=start.time() if kind == mt.MORNING else None,
        planned_minutes=20 if kind != mt.MONTHLY else 60, started_at=start.time(), ended_at=end.time(),
        host=host.id if host else None, host_name=host.name if host else "", status=mt.FINAL if final else mt.DRAFT,
        numbers_day=numbers_day, numbers=json.dumps(numbers, ensure_ascii=False) if numbers else "",
        finalised_at=end if final else None, finalised_by=manager.id if manager and final else None,
        created_at=start, updated_at=end).execute()
    praised = rng.choice(people).name
    texts = {"praise": rng.choice(PRAISE).format(name=praised), "training": rng.choice(TRAINING),
             "notices": rng.choice(NOTICES), "today": rng.choice(TODAY), "mood": _("微笑练习一分钟，互相击掌打气")}
    sections = mt.template_sections(kind)
    MeetingSection.insert_many([{"meeting": meeting_id, "position": n, "key": s.key, "title": s.title,
                                 "text": texts.get(s.key, "")} for n, s in enumerate(sections)]).execute()
    rows = []
    for person in people:
        status, late, leave = _attendance(rng)
        attention = rng.random() < 0.02
        rows.append({"meeting": meeting_id, "staff": person.id, "staff_name": person.name, "status": status,
                     "late_minutes": late, "leave_kind": leave,
                     "grooming": mt.GROOMING_ATTENTION if attention else mt.GROOMING_PASS,
                     "grooming_note": _("胸牌未佩戴，已提醒") if attention else ""})
    MeetingAttendance.insert_many(rows).execute()
    return meeting_id


def _action(meeting_id: int, day: date, start: datetime, now: datetime, rng: random.Random,
            people: list[Staff], manager: User | None) -> int:
    created = start + timedelta(minutes=10)
    due = day + timedelta(days=rng.randint(1, 5))
    done_at = created + timedelta(days=rng.randint(1, 8), hours=rng.randint(0, 6))
    if done_at > now or rng.random() < 0.04:
        done_at = None  # still open: carried over to every later meeting
    MeetingAction.insert(meeting=meeting_id, text=rng.choice(ACTIONS), owner=rng.choice(people).id, due_on=due,
                         done_at=done_at, done_by=manager.id if manager and done_at else None,
                         done_by_name=manager.display_name if manager and done_at else "",
                         created_at=created, updated_at=done_at or created).execute()
    return 1


@kit.action(session.HOLD_MEETING)  # each service it calls opens its own transaction
def cases_from_complaints(seed: int, count: int = COMPLAINT_CASES) -> int:
    """One or two closed complaints become teaching cases through the services the ticket's
    设为典型案例 uses (pre-filled from the ticket, a title and a lesson added); each its own
    transaction, audited as a case made by hand is. How many were made."""
    from frontdesk.services import complaints as cs

    with read_only():
        closed = [c.id for c in Complaint.select(Complaint.id).where(
            (Complaint.kind == cs.COMPLAINT) & (Complaint.status == cs.CLOSED) & (Complaint.reply_text != "")
            & Complaint.id.not_in(TeachingCase.select(TeachingCase.complaint).where(
                TeachingCase.complaint.is_null(False)))).order_by(Complaint.id)]
    rng = random.Random(f"frontdesk-demo-complaint-cases:{seed}")
    made = 0
    for complaint_id in sorted(rng.sample(closed, min(count, len(closed)))):
        draft = mt.case_from_complaint(complaint_id)
        title = _("{what}投诉的处理").format(what=draft.title) if draft.title else _("投诉处理")
        mt.add_case(mt.CaseInput(title[:mt.MAX_CASE_TITLE], draft.situation, draft.handling,
                                 rng.choice(COMPLAINT_LESSONS), draft.tags, complaint_id=complaint_id))
        made += 1
    return made
