"""Complaint tickets (投诉工单): complaints, consultations, opinion-book entries and suggestions.

A ticket is registered (by whoever took it: 首问负责), followed up on its timeline, replied to
and closed by the duty manager. Its two deadlines (``complaint_deadlines``) are recomputed from
the timeline at every change and stored, with the earlier of them, so the list's views "due soon"
and "overdue" are plain comparisons of dates. Nothing is deleted: the timeline only grows, and
every change is in the audit trail in the same transaction.

Roles (``session``): every role registers tickets and adds contacts, findings, progress feedback
and the reply (``COMPLAINT_REGISTER``); the duty manager and the administrator assign, pause and
resume the regulator's clock, approve extensions, record new facts and withdrawals, close (with
satisfaction and valid/invalid) and reopen (``COMPLAINT_HANDLE``). A ticket resolved on the spot
by the front desk waits, replied, for the duty manager to close it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.database import read_only
from frontdesk.db.models import Complaint, ComplaintEvent, ListItem, Setting, User, Visit
from frontdesk.errors import ConflictError, FieldChange, NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, fields, holidays, kit, lists, paging, records, session
from frontdesk.services import complaint_deadlines as dl
from frontdesk.services.complaint_deadlines import COMPLAINT, CONSULTATION, OPINION, SUGGESTION, Due
from frontdesk.services.fields import Field, mask_phone
from frontdesk.services.presets import COMPLAINT_CATEGORY
from frontdesk.services.validation import Errors, check_period, clean_search
from frontdesk.services.visitors import normalize_phone
from frontdesk.services.workdays import Overrides

KINDS: dict[str, str] = {
    COMPLAINT: _("投诉"),
    CONSULTATION: _("咨询"),
    OPINION: _("意见"),
    SUGGESTION: _("建议"),
}

ON_SITE = "on_site"
CHANNELS: dict[str, str] = {
    ON_SITE: _("现场"),
    "phone": _("电话"),
    "opinion_book": _("意见簿"),
    "opinion_box": _("意见箱"),
    "letter": _("信函"),
    "head_office": _("总公司转办"),
    "regulator": _("监管转办"),
}

MAX_CATEGORY = 64  # a list label (services.lists.MAX_LABEL)


def categories(*, include_inactive: bool = False) -> list[str]:
    """The category list (设置 → 投诉设置), in its order: what a new ticket may take. With
    ``include_inactive``, also those a past ticket may still carry (what a filter offers)."""
    return [e.label for e in lists.entries(COMPLAINT_CATEGORY, include_inactive=include_inactive)]


# Someone complaining on another's behalf (委托代理) or as an heir (继承).
ACTING_FOR: dict[str, str] = {"agent": _("代理"), "heir": _("继承")}

# Seed 000: the customer's real motive.
MOTIVES: dict[str, str] = {"vent": _("求发泄"), "respect": _("求尊重"), "compensation": _("求补偿")}

ACCEPTED, IN_PROGRESS, REPLIED, CLOSED = "accepted", "in_progress", "replied", "closed"
WITHDRAWN, MERGED = "withdrawn", "merged"
STATUSES: dict[str, str] = {
    ACCEPTED: _("已受理"),
    IN_PROGRESS: _("处理中"),
    REPLIED: _("已答复"),
    CLOSED: _("已办结"),
    WITHDRAWN: _("已撤诉"),
    MERGED: _("已合并"),
}
AWAITING_REPLY = (ACCEPTED, IN_PROGRESS)  # the clocks run
OPEN = (ACCEPTED, IN_PROGRESS, REPLIED)  # not yet closed by the duty manager
FINISHED = (CLOSED, WITHDRAWN, MERGED)

REPLY_METHODS: dict[str, str] = {
    "in_person": _("当面"), "phone": _("电话"), "sms": _("短信"), "email": _("邮件"), "written": _("书面"),
}
SATISFACTION: dict[str, str] = {"satisfied": _("满意"), "basic": _("基本满意"), "dissatisfied": _("不满意")}
VALIDITY: dict[str, str] = {"valid": _("有效投诉"), "invalid": _("无效投诉")}

# Timeline entries.
E_ACCEPTED, E_CONTACT, E_INVESTIGATION, E_PROGRESS = "accepted", "contact", "investigation", "progress"
E_ASSIGNED, E_PAUSE, E_RESUME, E_EXTENSION = "assigned", "pause", "resume", "extension"
E_NEW_FACTS, E_WITHDRAWN, E_REPLY, E_CLOSED, E_REOPENED = "new_facts", "withdrawn", "reply", "closed", "reopened"
E_MERGED, E_REPEAT = "merged", "repeat"
EVENT_KINDS: dict[str, str] = {
    E_ACCEPTED: _("受理"),
    E_CONTACT: _("联系客户"),
    E_INVESTIGATION: _("调查核实"),
    E_PROGRESS: _("进度反馈"),
    E_ASSIGNED: _("指派处理人"),
    E_PAUSE: _("暂停计时"),
    E_RESUME: _("恢复计时"),
    E_EXTENSION: _("延期（经批准）"),
    E_NEW_FACTS: _("新情况，重新计时"),
    E_WITHDRAWN: _("撤回投诉"),
    E_REPLY: _("答复客户"),
    E_CLOSED: _("办结"),
    E_REOPENED: _("重新打开"),
    E_MERGED: _("并入其他工单"),
    E_REPEAT: _("合并重复投诉"),
}
FOLLOW_UPS = (E_CONTACT, E_INVESTIGATION, E_PROGRESS)  # what any role adds to the timeline

MAJOR_PEOPLE = 20  # art. 29: a group of 20 or more in person is a 重大投诉
MAX_NAME, MAX_ABOUT, MAX_TEXT, MAX_PROOF, MAX_PEOPLE = 40, 100, 2000, 200, 9999


def is_major(people: int, channel: str) -> bool:
    return people >= MAJOR_PEOPLE and channel == ON_SITE


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_id_number(text: str) -> str:
    """A resident ID number (居民身份证号码): 18 characters with a valid check character (GB 11643),
    or an old 15-digit one. Full-width characters are read as ASCII, ``x`` as ``X``; anything else
    is refused on the ``id_number`` field."""
    value = re.sub(r"\s", "", unicodedata.normalize("NFKC", text or "")).upper()
    if not value:
        return ""
    if re.fullmatch(r"\d{15}", value):
        return value
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError.single("id_number", _("身份证号码应为 18 位（或旧式 15 位）。"))
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11]
    if value[17] != check:
        raise ValidationError.single("id_number", _("身份证号码的校验位不正确，请核对。"))
    return value


def mask_id_number(value: str) -> str:
    """``110105********1234`` shows no more than the region's first six digits and the last four."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# ---------------------------------------------------------------- what the screens get

