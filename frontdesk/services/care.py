"""Care for a waiting customer: water offered at 5 minutes (seed 003), the anxious calmed (seed 000).

The waiting panel marks everyone who has waited ``water_minutes`` (a setting, default 5) and
has had no care yet; the guide records what was done with one key. Each action is a row of
``visit_care`` (kind ``water`` or ``calm``) with the time and who, audited in the same
transaction; the daily report gives the share of the customers who waited that long who got one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import Visit, VisitCare
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, kit, session
from frontdesk.services.figures import WAITING
from frontdesk.services.validation import check_period

WATER, CALM = "water", "calm"
ACTIONS: dict[str, str] = {WATER: _("已递水"), CALM: _("已安抚")}


@dataclass(frozen=True)
class CareRecord:
    visit_id: int
    kind: str
    at: datetime
    username: str

    @property
    def label(self) -> str:
        return ACTIONS.get(self.kind, self.kind)


def _guide(actor: session.Actor) -> str:
    return actor.display_name or actor.username


@kit.command(session.REGISTER)
def record(actor: session.Actor, visit_id: int, kind: str) -> CareRecord:
    """The guide brought water to (``WATER``) or calmed (``CALM``) a customer who is waiting."""
    if kind not in ACTIONS:
        raise ValueError(f"unknown care action {kind!r}")
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise NotFoundError(_("来访记录不存在（编号 {id}）。").format(id=visit_id))
    if visit.voided_at is not None or visit.status != WAITING:
        raise ValidationError.single("visit", _("只能为等候中的客户记录{action}。").format(action=ACTIONS[kind]))
    now = clock.now().replace(microsecond=0)
    VisitCare.create(visit=visit_id, kind=kind, at=now, user_id=actor.user_id, username=_guide(actor))
    audit.record(f"care_{kind}", entity="visit", entity_id=visit_id, detail=ACTIONS[kind])
    return CareRecord(visit_id, kind, now, _guide(actor))


@kit.query()
def care_of(visit_ids: Iterable[int]) -> dict[int, tuple[CareRecord, ...]]:
    """The care actions of these visits, oldest first (visits without any are left out)."""
    ids = list(visit_ids)
    found: dict[int, list[CareRecord]] = {}
    if not ids:
        return {}
    query = (VisitCare.select()
             .where(VisitCare.visit.in_(ids) & VisitCare.kind.in_(list(ACTIONS)))
             .order_by(VisitCare.at, VisitCare.id))
    for row in query:
        found.setdefault(row.visit_id, []).append(CareRecord(row.visit_id, row.kind, row.at, row.username))
    return {visit: tuple(records) for visit, records in found.items()}


@kit.query(session.VIEW_REPORTS)
def visits_cared(first: date, last: date) -> frozenset[int]:
    """The live visits that arrived from ``first`` to ``last`` and got at least one care action."""
    check_period(first, last)
    start = datetime.combine(first, time.min)
    end = datetime.combine(last, time.min) + timedelta(days=1)
    query = (Visit.select(Visit.id)
             .join(VisitCare, on=(VisitCare.visit == Visit.id))
             .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null()
                    & VisitCare.kind.in_(list(ACTIONS)))
             .distinct())
    return frozenset(v.id for v in query)
