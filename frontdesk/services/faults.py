"""The equipment fault log (设备故障登记, seeds 001, 002): a faulty hall device, from the report to the repair.

A fault names a device of the ``device`` list (its label is copied, so the log reads the same
after the list is edited), what is wrong, who reported it and when. It is then followed up:
the "暂停使用" sign posted on the device, the repairer contacted (who, the phone — a note), and
fixed. Each step records its time (now, or a time given); a step taken back clears it, audited
like the rest. A fault stays in the open list until it is fixed.

A fault is opened directly, or from a failed check item of a run (``run_id``/``item_id``): the
device is then pre-chosen when the item's text names one (``device_named_in``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import peewee

from frontdesk.db.database import read_only
from frontdesk.db.models import EquipmentFault, InspectionItem, InspectionRun, ListItem
from frontdesk.errors import ConflictError, NotFoundError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, fields, kit, lists, paging, records, session
from frontdesk.services.fields import Field
from frontdesk.services.presets import DEVICE
from frontdesk.services.validation import Errors, check_period

MAX_DESCRIPTION, MAX_NOTE = 500, 200

_MISSING = _("设备故障记录不存在（编号 {id}）。")
audit.ENTITIES.setdefault("equipment_fault", _("设备故障"))  # how the audit viewer names them
audit.ACTIONS.setdefault("fixed", _("修复"))

FAULT_FIELDS = fields.register(fields.EntityFields("equipment_fault", (
    Field("device_label", _("设备")),
    Field("description", _("故障情况")),
    Field("sign_posted_at", _("暂停使用标识"), is_time=True),
    Field("repairer_contacted_at", _("联系维修"), is_time=True),
    Field("repairer_note", _("维修联系人/电话")),
    Field("fixed_at", _("修复时间"), is_time=True),
    Field("fixed_note", _("修复说明")),
)))


@dataclass(frozen=True)
class FaultRow:
    id: int
    device_id: int | None
    device_label: str
    description: str
    reported_at: datetime
    reported_by_name: str
    sign_posted_at: datetime | None
    repairer_contacted_at: datetime | None
    repairer_note: str
    fixed_at: datetime | None
    fixed_note: str
    run_id: int | None
    item_id: int | None
    version: int

    @property
    def open(self) -> bool:
        return self.fixed_at is None

    def open_minutes(self, now: datetime) -> float:
        """How long the device has been out of order (until fixed, else until ``now``)."""
        return ((self.fixed_at or now) - self.reported_at).total_seconds() / 60


@dataclass(frozen=True)
class FaultFollowUp:
    """The follow-up steps as the fault dialog hands them over: each ticked step keeps its time
    (or takes now when newly ticked); an unticked step is cleared."""

    description: str
    sign_posted: bool
    repairer_contacted: bool
    repairer_note: str
    fixed: bool
    fixed_note: str


@dataclass(frozen=True)
class FaultQuery:
    open_only: bool = True
    date_from: date | None = None  # reported on or after
    date_to: date | None = None  # reported on or before


def device_named_in(text: str, devices: Sequence[lists.ListEntry]) -> lists.ListEntry | None:
    """The device a check item's text names (the longest label found in it), if any:
    "叫号机、大厅电视运行正常" → 叫号机 (the first one named). Spaces do not count: the preset's
    "POS 机运转正常" names the device list's "POS机"."""
    text = "".join(text.split())
    labels = ["".join(d.label.split()) for d in devices]
    found = [(text.find(label), -len(label), n) for n, label in enumerate(labels) if label and label in text]
    return devices[min(found)[2]] if found else None


def _row(f: EquipmentFault) -> FaultRow:
    return FaultRow(f.id, f.device_id, f.device_label, f.description, f.reported_at, f.reported_by_name,
                    f.sign_posted_at, f.repairer_contacted_at, f.repairer_note, f.fixed_at, f.fixed_note,
                    f.run_id, f.item_id, f.version)


def _fault(fault_id: int) -> FaultRow:
    found = EquipmentFault.get_or_none(EquipmentFault.id == fault_id)
    if found is None:
        raise NotFoundError(_MISSING.format(id=fault_id))
    return _row(found)


def _saved(fault_id: int) -> FaultRow:
    with read_only():
        return _fault(fault_id)


@kit.query(session.FAULTS)
def get_fault(fault_id: int) -> FaultRow:
    return _fault(fault_id)


@kit.query(session.FAULTS)
def devices() -> list[lists.ListEntry]:
    """The active devices of the list, in its order (settings → 设备)."""
    query = ListItem.select().where((ListItem.kind == DEVICE) & (ListItem.active == True))  # noqa: E712
    return [lists.ListEntry(i.id, i.kind, i.label, i.tag, i.position, bool(i.active))
            for i in query.order_by(ListItem.position, ListItem.id)]


def _clean(errors: Errors, data: FaultFollowUp) -> tuple[str, str, str]:
    description = errors.text("description", data.description, label=_("故障情况"), limit=MAX_DESCRIPTION,
                              multiline=True, required=_("请写明故障情况。"))
    repairer = errors.text("repairer_note", data.repairer_note, label=_("维修联系人/电话"), limit=MAX_NOTE)
    fixed = errors.text("fixed_note", data.fixed_note, label=_("修复说明"), limit=MAX_NOTE)
    return description, repairer, fixed


