"""The visitor register (来访登记): register, call, finish, leave, edit and void visits.

Wait time (arrival → called) and service time (called → finished) are derived from the stored
times, never stored themselves. A visit is never deleted; it is voided with a reason and then
counts nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.database import minutes_between, read_only
from frontdesk.db.models import ListItem, User, Visit
from frontdesk.errors import (
    ConflictError,
    FieldChange,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from frontdesk.i18n import _
from frontdesk.services import (
    audit,
    clock,
    counters,
    fields,
    figures,
    kit,
    paging,
    presets,
    records,
    session,
    visit_search,
)
from frontdesk.services.fields import EMPTY, Field, mask_phone
from frontdesk.services.figures import ANSWERED, DIVERTED, FINISHED, LEFT, SERVING, WAITING
from frontdesk.services.presets import BUSINESS_TYPE, DESTINATION, ON_SPOT, QUEUE
from frontdesk.services.text import has_control_characters
from frontdesk.services.validation import (
    Errors,
    check_period,
    clean_search,
    clean_text,
    control_characters_message,
)

# Special-needs categories of seed 004, as bits of ``Visit.special_needs``.
SPECIAL_NEEDS: dict[str, tuple[int, str]] = {
    "elderly": (1 << 0, _("老年人")),
    "walking": (1 << 1, _("行动不便")),
    "visual": (1 << 2, _("视力障碍")),
    "hearing": (1 << 3, _("听力障碍")),
    "writing": (1 << 4, _("书写障碍")),
    "sick": (1 << 5, _("病弱")),
    "pregnant": (1 << 6, _("孕妇")),
    "infant": (1 << 7, _("携带婴幼儿")),
    "foreigner": (1 << 8, _("外籍人士")),
    "emergency": (1 << 9, _("紧急挂失(被抢/被骗)")),
}

# The eight typical surrender reasons of seed 000, plus other.
SURRENDER_REASONS: dict[str, str] = {
    "hardship": _("经济困难"),
    "misled": _("承诺或条款解释不清，有受骗感"),
    "claim": _("对理赔不满"),
    "instigated": _("受他人唆使"),
    "favour": _("人情投保"),
    "need_cash": _("急需用钱"),
    "no_gain": _("认为无利可图"),
    "healthy": _("认为身体健康，无需保险"),
    "other": _("其他"),
}

RETENTION: dict[str, str] = {"retained": _("挽留成功"), "lost": _("挽留未成功")}

OUTCOMES: dict[str, str] = {
    "done": _("办结"),
    "incomplete": _("资料不全未受理"),
    "referred": _("转介"),
    "left": _("未办理离开"),
    "other": _("其他"),
    DIVERTED: _("已分流"),
    ANSWERED: _("现场解答"),
}
# A registration to a destination that is no queue is finished at once, with this outcome.
OUTCOME_OF_HANDLING: dict[str, str] = {ON_SPOT: ANSWERED, presets.DIVERTED: DIVERTED}
AT_REGISTRATION = frozenset(OUTCOME_OF_HANDLING.values())
# What a guide finishes a called customer with (F3, the 其他结果 menu).
SERVICE_OUTCOMES: dict[str, str] = {k: v for k, v in OUTCOMES.items() if k != LEFT and k not in AT_REGISTRATION}
UNDO_WINDOW = timedelta(minutes=2)  # how long a call, finish or leave can be taken back

VOIDED = "voided"
STATUSES: dict[str, str] = {
    WAITING: _("等候中"),
    SERVING: _("办理中"),
    FINISHED: _("已完成"),
    LEFT: _("未办理离开"),
    VOIDED: _("已作废"),
}

MAX_NAME, MAX_TICKET, MAX_NOTES, MAX_STAFF, MAX_DOCS = 40, 20, 500, 40, 500
FUTURE_TOLERANCE = timedelta(minutes=1)
EARLIEST = datetime(2000, 1, 1)


def needs_to_bits(codes: frozenset[str] | set[str]) -> int:
    return sum(SPECIAL_NEEDS[c][0] for c in codes)


def bits_to_needs(bits: int) -> frozenset[str]:
    return frozenset(code for code, (bit, _label) in SPECIAL_NEEDS.items() if bits & bit)


# Compares two reads' phones without handing the number to the screen (see ``VisitDetail``).
_PHONE_KEY = secrets.token_bytes(32)


def phone_key(phone: str) -> str:
    return hmac.new(_PHONE_KEY, phone.encode("utf-8"), hashlib.sha256).hexdigest()


def normalize_phone(text: str) -> str:
    """Digits only; raises ``ValidationError`` on the ``phone`` field if not a phone number.

    Full-width digits (１３８…, as a Chinese input method types them) are the same number:
    read as ASCII digits, so that the number is masked and found like any other.
    """
    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", text or ""))
    if not digits:
        return ""
    if not re.fullmatch(r"[0-9]+", digits) or not 7 <= len(digits) <= 12:
        raise ValidationError.single("phone", _("电话号码应为 7 到 12 位数字（手机号 11 位）。"))
    if len(digits) == 11 and digits.startswith("1") and not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise ValidationError.single("phone", _("手机号码格式不正确。"))
    return digits


@dataclass(frozen=True)
class VisitInput:
    """What the register form and the edit dialog hand to the service."""

    business_type_id: int | None = None
    destination_id: int | None = None
    arrived_at: datetime | None = None  # None: now
    ticket_no: str = ""
    customer_name: str = ""
    phone: str | None = ""  # None: unchanged (an edit that did not touch the masked number)
    special_needs: frozenset[str] = frozenset()
    vip: bool = False
    documents_complete: bool = True
    missing_documents: tuple[str, ...] = ()
    surrender_reason: str | None = None
    retention: str | None = None
    served_by: str = ""
    notes: str = ""
    # Only the edit dialog sets these; a new registration is always waiting.
    called_at: datetime | None = None
    finished_at: datetime | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class VisitRow:
    """One visit as lists show it: phone masked, labels resolved."""

    id: int
    arrived_at: datetime
    ticket_no: str
    customer_name: str
    phone_masked: str
    business_type_id: int
    business_type: str
    destination_id: int
    destination: str
    special_needs: frozenset[str]
    vip: bool
    documents_complete: bool
    missing_documents: tuple[str, ...]
    surrender_reason: str | None
    retention: str | None
    status: str
    called_at: datetime | None
    finished_at: datetime | None
    outcome: str | None
    served_by: str
    notes: str
    void_reason: str
    version: int
    created_by_id: int | None = None  # who registered it (None: before users existed)
    created_at: datetime | None = None  # when it was registered (the arrival may be earlier)
    business_tag: str | None = None  # the business type's role tag ("surrender" …)

    @property
    def priority(self) -> bool:
        return bool(self.special_needs) or self.vip

    @property
    def is_surrender(self) -> bool:
        return self.business_tag == "surrender" or self.surrender_reason is not None

    @property
    def wait_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.arrived_at).total_seconds() / 60

    @property
    def service_minutes(self) -> float | None:
        if self.called_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.called_at).total_seconds() / 60

    def waited_minutes(self, now: datetime) -> float:
        """Minutes waited so far (until called, or until ``now`` while still waiting)."""
        end = self.called_at or now
        return max(0.0, (end - self.arrived_at).total_seconds() / 60)


@dataclass(frozen=True)
class VisitDetail:
    """A visit for the detail dialog: everything editable, the phone still masked.

    The full number leaves the service only through ``reveal_phone``, which is audited.
    ``phone_key`` tells whether two reads hold the same number without carrying it.
    """

    row: VisitRow
    phone_key: str
    created_at: datetime
    updated_at: datetime
    registered_by: str = ""  # the name of the user who registered it, if known

    def to_input(self) -> VisitInput:
        r = self.row
        return VisitInput(
            business_type_id=r.business_type_id,
            destination_id=r.destination_id,
            arrived_at=r.arrived_at,
            ticket_no=r.ticket_no,
            customer_name=r.customer_name,
            phone=None,
            special_needs=r.special_needs,
            vip=r.vip,
            documents_complete=r.documents_complete,
            missing_documents=r.missing_documents,
            surrender_reason=r.surrender_reason,
            retention=r.retention,
            served_by=r.served_by,
            notes=r.notes,
            called_at=r.called_at,
            finished_at=r.finished_at,
            outcome=r.outcome if r.status in (FINISHED, LEFT) else None,
        )


# The status bar's counts: computed by ``figures``, like every figure.
DayCounts = figures.StatusCounts


# ---------------------------------------------------------------- reading

BusinessType = ListItem.alias("bt")
Destination = ListItem.alias("dest")


def _row_query() -> peewee.ModelSelect:
    return (
        Visit.select(
            Visit,
            BusinessType.label.alias("bt_label"),
            BusinessType.tag.alias("bt_tag"),
            Destination.label.alias("dest_label"),
        )
        .join(BusinessType, on=(Visit.business_type == BusinessType.id))
        .switch(Visit)
        .join(Destination, on=(Visit.destination == Destination.id))
    )


def _to_row(v: Visit) -> VisitRow:
    status = VOIDED if v.voided_at is not None else v.status
    return VisitRow(
        id=v.id,
        arrived_at=v.arrived_at,
        ticket_no=v.ticket_no,
        customer_name=v.customer_name,
        phone_masked=mask_phone(v.phone),
        business_type_id=v.business_type_id,
        business_type=v.bt_label,
        destination_id=v.destination_id,
        destination=v.dest_label,
        special_needs=bits_to_needs(v.special_needs),
        vip=bool(v.vip),
        documents_complete=bool(v.documents_complete),
        missing_documents=tuple(d for d in v.missing_documents.split("\n") if d),
        surrender_reason=v.surrender_reason,
        retention=v.retention,
        status=status,
        called_at=v.called_at,
        finished_at=v.finished_at,
        outcome=v.outcome,
        served_by=v.served_by,
        notes=v.notes,
        void_reason=v.void_reason,
        version=v.version,
        created_by_id=v.created_by_id,
        created_at=v.created_at,
        business_tag=v.bt_tag,
    )


@kit.query()
def get_visit(visit_id: int) -> VisitDetail:
    v = _row_query().where(Visit.id == visit_id).objects().first()
    if v is None:
        raise NotFoundError(_("来访记录不存在（编号 {id}）。").format(id=visit_id))
    registered_by = ""
    if v.created_by_id is not None:
        user = User.get_or_none(User.id == v.created_by_id)
        registered_by = (user.display_name or user.username) if user is not None else ""
    return VisitDetail(row=_to_row(v), phone_key=phone_key(v.phone), created_at=v.created_at,
                       updated_at=v.updated_at, registered_by=registered_by)


def _saved_row(visit_id: int) -> VisitRow:
    """The row just written, as lists show it (what a save hands back to the screen)."""
    with read_only():
        v = _row_query().where(Visit.id == visit_id).objects().first()
    if v is None:
        raise NotFoundError(_("来访记录不存在（编号 {id}）。").format(id=visit_id))
    return _to_row(v)


@kit.command(session.REVEAL)
def reveal_phone(visit_id: int) -> str:
    """The full phone number of a visit, for the duty manager; the look is in the audit trail."""
    v = Visit.get_or_none(Visit.id == visit_id)
    if v is None:
        raise NotFoundError(_("来访记录不存在（编号 {id}）。").format(id=visit_id))
    if v.phone:
        audit.record("reveal", entity="visit", entity_id=visit_id, detail=_("电话"))
    return v.phone


def may_edit(row: VisitRow, actor: session.Actor | None = None) -> bool:
    """Whether ``actor`` (default: the signed-in user) may edit this visit.

    The duty manager and the administrator edit any record; the front desk only the records it
    registered itself, today — registered today, whatever arrival time was typed (a guide must be
    able to correct a wrong arrival date).
    """
    actor = actor or session.current()
    if actor is None or row.status == VOIDED:
        return False
    if actor.can(session.EDIT_ANY):
        return True
    return actor.can(session.EDIT_OWN_TODAY) and _own_today(row.created_by_id, row.created_at, actor)


def _own_today(created_by_id: int | None, created_at: datetime | None, actor: session.Actor) -> bool:
    """Registered by ``actor`` today (the day it was registered, not the day it says it arrived)."""
    return (actor.user_id is not None and created_by_id == actor.user_id
            and created_at is not None and created_at.date() == clock.today())


def edit_refusal() -> str:
    return _("前台只能修改自己今天登记的来访记录；其他记录请值班经理修改。")


def _priority_expr() -> peewee.Node:
    return peewee.Case(None, [(((Visit.special_needs != 0) | (Visit.vip == True)), 0)], 1)  # noqa: E712


@kit.query()
def waiting_now() -> list[VisitRow]:
    """Everyone not yet called: priority customers (special needs or VIP) first, then by arrival."""
    query = (
        _row_query()
        .where((Visit.status == WAITING) & Visit.voided_at.is_null())
        .order_by(_priority_expr(), Visit.arrived_at, Visit.id)
    )
    return [_to_row(v) for v in query.objects()]


@kit.query()
def serving_now() -> list[VisitRow]:
    """Everyone called and not yet finished, longest in service first."""
    query = (
        _row_query()
        .where((Visit.status == SERVING) & Visit.voided_at.is_null())
        .order_by(Visit.called_at, Visit.id)
    )
    return [_to_row(v) for v in query.objects()]


@kit.query()
def day_counts(day: date) -> DayCounts:
    """Today's line of the status bar: the day's visits by status, voided ones left out."""
    return figures.status_counts(figures.visits_between(day, day))


# ------------------------------------------------------- the register table

SORT_KEYS = (
    "arrived_at", "ticket_no", "customer_name", "business_type", "destination", "status",
    "called_at", "finished_at", "wait", "service", "outcome", "served_by",
)


@dataclass(frozen=True)
class VisitQuery:
    """A view of the register: a date range, filters and a sort, all done in SQL."""

    date_from: date
    date_to: date
    business_type_id: int | None = None
    status: str | None = None  # None: every visit that is not voided
    text: str = ""
    sort_key: str = "arrived_at"
    descending: bool = False
    priority_only: bool = False


TAIL_DIGITS = 4  # 尾号: the last four digits, all a masked number shows
FULL_PHONE_MIN = 7  # a landline without its area code; shorter is no whole number


def _phone_match(digits: str) -> peewee.Node | None:
    """Four digits find the numbers ending in them (尾号); a whole number finds itself; nothing
    else searches phones. Matching any fragment would let a role that sees only 138****5678
    rebuild the hidden digits one search at a time, and "9377" finding 155****3779 helps no one.
    """
    if not digits.isdigit():
        return None
    if len(digits) == TAIL_DIGITS:
        return Visit.phone.endswith(digits)
    if len(digits) >= FULL_PHONE_MIN:
        return Visit.phone == digits
    return None


def _where(q: VisitQuery, total: int | None = None) -> peewee.Node:
    """The view's condition; ``total`` (its row count, when known) lets a big view sorted by
    another column be read in that column's index (``visit_search.date_range``)."""
    start, end = _bounds(q)
    if q.status == VOIDED:
        cond = Visit.voided_at.is_null(False)
    else:
        cond = Visit.voided_at.is_null()
        if q.status is not None:
            cond &= Visit.status == q.status
    if q.business_type_id is not None:
        cond &= Visit.business_type == q.business_type_id
    if q.priority_only:
        cond &= (Visit.special_needs != 0) | (Visit.vip == True)  # noqa: E712
    text = clean_search(q.text)
    searched = False
    if text:
        digits = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))
        match = (
            Visit.customer_name.contains(text)
            | Visit.ticket_no.contains(text)
            | Visit.notes.contains(text)
            | Visit.served_by.contains(text)
        )
        phone = _phone_match(digits)
        if phone is not None:
            match |= phone
        found = visit_search.narrowed(match, text, digits if phone is not None else "")
        searched = found is not match
        cond &= found
    in_range = visit_search.date_range(start, end, sort_key=q.sort_key, total=total, text_search=searched)
    return in_range & cond


