"""Personal data of walk-in customers: kept no longer than needed, shown and erased on request.

China's Personal Information Protection Law asks for the shortest retention the purpose needs
(art. 19) and lets a person learn what is held about them and have it deleted (arts. 45, 47).

- **Retention**: visits that arrived more than ``retention_days`` (a setting, default 365; 0
  keeps them) before today have their name, phone and notes cleared. The figures stay: business
  type, times, outcome, flags. One transaction, one audit entry with the count.
- **A person's request**: every visit of one phone number, exported to a file for them (an
  audited look), or erased the same way as retention does it, with a reason. The audit entries
  of these requests never carry the phone number.

Cleared fields are empty strings, as if the customer had not given them; the visit's version
moves on, so a station editing it meanwhile is told it changed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import peewee

from frontdesk.db.models import ListItem, Visit
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.reports.files import write_atomically
from frontdesk.services import audit, clock, kit, session, settings
from frontdesk.services.validation import clean_text
from frontdesk.services.visitors import OUTCOMES, STATUSES, VOIDED, normalize_phone

MAX_REASON = 200
_CLEARED = {"customer_name": "", "phone": "", "notes": ""}


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


def cutoff(today: date, retention_days: int) -> datetime | None:
    """Visits that arrived before this moment are past retention (``None``: kept for ever)."""
    if retention_days <= 0:
        return None
    return datetime.combine(today - timedelta(days=retention_days), time.min)


def _holding_personal_data() -> peewee.Expression:
    return (Visit.customer_name != "") | (Visit.phone != "") | (Visit.notes != "")


def _due(before: datetime) -> peewee.ModelSelect:
    return Visit.select(Visit.id).where((Visit.arrived_at < before) & _holding_personal_data())


def _clear(ids: list[int]) -> int:
    """Inside a write: clear the personal fields of ``ids`` (their versions move on)."""
    cleared = 0
    for start in range(0, len(ids), 500):  # bounded IN lists on both back ends
        chunk = ids[start:start + 500]
        cleared += (Visit.update(**_CLEARED, version=Visit.version + 1, updated_at=clock.now())
                    .where(Visit.id.in_(chunk)).execute())
    return cleared


@kit.query(session.PRIVACY)
def purge_due_count(retention_days: int | None = None) -> int:
    """How many visits a retention of ``retention_days`` (default: the setting's) would clear
    now: the settings' dry run."""
    days = settings.load().retention_days if retention_days is None else retention_days
    before = cutoff(clock.today(), days)
    return 0 if before is None else _due(before).count()


@kit.command(session.PRIVACY)
def purge() -> int:
    """Clear name, phone and notes of every visit past the retention period; all or nothing,
    audited as one entry with the count (none when nothing was due). Returns the count."""
    days = settings.load().retention_days
    before = cutoff(clock.today(), days)
    if before is None:
        return 0
    ids = [v.id for v in _due(before)]
    if not ids:
        return 0
    cleared = _clear(ids)
    audit.record("privacy_purge", entity="visit", detail=_(
        "保留期 {days} 天：清除 {count} 条来访（{before} 之前到达）的姓名、电话和备注").format(
        days=days, count=cleared, before=before.date().isoformat()))
    return cleared


@kit.exempt("the program's own daily retention run after the daily backup, as the program")
def daily_purge() -> int:
    """The retention run the program makes once a day, in its own name."""
    with session.act_as(session.SYSTEM):
        return purge()


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


@kit.command(session.PRIVACY)
def find_person(phone: str) -> list[HeldVisit]:
    """Everything held about the person with this phone number (an audited look; the entry
    names how many visits, never the number)."""
    held = _held(_phone(phone))
    audit.record("privacy_find", entity="visit",
                 detail=_("按当事人请求查询个人信息：{count} 条来访").format(count=len(held)))
    return held


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


@kit.command(session.PRIVACY)
def export_person(phone: str, target: Path) -> int:
    """Write what is held about this phone number's person to ``target`` (CSV, UTF-8 with BOM);
    audited without the number. Returns the number of visits; none found is an error."""
    held = _held(_phone(phone))
    if not held:
        raise NotFoundError(_("没有这个电话号码的来访记录。"))
    target = Path(target)
    if not target.parent.is_dir():
        raise ValidationError.single("target", _("文件夹不存在：{folder}").format(folder=target.parent))
    data = person_csv(held).encode("utf-8-sig")
    write_atomically(target, lambda stream: stream.write(data))  # whole or not at all
    audit.record("privacy_export", entity="visit",
                 detail=_("按当事人请求导出个人信息：{count} 条来访，写入 {path}").format(count=len(held), path=target))
    return len(held)


@kit.command(session.PRIVACY)
def erase_person(phone: str, reason: str) -> int:
    """Clear name, phone and notes of every visit of this phone number, with a reason; audited
    with the count and the reason, never the number. Returns the count; none found is an error."""
    reason = clean_text("reason", reason, label=_("原因"), limit=MAX_REASON, collapse_spaces=True)
    if len(reason) < 2:
        raise ValidationError.single("reason", _("请写明删除原因（至少 2 个字）。"))
    ids = [v.id for v in Visit.select(Visit.id).where(Visit.phone == _phone(phone))]
    if not ids:
        raise NotFoundError(_("没有这个电话号码的来访记录。"))
    cleared = _clear(ids)
    audit.record("privacy_erase", entity="visit", detail=_(
        "按当事人请求删除个人信息：清除 {count} 条来访的姓名、电话和备注。原因：{reason}").format(
        count=cleared, reason=reason))
    return cleared
