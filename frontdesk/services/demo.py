"""Demo data (示范数据): realistic visits for the N days up to today, fast.

Why a small queue simulation instead of independent random numbers: waits, walk-outs and
counter staff then agree with each other the way they do in a real hall. No counter serves two
customers at once, queues build up at the morning and afternoon peaks, customers who would wait
too long leave without being served, and lunch rotation shows in the afternoon figures. Every
report built on top therefore looks like one from a real branch.

Rows are built in Python and written with ``insert_many``, one transaction per chunk of whole
days: a year takes seconds, and a run killed midway leaves a healthy database holding whole days.
A given seed always gives the same data (each day has its own generator seeded from the seed,
the preset and the date). Free of Qt.
"""

from __future__ import annotations

import itertools
import math
import random
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.database import read_only, write_transaction
from frontdesk.db.models import User, Visit
from frontdesk.errors import ConflictError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, lists, session, settings, users
from frontdesk.services.presets import BUSINESS_TYPE, DEFAULT_PRESET, DESTINATION, DOCUMENT, PRESETS
from frontdesk.services.visitors import (
    FINISHED,
    LEFT,
    SERVING,
    SPECIAL_NEEDS,
    SURRENDER_REASONS,
    WAITING,
)

MAX_DAYS = 3660
CHUNK_ROWS = 5000  # rows per transaction (always whole days)
BATCH_ROWS = 400  # rows per INSERT statement: well under SQLite's and PostgreSQL's parameter limits
TICKETS_STOP_MINUTES = 10  # the ticket machine stops this long before closing

# --------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class _Business:
    """How one business type behaves at the hall."""

    weight: float  # share of the day's visitors
    service: float  # mean service minutes
    routes: tuple[tuple[str, float], ...]  # destination tag → probability
    papers: float = 0.0  # chance the papers are incomplete (资料不全)
    documents: tuple[str, ...] = ()  # papers most often missing


@dataclass(frozen=True)
class _Profile:
    branch_name: str
    opening: time
    closing: time
    weekday_visits: int
    saturday: float  # share of a weekday's visitors; 0: closed
    sunday: float
    holiday: float  # statutory holidays (法定节假日)
    counters_weekday: int
    counters_weekend: int
    special_needs_rate: float
    vip_rate: float
    businesses: dict[str, _Business]


_CONSULT = _Business(14, 4, (("consult", 0.85), ("online", 0.15)))
_COMPLAINT = _Business(3, 22, (("reception", 1.0),))
_UNKNOWN = _Business(3, 8, (("counter", 1.0),), papers=0.04)