def _sort_expr(key: str) -> peewee.Node:
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}")
    if key == "business_type":
        return BusinessType.label
    if key == "destination":
        return Destination.label
    indexed = visit_search.sort_expression(key)
    if indexed is not None:
        return indexed
    if key == "wait":
        return minutes_between(Visit.arrived_at, Visit.called_at)
    if key == "service":
        return minutes_between(Visit.called_at, Visit.finished_at)
    return getattr(Visit, key)


def _ordering(q: VisitQuery) -> paging.Ordering:
    return paging.ordered_by(_sort_expr(q.sort_key), Visit.id, descending=q.descending)


def _bounds(q: VisitQuery) -> tuple[datetime, datetime]:
    check_period(q.date_from, q.date_to)
    start = datetime.combine(q.date_from, datetime.min.time())
    return start, datetime.combine(q.date_to, datetime.min.time()) + timedelta(days=1)


@kit.query()
def count_visits(q: VisitQuery) -> int:
    if q.status is None and q.business_type_id is None and not q.text.strip() and not q.priority_only:
        return _count_live_range(q)
    return paging.count(Visit, _where(q))


def _count_live_range(q: VisitQuery) -> int:
    """Visits of a date range that are not voided, counted from whichever side is smaller.

    Counting a range walks the arrival index entry by entry (~90 ms a million rows). When the
    range holds most of the register (the whole history), it is cheaper to count what lies
    outside it and take that from the total, which SQLite keeps at hand (a few ms). Voided
    visits are few and have their own index (migration 2).
    """
    start, end = _bounds(q)
    in_range = (Visit.arrived_at >= start) & (Visit.arrived_at < end)
    first = Visit.select(peewee.fn.MIN(Visit.arrived_at)).scalar()
    if first is None:
        return 0
    last = Visit.select(peewee.fn.MAX(Visit.arrived_at)).scalar()
    first, last = paging.as_datetime(first), paging.as_datetime(last)
    span = (last - first).total_seconds() or 1.0
    covered = (min(end, last) - max(start, first)).total_seconds()
    if covered / span > 0.5:
        everything = Visit.select(peewee.fn.COUNT(peewee.SQL("*"))).scalar() or 0
        arrived = everything - paging.count(Visit, Visit.arrived_at < start) - paging.count(Visit, Visit.arrived_at >= end)
    else:
        arrived = paging.count(Visit, in_range)
    voided = paging.count(Visit, in_range & Visit.voided_at.is_null(False))
    return arrived - voided


