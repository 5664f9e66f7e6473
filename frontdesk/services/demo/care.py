"""Demo care: most customers who waited the water standard were looked after a few minutes after
crossing it (water mostly, now and then another action of the care list), by the demo guide;
some were missed, as on a real busy day. Written in one transaction with one audit entry."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import ListItem, Visit, VisitCare
from frontdesk.i18n import _
from frontdesk.services import audit, kit, session
from frontdesk.services.care import CARE
from frontdesk.services.demo.people import guide_id
from frontdesk.services.demo.profiles import GUIDES
from frontdesk.services.figures import LEFT
from frontdesk.services.presets import CARE_ACTION

LOOKED_AFTER = 0.8  # the share of long waits given care
FIRST_ACTION = 0.7  # of those, the share given the list's first action (water)


@kit.command(session.MANAGE_SETTINGS)
def write_care(first: date, last: date, seed: int, water_minutes: int) -> int:
    """Care actions for the demo visits that arrived from ``first`` to ``last``; their number."""
    rng = random.Random(seed * 31 + 7)
    actions = [i.label for i in ListItem.select().where((ListItem.kind == CARE_ACTION) & ListItem.active)
               .order_by(ListItem.position, ListItem.id)]
    if not actions:
        return 0
    start, end = datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)
    visits = (Visit.select(Visit.id, Visit.arrived_at, Visit.called_at, Visit.finished_at, Visit.status)
              .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null())
              .order_by(Visit.id))
    cared = {c.visit_id for c in VisitCare.select(VisitCare.visit).join(Visit)
             .where((Visit.arrived_at >= start) & (Visit.arrived_at < end))}
    user = guide_id()
    rows = []
    for v in visits:
        if v.id in cared:  # appended to a register that has its own: those are left alone
            continue
        until = v.called_at or (v.finished_at if v.status == LEFT else None)
        if until is None:
            continue
        spare = (until - v.arrived_at).total_seconds() / 60 - water_minutes
        if spare < 0 or rng.random() >= LOOKED_AFTER:
            continue
        at = v.arrived_at + timedelta(minutes=water_minutes + rng.uniform(0, min(spare, 6)))
        label = actions[0] if rng.random() < FIRST_ACTION or len(actions) == 1 else rng.choice(actions[1:])
        rows.append({"visit": v.id, "kind": CARE, "at": at.replace(microsecond=0), "user_id": user,
                     "username": GUIDES[0], "detail": label})
    for index in range(0, len(rows), 200):
        VisitCare.insert_many(rows[index:index + 200]).execute()
    if rows:
        audit.record("demo", entity="visit", detail=_("示范数据：照护措施 {n} 条").format(n=len(rows)))
    return len(rows)