_PROFILES: dict[str, _Profile] = {
    "insurance": _Profile(
        branch_name="示范人寿城东客户服务中心",
        opening=time(8, 30),
        closing=time(17, 0),
        weekday_visits=150,
        saturday=0.4,
        sunday=0.0,
        holiday=0.0,
        counters_weekday=3,
        counters_weekend=2,
        special_needs_rate=0.065,
        vip_rate=0.05,
        businesses={
            "咨询": _CONSULT,
            "缴费": _Business(14, 5, (("counter", 0.65), ("self_service", 0.25), ("online", 0.1)), 0.02,
                            ("银行卡/存折", "投保人身份证原件")),
            "新契约/投保": _Business(7, 18, (("counter", 1.0),), 0.1,
                                 ("投保人身份证原件", "被保险人身份证原件", "银行卡/存折", "关系证明/户口本")),
            "保全变更": _Business(16, 10, (("counter", 0.9), ("self_service", 0.1)), 0.09,
                              ("保单原件", "投保人身份证原件", "授权委托书", "受托人身份证", "银行卡/存折")),
            "理赔": _Business(17, 12, (("counter", 1.0),), 0.13,
                            ("理赔申请书", "病历/诊断证明", "医疗费用发票原件", "被保险人身份证原件",
                             "银行卡/存折", "关系证明/户口本")),
            "退保": _Business(8, 16, (("counter", 1.0),), 0.08,
                            ("保单原件", "投保人身份证原件", "银行卡/存折", "授权委托书", "受托人身份证")),
            "投诉": _COMPLAINT,
            "查询": _Business(14, 5, (("counter", 0.4), ("self_service", 0.4), ("online", 0.2)), 0.02,
                            ("投保人身份证原件",)),
        },
    ),
    "bank": _Profile(
        branch_name="示范银行城东支行营业部",
        opening=time(9, 0),
        closing=time(17, 0),
        weekday_visits=220,
        saturday=0.45,
        sunday=0.4,
        holiday=0.3,
        counters_weekday=3,
        counters_weekend=2,
        special_needs_rate=0.065,
        vip_rate=0.06,
        businesses={
            "现金": _Business(24, 5, (("counter", 0.8), ("self_service", 0.2)), 0.01, ("本人身份证原件",)),
            "非现金": _Business(22, 8, (("counter", 0.55), ("self_service", 0.45)), 0.05,
                              ("本人身份证原件", "银行卡/存折", "代理人身份证", "授权委托书")),
            "理财": _Business(9, 15, (("vip", 0.7), ("counter", 0.3)), 0.02, ("本人身份证原件",)),
            "开户": _Business(8, 14, (("counter", 1.0),), 0.1,
                            ("本人身份证原件", "代理人身份证", "关系证明/户口本")),
            "挂失": _Business(4, 9, (("counter", 0.85), ("self_service", 0.15)), 0.06,
                            ("本人身份证原件", "代理人身份证")),
            "对公": _Business(8, 16, (("department", 0.6), ("counter", 0.4)), 0.12,
                            ("营业执照", "公章/财务章", "代理人身份证", "授权委托书")),
            "信贷": _Business(5, 20, (("department", 1.0),), 0.1, ("本人身份证原件", "收入证明")),
            "咨询": _CONSULT,
            "投诉": _COMPLAINT,
        },
    ),
    "telecom": _Profile(
        branch_name="示范通信城东营业厅",
        opening=time(9, 0),
        closing=time(18, 0),
        weekday_visits=230,
        saturday=0.8,
        sunday=0.7,
        holiday=0.6,
        counters_weekday=3,
        counters_weekend=3,
        special_needs_rate=0.06,
        vip_rate=0.04,
        businesses={
            "咨询": _CONSULT,
            "缴费": _Business(18, 3, (("self_service", 0.6), ("counter", 0.3), ("online", 0.1))),
            "开户/入网": _Business(12, 12, (("counter", 1.0),), 0.08, ("机主身份证原件", "代办人身份证")),
            "变更/过户": _Business(9, 12, (("counter", 1.0),), 0.14,
                                ("机主身份证原件", "原户主证明", "授权委托书", "代办人身份证",
                                 "房产证/购房合同")),
            "补换卡/补证": _Business(12, 7, (("counter", 0.85), ("self_service", 0.15)), 0.06,
                                 ("机主身份证原件", "原SIM卡/用户卡")),
            "故障报修": _Business(8, 8, (("counter", 0.45), ("department", 0.35), ("online", 0.2))),
            "发票打印": _Business(7, 3, (("self_service", 0.8), ("counter", 0.2))),
            "销户": _Business(4, 10, (("counter", 1.0),), 0.1, ("机主身份证原件", "营业执照")),
            "投诉": _COMPLAINT,
        },
    ),
    "hospital": _Profile(
        branch_name="示范医院门诊部导医台",
        opening=time(7, 30),
        closing=time(17, 30),
        weekday_visits=360,
        saturday=0.55,
        sunday=0.4,
        holiday=0.3,
        counters_weekday=2,
        counters_weekend=1,
        special_needs_rate=0.08,
        vip_rate=0.01,
        businesses={
            "咨询/指引": _Business(30, 2, (("department", 0.75), ("self_service", 0.15), ("online", 0.1))),
            "挂号": _Business(20, 3, (("counter", 0.5), ("self_service", 0.5)), 0.03, ("医保卡/社保卡", "身份证")),
            "缴费": _Business(17, 3, (("counter", 0.55), ("self_service", 0.35), ("online", 0.1)), 0.02,
                            ("医保卡/社保卡", "就诊卡")),
            "取报告": _Business(10, 2, (("self_service", 0.8), ("counter", 0.2)), 0.02, ("就诊卡",)),
            "预约": _Business(6, 4, (("self_service", 0.3), ("online", 0.4), ("counter", 0.3))),
            "医保/报销": _Business(6, 10, (("counter", 1.0),), 0.15,
                                ("医保卡/社保卡", "发票原件", "病历本", "转诊单", "身份证")),
            "病历复印": _Business(4, 8, (("department", 0.7), ("counter", 0.3)), 0.1, ("身份证", "病历本")),
            "陪诊/助老": _Business(3, 15, (("priority", 1.0),)),
            "投诉": _COMPLAINT,
        },
    ),
}