# Days back from today that ``change_stamp`` watches: where other stations register and edit.
STAMP_DAYS = 31


# A fingerprint of the recent part of a register view (``paging.ChangeStamp``).
ChangeStamp = paging.ChangeStamp


@kit.query()
def change_stamp(q: VisitQuery) -> ChangeStamp:
    """The ``ChangeStamp`` of ``q``'s date range (filters aside), over its last ``STAMP_DAYS`` days.

    Read from the arrival index: about 0.2 ms for a day of a busy hall, a few ms for a month.
    A whole history of a million visits would cost half a second a look, so older days are left
    out: another station changing a visit of months ago shows at the next refresh instead.
    """
    start, end = _bounds(q)
    start = max(start, datetime.combine(clock.today() - timedelta(days=STAMP_DAYS - 1), time.min))
    if start >= end:
        return ChangeStamp(0, 0, None)
    return paging.change_stamp(Visit, (Visit.arrived_at >= start) & (Visit.arrived_at < end))


def _ids_query(q: VisitQuery, total: int | None = None) -> peewee.ModelSelect:
    """The ids of the view, joined only as far as its sort needs (served from indexes where it can)."""
    ids_query = Visit.select(Visit.id)
    # The list's kind in the join lets the database walk the list's labels in order (its unique
    # index) and each label's visits by id: a sorted first page without sorting the view.
    if q.sort_key == "business_type":
        ids_query = ids_query.join(BusinessType, on=(Visit.business_type == BusinessType.id)
                                   & (BusinessType.kind == BUSINESS_TYPE))
    elif q.sort_key == "destination":
        ids_query = ids_query.join(Destination, on=(Visit.destination == Destination.id)
                                   & (Destination.kind == DESTINATION))
    return ids_query.where(_where(q, total))


