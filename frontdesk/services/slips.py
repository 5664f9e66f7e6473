"""The 一次性告知 slip: the papers a business needs, and the slips handed to customers (seed 002).

Each business type has its checklist of papers, each with what it is for where that needs
saying. The preset gives one to the usual businesses (insurance 理赔 → 理赔申请书, 病历/诊断证明 …);
the administrator changes a business's list in the settings, and then that list is stored
(``Setting`` ``slip_papers:<business type id>``, one paper a line, ``label<TAB>purpose``).

A slip is drafted from a visit: the business's papers, those the guide marked missing ticked,
and any paper the guide typed that the list lacks added, ticked. Printing it (or saving it as
a PDF for the customer) is recorded on the visit (``visit_care``, kind ``slip``) and audited;
the daily report counts the visits that were given one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import ListItem, Setting, Visit, VisitCare
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, kit, session, settings
from frontdesk.services.presets import BUSINESS_TYPE, PRESETS
from frontdesk.services.validation import Errors, check_period

SLIP = "slip"
KEY_PREFIX = "slip_papers:"
MAX_PAPER, MAX_PURPOSE, MAX_PAPERS = 40, 40, 30
# How a slip reached the customer (the audit entry and the record say which).
PRINTED, SAVED_PDF = "printed", "pdf"


@dataclass(frozen=True)
class Paper:
    label: str
    purpose: str = ""


@dataclass(frozen=True)
class DraftPaper:
    label: str
    purpose: str
    missing: bool  # ticked on the slip: the customer still has to bring it


@dataclass(frozen=True)
class SlipDraft:
    """What a slip for one visit says before the guide adjusts the ticks."""

    visit_id: int
    branch: str
    day: date
    business_type: str
    papers: tuple[DraftPaper, ...]
    opening_hours: str
    phone: str
    guide: str


@dataclass(frozen=True)
class SlipRecord:
    visit_id: int
    at: datetime
    username: str
    detail: str


def _key(business_type_id: int) -> str:
    return f"{KEY_PREFIX}{business_type_id}"


def _parse(text: str) -> tuple[Paper, ...]:
    papers = []
    for line in text.split("\n"):
        label, _tab, purpose = line.partition("\t")
        if label.strip():
            papers.append(Paper(label.strip(), purpose.strip()))
    return tuple(papers)


def _business(business_type_id: int) -> ListItem:
    item = ListItem.get_or_none((ListItem.id == business_type_id) & (ListItem.kind == BUSINESS_TYPE))
    if item is None:
        raise NotFoundError(_("业务类型不存在（编号 {id}）。").format(id=business_type_id))
    return item


def _papers_of(item: ListItem) -> tuple[Paper, ...]:
    """Inside a transaction: the stored list, else the current preset's for this label."""
    stored = Setting.get_or_none(Setting.key == _key(item.id))
    if stored is not None:
        return _parse(stored.value)
    preset = PRESETS.get(settings.load().preset)
    if preset is None:
        return ()
    return tuple(Paper(label, purpose) for label, purpose in preset.papers.get(item.label, ()))


@kit.query()
def papers_for(business_type_id: int) -> tuple[Paper, ...]:
    """The checklist of papers of one business type."""
    return _papers_of(_business(business_type_id))


