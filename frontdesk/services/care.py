"""Care for a waiting customer: water offered at 5 minutes (seed 003), the anxious calmed (seed 000).

The waiting panel marks everyone who has waited ``water_minutes`` (a setting, default 5) and
has had no care yet; the guide records what was done with one key. What can be done is a list
the administrator edits (``list_item`` kind ``care_action``: 已送水, 已安抚, 已告知预计等候时间 …).
Each action is a row of ``visit_care`` (kind ``care``, the action's name in ``detail``, kept by
name like the audit trail) with the time and who, audited in the same transaction. Past the
waiting standard (the peak standard in the peak periods) the duty manager is told
(``escalation``); the daily report says of the customers who waited the water standard how many
were looked after, and how soon after they crossed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.models import ListItem, Visit, VisitCare
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, kit, session, settings, visitors
from frontdesk.services.figures import WAITING
from frontdesk.services.presets import CARE_ACTION
from frontdesk.services.slips import SLIP
from frontdesk.services.validation import check_period

CARE = "care"


@dataclass(frozen=True)
class CareRecord:
    visit_id: int
    at: datetime
    username: str
    label: str  # the action's name when it was done


@dataclass(frozen=True)
class CareEvent:
    """One line of a visit's care history: a care action or a slip given."""

    at: datetime
    username: str
    text: str


@dataclass(frozen=True)
class Escalation:
    """Who has waited past the standard in force now: ``minutes`` (the peak standard in a peak
    period, else the waiting standard)."""

    minutes: int
    peak: bool
    count: int
    longest: float | None  # minutes, the longest wait among them


def _guide(actor: session.Actor) -> str:
    return actor.display_name or actor.username


@kit.command(session.REGISTER)
def record(actor: session.Actor, visit_id: int, action_id: int) -> CareRecord:
    """The guide did ``action_id`` (an active entry of the care list) for a customer who is waiting."""
    action = ListItem.get_or_none((ListItem.id == action_id) & (ListItem.kind == CARE_ACTION))
    if action is None or not action.active:
        raise ValidationError.single("action", _("这项照护措施已停用，请重新选择。"))
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise NotFoundError(_("来访记录不存在（编号 {id}）。").format(id=visit_id))
    if visit.voided_at is not None or visit.status != WAITING:
        raise ValidationError.single("visit", _("只能为等候中的客户记录“{action}”。").format(action=action.label))
    now = clock.now().replace(microsecond=0)
    VisitCare.create(visit=visit_id, kind=CARE, at=now, user_id=actor.user_id, username=_guide(actor),
                     detail=action.label)
    audit.record(CARE, entity="visit", entity_id=visit_id, detail=action.label)
    return CareRecord(visit_id, now, _guide(actor), action.label)


@kit.query()
def care_of(visit_ids: Iterable[int]) -> dict[int, tuple[CareRecord, ...]]:
    """The care actions of these visits, oldest first (visits without any are left out)."""
    ids = list(visit_ids)
    found: dict[int, list[CareRecord]] = {}
    if not ids:
        return {}
    query = (VisitCare.select()
             .where(VisitCare.visit.in_(ids) & (VisitCare.kind == CARE))
             .order_by(VisitCare.at, VisitCare.id))
    for row in query:
        found.setdefault(row.visit_id, []).append(CareRecord(row.visit_id, row.at, row.username, row.detail))
    return {visit: tuple(records) for visit, records in found.items()}


@kit.query()
def history_of(visit_id: int) -> tuple[CareEvent, ...]:
    """What was done for one visit beyond registering it, oldest first: care actions and slips."""
    query = (VisitCare.select()
             .where((VisitCare.visit == visit_id) & VisitCare.kind.in_([CARE, SLIP]))
             .order_by(VisitCare.at, VisitCare.id))
    return tuple(
        CareEvent(row.at, row.username,
                  row.detail if row.kind == CARE else _("一次性告知单：{detail}").format(detail=row.detail))
        for row in query
    )


@kit.query(session.VIEW_REPORTS)
def first_care(first: date, last: date) -> dict[int, datetime]:
    """The live visits that arrived from ``first`` to ``last`` and got a care action: the first one's time."""
    check_period(first, last)
    start = datetime.combine(first, time.min)
    end = datetime.combine(last, time.min) + timedelta(days=1)
    earliest = peewee.fn.MIN(VisitCare.at)
    query = (Visit.select(Visit.id, earliest.alias("first_at"))
             .join(VisitCare, on=(VisitCare.visit == Visit.id))
             .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null()
                    & (VisitCare.kind == CARE))
             .group_by(Visit.id))
    return {row.id: _as_datetime(row.first_at) for row in query}


def _as_datetime(value: datetime | str) -> datetime:
    """SQLite hands an aggregate's datetime back as text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@kit.query()
def escalation() -> Escalation:
    """The customers waiting now past the standard in force (for the duty manager's notice)."""
    standards = settings.load().standards
    now = clock.now()
    peak = standards.is_peak(now.time())
    minutes = standards.peak_wait_minutes if peak else standards.wait_minutes
    waits = [(now - row.arrived_at).total_seconds() / 60 for row in visitors.waiting_now()]
    over = [w for w in waits if w >= minutes]
    return Escalation(minutes, peak, len(over), max(over) if over else None)
