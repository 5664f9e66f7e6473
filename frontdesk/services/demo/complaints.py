"""Demo complaint tickets: a few a day, handled as a hall handles them.

Most are answered on the spot or within their deadline; a few consultations are answered late,
a few complaints are still open (some overdue by today), opinion-book entries are registered after
closing, and one older complaint was extended to 30 days with the branch head's approval. The
deadlines are the real ones (``complaints.clocks_of``), so a demo period over a holiday or a
make-up Saturday shows them counted as the rules say. Written in one transaction with one audit
entry, like the demo visits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import Complaint, ComplaintEvent
from frontdesk.i18n import _
from frontdesk.services import audit, kit, session, workdays
from frontdesk.services import complaint_deadlines as dl
from frontdesk.services import complaints as cs
from frontdesk.services.demo.profiles import GUIDES, MANAGERS, MOBILE_PREFIXES, SURNAMES

DESCRIPTIONS = {
    "attitude": ("客户反映柜员解释保全变更时语气生硬", "客户认为引导员未主动帮助填写单证"),
    "waiting": ("高峰时段等候超过 40 分钟，客户情绪激动", "叫号机故障导致客户重复排队"),
    "claims": ("客户对理赔进度不满，要求说明原因", "客户认为理赔金额计算有误"),
    "surrender": ("客户要求全额退还保费", "客户称销售时未说明退保损失"),
    "mis_selling": ("客户称投保时被告知可随时全额退保",),
    "handling": ("资料多次补交仍未受理", "变更业务办理时间过长"),
    "environment": ("等候区空调过冷", "饮水机无水"),
    "other": ("建议增加周六营业时间",),
}


# The words that find each theme's category in the branch's list (the presets name them
# differently); a theme none of them finds is filed under the last category (其他).
THEME_WORDS = {
    "attitude": ("服务态度",), "waiting": ("等候", "服务质量", "服务态度"), "claims": ("理赔", "业务"),
    "surrender": ("退保", "合同", "业务"), "mis_selling": ("销售", "营销"), "handling": ("业务", "流程", "保全"),
    "environment": ("设施", "环境"), "other": ("其他",),
}


def _category_for(theme: str, labels: list[str]) -> str:
    for word in THEME_WORDS[theme]:
        for label in labels:
            if word in label:
                return label
    return labels[-1] if labels else "其他"


@dataclass
class _Ticket:
    values: dict
    events: list[tuple[str, datetime, str, dict]] = field(default_factory=list)


def _working_day_after(day: date, n: int) -> date:
    try:
        return workdays.add_working_days(day, n)
    except workdays.CalendarUnknownError:
        return day + timedelta(days=n + (2 if n else 0))


def _open_day(day: date) -> bool:
    try:
        return workdays.is_working_day(day)
    except workdays.CalendarUnknownError:
        return day.weekday() < 5


def plan(first: date, last: date, now: datetime, seed: int) -> list[_Ticket]:
    """The tickets of ``first`` … ``last``, with only what happened by ``now``."""
    rng = random.Random(f"frontdesk-demo-complaints:{seed}")
    found: list[_Ticket] = []
    extended = False
    day = first
    while day <= last:
        if _open_day(day):
            for _n in range(rng.choice((0, 1, 1, 2))):
                ticket = _ticket(rng, day, now, extend=not extended and (last - day).days >= 20)
                if ticket is not None:
                    extended = extended or any(e[0] == cs.E_EXTENSION for e in ticket.events)
                    found.append(ticket)
            if rng.random() < 0.3:  # the opinion book, checked after closing (seed 002)
                ticket = _opinion(rng, day, now)
                if ticket is not None:
                    found.append(ticket)
        day += timedelta(days=1)
    return found


def _customer(rng: random.Random) -> dict:
    return {"customer_name": rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
            "phone": rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"}


def _base(rng: random.Random, kind: str, channel: str, category: str, received: datetime) -> dict:
    """``category``: a theme of ``DESCRIPTIONS``, filed under the branch's matching category."""
    return dict(
        kind=kind, channel=channel, category=_category_for(category, cs.categories()), received_at=received,
        accepted_on=received.date(),
        first_contact=rng.choice(GUIDES), handler=rng.choice(MANAGERS), about="",
        motive=rng.choice(tuple(cs.MOTIVES)) if kind == cs.COMPLAINT else None,
        request="", description=rng.choice(DESCRIPTIONS[category]), people=1, major=False,
        status=cs.ACCEPTED, on_the_spot=False,
        regulatory_limit=dl.REGULATORY_DAYS if kind == cs.COMPLAINT else None,
        reply_text="", reply_method=None, reply_proof="", **_customer(rng))


