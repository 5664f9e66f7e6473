"""Personal data of walk-in customers: kept no longer than needed, shown and erased on request.

China's Personal Information Protection Law asks for the shortest retention the purpose needs
(art. 19) and lets a person learn what is held about them and have it deleted (arts. 45, 47).

- **Retention**: visits that arrived more than ``retention_days`` (a setting, default 365; 0
  keeps them) before today have their name, phone and notes cleared. The figures stay: business
  type, times, outcome, flags. Complaint tickets and opinion-book/box entries closed before the
  same cut-off lose the complainant's name, phone, ID number and the note on who acted for them
  (``acting_note``); their kind, channel, category, dates, deadlines, outcome, and the
  complaint's own text (what it is about, the request, the description and the reply: the
  substance a regulator may ask to see) stay. A ticket still open keeps its contact: the
  customer is owed a reply. One transaction, one audit entry with the counts.
- **Once a day**: the program runs retention in its own name at most once a day, across
  stations (the day of the last run is the setting ``privacy_purged_on``, claimed inside the
  purge's own transaction).
- **A person's request**: every visit, complaint and opinion entry of one phone number, exported
  to a file for them (CSV, PDF or Excel; an audited look), or erased the same way as retention
  does it, with a reason. The audit entries of these requests never carry the phone number.

Cleared fields are empty strings, as if the customer had not given them; the visit's version
moves on, so a station editing it meanwhile is told it changed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import peewee

from frontdesk.db.database import write_transaction
from frontdesk.db.models import Complaint, ListItem, Setting, Visit
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.reports.files import write_atomically
from frontdesk.services import audit, clock, complaints, kit, session, settings
from frontdesk.services.validation import clean_text
from frontdesk.services.visitors import OUTCOMES, STATUSES, VOIDED, normalize_phone

if TYPE_CHECKING:
    from frontdesk.reports.person import PersonSheet

MAX_REASON = 200
_CLEARED = {"customer_name": "", "phone": "", "notes": ""}
# A ticket's personal fields; the rest (kind, dates, deadlines, outcome, its text) stays.
_TICKET_CLEARED = {"customer_name": "", "phone": "", "id_number": "", "acting_note": ""}
PURGED_ON = "privacy_purged_on"  # the setting: the day the program last ran retention


@dataclass(frozen=True)
class HeldVisit:
    """One visit as the person asking sees it: everything held about them in it."""

    id: int
    arrived_at: datetime
    business_type: str
    destination: str
    customer_name: str
    phone: str
    notes: str
    status: str
    outcome: str


@dataclass(frozen=True)
class HeldTicket:
    """One complaint, consultation or opinion-book entry of the person asking."""

    id: int
    received_at: datetime
    kind: str
    channel: str
    category: str
    customer_name: str
    phone: str
    id_number: str
    description: str
    status: str


@dataclass(frozen=True)
class Person:
    """Everything held about one phone number's person."""

    visits: list[HeldVisit]
    tickets: list[HeldTicket]

    @property
    def count(self) -> int:
        return len(self.visits) + len(self.tickets)


def cutoff(today: date, retention_days: int) -> datetime | None:
    """Visits that arrived before this moment are past retention (``None``: kept for ever)."""
    if retention_days <= 0:
        return None
    return datetime.combine(today - timedelta(days=retention_days), time.min)


def _holding_personal_data() -> peewee.Expression:
    return (Visit.customer_name != "") | (Visit.phone != "") | (Visit.notes != "")


def _due(before: datetime) -> peewee.ModelSelect:
    return Visit.select(Visit.id).where((Visit.arrived_at < before) & _holding_personal_data())


def _ticket_holding_personal_data() -> peewee.Expression:
    return ((Complaint.customer_name != "") | (Complaint.phone != "") | (Complaint.id_number != "")
            | (Complaint.acting_note != ""))


def _tickets_due(before: datetime) -> peewee.ModelSelect:
    """Tickets closed before ``before`` that still name someone (an open one keeps its contact)."""
    return Complaint.select(Complaint.id).where(
        Complaint.closed_at.is_null(False) & (Complaint.closed_at < before) & _ticket_holding_personal_data())


def _clear(ids: list[int], model: type[peewee.Model] = Visit, cleared_fields: dict | None = None) -> int:
    """Inside a write: clear the personal fields of ``ids`` (their versions move on)."""
    cleared = 0
    for start in range(0, len(ids), 500):  # bounded IN lists on both back ends
        chunk = ids[start:start + 500]
        cleared += (model.update(**(cleared_fields or _CLEARED), version=model.version + 1,
                                 updated_at=clock.now())
                    .where(model.id.in_(chunk)).execute())
    return cleared