def _rows_of(ids: list[int]) -> list[VisitRow]:
    """The rows of ``ids``, in that order."""
    return paging.rows_by_id(_row_query(), Visit.id, ids, _to_row)


@kit.query()
def fetch_rows(q: VisitQuery, offset: int, limit: int, total: int | None = None) -> list[VisitRow]:
    """Rows ``offset`` … ``offset + limit`` of the view.

    Past the middle the query runs in reverse order from the far end, so the last page of a
    million rows costs no more than the first.
    """
    if limit <= 0:
        return []
    if total is None:
        total = count_visits(q)
    # The ids first, from the indexes alone where possible (deep pages skip index entries, not
    # whole rows with their joins), then the rows of just those ids.
    return _rows_of(paging.page_ids(_ids_query(q, total), _ordering(q), offset, limit, total))


SINGLE_SCAN_LIMIT = 2000


@kit.query()
def first_page(q: VisitQuery, limit: int, total: int | None = None) -> tuple[int, list[VisitRow]]:
    """The view's row count and its first ``limit`` rows.

    A filtered view (a search over years of visits above all) costs a scan of the whole table to
    count and another to sort: when it holds at most ``SINGLE_SCAN_LIMIT`` visits, one ordered
    read of its ids answers both.
    """
    filtered = bool(q.text.strip()) or q.status is not None or q.business_type_id is not None or q.priority_only
    if total is None and filtered:
        ids = paging.first_ids(_ids_query(q), _ordering(q), SINGLE_SCAN_LIMIT)
        if ids is not None:
            return len(ids), _rows_of(ids[:limit])
    if total is None:
        total = count_visits(q)
    return total, fetch_rows(q, 0, limit, total)


@kit.query()
def position_of(q: VisitQuery, visit_id: int) -> int | None:
    """Where ``visit_id`` stands in the view (to restore a selection after a refresh)."""
    view = (
        Visit.select()
        .join(BusinessType, on=(Visit.business_type == BusinessType.id))
        .switch(Visit)
        .join(Destination, on=(Visit.destination == Destination.id))
        .where(_where(q))
    )
    return paging.position_of(Visit, view, _ordering(q), visit_id)


# ---------------------------------------------------------------- writing