# Weekday rhythm: Monday is the busiest day of a hall, mid-week the quietest.
_DOW_FACTOR = (1.15, 1.0, 0.95, 0.95, 1.05)

# Seed 004 categories, weighted as they turn up at a Chinese hall: mostly the elderly.
_NEEDS_WEIGHTS = {
    "elderly": 55, "walking": 10, "infant": 9, "pregnant": 5, "hearing": 5, "visual": 3,
    "sick": 6, "writing": 2, "foreigner": 3, "emergency": 2,
}

# Seed 000: the most common surrender reasons first; chance that retention succeeds.
_SURRENDER = {
    "need_cash": (24, 0.45), "hardship": (20, 0.3), "no_gain": (14, 0.2), "misled": (10, 0.25),
    "favour": (10, 0.15), "claim": (7, 0.2), "healthy": (6, 0.3), "instigated": (5, 0.35),
    "other": (4, 0.2),
}
_RETAINED_NOTES = {
    "need_cash": "办理保单贷款解决用钱需求，保单继续有效",
    "hardship": "改为减额缴清，保单继续有效",
}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
_STAFF = (
    "陈晓燕", "刘晨", "王丽娟", "赵磊", "孙婷婷", "周建国", "吴佳怡", "郑浩然", "许文静", "冯志远",
)
_GUIDES = ("李静", "杨帆", "马晓琳")
_MANAGERS = ("黄志强", "何敏")
# One user of each role, so that a demo database can be signed into; the guide registers the visits.
DEMO_USERS = (
    ("admin", "系统管理员", session.ADMIN),
    ("huangzhiqiang", _MANAGERS[0], session.DUTY_MANAGER),
    ("lijing", _GUIDES[0], session.FRONT_DESK),
)
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread: no l/1, o/0, i
_VIP_STAFF = ("林倩", "高远")
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
)
_COMPLAINT_NOTES = (
    "客户反映等候时间过长，已致歉并说明原因",
    "对理赔/办理时效不满，已登记并承诺跟进",
    "反映工作人员解释不清，值班经理已当面沟通",
    "对收费有疑问，已解释并提供明细",
)
_OTHER_NOTES = (
    "业务系统维护，已为客户预约次日办理",
    "客户临时有事，改日再来",
    "需总部审核，已告知客户等候通知",
)
_VOID_REASONS = ("重复登记", "登记错误，已重新登记")

# Queue groups: which destination tags share servers, and who stands behind them.
_QUEUED = ("counter", "priority", "vip", "consult", "reception", "self_service")
_TICKET_PREFIX = {"counter": "A", "priority": "A", "vip": "V"}


# --------------------------------------------------------------------- results


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


# --------------------------------------------------------------------- helpers