@dataclass(frozen=True)
class ComplaintInput:
    """What the new-ticket form hands to the service."""

    kind: str = COMPLAINT
    channel: str = ON_SITE
    category: str = ""
    customer_name: str = ""
    phone: str | None = ""  # None with ``visit_id``: the visit's number (never shown to the form)
    id_number: str = ""
    acting_for: str | None = None  # ACTING_FOR: the complainant acts for someone else
    acting_note: str = ""  # … for whom, with what authority
    about: str = ""
    motive: str | None = None
    request: str = ""
    description: str = ""
    people: int = 1
    handler: str = ""
    first_contact: str = ""  # empty: the signed-in user
    visit_id: int | None = None
    received_at: datetime | None = None  # None: now
    on_the_spot: bool = False  # 当场解决: the reply is given at once
    reply_text: str = ""
    reply_method: str = "in_person"


@dataclass(frozen=True)
class ComplaintRow:
    """One ticket as lists show it: the phone masked, codes as stored (labels above)."""

    id: int
    kind: str
    channel: str
    category: str
    received_at: datetime
    accepted_on: date
    first_contact: str
    handler: str
    customer_name: str
    phone_masked: str
    id_masked: str
    acting_for: str | None
    acting_note: str
    about: str
    motive: str | None
    people: int
    major: bool
    visit_id: int | None
    status: str
    on_the_spot: bool
    regulatory_limit: int | None
    internal_due: date | None
    regulatory_due: date | None
    due_on: date | None
    due_provisional: bool
    replied_at: datetime | None
    satisfaction: str | None
    validity: str | None
    closed_at: datetime | None
    version: int
    merged_into: int | None = None

    @property
    def awaiting_reply(self) -> bool:
        return self.status in AWAITING_REPLY

    @property
    def paused(self) -> bool:
        """The regulator's clock is stopped (an appraisal or a mediation under way)."""
        return self.awaiting_reply and self.regulatory_limit is not None and self.regulatory_due is None

    def overdue(self, today: date) -> bool:
        return self.awaiting_reply and self.due_on is not None and self.due_on < today

    def due_soon(self, today: date, soon_until: date) -> bool:
        """One working day left at most (``soon_until``: ``complaint_deadlines.due_soon_until``)."""
        return self.awaiting_reply and self.due_on is not None and today <= self.due_on <= soon_until

    def replied_late(self) -> bool | None:
        """Replied after its deadline (None: not replied, or no deadline)."""
        if self.replied_at is None or self.due_on is None:
            return None
        return self.replied_at.date() > self.due_on


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    kind: str
    text: str
    days: int | None
    reason: str | None
    approved_by: str
    who: str

    def summary(self) -> str:
        """The entry in one line, as the timeline shows it."""
        parts = [EVENT_KINDS.get(self.kind, self.kind)]
        if self.kind == E_PAUSE and self.reason:
            parts.append(dl.PAUSE_REASONS.get(self.reason, self.reason))
        if self.kind == E_EXTENSION and self.days:
            parts.append(_("监管时限延至 {n} 天，批准人：{who}").format(n=self.days, who=self.approved_by))
        if self.kind == E_REPLY and self.reason:
            parts.append(_("方式：{how}").format(how=REPLY_METHODS.get(self.reason, self.reason)))
        if self.text:
            parts.append(self.text)
        return "　".join(parts)


@dataclass(frozen=True)
class ComplaintDetail:
    """A ticket with its timeline and both clocks explained (the phone still masked)."""

    row: ComplaintRow
    request: str
    description: str
    reply_text: str
    reply_method: str | None
    reply_proof: str
    events: tuple[EventRow, ...]
    internal: Due
    regulatory: Due | None
    registered_by: str

    def explanation(self) -> str:
        parts = [self.internal.explain()]
        if self.regulatory is not None:
            parts.append(self.regulatory.explain())
        return "\n\n".join(parts)


# ---------------------------------------------------------------- clocks

INTERNAL_DAYS_RANGE = (1, 60)


@dataclass(frozen=True)
class InternalDays:
    """The internal deadlines in working days (设置 → 投诉设置); seed 002's by default. Opinions
    and suggestions (意见建议) share one."""

    complaint: int = dl.INTERNAL_WORKING_DAYS[COMPLAINT]
    consultation: int = dl.INTERNAL_WORKING_DAYS[CONSULTATION]
    opinion: int = dl.INTERNAL_WORKING_DAYS[OPINION]

    def of(self, kind: str) -> int:
        return {COMPLAINT: self.complaint, CONSULTATION: self.consultation}.get(kind, self.opinion)


# The settings' keys, which are also the fields a refusal names.
INTERNAL_DAYS_KEYS: dict[str, str] = {
    "complaint": "internal_days_complaint",
    "consultation": "internal_days_consultation",
    "opinion": "internal_days_opinion",
}
COMPLAINT_SETTINGS_FIELDS = fields.register(fields.EntityFields("complaint_settings", (
    Field("internal_days_complaint", _("投诉内部时限（工作日）")),
    Field("internal_days_consultation", _("咨询内部时限（工作日）")),
    Field("internal_days_opinion", _("意见建议内部时限（工作日）")),
    Field("regulatory_roll", _("监管时限落在节假日时顺延至下一个工作日"), fields.yes_no(_("顺延"), _("不顺延"))),
)))
REGULATORY_ROLL_KEY = "regulatory_roll"