def _check_time(errors: Errors, name: str, value: datetime | None, now: datetime, label: str) -> None:
    if value is None:
        return
    if value > now + FUTURE_TOLERANCE:
        errors.add(name, _("{label}不能晚于现在。").format(label=label))
    elif value < EARLIEST:
        errors.add(name, _("{label}不正确。").format(label=label))


def _validated(data: VisitInput, *, current: Visit | None = None, historical: bool = False,
               items: dict[int, ListItem] | None = None, now: datetime | None = None) -> tuple[dict, str]:
    """Check ``data`` and return the column values and the derived status.

    ``current``: the visit being edited (None: a new registration). ``historical``: a visit of
    an old log being imported, which arrives with its call, finish and outcome. ``items``: the
    list entries by id, when the caller has them already (an import checks thousands of rows).
    """
    new = current is None and not historical
    errors = Errors()
    now = now or clock.now()
    arrived_at = (data.arrived_at or now).replace(microsecond=0)
    _check_time(errors, "arrived_at", arrived_at, now, _("到达时间"))

    if items is None:
        wanted = [i for i in (data.business_type_id, data.destination_id) if i]
        items = {i.id: i for i in ListItem.select().where(ListItem.id.in_(wanted))} if wanted else {}
    bt = items.get(data.business_type_id) if data.business_type_id else None
    if bt is None or bt.kind != BUSINESS_TYPE:
        errors.add("business_type", _("请选择业务类型。"))
    elif new and not bt.active:
        errors.add("business_type", _("业务类型“{label}”已停用，请另选。").format(label=bt.label))
    dest = items.get(data.destination_id) if data.destination_id else None
    if dest is None or dest.kind != DESTINATION:
        errors.add("destination", _("请选择分流去向。"))
    elif new and not dest.active:
        errors.add("destination", _("分流去向“{label}”已停用，请另选。").format(label=dest.label))

    if data.phone is None:
        phone = current.phone if current is not None else ""
    else:
        try:
            phone = normalize_phone(data.phone)
        except ValidationError as exc:
            errors.update(exc)
            phone = ""
    # A queue ticket is a code the machine printed: full-width letters and digits typed by an
    # input method are the same code (Ａ０１２ is A012), as for phones.
    ticket = errors.text("ticket_no", unicodedata.normalize("NFKC", data.ticket_no or ""),
                         label=_("票号"), limit=MAX_TICKET)
    name = errors.text("customer_name", data.customer_name, label=_("客户称呼"), limit=MAX_NAME)
    notes = errors.text("notes", data.notes, label=_("备注"), limit=MAX_NOTES, multiline=True)
    served_by = errors.text("served_by", data.served_by, label=_("经办人"), limit=MAX_STAFF)

    unknown = set(data.special_needs) - set(SPECIAL_NEEDS)
    if unknown:
        errors.add("special_needs", _("未知的特殊客户类别：{codes}").format(codes="、".join(sorted(unknown))))

    missing = tuple(d.strip() for d in data.missing_documents if d.strip())
    if data.documents_complete:
        missing = ()
    elif not missing:
        errors.add("missing_documents", _("资料不全时，请写明缺少哪些资料，以便一次性告知客户。"))
    elif len("\n".join(missing)) > MAX_DOCS:
        errors.add("missing_documents", _("缺少资料最多 {n} 个字。").format(n=MAX_DOCS))
    elif any(has_control_characters(d) for d in missing):
        errors.add("missing_documents", control_characters_message(_("缺少资料")))

    is_surrender = bt is not None and bt.tag == "surrender"
    reason = data.surrender_reason if is_surrender else None
    retention = data.retention if is_surrender else None
    if reason is not None and reason not in SURRENDER_REASONS:
        errors.add("surrender_reason", _("请选择退保原因。"))
    if retention is not None and retention not in RETENTION:
        errors.add("retention", _("请选择挽留结果。"))

    called_at = data.called_at.replace(microsecond=0) if data.called_at else None
    finished_at = data.finished_at.replace(microsecond=0) if data.finished_at else None
    outcome = data.outcome
    if new and (called_at or finished_at or outcome):
        raise ValueError("a new registration carries no call, finish or outcome")
    _check_time(errors, "called_at", called_at, now, _("叫号时间"))
    _check_time(errors, "finished_at", finished_at, now, _("结束时间"))
    if outcome is not None and outcome not in OUTCOMES:
        errors.add("outcome", _("请选择办理结果。"))
    if called_at and "arrived_at" not in errors and called_at < arrived_at:
        errors.add("called_at", _("叫号时间不能早于到达时间。"))
    if outcome == LEFT:
        if called_at is not None:
            errors.add("outcome", _("已叫号的客户不能记为“未办理离开”。"))
        if finished_at is not None and finished_at < arrived_at:
            errors.add("finished_at", _("离开时间不能早于到达时间。"))
        status = LEFT
    elif outcome in AT_REGISTRATION:
        if called_at is not None:
            errors.add("called_at", _("“{outcome}”的来访没有叫号时间。").format(outcome=OUTCOMES[outcome]))
        if finished_at is None:
            errors.add("finished_at", _("有办理结果时请填写结束时间。"))
        elif finished_at < arrived_at:
            errors.add("finished_at", _("结束时间不能早于到达时间。"))
        status = FINISHED
    elif finished_at is not None:
        if called_at is None:
            errors.add("finished_at", _("未叫号的客户不能有结束时间，请先填写叫号时间。"))
        elif finished_at < called_at:
            errors.add("finished_at", _("结束时间不能早于叫号时间。"))
        if outcome is None:
            errors.add("outcome", _("已结束的来访请选择办理结果。"))
        status = FINISHED
    else:
        if outcome is not None:
            errors.add("finished_at", _("有办理结果时请填写结束时间。"))
        status = SERVING if called_at else WAITING
    errors.raise_if_any()
    values = dict(
        arrived_at=arrived_at,
        ticket_no=ticket,
        customer_name=name,
        phone=phone,
        business_type=bt.id,
        destination=dest.id,
        special_needs=needs_to_bits(data.special_needs),
        vip=bool(data.vip),
        documents_complete=bool(data.documents_complete),
        missing_documents="\n".join(missing),
        surrender_reason=reason,
        retention=retention,
        served_by=served_by,
        notes=notes,
        called_at=called_at,
        finished_at=finished_at,
        outcome=outcome,
        status=status,
    )
    return values, status