def _day_kind(day: date) -> str:
    """``workday``, ``saturday``, ``sunday`` or ``holiday``, per China's official calendar.

    Make-up working days (调休) count as workdays. For a year the calendar library does not
    know yet, the plain weekday rule applies.
    """
    try:
        import chinese_calendar

        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except (ImportError, NotImplementedError):
        on_holiday, name = day.weekday() >= 5, None
    if not on_holiday:
        return "workday"
    if name is not None:
        return "holiday"
    return "saturday" if day.weekday() == 5 else "sunday"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _arrival_weights(
    opening: time, closing: time, peaks: Sequence[tuple[time, time]]
) -> tuple[list[int], list[float]]:
    """Arrival minutes of the day and their cumulative weights: peaks, lunch dip, quiet end."""
    start, end = _minutes(opening), _minutes(closing) - TICKETS_STOP_MINUTES
    minutes = list(range(start, max(start, end)))
    cumulative: list[float] = []
    total = 0.0
    for m in minutes:
        weight = 1.0
        if m < start + 20:
            weight = 1.5  # people waiting at the door
        for index, (p_start, p_end) in enumerate(peaks):
            if _minutes(p_start) <= m < _minutes(p_end):
                weight = 2.3 if index == 0 else 1.9
                break
        else:
            if 11 * 60 + 45 <= m < 13 * 60 + 30:
                weight = 0.6
            elif m >= _minutes(closing) - 45:
                weight = 0.5
        total += weight
        cumulative.append(total)
    return minutes, cumulative