@kit.command(session.FAULTS, then=_saved)
def report(actor: session.Actor, device_id: int | None, description: str, *, sign_posted: bool = False,
           run_id: int | None = None, item_id: int | None = None) -> int:
    """Log a fault of ``device_id`` now (from a run's failed item: ``run_id`` and ``item_id``)."""
    errors = Errors()
    device = None
    if device_id is None:
        errors.add("device", _("请选择故障设备。"))
    else:
        device = ListItem.get_or_none((ListItem.id == device_id) & (ListItem.kind == DEVICE))
        if device is None:
            errors.add("device", _("所选设备不在设备列表中。"))
    description = errors.text("description", description, label=_("故障情况"), limit=MAX_DESCRIPTION,
                              multiline=True, required=_("请写明故障情况。"))
    if run_id is not None and InspectionRun.get_or_none(InspectionRun.id == run_id) is None:
        errors.add("run", _("检查记录不存在（编号 {id}）。").format(id=run_id))
    if item_id is not None and InspectionItem.get_or_none(InspectionItem.id == item_id) is None:
        errors.add("run", _("检查项不存在（编号 {id}）。").format(id=item_id))
    errors.raise_if_any()
    now = clock.now()
    values = {"device": device_id, "device_label": device.label, "description": description, "reported_at": now,
              "reported_by": actor.user_id, "reported_by_name": (actor.display_name or actor.username)[:64],
              "sign_posted_at": now if sign_posted else None, "run": run_id, "item": item_id,
              "created_at": now, "updated_at": now}
    fault_id = EquipmentFault.insert(**values).execute()
    audit.record("create", entity="equipment_fault", entity_id=fault_id, detail=device.label,
                 after={"device_label": device.label, "description": description,
                        "sign_posted_at": values["sign_posted_at"], "run_id": run_id})
    return fault_id


def _step(old: datetime | None, ticked: bool, now: datetime) -> datetime | None:
    return (old or now) if ticked else None


@kit.command(session.FAULTS, then=_saved)
def follow_up(fault_id: int, expected: FaultRow, data: FaultFollowUp) -> int:
    """Save the follow-up of a fault: the sign, the repairer, the repair (refused if another
    station saved it first)."""
    found = records.get_for_update(EquipmentFault, fault_id, _MISSING)
    if found.version != expected.version:
        raise ConflictError(_("另一工作站已修改了这条故障记录，请重新打开。"))
    errors = Errors()
    description, repairer, fixed_note = _clean(errors, data)
    if data.fixed_note.strip() and not data.fixed:
        errors.add("fixed_note", _("尚未修复，不能填写修复说明。"))
    errors.raise_if_any()
    now = clock.now()
    new = {"description": description, "sign_posted_at": _step(found.sign_posted_at, data.sign_posted, now),
           "repairer_contacted_at": _step(found.repairer_contacted_at, data.repairer_contacted, now),
           "repairer_note": repairer, "fixed_at": _step(found.fixed_at, data.fixed, now), "fixed_note": fixed_note}
    old = {k: getattr(found, k) for k in new}
    before, after = audit.diff(old, new)
    if not after:
        return fault_id
    if not records.conditional_update(EquipmentFault, fault_id, found.version, new):
        raise ConflictError(_("另一工作站已修改了这条故障记录，请重新打开。"))
    action = "fixed" if after.get("fixed_at") else "update"
    audit.record(action, entity="equipment_fault", entity_id=fault_id, detail=found.device_label,
                 before=before, after=after)
    return fault_id


def _where(q: FaultQuery) -> peewee.Node:
    check_period(q.date_from, q.date_to)
    where = peewee.Value(True)
    if q.open_only:
        where &= EquipmentFault.fixed_at.is_null()
    if q.date_from is not None:
        where &= EquipmentFault.reported_at >= datetime.combine(q.date_from, datetime.min.time())
    if q.date_to is not None:
        where &= EquipmentFault.reported_at < datetime.combine(q.date_to + timedelta(days=1), datetime.min.time())
    return where


@kit.query(session.FAULTS)
def faults(q: FaultQuery) -> list[FaultRow]:
    """The faults asked for, the open ones first, the oldest report first (a hall has a handful open)."""
    query = EquipmentFault.select().where(_where(q)).order_by(
        EquipmentFault.fixed_at.is_null(False), EquipmentFault.reported_at, EquipmentFault.id)
    return [_row(f) for f in query]


@kit.query(session.FAULTS)
def change_stamp() -> paging.ChangeStamp:
    return paging.change_stamp(EquipmentFault, peewee.Value(True))


@dataclass(frozen=True)
class FaultFigures:
    """A period's faults: reported in it, fixed in it, still open at its end."""

    reported: int
    fixed: int
    open_at_end: int


@kit.exempt("a building block of the report sections: they run inside the report's query")
def period_rows(start: datetime, end: datetime) -> list[FaultRow]:
    """Every fault reported before ``end`` that was open at some time in [start, end)."""
    query = EquipmentFault.select().where(
        (EquipmentFault.reported_at < end) & (EquipmentFault.fixed_at.is_null() | (EquipmentFault.fixed_at >= start))
    ).order_by(EquipmentFault.reported_at, EquipmentFault.id)
    return [_row(f) for f in query]


def figures(rows: Sequence[FaultRow], start: datetime, end: datetime) -> FaultFigures:
    """The period's figures over ``period_rows`` (pure)."""
    return FaultFigures(
        reported=sum(1 for r in rows if start <= r.reported_at < end),
        fixed=sum(1 for r in rows if r.fixed_at is not None and start <= r.fixed_at < end),
        open_at_end=sum(1 for r in rows if r.reported_at < end and (r.fixed_at is None or r.fixed_at >= end)),
    )