def _load_internal_days() -> InternalDays:
    raw = {s.key: s.value for s in Setting.select().where(Setting.key.in_(tuple(INTERNAL_DAYS_KEYS.values())))}
    defaults = InternalDays()
    values = {}
    for name, key in INTERNAL_DAYS_KEYS.items():
        try:
            values[name] = int(raw[key]) if key in raw else getattr(defaults, name)
        except ValueError:
            values[name] = getattr(defaults, name)
    return InternalDays(**values)


@kit.query()
def internal_days() -> InternalDays:
    """The internal deadlines as set (any signed-in user sees the settings)."""
    return _load_internal_days()


@kit.command(session.MANAGE_SETTINGS)
def save_internal_days(days: InternalDays) -> int:
    """Store the internal deadlines (1–60 working days each). New tickets take them, and every
    ticket not yet closed gets its deadlines again, as when the holiday calendar changes; the
    change and how many tickets moved are in the audit trail. Returns how many moved."""
    errors = Errors()
    low, high = INTERNAL_DAYS_RANGE
    for name, key in INTERNAL_DAYS_KEYS.items():
        value = getattr(days, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.add(key, _("请填写 {low} 到 {high} 之间的工作日数。").format(low=low, high=high))
    errors.raise_if_any()
    old = _load_internal_days()
    before = {key: str(getattr(old, name)) for name, key in INTERNAL_DAYS_KEYS.items()}
    after = {key: str(getattr(days, name)) for name, key in INTERNAL_DAYS_KEYS.items()}
    old_values, new_values = audit.diff(before, after)
    if not new_values:
        return 0
    for key, value in after.items():
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
    moved = recompute_open_deadlines()
    audit.record("settings", entity="complaint_settings", before=old_values, after=new_values,
                 detail=_("{n} 张未办结工单的到期日已重新计算").format(n=moved))
    return moved

def _load_regulatory_roll() -> bool:
    stored = Setting.get_or_none(Setting.key == REGULATORY_ROLL_KEY)
    return stored is not None and stored.value == "1"


@kit.query()
def regulatory_roll() -> bool:
    """Whether a regulatory (calendar-day) deadline on a weekend or holiday rolls to the next
    working day — the compliance officer's call, off by default (any signed-in user sees it)."""
    return _load_regulatory_roll()


@kit.command(session.MANAGE_SETTINGS)
def save_regulatory_roll(on: bool) -> int:
    """Turn the rolling of regulatory deadlines on or off. Every ticket not yet closed gets its
    deadlines again; the change and how many tickets moved are in the audit trail. Returns how many moved."""
    old = _load_regulatory_roll()
    if bool(on) == old:
        return 0
    value = "1" if on else "0"
    Setting.insert(key=REGULATORY_ROLL_KEY, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}).execute()
    moved = recompute_open_deadlines()
    audit.record("settings", entity="complaint_settings", before={REGULATORY_ROLL_KEY: old},
                 after={REGULATORY_ROLL_KEY: bool(on)},
                 detail=_("{n} 张未办结工单的到期日已重新计算").format(n=moved))
    return moved


def _events_of(complaint_id: int) -> list[ComplaintEvent]:
    return list(ComplaintEvent.select().where(ComplaintEvent.complaint == complaint_id)
                .order_by(ComplaintEvent.at, ComplaintEvent.id))


def clocks_of(kind: str, received_on: date, accepted_on: date, limit: int | None,
              events: list[tuple[str, date, str | None]],
              overrides: Overrides | None = None, days: InternalDays | None = None,
              roll: bool = False) -> tuple[Due, Due | None]:
    """Both clocks of a ticket from its timeline (``(kind, day, reason)`` entries, in order);
    ``overrides``: the administrator's holiday calendar (``holidays.load_overrides``); ``days``:
    the internal deadlines as set (``internal_days``; seed 002's if not given); ``roll``: a
    regulatory deadline on a weekend or holiday rolls to the next working day (``regulatory_roll``)."""
    internal = dl.internal_due(accepted_on, kind, overrides, days=(days or InternalDays()).of(kind))
    if kind != COMPLAINT or limit is None:
        return internal, None
    pauses: list[dl.Pause] = []
    restarted = withdrawn = None
    for event_kind, day, reason in events:
        if event_kind == E_PAUSE:
            pauses.append(dl.Pause(day, None, reason or dl.APPRAISAL))
        elif event_kind == E_RESUME and pauses and pauses[-1].end is None:
            pauses[-1] = dl.Pause(pauses[-1].start, day, pauses[-1].reason)
        elif event_kind == E_NEW_FACTS:
            restarted = day
        elif event_kind == E_WITHDRAWN:
            withdrawn = day
        elif event_kind == E_REOPENED:
            withdrawn = None
    return internal, dl.regulatory_due(received_on, limit, pauses, restarted_on=restarted, withdrawn_on=withdrawn,
                                       overrides=overrides, roll=roll)


def _clocks(c: Complaint, events: list[ComplaintEvent], overrides: Overrides,
            days: InternalDays | None = None, roll: bool | None = None) -> tuple[Due, Due | None]:
    return clocks_of(c.kind, _day(c.received_at), _day(c.accepted_on), c.regulatory_limit,
                     [(e.kind, _day(e.at), e.reason) for e in events], overrides,
                     _load_internal_days() if days is None else days,
                     _load_regulatory_roll() if roll is None else roll)


def _clock_values(c: Complaint, events: list[ComplaintEvent], overrides: Overrides | None = None,
                  days: InternalDays | None = None, roll: bool | None = None) -> dict:
    internal, regulatory = _clocks(c, events, holidays.load_overrides() if overrides is None else overrides,
                                   days, roll)
    first = dl.effective(internal, regulatory)
    return {
        "internal_due": internal.due,
        "regulatory_due": regulatory.due if regulatory is not None else None,
        "due_on": first.due if first is not None else None,
        "due_provisional": internal.provisional or bool(regulatory is not None and regulatory.provisional),
    }