def _lognormal(rng: random.Random, mean: float, sigma: float = 0.5) -> float:
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _phone(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _name(rng: random.Random, elderly: bool) -> str:
    surname = rng.choice(_SURNAMES)
    if elderly and rng.random() < 0.4:
        return surname + rng.choice(("阿姨", "大爷", "老先生"))
    return surname + rng.choice(("先生", "女士"))


class _Server:
    """One counter, desk or machine: who works it and when it is next free (seconds of the day)."""

    __slots__ = ("free_at", "destination", "staff", "break_start", "break_end")

    def __init__(self, free_at: float, destination: int, staff: str) -> None:
        self.free_at = free_at
        self.destination = destination
        self.staff = staff
        self.break_start = self.break_end = -1.0

    def available(self, earliest: float) -> float:
        at = max(self.free_at, earliest)
        if self.break_start <= at < self.break_end:
            at = self.break_end
        return at


@dataclass
class _Customer:
    arrival: float
    business: int  # list_item id
    business_label: str
    business_tag: str | None
    spec: _Business
    group: str  # destination tag
    destination: int
    needs: int = 0
    elderly: bool = False
    vip: bool = False
    ticket: str = ""
    called: float | None = None
    finished: float | None = None
    outcome: str | None = None
    staff: str = ""
    missing: tuple[str, ...] = ()
    surrender_reason: str | None = None
    retention: str | None = None
    notes: str = ""


# --------------------------------------------------------------------- the generator


class _Generator:
    """Holds what every day needs: the lists, the profile, the hours."""

    def __init__(self, preset: str, seed: int, branch: settings.BranchSettings) -> None:
        self.preset = preset
        self.seed = seed
        self.profile = _PROFILES.get(preset, _PROFILES[DEFAULT_PRESET])
        self.opening = branch.opening_time
        self.closing = branch.closing_time
        self.minutes, self.cumulative = _arrival_weights(
            self.opening, self.closing, branch.standards.peak_periods
        )
        self.businesses = lists.entries(BUSINESS_TYPE)
        destinations = lists.entries(DESTINATION)
        self.documents = [e.label for e in lists.entries(DOCUMENT)]
        if not self.businesses or not destinations:
            raise ValidationError.single("preset", _("业务类型或分流去向列表为空，无法生成示范数据。"))
        self.by_tag: dict[str, list[int]] = {}
        for entry in destinations:
            self.by_tag.setdefault(entry.tag or "other", []).append(entry.id)
        self.any_destination = destinations[0].id
        self.specs = [self._spec(e.label, e.tag) for e in self.businesses]
        self.business_cumulative = list(itertools.accumulate(s.weight for s in self.specs))
        self.business_indexes = range(len(self.specs))
        self.needs_codes = list(_NEEDS_WEIGHTS)
        self.needs_cumulative = list(itertools.accumulate(_NEEDS_WEIGHTS.values()))
        self.needs_bits = {code: SPECIAL_NEEDS[code][0] for code in _NEEDS_WEIGHTS}

    def _spec(self, label: str, tag: str | None) -> _Business:
        spec = self.profile.businesses.get(label)
        if spec is not None:
            return spec
        if tag == "consult":
            return _CONSULT
        if tag == "complaint":
            return _COMPLAINT
        if tag == "surrender":
            return _PROFILES["insurance"].businesses["退保"]
        return _UNKNOWN

    # ---- one day

    def day_factor(self, day: date) -> float:
        kind = _day_kind(day)
        p = self.profile
        if kind == "workday":
            return _DOW_FACTOR[day.weekday()] if day.weekday() < 5 else 1.0
        return {"saturday": p.saturday, "sunday": p.sunday, "holiday": p.holiday}[kind]

    def day_rows(self, day: date, now: datetime) -> list[tuple]:
        """Every visit of ``day`` as insert rows; for today only what happened up to ``now``."""
        factor = self.day_factor(day)
        if factor <= 0 or not self.minutes:
            return []
        rng = random.Random(f"frontdesk-demo:{self.seed}:{self.preset}:{day.isoformat()}")
        weekday = _day_kind(day) == "workday"
        noise = min(1.3, max(0.75, rng.gauss(1.0, 0.1)))
        count = max(1, round(self.profile.weekday_visits * factor * noise))
        arrivals = sorted(
            m * 60 + rng.randrange(60)
            for m in rng.choices(self.minutes, cum_weights=self.cumulative, k=count)
        )
        customers = [self._customer(rng, arrival) for arrival in arrivals]
        self._tickets(rng, customers)
        servers = self._servers(rng, weekday)
        for group in _QUEUED:
            queue = [c for c in customers if c.group == group]
            if queue:
                self._serve_queue(rng, queue, servers[group], group)
        guide = servers["consult"][0].staff
        for c in customers:
            if c.group not in _QUEUED:
                self._refer(rng, c, guide)
        for c in customers:
            if c.called is not None:
                self._close(rng, c)
        return self._rows(rng, day, customers, now)

    def _customer(self, rng: random.Random, arrival: float) -> _Customer:
        index = rng.choices(self.business_indexes, cum_weights=self.business_cumulative)[0]
        entry, spec = self.businesses[index], self.specs[index]
        c = _Customer(arrival, entry.id, entry.label, entry.tag, spec, "counter", 0)
        if rng.random() < self.profile.special_needs_rate or spec.routes[0][0] == "priority":
            codes = {rng.choices(self.needs_codes, cum_weights=self.needs_cumulative)[0]}
            if "elderly" in codes and rng.random() < 0.2:
                codes.add(rng.choice(("walking", "hearing", "visual")))
            c.needs = sum(self.needs_bits[code] for code in codes)
            c.elderly = "elderly" in codes
        c.vip = rng.random() < self.profile.vip_rate
        routes = {tag: p for tag, p in spec.routes if tag in self.by_tag}
        group = _weighted(rng, routes) if routes else "counter"
        if group == "counter" and c.needs and "priority" in self.by_tag:
            group = "priority"
        elif group == "counter" and c.vip and "vip" in self.by_tag and rng.random() < 0.7:
            group = "vip"
        if group not in self.by_tag:
            group = "counter" if "counter" in self.by_tag else next(iter(self.by_tag))
        c.group = group
        c.destination = rng.choice(self.by_tag[group])
        return c

    def _tickets(self, rng: random.Random, customers: list[_Customer]) -> None:
        """Queue tickets in arrival order per prefix (A023, V005); a few are not written down."""
        numbers: dict[str, int] = {}
        for c in customers:
            prefix = _TICKET_PREFIX.get(c.group)
            if prefix is None:
                continue
            numbers[prefix] = numbers.get(prefix, 0) + 1
            if rng.random() < 0.92:
                c.ticket = f"{prefix}{numbers[prefix]:03d}"

    def _servers(self, rng: random.Random, weekday: bool) -> dict[str, list[_Server]]:
        """Today's staffing: counters (with lunch rotation on weekdays), desks and machines."""
        p = self.profile
        opening = _minutes(self.opening) * 60.0
        staff = rng.sample(_STAFF, len(_STAFF))
        guides = rng.sample(_GUIDES, len(_GUIDES))
        counters = self.by_tag.get("counter", [self.any_destination])
        staffed = max(1, min(len(counters), p.counters_weekday if weekday else p.counters_weekend))
        servers: dict[str, list[_Server]] = {
            "counter": [_Server(opening, counters[i], staff[i]) for i in range(staffed)],
        }
        if weekday and staffed >= 3:
            for server, start in zip(servers["counter"], (11 * 60 + 45, 12 * 60 + 30), strict=False):
                server.break_start, server.break_end = start * 60.0, (start + 45) * 60.0

        def desk(tag: str, person: str, count: int = 1) -> list[_Server]:
            dest = self.by_tag.get(tag, [self.any_destination])
            return [_Server(opening, dest[i % len(dest)], person) for i in range(count)]

        servers["priority"] = desk("priority", staff[staffed])
        servers["vip"] = desk("vip", rng.choice(_VIP_STAFF))
        servers["consult"] = desk("consult", guides[0])
        servers["reception"] = desk("reception", rng.choice(_MANAGERS))
        servers["self_service"] = desk("self_service", guides[1], count=3)
        return servers

    def _serve_queue(self, rng: random.Random, queue: list[_Customer], servers: list[_Server],
                     group: str) -> None:
        """First come, first served on the group's servers; the impatient leave (未办理离开)."""
        # Ticket called, customer walks over: a few minutes even when a counter is free.
        call_delay = {"reception": (60, 300), "counter": (45, 330), "priority": (30, 240),
                      "vip": (30, 240)}.get(group, (15, 120))
        for c in queue:
            earliest = c.arrival + rng.uniform(*call_delay)
            server, called = servers[0], servers[0].available(earliest)
            for other in servers[1:]:
                at = other.available(earliest)
                if at < called:
                    server, called = other, at
            patience = _lognormal(rng, 50.0, 0.5) * 60 if rng.random() > 0.01 else rng.uniform(60, 600)
            if c.needs or c.vip:
                patience *= 1.5  # looked after by the guide, they wait longer
            if called - c.arrival > patience:
                c.finished, c.outcome = c.arrival + patience, LEFT
                continue
            c.called, c.staff = called, server.staff
            c.destination = server.destination
            c.missing = self._missing_papers(rng, c)
            minutes = rng.uniform(2, 5) if c.missing else _lognormal(rng, c.spec.service)
            c.finished = called + max(60.0, minutes * 60)
            server.free_at = c.finished

    def _refer(self, rng: random.Random, c: _Customer, guide: str) -> None:
        """Sent to another department or an online channel: the guide explains and sees them off."""
        c.called = c.arrival + rng.uniform(10, 90)
        c.finished = c.called + rng.uniform(60, 300)
        c.staff = guide
        consult = c.business_tag == "consult"
        c.outcome = ("done" if rng.random() < 0.85 else "referred") if consult else (
            "referred" if rng.random() < 0.9 else "done"
        )

    def _missing_papers(self, rng: random.Random, c: _Customer) -> tuple[str, ...]:
        if rng.random() >= c.spec.papers:
            return ()
        known = [d for d in c.spec.documents if d in self.documents] or self.documents
        if not known:
            return ()
        count = min(len(known), rng.choices((1, 2, 3), weights=(65, 28, 7))[0])
        return tuple(rng.sample(known, count))

    def _close(self, rng: random.Random, c: _Customer) -> None:
        """Outcome, surrender details and notes of a served visit."""
        if c.outcome is None:
            r = rng.random()
            if c.missing:
                c.outcome = "incomplete"
            elif c.group == "reception":
                c.outcome = "done" if r < 0.85 else ("referred" if r < 0.95 else "other")
            else:
                c.outcome = "referred" if r < 0.02 else ("other" if r < 0.03 else "done")
        if c.business_tag == "surrender" and c.outcome in ("done", "incomplete"):
            weights = {k: w for k, (w, _p) in _SURRENDER.items() if k in SURRENDER_REASONS}
            c.surrender_reason = _weighted(rng, weights)
            if c.outcome == "done":
                retained = rng.random() < _SURRENDER[c.surrender_reason][1]
                c.retention = "retained" if retained else "lost"
                c.notes = (
                    _RETAINED_NOTES.get(c.surrender_reason, "讲解条款与保障后，客户同意继续持有保单")
                    if retained else "已受理退保申请，已告知退保损失"
                )
        if c.business_tag == "complaint" or c.group == "reception":
            c.notes = rng.choice(_COMPLAINT_NOTES)
        elif c.outcome == "other":
            c.notes = rng.choice(_OTHER_NOTES)
        elif c.missing:
            c.notes = "已一次性告知所缺资料"
        wait = (c.called or c.arrival) - c.arrival
        if not c.notes and wait > 30 * 60 and rng.random() < 0.6:
            c.notes = "等候较久，已致歉并安抚"
        elif not c.notes and wait > 5 * 60 and rng.random() < 0.1:
            c.notes = "已送水"

    # ---- rows

    def _rows(self, rng: random.Random, day: date, customers: list[_Customer], now: datetime) -> list[tuple]:
        midnight = datetime.combine(day, time())
        limit = (now - midnight).total_seconds() if day == now.date() else math.inf

        def at(seconds: float | None) -> datetime | None:
            return None if seconds is None else midnight + timedelta(seconds=int(seconds))

        rows: list[tuple] = []
        for c in customers:
            if c.arrival > limit:
                break  # arrivals are in order: nobody after now
            called, finished, outcome, status = c.called, c.finished, c.outcome, FINISHED
            if outcome == LEFT:
                status = LEFT
                if finished is not None and finished > limit:
                    finished, outcome, status = None, None, WAITING
            elif called is not None and called > limit:
                called = finished = outcome = None
                status = WAITING
            elif finished is not None and finished > limit:
                finished, outcome, status = None, None, SERVING
            closed = status in (FINISHED, LEFT)
            done = outcome if closed else None
            needs_phone = c.vip or c.missing or c.business_tag in ("complaint", "surrender")
            phone = _phone(rng) if rng.random() < (0.8 if needs_phone else 0.3) else ""
            name = _name(rng, c.elderly) if phone or rng.random() < 0.2 else ""
            arrived = at(c.arrival)
            called_at, finished_at = at(called), at(finished)
            version = {WAITING: 1, SERVING: 2, LEFT: 2, FINISHED: 3}[status]
            last_change = finished_at or called_at or arrived
            rows.append((
                arrived, c.ticket, name, phone, c.business, c.destination, c.needs, c.vip,
                not (c.missing and done == "incomplete"),
                "\n".join(c.missing) if done == "incomplete" else "",
                c.surrender_reason if closed else None,
                c.retention if closed else None,
                status, called_at, finished_at, done,
                c.staff if called_at is not None else "",
                c.notes if closed else "",
                None, "", arrived, last_change, version,
            ))
            if limit == math.inf and rng.random() < 0.004:
                rows.append(self._voided_duplicate(rng, rows[-1]))
        return rows

    def _voided_duplicate(self, rng: random.Random, row: tuple) -> tuple:
        """The same customer registered twice by mistake; the guide voids the copy at once."""
        arrived = row[0] + timedelta(seconds=rng.randrange(20, 120))
        voided = arrived + timedelta(seconds=rng.randrange(30, 300))
        return (
            arrived, "", row[2], row[3], row[4], row[5], row[6], row[7], True, "", None, None,
            WAITING, None, None, None, "", "", voided, rng.choice(_VOID_REASONS), arrived, voided, 2,
        )


_FIELDS = (
    Visit.arrived_at, Visit.ticket_no, Visit.customer_name, Visit.phone, Visit.business_type,
    Visit.destination, Visit.special_needs, Visit.vip, Visit.documents_complete,
    Visit.missing_documents, Visit.surrender_reason, Visit.retention, Visit.status,
    Visit.called_at, Visit.finished_at, Visit.outcome, Visit.served_by, Visit.notes,
    Visit.voided_at, Visit.void_reason, Visit.created_at, Visit.updated_at, Visit.version,
    Visit.created_by,
)


def _insert_sql(db: peewee.Database, rows: int) -> str:
    """A multi-row INSERT for ``rows`` rows, with the backend's placeholders.

    Built by hand because peewee's query builder spends most of a demo run rendering a node
    per value; the values themselves are the plain Python types peewee would hand the driver.
    """
    columns = ", ".join(f'"{f.column_name}"' for f in _FIELDS)
    one = "(" + ", ".join([db.param] * len(_FIELDS)) + ")"
    return f'INSERT INTO "{Visit._meta.table_name}" ({columns}) VALUES ' + ", ".join([one] * rows)


def _batch_rows(db: peewee.Database) -> int:
    """Rows per statement, within the driver's limit on parameters (999 on old SQLite)."""
    if isinstance(db, peewee.SqliteDatabase) and sqlite3.sqlite_version_info < (3, 32):
        return 999 // len(_FIELDS)
    return BATCH_ROWS


def _write(rows: list[tuple], registered_by: int | None) -> None:
    """One transaction: these whole days are all written, with their audit entry, or none of them."""
    with write_transaction() as db:
        session.authorize(session.MANAGE_SETTINGS)
        batch = _batch_rows(db)
        full_sql = _insert_sql(db, batch)
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            sql = full_sql if len(part) == batch else _insert_sql(db, len(part))
            db.execute_sql(sql, [value for row in part for value in (*row, registered_by)])
        first, last = min(r[0] for r in rows), max(r[0] for r in rows)
        audit.record("demo", entity="database", detail=_(
            "示范数据：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 的来访 {n} 条").format(first=first, last=last, n=len(rows)))


def _prepare_settings(preset: str | None) -> settings.BranchSettings:
    """Name the demo branch and pick its preset, so no first-run dialog appears."""
    current = settings.load()
    if not current.configured:
        name = preset or DEFAULT_PRESET
        profile = _PROFILES.get(name, _PROFILES[DEFAULT_PRESET])
        settings.first_run(profile.branch_name, name)
        settings.save(replace(settings.load(), opening_time=profile.opening, closing_time=profile.closing))
    elif preset and preset != current.preset:
        settings.save(replace(current, preset=preset))
    return settings.load()


def _password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))