def _clear_tickets(ids: list[int]) -> int:
    return _clear(ids, Complaint, _TICKET_CLEARED)


@kit.query(session.PRIVACY)
def purge_due_count(retention_days: int | None = None) -> int:
    """How many visits a retention of ``retention_days`` (default: the setting's) would clear
    now: the settings' dry run."""
    days = settings.load().retention_days if retention_days is None else retention_days
    before = cutoff(clock.today(), days)
    return 0 if before is None else _due(before).count()


@kit.query(session.PRIVACY)
def tickets_due_count(retention_days: int | None = None) -> int:
    """How many complaint tickets and opinion entries the same retention would clear now."""
    days = settings.load().retention_days if retention_days is None else retention_days
    before = cutoff(clock.today(), days)
    return 0 if before is None else _tickets_due(before).count()


def _purge_now() -> int:
    """Inside a write: the retention run itself; one audit entry with the counts (none when
    nothing was due). Returns how many visits and tickets were cleared."""
    days = settings.load().retention_days
    before = cutoff(clock.today(), days)
    if before is None:
        return 0
    ids = [v.id for v in _due(before)]
    ticket_ids = [c.id for c in _tickets_due(before)]
    if not ids and not ticket_ids:
        return 0
    cleared, tickets = _clear(ids), _clear_tickets(ticket_ids)
    detail = _("保留期 {days} 天：清除 {count} 条来访（{before} 之前到达）的姓名、电话和备注").format(
        days=days, count=cleared, before=before.date().isoformat())
    if tickets:
        detail += _("；{tickets} 条已办结的投诉/意见的姓名、电话和证件号").format(tickets=tickets)
    audit.record("privacy_purge", entity="visit", detail=detail)
    return cleared + tickets


@kit.command(session.PRIVACY)
def purge() -> int:
    """Clear name, phone and notes of every visit past the retention period, and the personal
    fields of tickets closed before it; all or nothing, audited as one entry with the counts.
    Returns the number of records cleared."""
    return _purge_now()


def _claim_today(today: date) -> bool:
    """Inside a write: mark retention as run today; False if a station already did. The update
    is a compare-and-set, so two stations starting together cannot both run it (PostgreSQL
    re-checks the condition after the first one's commit; SQLite writes one at a time)."""
    Setting.insert(key=PURGED_ON, value="").on_conflict_ignore().execute()
    return Setting.update(value=today.isoformat()).where(
        (Setting.key == PURGED_ON) & (Setting.value != today.isoformat())).execute() == 1


@kit.query(session.PRIVACY)
def purged_on() -> date | None:
    """The day the program last ran retention on its own (``None``: never)."""
    row = Setting.get_or_none(Setting.key == PURGED_ON)
    return date.fromisoformat(row.value) if row is not None and row.value else None


@kit.exempt("the program's own daily retention run, at start-up and after the daily backup, as the program")
def daily_purge() -> int | None:
    """The retention run the program makes at most once a day, in its own name, whichever
    station starts first. Returns the count, or ``None`` when it already ran today."""
    with session.act_as(session.SYSTEM), write_transaction():
        if not _claim_today(clock.today()):
            return None
        return _purge_now()


def _phone(text: str) -> str:
    digits = normalize_phone(text)
    if not digits:
        raise ValidationError.single("phone", _("请填写电话号码。"))
    return digits


def _held(digits: str) -> list[HeldVisit]:
    business, destination = ListItem.alias(), ListItem.alias()
    query = (Visit.select(Visit, business.label.alias("bt"), destination.label.alias("dest"))
             .join(business, on=(Visit.business_type == business.id)).switch(Visit)
             .join(destination, on=(Visit.destination == destination.id))
             .where(Visit.phone == digits).order_by(Visit.arrived_at, Visit.id).objects())
    return [HeldVisit(v.id, v.arrived_at, v.bt, v.dest, v.customer_name, v.phone, v.notes,
                      STATUSES.get(VOIDED if v.voided_at is not None else v.status, v.status),
                      OUTCOMES.get(v.outcome, "") if v.outcome else "")
            for v in query]


def _held_tickets(digits: str) -> list[HeldTicket]:
    query = Complaint.select().where(Complaint.phone == digits).order_by(Complaint.received_at, Complaint.id)
    return [HeldTicket(c.id, c.received_at, complaints.KINDS.get(c.kind, c.kind),
                       complaints.CHANNELS.get(c.channel, c.channel),
                       c.category, c.customer_name, c.phone,
                       c.id_number, c.description, complaints.STATUSES.get(c.status, c.status))
            for c in query]


def _person(digits: str) -> Person:
    return Person(_held(digits), _held_tickets(digits))


def _counted(person: Person) -> str:
    return _("{visits} 条来访、{tickets} 条投诉/意见").format(visits=len(person.visits), tickets=len(person.tickets))