def _clean_papers(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    errors = Errors()
    cleaned: list[Paper] = []
    seen: set[str] = set()
    for index, paper in enumerate(papers, start=1):
        label = errors.text("papers", paper.label, label=_("第 {n} 项资料").format(n=index),
                            limit=MAX_PAPER, collapse_spaces=True)
        purpose = errors.text("papers", paper.purpose, label=_("第 {n} 项用途").format(n=index),
                              limit=MAX_PURPOSE, collapse_spaces=True)
        if "papers" in errors:
            break
        if not label:
            if purpose:
                errors.add("papers", _("第 {n} 项只有用途，没有资料名称。").format(n=index))
                break
            continue
        if label in seen:
            errors.add("papers", _("“{label}”重复了。").format(label=label))
            break
        seen.add(label)
        cleaned.append(Paper(label, purpose))
    if "papers" not in errors and len(cleaned) > MAX_PAPERS:
        errors.add("papers", _("每种业务最多 {n} 项资料。").format(n=MAX_PAPERS))
    errors.raise_if_any()
    return tuple(cleaned)


def _text(papers: tuple[Paper, ...]) -> str:
    return "\n".join(f"{p.label}\t{p.purpose}" if p.purpose else p.label for p in papers)


@kit.command(session.MANAGE_SETTINGS)
def save_papers(business_type_id: int, papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    """Replace a business type's checklist (administrator). An empty list is a choice too: that
    business's slips then list only what the guide marked."""
    item = _business(business_type_id)
    cleaned = _clean_papers(tuple(papers))
    before = _papers_of(item)
    value = _text(cleaned)
    Setting.insert(key=_key(item.id), value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()
    if before != cleaned:
        audit.record("slip_papers", entity="list_item", entity_id=item.id,
                     before={"papers": "、".join(p.label for p in before)},
                     after={"papers": "、".join(p.label for p in cleaned)},
                     detail=f"{BUSINESS_TYPE}：{item.label}")
    return cleaned


def _live_visit(visit_id: int) -> Visit:
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise NotFoundError(_("来访记录不存在（编号 {id}）。").format(id=visit_id))
    if visit.voided_at is not None:
        raise ValidationError.single("visit", _("这条来访记录已作废，不能打印告知单。"))
    return visit


def _guide(actor: session.Actor) -> str:
    return actor.display_name or actor.username


@kit.query()
def draft(actor: session.Actor, visit_id: int, marked: tuple[str, ...] | None = None) -> SlipDraft:
    """The slip for a visit: its business's papers, those marked missing ticked, the papers the
    guide typed that the list lacks added (ticked); the signed-in user is the guide named.
    ``marked``: the papers as the visit's dialog shows them now (not saved yet), else the stored."""
    visit = _live_visit(visit_id)
    item = ListItem.get_by_id(visit.business_type_id)
    if marked is None:
        marked = tuple(d for d in visit.missing_documents.split("\n") if d)
    listed = _papers_of(item)
    labels = {p.label for p in listed}
    papers = [DraftPaper(p.label, p.purpose, p.label in marked) for p in listed]
    papers += [DraftPaper(label, "", True) for label in marked if label not in labels]
    branch = settings.load()
    return SlipDraft(
        visit_id=visit.id,
        branch=branch.branch_name,
        day=clock.today(),
        business_type=item.label,
        papers=tuple(papers),
        opening_hours=f"{branch.opening_time:%H:%M}–{branch.closing_time:%H:%M}",
        phone=branch.branch_phone,
        guide=_guide(actor),
    )


def slip_detail(papers: tuple[str, ...], fmt: str, how: str, where: str) -> str:
    """How a slip given is noted on the visit and in the trail: its format, the printer or the
    file, and the papers ticked (``record_slip``; the demo's slips read the same)."""
    if how not in (PRINTED, SAVED_PDF):
        raise ValueError(f"unknown way {how!r}")
    shown = "、".join(papers) or _("（未勾选资料）")
    way = _("打印到 {where}") if how == PRINTED else _("存为 PDF {where}")
    return f"{fmt}，{way.format(where=where)}：{shown}"[: audit.MAX_DETAIL]


@kit.command(session.REGISTER)
def record_slip(actor: session.Actor, visit_id: int, papers: tuple[str, ...], fmt: str, how: str,
                where: str) -> SlipRecord:
    """A slip for ``visit_id`` went to the customer: printed (``how`` = ``PRINTED``, ``where``
    the printer) or saved as a PDF (``SAVED_PDF``, ``where`` the file). ``papers``: those ticked.
    Recorded on the visit and audited, in one transaction."""
    detail = slip_detail(papers, fmt, how, where)
    _live_visit(visit_id)
    now = clock.now()
    VisitCare.create(visit=visit_id, kind=SLIP, at=now, user_id=actor.user_id,
                     username=_guide(actor), detail=detail)
    audit.record("slip", entity="visit", entity_id=visit_id, detail=detail)
    return SlipRecord(visit_id, now, _guide(actor), detail)


@kit.query()
def slips_of(visit_id: int) -> list[SlipRecord]:
    """The slips given for one visit, oldest first."""
    query = (VisitCare.select().where((VisitCare.visit == visit_id) & (VisitCare.kind == SLIP))
             .order_by(VisitCare.at, VisitCare.id))
    return [SlipRecord(c.visit_id, c.at, c.username, c.detail) for c in query]


@kit.query(session.VIEW_REPORTS)
def visits_given_slips(first: date, last: date) -> int:
    """Live visits that arrived from ``first`` to ``last`` and were given at least one slip."""
    check_period(first, last)
    start = datetime.combine(first, time.min)
    end = datetime.combine(last, time.min) + timedelta(days=1)
    return (
        Visit.select(Visit.id)
        .join(VisitCare, on=(VisitCare.visit == Visit.id))
        .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null()
               & (VisitCare.kind == SLIP))
        .distinct()
        .count()
    )