def _ticket(rng: random.Random, day: date, now: datetime, *, extend: bool) -> _Ticket | None:
    received = datetime.combine(day, time(9, 0)) + timedelta(minutes=rng.randrange(7 * 60))
    if received > now:
        return None
    kind = cs.CONSULTATION if rng.random() < 0.35 else cs.COMPLAINT
    category = rng.choice(tuple(c for c in DESCRIPTIONS if c != "other"))
    channel = rng.choice((cs.ON_SITE, cs.ON_SITE, "phone", "letter", "head_office"))
    t = _Ticket(_base(rng, kind, channel, category, received))
    t.events.append((cs.E_ACCEPTED, received, "", {"who": t.values["first_contact"]}))
    manager = MANAGERS[0]
    if rng.random() < 0.35:  # resolved on the spot
        t.values.update(on_the_spot=True, channel=cs.ON_SITE)
        _reply(t, received + timedelta(minutes=15), "当场解释并致歉，客户表示理解", "in_person", "",
               t.values["first_contact"])
        _close(t, received + timedelta(minutes=16), manager, rng)
        return t
    limit = dl.INTERNAL_WORKING_DAYS[kind]
    stuck = rng.random() < 0.15
    late = rng.random() < 0.1
    contact = datetime.combine(_working_day_after(day, 1), time(10, 0))
    if contact <= now:
        t.events.append((cs.E_CONTACT, contact, "已电话联系客户，了解诉求", {"who": t.values["handler"]}))
        t.values["status"] = cs.IN_PROGRESS
    if extend and kind == cs.COMPLAINT:
        at = contact + timedelta(hours=2)
        if at <= now:
            t.events.append((cs.E_EXTENSION, at, "涉及多份保单，需总公司核实",
                             {"days": dl.COMPLEX_DAYS, "approved_by": "分公司客服部", "who": manager}))
            t.values["regulatory_limit"] = dl.COMPLEX_DAYS
            stuck = False
    if stuck:
        return t  # still waiting for a reply (overdue once its deadline passes)
    answer_day = _working_day_after(day, limit + 2 if late else rng.randint(1, limit))
    answered = datetime.combine(answer_day, time(15, 0))
    if answered > now:
        return t
    _reply(t, answered, "已向客户说明处理结果", rng.choice(("phone", "in_person", "sms")), "通话录音/签收记录",
           t.values["handler"])
    closed = answered + timedelta(hours=1)
    if closed <= now:
        _close(t, closed, manager, rng)
    return t


def _opinion(rng: random.Random, day: date, now: datetime) -> _Ticket | None:
    received = datetime.combine(day, time(17, 40))
    if received > now:
        return None
    t = _Ticket(_base(rng, rng.choice((cs.OPINION, cs.SUGGESTION)), rng.choice(("opinion_book", "opinion_box")),
                      rng.choice(("environment", "other", "waiting")), received))
    t.values.update(first_contact=MANAGERS[0], customer_name="", phone="")
    t.events.append((cs.E_ACCEPTED, received, "闭厅后查看意见簿登记", {"who": MANAGERS[0]}))
    answered = datetime.combine(_working_day_after(day, 1), time(11, 0))
    if answered <= now:
        _reply(t, answered, "感谢建议，已安排改进", "written", "意见簿回复栏", MANAGERS[0])
        if answered + timedelta(hours=1) <= now:
            _close(t, answered + timedelta(hours=1), MANAGERS[0], rng)
    return t


def _reply(t: _Ticket, at: datetime, text: str, method: str, proof: str, who: str) -> None:
    t.events.append((cs.E_REPLY, at, text, {"reason": method, "who": who}))
    t.values.update(status=cs.REPLIED, replied_at=at, reply_text=text, reply_method=method, reply_proof=proof)


def _close(t: _Ticket, at: datetime, manager: str, rng: random.Random) -> None:
    t.events.append((cs.E_CLOSED, at, "", {"who": manager}))
    t.values.update(status=cs.CLOSED, closed_at=at,
                    satisfaction=rng.choice(("satisfied", "satisfied", "basic", "dissatisfied")),
                    validity=rng.choice(("valid", "valid", "invalid")))


@kit.command(session.MANAGE_SETTINGS)
def write_tickets(tickets: list[_Ticket], registered_by: int | None) -> int:
    """One transaction: every demo ticket with its timeline and both deadlines, and one audit entry."""
    for t in tickets:
        v = t.values
        internal, regulatory = cs.clocks_of(v["kind"], v["received_at"].date(), v["accepted_on"],
                                            v["regulatory_limit"], [(k, at.date(), extra.get("reason"))
                                                                    for k, at, _text, extra in t.events])
        first = dl.effective(internal, regulatory)
        complaint_id = Complaint.insert(
            **v, internal_due=internal.due, regulatory_due=regulatory.due if regulatory else None,
            due_on=first.due if first else None,
            due_provisional=internal.provisional or bool(regulatory and regulatory.provisional),
            created_at=v["received_at"], updated_at=t.events[-1][1], version=len(t.events),
            created_by=registered_by).execute()
        for kind, at, text, extra in t.events:
            ComplaintEvent.insert(complaint=complaint_id, at=at, kind=kind, text=text, days=extra.get("days"),
                                  reason=extra.get("reason"), approved_by=extra.get("approved_by", ""),
                                  user_id=None, username=extra["who"]).execute()
    if tickets:
        audit.record("demo", entity="database", detail=_("示范数据：投诉工单 {n} 张").format(n=len(tickets)))
    return len(tickets)
