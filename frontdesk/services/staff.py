"""The staff roster (人员名册) and the day's duty list: who works in the hall, and who is on today.

Shared by the inspections (service sampling draws from the staff on duty; corrective actions
have an owner from the roster) and the morning meeting (attendance). A person is never deleted,
only made inactive, so past runs and meetings keep their name. A hall has tens of people, not
thousands: the roster is read whole, without paging.

The duty list of a day is what the duty manager ticks; a day nobody ticked has everyone active
on duty (``DutyList.ticked`` says which of the two it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import peewee

from frontdesk.db.database import read_only
from frontdesk.db.models import Staff, StaffDuty, User
from frontdesk.errors import NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, fields, kit, records, session
from frontdesk.services.fields import Field
from frontdesk.services.validation import Errors, check_period

POSITIONS: dict[str, str] = {
    "teller": _("柜员"),
    "lobby_manager": _("大堂经理"),
    "guide": _("引导员"),
    "duty_manager": _("值班经理"),
    "security": _("保安"),
    "cleaner": _("保洁"),
    "other": _("其他"),
}

MAX_NAME, MAX_NO, MAX_COUNTER = 40, 20, 20
_MISSING = _("人员不存在（编号 {id}）。")

STAFF_FIELDS = fields.register(fields.EntityFields("staff", (
    Field("name", _("姓名")),
    Field("staff_no", _("工号")),
    Field("position", _("岗位"), fields.choice(POSITIONS)),
    Field("counter", _("窗口/台席")),
    Field("active", _("在职"), fields.yes_no(_("在职"), _("停用"))),
    Field("user_id", _("关联账户")),
)))


@dataclass(frozen=True)
class StaffInput:
    """What the roster dialog hands to the service."""

    name: str = ""
    staff_no: str = ""
    position: str = "teller"
    counter: str = ""
    active: bool = True
    user_id: int | None = None


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    staff_no: str
    position: str
    counter: str
    active: bool
    user_id: int | None
    user_name: str
    version: int

    @property
    def position_label(self) -> str:
        return POSITIONS.get(self.position, self.position)

    def to_input(self) -> StaffInput:
        return StaffInput(self.name, self.staff_no, self.position, self.counter, self.active, self.user_id)


@dataclass(frozen=True)
class DutyList:
    """Who is on duty on ``day``: ticked by the duty manager (``ticked``), or everyone active."""

    day: date
    ticked: bool
    staff: tuple[StaffRow, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in self.staff)


def _query() -> peewee.ModelSelect:
    return (Staff.select(Staff, User.display_name.alias("u_display"), User.username.alias("u_name"))
            .join(User, peewee.JOIN.LEFT_OUTER, on=(Staff.user == User.id)))


def _to_row(s: Staff) -> StaffRow:
    user_name = (getattr(s, "u_display", "") or getattr(s, "u_name", "") or "") if s.user_id else ""
    return StaffRow(s.id, s.name, s.staff_no, s.position, s.counter, bool(s.active), s.user_id,
                    user_name, s.version)


def _read(staff_id: int) -> StaffRow:
    s = _query().where(Staff.id == staff_id).objects().first()
    if s is None:
        raise NotFoundError(_MISSING.format(id=staff_id))
    return _to_row(s)


def _saved_row(staff_id: int) -> StaffRow:
    with read_only():
        return _read(staff_id)


@kit.query()
def roster(include_inactive: bool = False) -> list[StaffRow]:
    """The roster by staff number; inactive people only when asked for."""
    query = _query()
    if not include_inactive:
        query = query.where(Staff.active == True)  # noqa: E712
    return [_to_row(s) for s in query.order_by(Staff.staff_no, Staff.id).objects()]


@kit.query()
def get_staff(staff_id: int) -> StaffRow:
    return _read(staff_id)


@kit.exempt("a building block of other services' queries and commands: it runs inside them")
def get_staff_rows(staff_ids: Iterable[int]) -> list[StaffRow]:
    """These people (inactive ones too), by staff number."""
    ids = sorted(set(staff_ids))
    if not ids:
        return []
    return [_to_row(s) for s in _query().where(Staff.id.in_(ids)).order_by(Staff.staff_no, Staff.id).objects()]


@dataclass(frozen=True)
class Account:
    """A user account a person on the roster may be linked to."""

    user_id: int
    label: str


@kit.query(session.MANAGE_STAFF)
def accounts() -> list[Account]:
    """The active user accounts, for linking a person to theirs (names only, no roles or secrets)."""
    query = User.select(User.id, User.username, User.display_name).where(User.active == True)  # noqa: E712
    return [Account(u.id, f"{u.display_name}（{u.username}）" if u.display_name else u.username)
            for u in query.order_by(User.username)]


def _validated(data: StaffInput, staff_id: int | None) -> dict:
    errors = Errors()
    name = errors.text("name", data.name, label=_("姓名"), limit=MAX_NAME, collapse_spaces=True,
                       required=_("请填写姓名。"))
    staff_no = errors.text("staff_no", data.staff_no, label=_("工号"), limit=MAX_NO, collapse_spaces=True,
                           required=_("请填写工号。"))
    counter = errors.text("counter", data.counter, label=_("窗口/台席"), limit=MAX_COUNTER, collapse_spaces=True)
    if data.position not in POSITIONS:
        errors.add("position", _("请选择岗位。"))
    if staff_no and "staff_no" not in errors:
        clash = Staff.select(Staff.id).where(Staff.staff_no == staff_no)
        if staff_id is not None:
            clash = clash.where(Staff.id != staff_id)
        if clash.exists():
            errors.add("staff_no", _("工号“{no}”已被他人使用。").format(no=staff_no))
    if data.user_id is not None:
        if User.get_or_none(User.id == data.user_id) is None:
            errors.add("user_id", _("所选账户不存在。"))
        else:
            taken = Staff.select(Staff.id).where(Staff.user == data.user_id)
            if staff_id is not None:
                taken = taken.where(Staff.id != staff_id)
            if taken.exists():
                errors.add("user_id", _("这个账户已关联到名册中的另一人。"))
    errors.raise_if_any()
    return {"name": name, "staff_no": staff_no, "position": data.position, "counter": counter,
            "active": bool(data.active), "user": data.user_id}


def _audit_values(values: dict) -> dict:
    out = dict(values)
    out["user_id"] = out.pop("user", None)
    return out


@kit.command(session.MANAGE_STAFF, then=_saved_row)
def add_staff(data: StaffInput) -> int:
    values = _validated(data, None)
    now = clock.now()
    staff_id = Staff.insert(**values, created_at=now, updated_at=now).execute()
    audit.record("create", entity="staff", entity_id=staff_id, after=_audit_values(values))
    return staff_id


def _compared(name: str, staff_no: str, position: str, counter: str, active: bool,
              user_id: int | None) -> dict:
    return {"name": name, "staff_no": staff_no, "position": position, "counter": counter,
            "active": bool(active), "user_id": user_id}


_CONFLICT = _("另一工作站已修改了这个人员：{changes}。请关闭后重新打开。")
_CONFLICT_PLAIN = _("另一工作站已修改了这个人员，请关闭后重新打开。")


@kit.command(session.MANAGE_STAFF, then=_saved_row)
def update_staff(staff_id: int, data: StaffInput, expected: StaffRow) -> int:
    """Save an edit of ``expected`` (the person as the dialog read it); refused, naming what
    changed, if another station saved the person meanwhile."""
    current = records.get_for_update(Staff, staff_id, _MISSING)
    now_values = _compared(current.name, current.staff_no, current.position, current.counter,
                           current.active, current.user_id)
    if current.version != expected.version:
        was = _compared(expected.name, expected.staff_no, expected.position, expected.counter,
                        expected.active, expected.user_id)
        raise records.refusal(_CONFLICT, _CONFLICT_PLAIN, records.changes(STAFF_FIELDS, was, now_values))
    values = _validated(data, staff_id)
    before, after = audit.diff(now_values, _audit_values(values))
    if not after:
        return staff_id
    if not records.conditional_update(Staff, staff_id, expected.version, values):
        raise records.refusal(_CONFLICT, _CONFLICT_PLAIN, ())
    audit.record("update", entity="staff", entity_id=staff_id, before=before, after=after)
    return staff_id


# ------------------------------------------------------------- the duty list


def _duty_of(day: date) -> DutyList:
    ticked = [r.staff_id for r in StaffDuty.select(StaffDuty.staff).where(StaffDuty.day == day)]
    where = Staff.id.in_(ticked) if ticked else (Staff.active == True)  # noqa: E712
    query = _query().where(where)
    rows = tuple(_to_row(s) for s in query.order_by(Staff.staff_no, Staff.id).objects())
    return DutyList(day, bool(ticked), rows)


@kit.query()
def duty_list(day: date) -> DutyList:
    check_period(day, None, start_field="day")
    return _duty_of(day)


@kit.exempt("a building block of the inspection commands: it runs inside their transaction")
def on_duty(day: date) -> DutyList:
    """``duty_list`` for a command already inside its transaction (the sampling draw)."""
    return _duty_of(day)


@kit.command(session.MANAGE_STAFF)
def set_duty(day: date, staff_ids: list[int]) -> DutyList:
    """Tick who is on duty on ``day``; an empty list goes back to "everyone active"."""
    check_period(day, None, start_field="day")
    wanted = sorted(set(staff_ids))
    found = {s.id: s for s in Staff.select().where(Staff.id.in_(wanted))} if wanted else {}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFoundError(_MISSING.format(id=missing[0]))
    inactive = [found[i].name for i in wanted if not found[i].active]
    if inactive:
        raise ValidationError.single("staff", _("已停用的人员不能排班：{names}。").format(names="、".join(inactive)))
    before = sorted(r.staff_id for r in StaffDuty.select(StaffDuty.staff).where(StaffDuty.day == day))
    if before == wanted:
        return _duty_of(day)
    StaffDuty.delete().where(StaffDuty.day == day).execute()
    if wanted:
        StaffDuty.insert_many([{"day": day, "staff": i} for i in wanted]).execute()
    audit.record("duty", entity="staff_duty", detail=day.isoformat(),
                 before={"staff_ids": before}, after={"staff_ids": wanted})
    return _duty_of(day)