@kit.exempt("checks one visit of an old log inside the import's own command (services/imports)")
def checked_import_values(data: VisitInput, items: dict[int, ListItem], now: datetime) -> dict:
    """The column values of a visit from an old log, or the ``ValidationError`` naming its
    fields: the register's own checks, with the call, finish and outcome an old log holds."""
    values, _status = _validated(data, historical=True, items=items, now=now)
    return values


_AUDITED = ("arrived_at", "ticket_no", "customer_name", "phone", "business_type", "destination",
            "special_needs", "vip", "documents_complete", "missing_documents", "surrender_reason",
            "retention", "served_by", "notes", "called_at", "finished_at", "outcome", "status",
            "voided_at", "void_reason")


def _audit_values(values: dict) -> dict:
    """Column values as the audit trail keeps them: special needs by name, not as bits."""
    shown = {k: values[k] for k in _AUDITED if k in values}
    if "special_needs" in shown:
        shown["special_needs"] = sorted(bits_to_needs(int(shown["special_needs"] or 0)))
    return shown


def _masked(values: dict) -> dict:
    """Audit values with the phone as the register shows it (``138****5678``): the trail, which
    is never rewritten, keeps no full number that an erase request or retention could not reach.
    The record itself holds the number (its reveal is audited)."""
    return {**values, "phone": mask_phone(values["phone"])} if values.get("phone") else values


def _stored_values(v: Visit) -> dict:
    return {k: (getattr(v, f"{k}_id") if k in ("business_type", "destination") else getattr(v, k))
            for k in _AUDITED}


def _audit_change(action: str, v: Visit, values: dict) -> None:
    """The audit entry of a change of ``v`` to ``values``: the fields that changed, before and after."""
    # Compared in full, so a new number with the same masked digits is still noted as a change.
    before, after = audit.diff(_audit_values(_stored_values(v)), _audit_values(values))
    audit.record(action, entity="visit", entity_id=v.id, before=_masked(before), after=_masked(after))


def staff_name(actor: session.Actor) -> str:
    """How the register names the signed-in user as the one who served (经办人)."""
    return (actor.display_name or actor.username)[:MAX_STAFF]


@kit.command(session.REGISTER, then=_saved_row)
def register(actor: session.Actor, data: VisitInput) -> int:
    """Register a walk-in customer. They wait to be called, unless their destination answers
    them on the spot or sends them elsewhere: then the visit is finished at once with that
    outcome (no call, so no wait or service time), and never waits in the panel."""
    values, _status = _validated(data)
    now = clock.now()
    handling = ListItem.get_by_id(values["destination"]).handling or QUEUE
    if handling == QUEUE and (closed := counters.refusal(values["destination"], values["arrived_at"])):
        raise closed
    if handling != QUEUE:
        values.update(status=FINISHED, finished_at=max(values["arrived_at"], now),
                      outcome=OUTCOME_OF_HANDLING[handling],
                      served_by=values["served_by"] or staff_name(actor))
    visit_id = Visit.insert(**values, created_at=now, updated_at=now, version=1,
                            created_by=actor.user_id).execute()
    audit.record("create", entity="visit", entity_id=visit_id, after=_masked(_audit_values(values)))
    return visit_id


# ------------------------------------------------- what another station changed

def _show_needs(value: object, lookup: fields.Lookup = str) -> str:
    """Special needs by name, from bits or codes; unknown codes after the known ones."""
    if value is None:
        return EMPTY
    if isinstance(value, int) and not isinstance(value, bool):
        codes = set(bits_to_needs(value))
    elif isinstance(value, list | tuple | set | frozenset):
        codes = {str(v) for v in value}
    else:
        return str(value)
    labels = [label for code, (_bit, label) in SPECIAL_NEEDS.items() if code in codes]
    labels += sorted(c for c in codes if c not in SPECIAL_NEEDS)
    return "、".join(labels) or _("无")


# A visit's fields as conflicts and the audit viewer name and show them (status first, as the
# edit dialog lists them).
VISIT_FIELDS = fields.register(fields.EntityFields("visit", (
    Field("status", _("状态"), fields.choice(STATUSES)),
    Field("arrived_at", _("到达时间"), is_time=True),
    Field("ticket_no", _("票号")),
    Field("customer_name", _("客户称呼")),
    Field("phone", _("电话"), fields.phone),
    Field("business_type", _("业务类型"), fields.list_entry),
    Field("destination", _("分流去向"), fields.list_entry),
    Field("special_needs", _("特殊客户"), _show_needs),
    Field("vip", _("贵宾"), fields.yes_no(_("是"), _("否"))),
    Field("documents_complete", _("资料"), fields.yes_no(_("齐全"), _("不全"))),
    Field("missing_documents", _("缺少资料"), fields.lines),
    Field("surrender_reason", _("退保原因"), fields.choice(SURRENDER_REASONS)),
    Field("retention", _("挽留结果"), fields.choice(RETENTION)),
    Field("called_at", _("叫号时间"), is_time=True),
    Field("finished_at", _("结束时间"), is_time=True),
    Field("outcome", _("办理结果"), fields.choice(OUTCOMES)),
    Field("served_by", _("经办人")),
    Field("notes", _("备注")),
    Field("void_reason", _("作废原因")),
    Field("voided_at", _("作废时间"), is_time=True),
)))