def _ensure_users() -> tuple[tuple[str, str, str, str | None], ...]:
    """The demo users, created where missing (with a new random password each)."""
    made = []
    for username, name, role in DEMO_USERS:
        with read_only():
            exists = User.select().where(User.login == users.login_key(username)).exists()
        if exists:
            made.append((username, name, role, None))
            continue
        password = _password()
        users.add_user(username, name, role, password)
        made.append((username, name, role, password))
    return tuple(made)


def _guide_id() -> int | None:
    with read_only():
        user = User.get_or_none(User.login == users.login_key(DEMO_USERS[-1][0]))
    return user.id if user is not None else None


def existing_visits() -> int:
    with read_only():
        return Visit.select().count()


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
    session.require(session.MANAGE_SETTINGS)
    now = (now or clock.now()).replace(microsecond=0)
    branch = _prepare_settings(preset)
    demo_users = _ensure_users()
    guide = _guide_id()
    generator = _Generator(branch.preset, seed, branch)
    last_day = now.date()
    first_day = last_day - timedelta(days=days - 1)
    pending: list[tuple] = []
    total = open_days = 0
    waiting = serving = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        rows = generator.day_rows(day, now)
        if rows:
            open_days += 1
            total += len(rows)
            pending.extend(rows)
        if day == last_day:
            waiting = sum(1 for r in rows if r[12] == WAITING and r[18] is None)
            serving = sum(1 for r in rows if r[12] == SERVING)
        if len(pending) >= CHUNK_ROWS:
            _write(pending, guide)
            pending = []
        if progress is not None:
            progress(offset + 1, days)
    if pending:
        _write(pending, guide)
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
    )