@kit.command(session.PRIVACY)
def find_person(phone: str) -> Person:
    """Everything held about the person with this phone number: visits, complaints and
    opinion entries (an audited look; the entry names how many, never the number)."""
    person = _person(_phone(phone))
    audit.record("privacy_find", entity="visit",
                 detail=_("按当事人请求查询个人信息：{counted}").format(counted=_counted(person)))
    return person


def person_csv(held: list[HeldVisit]) -> str:
    """The visits as CSV text (Excel opens it with the BOM ``export_person`` writes)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("到达时间"), _("业务类型"), _("分流去向"), _("称呼"), _("电话"), _("备注"),
                     _("状态"), _("办理结果")])
    for v in held:
        writer.writerow([v.arrived_at.strftime("%Y-%m-%d %H:%M"), v.business_type, v.destination,
                         v.customer_name, v.phone, v.notes, v.status, v.outcome])
    return out.getvalue()


def _sheet(person: Person, phone: str) -> PersonSheet:
    from frontdesk.reports.person import PersonSheet

    visit_rows = [(v.arrived_at.strftime("%Y-%m-%d %H:%M"), v.business_type, v.destination, v.customer_name,
                   v.phone, v.notes, v.status, v.outcome) for v in person.visits]
    ticket_rows = [(t.received_at.strftime("%Y-%m-%d %H:%M"), t.kind, t.channel, t.category, t.customer_name,
                    t.phone, t.id_number, t.description, t.status) for t in person.tickets]
    return PersonSheet(
        branch=settings.load().branch_name, phone=phone,
        made_at=clock.now().strftime("%Y-%m-%d %H:%M"),
        visit_header=(_("到达时间"), _("业务类型"), _("分流去向"), _("称呼"), _("电话"), _("备注"),
                      _("状态"), _("办理结果")),
        visits=visit_rows,
        ticket_header=(_("受理时间"), _("类型"), _("渠道"), _("类别"), _("姓名"), _("电话"), _("证件号"),
                       _("内容"), _("状态")),
        tickets=ticket_rows)


@kit.command(session.PRIVACY)
def export_person(phone: str, target: Path) -> int:
    """Write what is held about this phone number's person to ``target``: by its suffix a PDF
    (``.pdf``), an Excel workbook (``.xlsx``) or CSV of the visits (UTF-8 with BOM, anything
    else). Audited without the number. Returns how many records; none found is an error."""
    digits = _phone(phone)
    person = _person(digits)
    if not person.count:
        raise NotFoundError(_("没有这个电话号码的来访、投诉或意见记录。"))
    target = Path(target)
    if not target.parent.is_dir():
        raise ValidationError.single("target", _("文件夹不存在：{folder}").format(folder=target.parent))
    suffix = target.suffix.lower()
    if suffix in (".pdf", ".xlsx"):
        from frontdesk.reports import person as person_report

        write = person_report.write_pdf if suffix == ".pdf" else person_report.write_xlsx
        write(_sheet(person, digits), target)  # whole or not at all
    else:
        data = person_csv(person.visits).encode("utf-8-sig")
        write_atomically(target, lambda stream: stream.write(data))  # whole or not at all
    audit.record("privacy_export", entity="visit", detail=_(
        "按当事人请求导出个人信息：{counted}，写入 {path}").format(counted=_counted(person), path=target))
    return person.count


@kit.command(session.PRIVACY)
def erase_person(phone: str, reason: str) -> int:
    """Clear name, phone and notes of every visit of this phone number, and name, phone, ID
    number and acting note of every ticket (open ones too: the person asked), with a reason;
    audited with the counts and the reason, never the number. Returns the count; none found is
    an error."""
    reason = clean_text("reason", reason, label=_("原因"), limit=MAX_REASON, collapse_spaces=True)
    if len(reason) < 2:
        raise ValidationError.single("reason", _("请写明删除原因（至少 2 个字）。"))
    digits = _phone(phone)
    ids = [v.id for v in Visit.select(Visit.id).where(Visit.phone == digits)]
    ticket_ids = [c.id for c in Complaint.select(Complaint.id).where(Complaint.phone == digits)]
    if not ids and not ticket_ids:
        raise NotFoundError(_("没有这个电话号码的来访、投诉或意见记录。"))
    cleared, tickets = _clear(ids), _clear_tickets(ticket_ids)
    audit.record("privacy_erase", entity="visit", detail=_(
        "按当事人请求删除个人信息：清除 {count} 条来访的姓名、电话和备注，{tickets} 条投诉/意见的姓名、电话和证件号"
        "。原因：{reason}").format(count=cleared, tickets=tickets, reason=reason))
    return cleared + tickets