# The fields a conflict names: all but the time of voiding (the status says it).
CHANGE_LABELS: dict[str, str] = {k: v for k, v in VISIT_FIELDS.labels.items() if k != "voided_at"}

# The record as the caller read it: the detail (full phone) or a list row, or just its version.
Expected = VisitDetail | VisitRow | int


def _row_of(visit: VisitDetail | VisitRow) -> VisitRow:
    return visit.row if isinstance(visit, VisitDetail) else visit


def _compared(field: str, row: VisitRow) -> object:
    """The value of ``field`` that says whether it changed (ids, not labels: a list may be renamed)."""
    if field == "business_type":
        return row.business_type_id
    if field == "destination":
        return row.destination_id
    if field == "phone":
        return row.phone_masked
    return getattr(row, field)


def changes_between(before: VisitDetail | VisitRow, after: VisitDetail | VisitRow) -> tuple[FieldChange, ...]:
    """What differs between two reads of one visit, named and shown as the user knows them.

    The phone is compared in full when both reads carry it, and always shown masked.
    """
    old, new = _row_of(before), _row_of(after)
    differs = {}
    if isinstance(before, VisitDetail) and isinstance(after, VisitDetail):
        differs["phone"] = before.phone_key != after.phone_key
    labels = {r.business_type_id: r.business_type for r in (old, new)}
    labels.update({r.destination_id: r.destination for r in (old, new)})
    return records.changes(
        VISIT_FIELDS,
        {name: _compared(name, old) for name in CHANGE_LABELS},
        {name: _compared(name, new) for name in CHANGE_LABELS},
        lookup=lambda entry_id: labels.get(entry_id, ""),
        differs=differs,
        day=new.arrived_at.date(),
    )


describe_changes = records.describe_changes
_refusal = records.refusal


def _edit_conflict(visit_id: int, before: VisitDetail | VisitRow | None) -> ConflictError:
    """Why an edit of the record as ``before`` cannot be saved, with what the other station did."""
    current = get_visit(visit_id)
    changes = changes_between(before, current) if before is not None else ()
    if current.row.status == VOIDED:
        if before is not None and _row_of(before).status == VOIDED:
            return ConflictError(_("这条来访记录已作废，不能再修改。"))
        return _refusal(
            _("这条来访记录已被其他工作站作废：{changes}。您的输入未保存，也未丢失。"),
            _("这条来访记录已作废，不能再修改。您的输入未保存，也未丢失。"),
            changes,
        )
    return _refusal(
        _("这条来访记录已被其他工作站修改：{changes}。您的输入未保存，也未丢失。"),
        _("这条来访记录已被其他工作站修改，请载入最新记录后再保存。您的输入未保存，也未丢失。"),
        changes,
    )


_MISSING = _("来访记录不存在（编号 {id}）。")


def _get_for_update(visit_id: int) -> Visit:
    """The visit, locked until the write transaction ends (``records.get_for_update``)."""
    return records.get_for_update(Visit, visit_id, _MISSING)


def _conditional_update(visit_id: int, version: int, values: dict) -> bool:
    return records.conditional_update(Visit, visit_id, version, values)


def _expected(expected: Expected | None) -> tuple[VisitDetail | VisitRow | None, int | None]:
    if expected is None or isinstance(expected, int):
        return None, expected
    return expected, _row_of(expected).version


@kit.command(None, then=_saved_row)
def update(actor: session.Actor, visit_id: int, data: VisitInput, expected: Expected) -> int:
    """Save an edit of the record as the user read it (``expected``: the detail, or its version).

    Refused with a ``ConflictError`` if another station saved the record since: never a silent
    overwrite. Given the detail, the error lists what the other station changed; and a save there
    that changed nothing (the same values saved again) does not block this one.
    """
    before, version = _expected(expected)
    v = _get_for_update(visit_id)
    if not actor.can(session.EDIT_ANY):
        if not actor.can(session.EDIT_OWN_TODAY):
            raise session.denied(session.EDIT_ANY, actor)
        if not _own_today(v.created_by_id, v.created_at, actor):
            raise PermissionDeniedError(edit_refusal())
    if v.voided_at is not None:
        raise _edit_conflict(visit_id, before)
    if v.version != version:
        if not isinstance(before, VisitDetail) or changes_between(before, get_visit(visit_id)):
            raise _edit_conflict(visit_id, before)
        version = v.version  # nothing of theirs differs from what the user started from
    values, _status = _validated(data, current=v)
    if not _conditional_update(visit_id, version, values):
        raise _edit_conflict(visit_id, before)
    _audit_change("update", v, values)
    return visit_id


def _transition(action: str, visit_id: int, allowed: tuple[str, ...], refusal: str, values_for,
                expected: VisitDetail | VisitRow | None) -> int:
    """Inside a serving command: a change of status, refused (and saying what the other station did) if no longer allowed.

    Not refused merely because the version moved: calling a customer whose notes another station
    corrected is still right. ``expected``, the row the user acted on, only names the changes.
    """

    def refused(message: str) -> ConflictError:
        changes = changes_between(expected, get_visit(visit_id)) if expected is not None else ()
        return _refusal(message + _("其他工作站的修改：{changes}。"), message, changes)

    v = _get_for_update(visit_id)
    if v.voided_at is not None:
        raise refused(_("这条来访记录已作废，不能再修改。"))
    if v.status not in allowed:
        raise refused(refusal.format(status=STATUSES[v.status]))
    values = values_for(v)
    if not _conditional_update(visit_id, v.version, values):
        raise refused(_("这条来访记录刚被其他工作站修改，请重试。"))
    _audit_change(action, v, values)
    return visit_id


