"""Demo 一次性告知 slips: most customers who came without all their papers were handed the
slip by the demo guide a minute or two after arriving, on the receipt printer, with the papers
the guide marked missing; some were not, as on a real busy day. Recorded on the visits as
``services/slips.record_slip`` records a slip (``visit_care`` of kind ``slip``, the same
detail), in one transaction with one audit entry for them all."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import Visit, VisitCare
from frontdesk.i18n import _
from frontdesk.reports.slip import FORMATS, ROLL_80
from frontdesk.services import audit, kit, session, slips
from frontdesk.services.demo.people import guide_id
from frontdesk.services.demo.profiles import GUIDES

GIVEN = 0.85  # the share of visits with missing papers given a slip
FORMAT = FORMATS[ROLL_80]  # as the slip dialog names the format it printed
PRINTER = _("前台小票打印机")


@kit.command(session.MANAGE_SETTINGS)
def write_slips(first: date, last: date, seed: int) -> int:
    """Slips for the demo visits with missing papers that arrived from ``first`` to ``last``;
    their number. Visits that already have a slip (a register appended to) are left alone."""
    rng = random.Random(seed * 37 + 11)
    start, end = datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)
    visits = (Visit.select(Visit.id, Visit.arrived_at, Visit.called_at, Visit.missing_documents)
              .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null()
                     & ~Visit.documents_complete)
              .order_by(Visit.id))
    given = {c.visit_id for c in VisitCare.select(VisitCare.visit).join(Visit)
             .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & (VisitCare.kind == slips.SLIP))}
    user = guide_id()
    rows = []
    for v in visits:
        if v.id in given or rng.random() >= GIVEN:
            continue
        papers = tuple(p for p in v.missing_documents.split("\n") if p)
        at = v.arrived_at + timedelta(minutes=rng.uniform(0.5, 3))
        if v.called_at is not None:
            at = min(at, v.called_at)
        rows.append({"visit": v.id, "kind": slips.SLIP, "at": at.replace(microsecond=0), "user_id": user,
                     "username": GUIDES[0], "detail": slips.slip_detail(papers, FORMAT, slips.PRINTED, PRINTER)})
    for index in range(0, len(rows), 200):
        VisitCare.insert_many(rows[index:index + 200]).execute()
    if rows:
        audit.record("demo", entity="visit", detail=_("示范数据：一次性告知单 {n} 张").format(n=len(rows)))
    return len(rows)