def _day(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return paging.as_datetime(value).date() if " " in value or "T" in value else date.fromisoformat(value)


# ---------------------------------------------------------------- reading

def _to_row(c: Complaint) -> ComplaintRow:
    return ComplaintRow(
        id=c.id, kind=c.kind, channel=c.channel, category=c.category, received_at=c.received_at,
        accepted_on=_day(c.accepted_on), first_contact=c.first_contact, handler=c.handler,
        customer_name=c.customer_name, phone_masked=mask_phone(c.phone), id_masked=mask_id_number(c.id_number),
        acting_for=c.acting_for, acting_note=c.acting_note, about=c.about, motive=c.motive,
        people=c.people, major=bool(c.major), visit_id=c.visit_id, status=c.status,
        on_the_spot=bool(c.on_the_spot), regulatory_limit=c.regulatory_limit,
        internal_due=_opt_day(c.internal_due), regulatory_due=_opt_day(c.regulatory_due),
        due_on=_opt_day(c.due_on), due_provisional=bool(c.due_provisional), replied_at=c.replied_at,
        satisfaction=c.satisfaction, validity=c.validity, closed_at=c.closed_at, version=c.version,
        merged_into=c.merged_into,
    )


def _opt_day(value: date | str | None) -> date | None:
    return None if value is None else _day(value)


def _who(user_id: int | None, username: str) -> str:
    if user_id is not None:
        user = User.get_or_none(User.id == user_id)
        if user is not None:
            return user.display_name or user.username
    return username


_MISSING = _("工单不存在（编号 {id}）。")


@kit.query(session.COMPLAINT_REGISTER)
def get_complaint(complaint_id: int) -> ComplaintDetail:
    c = Complaint.get_or_none(Complaint.id == complaint_id)
    if c is None:
        raise NotFoundError(_MISSING.format(id=complaint_id))
    events = _events_of(complaint_id)
    internal, regulatory = _clocks(c, events, holidays.load_overrides())
    return ComplaintDetail(
        row=_to_row(c), request=c.request, description=c.description, reply_text=c.reply_text,
        reply_method=c.reply_method, reply_proof=c.reply_proof,
        events=tuple(EventRow(e.id, e.at, e.kind, e.text, e.days, e.reason, e.approved_by,
                              _who(e.user_id, e.username)) for e in events),
        internal=internal, regulatory=regulatory, registered_by=_who(c.created_by_id, ""),
    )


def _saved_row(complaint_id: int) -> ComplaintRow:
    with read_only():
        c = Complaint.get_or_none(Complaint.id == complaint_id)
    if c is None:
        raise NotFoundError(_MISSING.format(id=complaint_id))
    return _to_row(c)


@kit.query(session.COMPLAINT_REGISTER)
def tickets_of_visit(visit_id: int) -> list[ComplaintRow]:
    """The tickets opened from a visit of the register (the link back)."""
    query = Complaint.select().where(Complaint.visit == visit_id).order_by(Complaint.id)
    return [_to_row(c) for c in query]


def _reveal(complaint_id: int, column: str, what: str) -> str:
    c = Complaint.get_or_none(Complaint.id == complaint_id)
    if c is None:
        raise NotFoundError(_MISSING.format(id=complaint_id))
    value = getattr(c, column)
    if value:
        audit.record("reveal", entity="complaint", entity_id=complaint_id, detail=what)
    return value


@kit.command(session.REVEAL)
def reveal_phone(complaint_id: int) -> str:
    """The full phone number of a ticket, for the duty manager; the look is in the audit trail."""
    return _reveal(complaint_id, "phone", _("电话"))


@kit.command(session.REVEAL)
def reveal_id_number(complaint_id: int) -> str:
    """The full ID number of a ticket's complainant; the look is in the audit trail."""
    return _reveal(complaint_id, "id_number", _("身份证号码"))


@dataclass(frozen=True)
class Alerts:
    """What stands out: tickets awaiting a reply past their deadline, or with a day left."""

    overdue: int
    due_soon: int
    provisional: int  # open tickets whose deadline is counted over a year the calendar does not know
    today: date
    soon_until: date  # the last due date that is "due soon" today
    unknown_years: tuple[int, ...] = ()  # this year or the next, if no calendar knows them yet


@kit.query(session.COMPLAINT_REGISTER)
def alerts() -> Alerts:
    today = clock.today()
    soon = dl.due_soon_until(today, holidays.load_overrides())
    waiting = Complaint.status.in_(AWAITING_REPLY)
    return Alerts(
        today=today, soon_until=soon, unknown_years=tuple(holidays.unknown_years(today)),
        overdue=paging.count(Complaint, waiting & (Complaint.due_on < today)),
        due_soon=paging.count(Complaint, waiting & (Complaint.due_on >= today) & (Complaint.due_on <= soon)),
        provisional=paging.count(Complaint, waiting & (Complaint.due_provisional == True)),  # noqa: E712
    )


# ------------------------------------------------------------- the list

V_OPEN, V_DUE_SOON, V_OVERDUE, V_CLOSED, V_ALL = "open", "due_soon", "overdue", "closed", "all"
VIEWS: dict[str, str] = {
    V_OPEN: _("未办结"), V_DUE_SOON: _("即将到期"), V_OVERDUE: _("已逾期"), V_CLOSED: _("已办结"), V_ALL: _("全部"),
}
SORT_KEYS = ("id", "received_at", "due_on", "kind", "channel", "category", "status", "handler", "customer_name")


@dataclass(frozen=True)
class ComplaintQuery:
    """A view of the tickets: one of ``VIEWS``, filters and a sort, all done in SQL."""

    view: str = V_OPEN
    kind: str | None = None
    channel: str | None = None
    category: str | None = None
    handler: str = ""
    date_from: date | None = None  # received on or after
    date_to: date | None = None
    text: str = ""
    sort_key: str = "due_on"
    descending: bool = False


def _where(q: ComplaintQuery) -> peewee.Node:
    cond: peewee.Node = Complaint.id.is_null(False)
    today = clock.today()
    if q.view == V_OPEN:
        cond &= Complaint.status.in_(OPEN)
    elif q.view == V_DUE_SOON:
        cond &= (Complaint.status.in_(AWAITING_REPLY) & (Complaint.due_on >= today)
                 & (Complaint.due_on <= dl.due_soon_until(today, holidays.load_overrides())))
    elif q.view == V_OVERDUE:
        cond &= Complaint.status.in_(AWAITING_REPLY) & (Complaint.due_on < today)
    elif q.view == V_CLOSED:
        cond &= Complaint.status.in_(FINISHED)
    elif q.view != V_ALL:
        raise ValueError(f"unknown view {q.view!r}")
    for column, value in ((Complaint.kind, q.kind), (Complaint.channel, q.channel), (Complaint.category, q.category)):
        if value is not None:
            cond &= column == value
    handler = clean_search(q.handler, field="handler")
    if handler:
        cond &= Complaint.handler.contains(handler)
    check_period(q.date_from, q.date_to)
    if q.date_from is not None:
        cond &= Complaint.received_at >= datetime.combine(q.date_from, time.min)
    if q.date_to is not None:
        cond &= Complaint.received_at < datetime.combine(q.date_to + timedelta(days=1), time.min)
    text = clean_search(q.text)
    if text:
        match = (Complaint.customer_name.contains(text) | Complaint.about.contains(text)
                 | Complaint.description.contains(text) | Complaint.request.contains(text)
                 | Complaint.handler.contains(text) | Complaint.first_contact.contains(text))
        digits = re.sub(r"[\s\-#]", "", unicodedata.normalize("NFKC", text))
        if digits.isdigit():
            if len(digits) == 4:  # 尾号, as the register searches phones
                match |= Complaint.phone.endswith(digits)
            elif len(digits) >= 7:
                match |= Complaint.phone == digits
            if len(digits) <= 9:
                match |= Complaint.id == int(digits)
        cond &= match
    return cond


def _ordering(q: ComplaintQuery) -> paging.Ordering:
    if q.sort_key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {q.sort_key!r}")
    return paging.ordered_by(getattr(Complaint, q.sort_key), Complaint.id, descending=q.descending)


@kit.query(session.COMPLAINT_REGISTER)
def count_complaints(q: ComplaintQuery) -> int:
    return paging.count(Complaint, _where(q))


@kit.query(session.COMPLAINT_REGISTER)
def fetch_rows(q: ComplaintQuery, offset: int, limit: int, total: int | None = None) -> list[ComplaintRow]:
    if limit <= 0:
        return []
    where = _where(q)
    if total is None:
        total = paging.count(Complaint, where)
    ids = paging.page_ids(Complaint.select(Complaint.id).where(where), _ordering(q), offset, limit, total)
    return paging.rows_by_id(Complaint.select(), Complaint.id, ids, _to_row)


@kit.query(session.COMPLAINT_REGISTER)
def position_of(q: ComplaintQuery, complaint_id: int) -> int | None:
    return paging.position_of(Complaint, Complaint.select().where(_where(q)), _ordering(q), complaint_id)


@kit.query(session.COMPLAINT_REGISTER)
def change_stamp(q: ComplaintQuery) -> tuple[paging.ChangeStamp, date]:
    """Every ticket's fingerprint (a hall has a few thousand a year), and the day: a view of
    "overdue" changes at midnight without any save."""
    return paging.change_stamp(Complaint, Complaint.id.is_null(False)), clock.today()


# ---------------------------------------------------------------- writing

COMPLAINT_FIELDS = fields.register(fields.EntityFields("complaint", (
    Field("status", _("状态"), fields.choice(STATUSES)),
    Field("kind", _("类型"), fields.choice(KINDS)),
    Field("channel", _("渠道"), fields.choice(CHANNELS)),
    Field("category", _("类别")),
    Field("received_at", _("受理时间"), is_time=True),
    Field("first_contact", _("首问负责人")),
    Field("handler", _("处理人")),
    Field("customer_name", _("客户")),
    Field("phone", _("电话"), fields.phone),
    Field("id_number", _("身份证号码"), lambda value, lookup=str: mask_id_number(str(value or "")) or fields.EMPTY),
    Field("acting_for", _("代理/继承"), fields.choice(ACTING_FOR)),
    Field("acting_note", _("代理说明")),
    Field("about", _("投诉对象")),
    Field("motive", _("客户诉求心态"), fields.choice(MOTIVES)),
    Field("request", _("客户诉求")),
    Field("description", _("情况描述")),
    Field("people", _("人数")),
    Field("major", _("重大投诉"), fields.yes_no(_("是"), _("否"))),
    Field("visit", _("关联来访")),
    Field("on_the_spot", _("当场解决"), fields.yes_no(_("是"), _("否"))),
    Field("regulatory_limit", _("监管时限（天）")),
    Field("internal_due", _("内部时限")),
    Field("regulatory_due", _("监管时限")),
    Field("due_on", _("到期日")),
    Field("reply_text", _("答复内容")),
    Field("reply_method", _("答复方式"), fields.choice(REPLY_METHODS)),
    Field("reply_proof", _("送达凭证")),
    Field("replied_at", _("答复时间"), is_time=True),
    Field("satisfaction", _("满意度"), fields.choice(SATISFACTION)),
    Field("validity", _("有效性"), fields.choice(VALIDITY)),
    Field("closed_at", _("办结时间"), is_time=True),
    Field("merged_into", _("并入工单")),
)))
_COMPARED = ("status", "handler", "regulatory_limit", "internal_due", "regulatory_due", "due_on",
             "replied_at", "satisfaction", "validity", "closed_at", "merged_into")


def changes_between(before: ComplaintRow, after: ComplaintRow) -> tuple[FieldChange, ...]:
    """What another station changed of a ticket, as the user knows the fields."""
    return records.changes(COMPLAINT_FIELDS, {n: getattr(before, n) for n in _COMPARED},
                           {n: getattr(after, n) for n in _COMPARED})


def _choice(errors: Errors, field: str, value: str | None, labels: dict[str, str], message: str) -> None:
    if value not in labels:
        errors.add(field, message)


def _validated(actor: session.Actor, data: ComplaintInput, now: datetime) -> dict:
    errors = Errors()
    _choice(errors, "kind", data.kind, KINDS, _("请选择工单类型。"))
    _choice(errors, "channel", data.channel, CHANNELS, _("请选择受理渠道。"))
    category = errors.text("category", data.category, label=_("类别"), limit=MAX_CATEGORY,
                           required=_("请选择类别。"))
    if category and not ListItem.select().where(
            (ListItem.kind == COMPLAINT_CATEGORY) & (ListItem.label == category) & ListItem.active).exists():
        errors.add("category", _("类别“{label}”不在启用的投诉类别中，请重新选择。").format(label=category))
    if data.motive is not None:
        _choice(errors, "motive", data.motive, MOTIVES, _("请选择客户诉求心态。"))
    received_at = (data.received_at or now).replace(microsecond=0)
    if received_at > now + timedelta(minutes=1):
        errors.add("received_at", _("受理时间不能晚于现在。"))
    elif received_at.date() < date(2000, 1, 1):
        errors.add("received_at", _("受理时间不正确。"))
    name = errors.text("customer_name", data.customer_name, label=_("客户"), limit=MAX_NAME)
    about = errors.text("about", data.about, label=_("投诉对象"), limit=MAX_ABOUT)
    try:
        id_number = normalize_id_number(data.id_number)
    except ValidationError as exc:
        errors.update(exc)
        id_number = ""
    acting_note = ""
    if data.acting_for is not None:
        _choice(errors, "acting_for", data.acting_for, ACTING_FOR, _("请选择代理或继承。"))
        acting_note = errors.text("acting_note", data.acting_note, label=_("代理说明"), limit=MAX_ABOUT,
                                  required=_("请写明代谁投诉、凭何授权（如授权委托书、继承证明）。"))
    request = errors.text("request", data.request, label=_("客户诉求"), limit=MAX_TEXT, multiline=True)
    description = errors.text("description", data.description, label=_("情况描述"), limit=MAX_TEXT,
                              multiline=True, required=_("请写明情况描述。"))
    handler = errors.text("handler", data.handler, label=_("处理人"), limit=MAX_NAME)
    first_contact = errors.text("first_contact", data.first_contact, label=_("首问负责人"), limit=MAX_NAME)
    first_contact = first_contact or (actor.display_name or actor.username)[:MAX_NAME]
    if not 1 <= int(data.people) <= MAX_PEOPLE:
        errors.add("people", _("人数应在 1 到 {n} 之间。").format(n=MAX_PEOPLE))
    phone = ""
    visit = None
    if data.visit_id is not None:
        visit = Visit.get_or_none(Visit.id == data.visit_id)
        if visit is None or visit.voided_at is not None:
            errors.add("visit", _("关联的来访记录不存在或已作废。"))
    if data.phone is None:
        phone = visit.phone if visit is not None else ""
    else:
        try:
            phone = normalize_phone(data.phone)
        except ValidationError as exc:
            errors.update(exc)
    reply = ""
    if data.on_the_spot:
        reply = errors.text("reply_text", data.reply_text, label=_("答复内容"), limit=MAX_TEXT, multiline=True,
                            required=_("当场解决时请写明答复内容。"))
        _choice(errors, "reply_method", data.reply_method, REPLY_METHODS, _("请选择答复方式。"))
    errors.raise_if_any()
    return dict(
        kind=data.kind, channel=data.channel, category=category, received_at=received_at,
        accepted_on=received_at.date(), first_contact=first_contact, handler=handler,
        customer_name=name, phone=phone, id_number=id_number, acting_for=data.acting_for,
        acting_note=acting_note, about=about, motive=data.motive, request=request,
        description=description, people=int(data.people), major=is_major(int(data.people), data.channel),
        visit=data.visit_id, on_the_spot=bool(data.on_the_spot),
        regulatory_limit=dl.REGULATORY_DAYS if data.kind == COMPLAINT else None,
        reply_text=reply, reply_method=data.reply_method if data.on_the_spot else None,
    )


_AUDITED = tuple(f.name for f in COMPLAINT_FIELDS.fields)


def _audited(values: dict) -> dict:
    return {k: values[k] for k in _AUDITED if k in values}


def _masked(values: dict) -> dict:
    """Audit values with the phone and the ID number as the screens show them (``138****5678``,
    ``110105********1234``): the trail, never rewritten, keeps no full number that an erase
    request or retention could not reach. The ticket holds them (its reveal is audited)."""
    shown = dict(values)
    if shown.get("phone"):
        shown["phone"] = mask_phone(shown["phone"])
    if shown.get("id_number"):
        shown["id_number"] = mask_id_number(shown["id_number"])
    return shown


def _add_event(actor: session.Actor, complaint_id: int, kind: str, at: datetime, text: str = "", *,
               days: int | None = None, reason: str | None = None, approved_by: str = "") -> None:
    ComplaintEvent.insert(complaint=complaint_id, at=at, kind=kind, text=text, days=days, reason=reason,
                          approved_by=approved_by, user_id=actor.user_id, username=actor.username).execute()


@kit.command(session.COMPLAINT_REGISTER, then=_saved_row)
def create(actor: session.Actor, data: ComplaintInput) -> int:
    """Register a ticket. Resolved on the spot, it is replied at once (and closed, when the one
    registering it may close tickets; otherwise it waits, replied, for the duty manager)."""
    now = clock.now().replace(microsecond=0)
    values = _validated(actor, data, now)
    status = ACCEPTED
    if data.on_the_spot:
        values["replied_at"] = now
        status = REPLIED
        if actor.can(session.COMPLAINT_HANDLE):
            status, values["closed_at"] = CLOSED, now
    values["status"] = status
    complaint_id = Complaint.insert(**values, created_at=now, updated_at=now, version=1,
                                    created_by=actor.user_id).execute()
    _add_event(actor, complaint_id, E_ACCEPTED, values["received_at"])
    if data.on_the_spot:
        _add_event(actor, complaint_id, E_REPLY, now, values["reply_text"], reason=values["reply_method"])
        if status == CLOSED:
            _add_event(actor, complaint_id, E_CLOSED, now, _("当场解决"))
    c = Complaint.get_by_id(complaint_id)
    clocks = _clock_values(c, _events_of(complaint_id))
    Complaint.update(**clocks).where(Complaint.id == complaint_id).execute()
    audit.record("create", entity="complaint", entity_id=complaint_id,
                 after=_masked(_audited({**values, **clocks})))
    return complaint_id


def _change(actor: session.Actor, complaint_id: int, expected: ComplaintRow | int, allowed: tuple[str, ...],
            event: str, values_for: Callable[[Complaint], dict], *, text: str = "", days: int | None = None,
            reason: str | None = None, approved_by: str = "") -> int:
    """Inside a command: one timeline entry and the ticket's new values, clocks recomputed.

    Refused when another station changed the ticket since the user read it (``expected``: the row
    or its version), naming what it changed; or when the ticket's status no longer allows it.
    """
    c = records.get_for_update(Complaint, complaint_id, _MISSING)
    version = expected if isinstance(expected, int) else expected.version
    if c.version != version:
        found = changes_between(expected, _to_row(c)) if isinstance(expected, ComplaintRow) else ()
        raise records.refusal(
            _("这张工单已被其他工作站修改：{changes}。您的输入未保存，也未丢失，请核对后重试。"),
            _("这张工单已被其他工作站修改，请重新载入后再试。您的输入未保存，也未丢失。"), found)
    if c.status not in allowed:
        raise ConflictError(_("工单当前状态为“{status}”，不能{what}。").format(
            status=STATUSES.get(c.status, c.status), what=EVENT_KINDS[event]))
    now = clock.now().replace(microsecond=0)
    values = values_for(c)
    _add_event(actor, complaint_id, event, now, text, days=days, reason=reason, approved_by=approved_by)
    merged = Complaint.get_by_id(complaint_id)
    for key, value in values.items():
        setattr(merged, key, value)
    values.update(_clock_values(merged, _events_of(complaint_id)))
    before = {k: getattr(c, k) for k in values}
    if not records.conditional_update(Complaint, complaint_id, c.version, values):
        raise ConflictError(_("这张工单刚被其他工作站修改，请重试。"))
    old, new = audit.diff(_audited(before), _audited(values))  # compared in full, then masked
    audit.record(event, entity="complaint", entity_id=complaint_id, before=_masked(old), after=_masked(new),
                 detail=text)
    return complaint_id


def _entry_text(text: str, *, required: str = "") -> str:
    errors = Errors()
    cleaned = errors.text("text", text, label=_("内容"), limit=MAX_TEXT, multiline=True, required=required)
    errors.raise_if_any()
    return cleaned


def _in_progress(c: Complaint) -> dict:
    return {"status": IN_PROGRESS} if c.status == ACCEPTED else {}


@kit.command(session.COMPLAINT_REGISTER, then=_saved_row)
def add_follow_up(actor: session.Actor, complaint_id: int, kind: str, text: str, expected: ComplaintRow | int) -> int:
    """A contact, a finding or a progress feedback given to the customer (any role)."""
    if kind not in FOLLOW_UPS:
        raise ValidationError.single("kind", _("请选择记录类型。"))
    text = _entry_text(text, required=_("请写明内容。"))
    return _change(actor, complaint_id, expected, AWAITING_REPLY, kind, _in_progress, text=text)


@kit.command(session.COMPLAINT_REGISTER, then=_saved_row)
def reply(actor: session.Actor, complaint_id: int, text: str, method: str, proof: str,
          expected: ComplaintRow | int) -> int:
    """The decision told to the customer: what, how and with what proof (art. 21)."""
    errors = Errors()
    text = errors.text("text", text, label=_("答复内容"), limit=MAX_TEXT, multiline=True,
                       required=_("请写明答复内容。"))
    proof = errors.text("reply_proof", proof, label=_("送达凭证"), limit=MAX_PROOF)
    if method not in REPLY_METHODS:
        errors.add("reply_method", _("请选择答复方式。"))
    errors.raise_if_any()
    now = clock.now().replace(microsecond=0)
    return _change(actor, complaint_id, expected, AWAITING_REPLY, E_REPLY,
                   lambda c: {"status": REPLIED, "replied_at": now, "reply_text": text, "reply_method": method,
                              "reply_proof": proof},
                   text=text + (f"（{proof}）" if proof else ""), reason=method)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def assign(actor: session.Actor, complaint_id: int, handler: str, expected: ComplaintRow | int) -> int:
    errors = Errors()
    handler = errors.text("handler", handler, label=_("处理人"), limit=MAX_NAME, required=_("请写明处理人。"))
    errors.raise_if_any()
    return _change(actor, complaint_id, expected, OPEN, E_ASSIGNED, lambda c: {"handler": handler}, text=handler)


def _regulated(c: Complaint) -> None:
    if c.kind != COMPLAINT or c.regulatory_limit is None:
        raise ValidationError.single("kind", _("只有投诉适用监管时限。"))


def _open_pause(complaint_id: int) -> bool:
    last = None
    for e in _events_of(complaint_id):
        if e.kind in (E_PAUSE, E_RESUME, E_NEW_FACTS):
            last = e.kind
    return last == E_PAUSE


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def pause(actor: session.Actor, complaint_id: int, reason: str, text: str, expected: ComplaintRow | int) -> int:
    """Stop the regulator's clock for an outside appraisal or a mediation (art. 23)."""
    if reason not in dl.PAUSE_REASONS:
        raise ValidationError.single("reason", _("请选择暂停原因。"))
    text = _entry_text(text)

    def values(c: Complaint) -> dict:
        _regulated(c)
        if _open_pause(complaint_id):
            raise ConflictError(_("监管时限已在暂停中。"))
        return _in_progress(c)

    return _change(actor, complaint_id, expected, AWAITING_REPLY, E_PAUSE, values, text=text, reason=reason)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def resume(actor: session.Actor, complaint_id: int, text: str, expected: ComplaintRow | int) -> int:
    text = _entry_text(text)

    def values(c: Complaint) -> dict:
        if not _open_pause(complaint_id):
            raise ConflictError(_("监管时限没有暂停，无需恢复。"))
        return {}

    return _change(actor, complaint_id, expected, AWAITING_REPLY, E_RESUME, values, text=text)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def extend(actor: session.Actor, complaint_id: int, days: int, approved_by: str, text: str,
           expected: ComplaintRow | int) -> int:
    """A complex case: the regulator's limit to 30 days; especially complex, to 60 with the
    approval of the head office (the customer is told: a progress entry says so)."""
    errors = Errors()
    approver = errors.text("approved_by", approved_by, label=_("批准人"), limit=MAX_NAME,
                           required=_("请写明批准人。"))
    text = errors.text("text", text, label=_("延期理由"), limit=MAX_TEXT, multiline=True,
                       required=_("请写明延期理由。"))
    if days not in (dl.COMPLEX_DAYS, dl.EXTENDED_DAYS):
        errors.add("days", _("监管时限只能延至 30 天或 60 天。"))
    errors.raise_if_any()

    def values(c: Complaint) -> dict:
        _regulated(c)
        if days <= (c.regulatory_limit or 0):
            raise ValidationError.single("days", _("监管时限已是 {n} 天。").format(n=c.regulatory_limit))
        return {"regulatory_limit": days, **_in_progress(c)}

    return _change(actor, complaint_id, expected, AWAITING_REPLY, E_EXTENSION, values, text=text, days=days,
                   approved_by=approver)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def new_facts(actor: session.Actor, complaint_id: int, text: str, expected: ComplaintRow | int) -> int:
    """New facts or reasons: the regulator's clock starts again from today."""
    text = _entry_text(text, required=_("请写明新情况。"))

    def values(c: Complaint) -> dict:
        _regulated(c)
        return _in_progress(c)

    return _change(actor, complaint_id, expected, AWAITING_REPLY, E_NEW_FACTS, values, text=text)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def withdraw(actor: session.Actor, complaint_id: int, text: str, expected: ComplaintRow | int) -> int:
    """The customer withdrew the complaint (art. 15): the clocks end."""
    text = _entry_text(text, required=_("请写明撤回情况（如何撤回、有无书面材料）。"))
    now = clock.now().replace(microsecond=0)
    return _change(actor, complaint_id, expected, AWAITING_REPLY, E_WITHDRAWN,
                   lambda c: {"status": WITHDRAWN, "closed_at": now}, text=text)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def close(actor: session.Actor, complaint_id: int, satisfaction: str, validity: str, text: str,
          expected: ComplaintRow | int) -> int:
    """The duty manager closes a replied ticket, with the customer's satisfaction and valid/invalid."""
    errors = Errors()
    if satisfaction not in SATISFACTION:
        errors.add("satisfaction", _("请选择客户满意度。"))
    if validity not in VALIDITY:
        errors.add("validity", _("请选择有效或无效投诉。"))
    text = errors.text("text", text, label=_("备注"), limit=MAX_TEXT, multiline=True)
    errors.raise_if_any()
    now = clock.now().replace(microsecond=0)
    return _change(actor, complaint_id, expected, (REPLIED,), E_CLOSED,
                   lambda c: {"status": CLOSED, "closed_at": now, "satisfaction": satisfaction,
                              "validity": validity}, text=text)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def reopen(actor: session.Actor, complaint_id: int, reason: str, expected: ComplaintRow | int) -> int:
    """Reopen a replied, closed or withdrawn ticket with a reason; it awaits a reply again."""
    reason = _entry_text(reason, required=_("请写明重新打开的原因。"))
    return _change(actor, complaint_id, expected, (REPLIED, *FINISHED), E_REOPENED,
                   lambda c: {"status": IN_PROGRESS, "closed_at": None, "replied_at": None,
                              "satisfaction": None, "validity": None, "merged_into": None}, text=reason)


@kit.command(session.COMPLAINT_HANDLE, then=_saved_row)
def merge(actor: session.Actor, complaint_id: int, into_id: int, text: str, expected: ComplaintRow | int) -> int:
    """A repeat of the same complaint within its time limit, merged into the open ticket (art. 15):
    the repeat ends, and the ticket it joins notes it on its timeline. Its own clocks stay."""
    text = _entry_text(text)
    if into_id == complaint_id:
        raise ValidationError.single("into", _("不能并入工单本身。"))
    target = records.get_for_update(Complaint, into_id, _("要并入的工单不存在（编号 {id}）。"))
    if target.status not in AWAITING_REPLY:
        raise ValidationError.single("into", _("只能并入尚未答复的工单（工单 #{id} 当前：{status}）。").format(
            id=into_id, status=STATUSES.get(target.status, target.status)))
    now = clock.now().replace(microsecond=0)
    merged = _change(actor, complaint_id, expected, AWAITING_REPLY, E_MERGED,
                     lambda c: {"status": MERGED, "closed_at": now, "merged_into": into_id},
                     text=_("并入工单 #{id}").format(id=into_id) + (f"：{text}" if text else ""))
    _add_event(actor, into_id, E_REPEAT, now, _("工单 #{id} 为重复投诉，已并入").format(id=complaint_id))
    if not records.conditional_update(Complaint, into_id, target.version, {}):
        raise ConflictError(_("工单 #{id} 刚被其他工作站修改，请重试。").format(id=into_id))
    audit.record(E_REPEAT, entity="complaint", entity_id=into_id, detail=_("并入重复投诉 #{id}").format(id=complaint_id))
    return merged


@kit.exempt("a building block of the holiday calendar's commands: it runs inside their transaction")
def recompute_open_deadlines() -> int:
    """The holiday calendar, the internal deadlines or the rolling of regulatory deadlines changed: every
    ticket not yet closed gets its deadlines again. Returns how many moved (each such save adds one to its
    version: other stations see it)."""
    overrides = holidays.load_overrides()
    days = _load_internal_days()
    roll = _load_regulatory_roll()
    moved = 0
    for c in Complaint.select().where(Complaint.status.in_(OPEN)):
        values = _clock_values(c, _events_of(c.id), overrides, days, roll)
        stored = {"internal_due": _opt_day(c.internal_due), "regulatory_due": _opt_day(c.regulatory_due),
                  "due_on": _opt_day(c.due_on), "due_provisional": bool(c.due_provisional)}
        if stored != values:
            if not records.conditional_update(Complaint, c.id, c.version, values):
                raise ConflictError(_("工单 #{id} 刚被其他工作站修改，请重试。").format(id=c.id))
            moved += 1
    return moved


@kit.exempt("a building block of the reports: it runs inside their query, which checked the role")
def rows_received_before(end: datetime) -> list[ComplaintRow]:
    """Every ticket received before ``end``, oldest first (what a report of a period looks at)."""
    query = Complaint.select().where(Complaint.received_at < end).order_by(Complaint.received_at, Complaint.id)
    return [_to_row(c) for c in query]