@kit.command(session.SERVE, then=_saved_row)
def call(visit_id: int, *, at: datetime | None = None, served_by: str = "",
         expected: VisitDetail | VisitRow | None = None) -> int:
    """Call the customer: service starts. ``expected``: the row the guide saw (names changes)."""
    at = (at or clock.now()).replace(microsecond=0)

    staff = clean_text("served_by", served_by, label=_("经办人"), limit=MAX_STAFF)

    def values(v: Visit) -> dict:
        values = {"status": SERVING, "called_at": max(at, v.arrived_at)}
        if staff:
            values["served_by"] = staff
        return values

    return _transition("call", visit_id, (WAITING,), _("只能为等候中的客户叫号（当前：{status}）。"), values,
                       expected)


@kit.command(session.SERVE, then=_saved_row)
def finish(actor: session.Actor, visit_id: int, outcome: str = "done", *, at: datetime | None = None,
           expected: VisitDetail | VisitRow | None = None) -> int:
    """Finish the service with an outcome. Who served (经办人), if nobody said at the call, is
    the signed-in user who finishes it."""
    if outcome not in SERVICE_OUTCOMES:
        raise ValidationError.single("outcome", _("请选择办理结果。"))
    at = (at or clock.now()).replace(microsecond=0)

    def values(v: Visit) -> dict:
        values = {"status": FINISHED, "finished_at": max(at, v.called_at), "outcome": outcome}
        if not v.served_by:
            values["served_by"] = staff_name(actor)
        return values

    return _transition("finish", visit_id, (SERVING,), _("只能结束办理中的来访（当前：{status}）。"), values,
                       expected)


@kit.command(session.SERVE, then=_saved_row)
def mark_left(visit_id: int, *, at: datetime | None = None,
              expected: VisitDetail | VisitRow | None = None) -> int:
    """The customer left before being called (未办理离开)."""
    at = (at or clock.now()).replace(microsecond=0)

    def values(v: Visit) -> dict:
        return {"status": LEFT, "finished_at": max(at, v.arrived_at), "outcome": LEFT}

    return _transition("left", visit_id, (WAITING,), _("只有等候中的客户可以记为未办理离开（当前：{status}）。"),
                       values, expected)


# What each serving step leaves behind, and what taking it back restores (its status first).
_UNDONE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "call": (SERVING, WAITING, ("called_at", "served_by")),
    "finish": (FINISHED, SERVING, ("finished_at", "outcome", "served_by")),
    "left": (LEFT, WAITING, ("finished_at", "outcome")),
}


@kit.command(session.SERVE, then=_saved_row)
def undo(visit_id: int, step: str, done: VisitRow, before: VisitRow) -> int:
    """Take back a call, finish or leave (``step``) made moments ago: ``done`` is the row the step
    returned, ``before`` the row it acted on. Refused once ``UNDO_WINDOW`` has passed or if the
    visit changed in any way since the step (another station, an edit): never undoes more than
    the step itself. Audited like any change."""
    if step not in _UNDONE:
        raise ValueError(f"unknown step {step!r}")
    after_status, back_status, columns = _UNDONE[step]
    v = _get_for_update(visit_id)
    if v.voided_at is not None or v.version != done.version or v.status != after_status:
        raise ConflictError(_("这条来访记录在此之后已有变动，不能撤销。"))
    if clock.now() - v.updated_at > UNDO_WINDOW:
        raise ConflictError(_("已超过 {n} 分钟，不能撤销；如需更正请修改这条记录。").format(
            n=int(UNDO_WINDOW.total_seconds() // 60)))
    values: dict = {"status": back_status}
    for column in columns:
        values[column] = None
    if "served_by" in columns:
        values["served_by"] = clean_text("served_by", before.served_by, label=_("经办人"), limit=MAX_STAFF)
    if not _conditional_update(visit_id, v.version, values):
        raise ConflictError(_("这条来访记录在此之后已有变动，不能撤销。"))
    _audit_change(f"undo_{step}", v, values)
    return visit_id


@kit.command(session.VOID, then=_saved_row)
def void(visit_id: int, reason: str, expected: Expected | None = None) -> int:
    """Void a visit with a reason. It stays in the register, marked void, and counts nowhere.

    ``expected``: the record as the user saw it when deciding (or its version). If another
    station changed it since, the void is refused and the error lists what changed, so the user
    voids what they looked at; a save there that changed nothing visible does not block it.
    """
    reason = clean_text("void_reason", reason, label=_("作废原因"), limit=MAX_NOTES, collapse_spaces=True)
    if len(reason) < 2:
        raise ValidationError.single("void_reason", _("请写明作废原因（至少 2 个字）。"))
    before, version = _expected(expected)

    def refused() -> ConflictError:
        current = get_visit(visit_id)
        changes = changes_between(before, current) if before is not None else ()
        if current.row.status == VOIDED:
            return _refusal(_("这条来访记录已被其他工作站作废：{changes}。"),
                            _("这条来访记录已经作废。"), changes)
        return _refusal(
            _("这条来访记录已被其他工作站修改：{changes}。尚未作废，请核对后再作废。"),
            _("这条来访记录已被其他工作站修改，尚未作废，请核对后再作废。"),
            changes,
        )

    v = _get_for_update(visit_id)
    if v.voided_at is not None:
        raise refused()
    if version is None:
        version = v.version
    elif v.version != version:
        if before is None or changes_between(before, get_visit(visit_id)):
            raise refused()
        version = v.version
    values = {"voided_at": clock.now(), "void_reason": reason}
    if not _conditional_update(visit_id, version, values):
        raise refused()
    _audit_change("void", v, values)
    return visit_id
