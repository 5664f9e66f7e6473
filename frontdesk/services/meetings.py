"""Meeting notes (seed 001): the morning meeting (晨会 / 班前会), the after-shift meeting (班后会)
and the monthly staff meeting (月例会); action items; the teaching-case book (典型案例).

A meeting is made from its kind's template (the sections, in order: praise first), with the
attendance of everyone on duty that day (present until the manager says otherwise) and, for a
morning meeting, the figures of the last working day before it, read from the register and the
inspections as they stand and stored with the meeting as shown (editable until it is finalised).

A draft is edited freely; finalising freezes it; re-opening a finalised meeting needs a reason,
and both are in the audit trail (4minitz's finalise / un-finalise with history).

An action item stays open, and is listed at every later meeting of any kind, until someone
marks it done; its age counts calendar days since the meeting that raised it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.database import read_only
from frontdesk.db.models import (
    AuditEntry,
    Complaint,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    MeetingConfig,
    MeetingSection,
    MeetingTemplateSection,
    Staff,
    TeachingCase,
    User,
)
from frontdesk.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.i18n import _
from frontdesk.reports.model import (
    Column,
    KeyFigure,
    KeyFigures,
    Kind,
    Note,
    Report,
    ReportKind,
    Section,
    Table,
)
from frontdesk.services import (
    audit,
    clock,
    fields,
    figures,
    kit,
    paging,
    records,
    session,
    settings,
    staff,
    workdays,
)
from frontdesk.services.fields import Field
from frontdesk.services.validation import Errors, check_period, clean_search, clean_text

# ------------------------------------------------------------------ vocabulary

MORNING, AFTER_SHIFT, MONTHLY = "morning", "after_shift", "monthly"
KINDS: dict[str, str] = {MORNING: _("晨会"), AFTER_SHIFT: _("班后会"), MONTHLY: _("月例会")}

DRAFT, FINAL = "draft", "final"
AMENDMENTS_PRINTED = 2  # the protocol names the last re-openings (all are in the record and the trail)
STATUSES: dict[str, str] = {DRAFT: _("草稿"), FINAL: _("已定稿")}

PRESENT, LATE, ABSENT, LEAVE = "present", "late", "absent", "leave"
ATTENDANCE: dict[str, str] = {PRESENT: _("出席"), LATE: _("迟到"), ABSENT: _("缺席"), LEAVE: _("请假")}
LEAVE_KINDS: dict[str, str] = {
    "personal": _("事假"), "sick": _("病假"), "in_lieu": _("调休"), "annual": _("年假"), "other": _("其他"),
}
GROOMING_PASS, GROOMING_ATTENTION = "pass", "attention"
GROOMING: dict[str, str] = {GROOMING_PASS: _("合格"), GROOMING_ATTENTION: _("需注意")}

MAX_SECTION_TEXT, MAX_TITLE, MAX_NOTE, MAX_ACTION = 4000, 40, 200, 500
MAX_CASE_TITLE, MAX_TAGS, MAX_CASE_TEXT, MAX_REASON = 80, 200, 4000, 200
MAX_LATE_MINUTES, MAX_PLANNED_MINUTES, MAX_LEAD_MINUTES = 240, 240, 120
MAX_NUMBER_LABEL, MAX_NUMBER_VALUE, MAX_NUMBERS = 40, 40, 40

_MEETING_MISSING = _("会议记录不存在（编号 {id}）。")
_ACTION_MISSING = _("待办事项不存在（编号 {id}）。")
_CASE_MISSING = _("案例不存在（编号 {id}）。")

MEETING_FIELDS = fields.register(fields.EntityFields("meeting", (
    Field("kind", _("会议类型"), fields.choice(KINDS)),
    Field("day", _("日期")),
    Field("started_at", _("开始时间")),
    Field("ended_at", _("结束时间")),
    Field("host_name", _("主持人")),
    Field("status", _("状态"), fields.choice(STATUSES)),
)))
ACTION_FIELDS = fields.register(fields.EntityFields("meeting_action", (
    Field("text", _("待办事项")),
    Field("owner_id", _("责任人")),
    Field("due_on", _("完成期限")),
    Field("done_at", _("完成时间"), is_time=True),
)))
CASE_FIELDS = fields.register(fields.EntityFields("teaching_case", (
    Field("title", _("案例标题")),
    Field("situation", _("情况")),
    Field("handling", _("处理")),
    Field("lesson", _("启示")),
    Field("tags", _("标签")),
    Field("complaint_id", _("来自投诉工单")),
    Field("category", _("类别")),  # entries written before the fields: category and one text
    Field("text", _("案例内容")),
)))


# ------------------------------------------------------------ plain data out


@dataclass(frozen=True)
class MeetingConfigRow:
    lead_minutes: int = 15  # a morning meeting starts at least this long before opening (seed 001: 15–30)
    planned_minutes: int = 20
    praise_only: bool = True  # the printed protocol leaves the grooming notes out
    version: int = 1


@dataclass(frozen=True)
class SectionRow:
    key: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class AttendanceRow:
    staff_id: int
    staff_name: str
    status: str = PRESENT
    late_minutes: int | None = None
    leave_kind: str = ""
    grooming: str = ""
    grooming_note: str = ""

    @property
    def status_label(self) -> str:
        label = ATTENDANCE.get(self.status, self.status)
        if self.status == LATE and self.late_minutes:
            return _("{label} {n} 分钟").format(label=label, n=self.late_minutes)
        if self.status == LEAVE and self.leave_kind:
            return _("{label}（{kind}）").format(label=label, kind=LEAVE_KINDS.get(self.leave_kind, self.leave_kind))
        return label


@dataclass(frozen=True)
class AttendanceCounts:
    expected: int
    present: int
    late: int
    absent: int
    leave: int

    @property
    def attended(self) -> int:
        """Present or late: who was in the room."""
        return self.present + self.late

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None


def count_attendance(rows: Sequence[AttendanceRow]) -> AttendanceCounts:
    by = {s: sum(1 for r in rows if r.status == s) for s in ATTENDANCE}
    return AttendanceCounts(len(rows), by[PRESENT], by[LATE], by[ABSENT], by[LEAVE])


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the list shows it."""

    id: int
    kind: str
    day: date
    planned_start: time | None
    planned_minutes: int
    started_at: time | None
    ended_at: time | None
    host_id: int | None
    host_name: str
    status: str
    expected: int
    attended: int
    finalised_at: datetime | None
    version: int

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def minutes(self) -> int | None:
        """How long it ran, from its start and end times (None until both are known)."""
        if self.started_at is None or self.ended_at is None:
            return None
        return int((datetime.combine(self.day, self.ended_at)
                    - datetime.combine(self.day, self.started_at)).total_seconds() // 60)


@dataclass(frozen=True)
class ActionRow:
    id: int
    meeting_id: int
    meeting_day: date
    meeting_kind: str
    text: str
    owner_id: int | None
    owner_name: str
    due_on: date | None
    done_at: datetime | None
    done_by_name: str
    version: int

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def age_days(self, today: date) -> int:
        return (today - self.meeting_day).days

    def due_today(self, today: date) -> bool:
        return not self.done and self.due_on == today

    def overdue(self, today: date) -> bool:
        return not self.done and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class MeetingDetail:
    row: MeetingRow
    sections: tuple[SectionRow, ...]
    attendance: tuple[AttendanceRow, ...]
    numbers_day: date | None
    numbers: tuple[tuple[str, str], ...]
    raised: tuple[ActionRow, ...]  # the action items this meeting raised
    carried: tuple[ActionRow, ...]  # open items of earlier meetings, as of this meeting's day
    amendments: tuple[Amendment, ...] = ()  # each re-opening of the finalised record, oldest first

    @property
    def counts(self) -> AttendanceCounts:
        return count_attendance(self.attendance)


@dataclass(frozen=True)
class Amendment:
    """A finalised meeting re-opened to be changed: when, by whom, why (from the audit trail)."""

    at: datetime
    who: str
    reason: str

    def line(self) -> str:
        return _("{at:%Y-%m-%d %H:%M} {who} 重新打开：{reason}").format(at=self.at, who=self.who, reason=self.reason)


@dataclass(frozen=True)
class MeetingInput:
    """What the form hands to the service: everything of a draft but its action items."""

    started_at: time | None = None
    ended_at: time | None = None
    host_id: int | None = None
    sections: tuple[SectionRow, ...] = ()
    attendance: tuple[AttendanceRow, ...] = ()
    numbers: tuple[tuple[str, str], ...] = field(default=())


# ------------------------------------------------------- pure rules (tested hard)


def warnings(row: MeetingRow, opening: time, config: MeetingConfigRow) -> list[str]:
    """What the form warns about: a morning meeting starting later than ``lead_minutes`` before
    opening (seed 001: 15–30 minutes before), and a meeting running longer than planned."""
    found = []
    if row.kind == MORNING and row.started_at is not None:
        latest = (datetime.combine(row.day, opening) - timedelta(minutes=config.lead_minutes)).time()
        if row.started_at > latest:
            found.append(_("晨会应在开门前至少 {n} 分钟开始（{at} 之前）。").format(
                n=config.lead_minutes, at=latest.strftime("%H:%M")))
    if row.minutes is not None and row.minutes > row.planned_minutes:
        found.append(_("会议用时 {n} 分钟，超过计划的 {p} 分钟。").format(n=row.minutes, p=row.planned_minutes))
    return found


def last_working_day_before(day: date) -> date:
    """The working day the morning meeting looks back on (a Monday looks back on Friday; the
    day after a holiday on the last day before it). Weekdays when the calendar does not know the year."""
    before = day - timedelta(days=1)
    for _step in range(40):
        try:
            if workdays.is_working_day(before):
                return before
        except workdays.CalendarUnknownError:
            if before.weekday() < 5:
                return before
        before -= timedelta(days=1)
    return day - timedelta(days=1)


# -------------------------------------------------------------- config, templates


def _config() -> MeetingConfigRow:
    c = MeetingConfig.get_or_none(MeetingConfig.id == 1)
    if c is None:
        return MeetingConfigRow()
    return MeetingConfigRow(c.lead_minutes, c.planned_minutes, bool(c.praise_only), c.version)


@kit.query()
def config() -> MeetingConfigRow:
    return _config()


def _config_change(new: MeetingConfigRow, expected: MeetingConfigRow, errors: Errors) -> tuple[dict, dict, dict]:
    """The settings' new values and their audit diff; messages go to ``errors``."""
    if not 0 <= new.lead_minutes <= MAX_LEAD_MINUTES:
        errors.add("lead_minutes", _("提前时间应在 0 至 {n} 分钟之间。").format(n=MAX_LEAD_MINUTES))
    if not 1 <= new.planned_minutes <= MAX_PLANNED_MINUTES:
        errors.add("planned_minutes", _("计划时长应在 1 至 {n} 分钟之间。").format(n=MAX_PLANNED_MINUTES))
    errors.raise_if_any()
    old = _config()
    if old.version != expected.version:
        raise ConflictError(_("另一工作站已修改了会议设置，请重新打开。"))
    values = {"lead_minutes": new.lead_minutes, "planned_minutes": new.planned_minutes,
              "praise_only": new.praise_only}
    before, after = audit.diff({"lead_minutes": old.lead_minutes, "planned_minutes": old.planned_minutes,
                                "praise_only": old.praise_only}, values)
    return values, before, after


def _write_config(values: dict) -> None:
    MeetingConfig.update(**values, version=MeetingConfig.version + 1).where(MeetingConfig.id == 1).execute()


@kit.command(session.MEETING_TEMPLATES)
def save_config(new: MeetingConfigRow, expected: MeetingConfigRow) -> MeetingConfigRow:
    values, before, after = _config_change(new, expected, Errors())
    if after:
        _write_config(values)
        audit.record("update", entity="meeting_config", entity_id=1, before=before, after=after)
    return _config()


def _template(kind: str) -> list[SectionRow]:
    return [SectionRow(s.key, s.title) for s in MeetingTemplateSection.select()
            .where(MeetingTemplateSection.kind == kind).order_by(MeetingTemplateSection.position)]


@kit.query()
def template(kind: str) -> list[SectionRow]:
    """The sections a new meeting of ``kind`` starts with, in order."""
    _check_kind(kind)
    return _template(kind)


@kit.exempt("a building block of commands (the demo's): it runs inside their transaction")
def template_sections(kind: str) -> list[SectionRow]:
    return _template(kind)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError.single("kind", _("请选择会议类型。"))


def _template_change(kind: str, titles: Sequence[str], errors: Errors) -> tuple[list[dict], list[str], list[str]]:
    """The new rows of ``kind``'s template, its old titles and its new ones; messages go to ``errors``.

    A title kept keeps its key (so the reports still find 表扬 after a reorder), a new title gets
    a new key."""
    _check_kind(kind)
    cleaned = [errors.text(f"title_{i}", t, label=_("栏目名称"), limit=MAX_TITLE) for i, t in enumerate(titles)]
    if not any(cleaned):
        errors.add("titles", _("至少要有一个栏目。"))
    named = [t for t in cleaned if t]
    if len(set(named)) != len(named):
        errors.add("titles", _("栏目名称不能重复。"))
    old = _template(kind)
    keys = {s.title: s.key for s in old}
    used = set(keys.values())
    rows = []
    for title in named:
        key = keys.get(title)
        if key is None:
            n = len(used) + 1
            while f"custom{n}" in used:
                n += 1
            key = f"custom{n}"
            used.add(key)
        rows.append({"kind": kind, "position": len(rows), "key": key, "title": title})
    return rows, [s.title for s in old], named


def _write_template(kind: str, rows: list[dict]) -> list[SectionRow]:
    MeetingTemplateSection.delete().where(MeetingTemplateSection.kind == kind).execute()
    MeetingTemplateSection.insert_many(rows).execute()
    return [SectionRow(r["key"], r["title"]) for r in rows]


@kit.command(session.MEETING_TEMPLATES)
def save_template(kind: str, titles: Sequence[str]) -> list[SectionRow]:
    """The sections of ``kind``, in order. Past meetings keep their own copy."""
    errors = Errors()
    rows, old, named = _template_change(kind, titles, errors)
    errors.raise_if_any()
    saved = _write_template(kind, rows)
    audit.record("update", entity="meeting_template", detail=KINDS[kind],
                 before={"sections": old}, after={"sections": named})
    return saved


@kit.command(session.MEETING_TEMPLATES)
def save_template_and_config(kind: str, titles: Sequence[str], new: MeetingConfigRow,
                             expected: MeetingConfigRow) -> tuple[list[SectionRow], MeetingConfigRow]:
    """What the administrator's dialog saves: one kind's sections and the meeting settings, in one
    transaction and one audit entry (both or neither). Every title's message is on ``titles``."""
    errors = Errors()
    rows, old, named = _template_change(kind, titles, errors)
    if errors:
        errors = _on_titles(errors)
    values, config_before, config_after = _config_change(new, expected, errors)
    saved = _write_template(kind, rows) if named != old else _template(kind)
    if config_after:
        _write_config(values)
    before, after = dict(config_before), dict(config_after)
    if named != old:
        before["sections"], after["sections"] = old, named
    if after:
        audit.record("update", entity="meeting_template", detail=KINDS[kind], before=before, after=after)
    return saved, _config()


def _on_titles(errors: Errors) -> Errors:
    """The text box holds every title: its messages, once each, on the box."""
    merged = Errors()
    titles = [m for f, m in errors.fields.items() if f == "titles" or f.startswith("title_")]
    for f, m in errors.fields.items():
        if f != "titles" and not f.startswith("title_"):
            merged.add(f, m)
    merged.add("titles", "；".join(dict.fromkeys(titles)))
    return merged


# ------------------------------------------------------------ yesterday in numbers


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _mins(value: float | None) -> str:
    return "—" if value is None else _("{n} 分钟").format(n=f"{value:.0f}")


def numbers_of(day: date) -> list[tuple[str, str]]:
    """The figures of ``day`` the morning meeting reads out, from the register and the inspections.

    Read-only calls of the reports' loaders; they check the reader may see reports."""
    from frontdesk.services.reporting import inspections as ins_report
    from frontdesk.services.reporting import visits as visit_report

    lines = visit_report.load_lines(day, day)
    facts = [line.facts for line in lines]
    surrenders = [line for line in lines if line.surrender_reason]
    out = [
        (_("来访人数"), str(len(facts))),
        (_("平均等候"), _mins(figures.average_wait(facts))),
        (_("最长等候"), _mins(figures.worst_wait(facts))),
        (_("等候超过 15 分钟"), _pct(figures.share_waiting_over(facts, 15))),
        (_("等候超过 30 分钟"), _pct(figures.share_waiting_over(facts, 30))),
        (_("特殊客户"), str(sum(1 for f in facts if f.priority))),
        (_("未办理离开"), str(sum(1 for f in facts if f.left_before_called))),
    ]
    if surrenders:
        retained = sum(1 for line in surrenders if line.retention == "retained")
        out.append((_("退保 / 挽留成功"), f"{len(surrenders)} / {retained}"))
    day_fig = ins_report.day_figures(ins_report.load(day, day), day)
    out += [
        (_("应做检查 / 已做"), f"{day_fig.due} / {day_fig.due_done}"),
        (_("不合格项"), str(day_fig.failed_items)),
        (_("未完成整改 / 逾期"), f"{day_fig.open_actions} / {day_fig.overdue_actions}"),
    ]
    return out + _ticket_and_fault_numbers(day)


def _ticket_and_fault_numbers(day: date) -> list[tuple[str, str]]:
    """The complaint tickets of ``day`` as the daily report counts them, and the equipment faults
    still open at its end."""
    from frontdesk.services import complaints, faults
    from frontdesk.services.reporting import complaints as ticket_report

    start = datetime.combine(day, time.min)
    end = start + timedelta(days=1)
    tickets = complaints.rows_received_before(end)
    return [
        (_("投诉工单 新收 / 将到期 / 逾期"), " / ".join(str(len(found)) for found in (
            ticket_report.received_on(tickets, day, day), ticket_report.due_soon_on(tickets, day),
            ticket_report.overdue_on(tickets, day)))),
        (_("未修复设备故障"), str(faults.figures(faults.period_rows(start, end), start, end).open_at_end)),
    ]


# ---------------------------------------------------------------- meetings


def _attended_counts(ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    attended = peewee.fn.SUM(peewee.Case(None, ((MeetingAttendance.status.in_([PRESENT, LATE]), 1),), 0))
    return {m: (int(n), int(a or 0)) for m, n, a in MeetingAttendance.select(
        MeetingAttendance.meeting, peewee.fn.COUNT(MeetingAttendance.id), attended)
        .where(MeetingAttendance.meeting.in_(list(ids))).group_by(MeetingAttendance.meeting).tuples()}


def _to_row(m: Meeting, counts: dict[int, tuple[int, int]]) -> MeetingRow:
    expected, attended = counts.get(m.id, (0, 0))
    return MeetingRow(m.id, m.kind, m.day, m.planned_start, m.planned_minutes, m.started_at, m.ended_at,
                      m.host_id, m.host_name, m.status, expected, attended, m.finalised_at, m.version)


def _rows(meetings: Sequence[Meeting]) -> list[MeetingRow]:
    counts = _attended_counts([m.id for m in meetings])
    return [_to_row(m, counts) for m in meetings]


def _action_query() -> peewee.ModelSelect:
    return (MeetingAction.select(MeetingAction, Meeting.id, Meeting.day, Meeting.kind, Staff.id, Staff.name)
            .join(Meeting, on=(MeetingAction.meeting == Meeting.id))
            .switch(MeetingAction)
            .join(Staff, join_type=peewee.JOIN.LEFT_OUTER, on=(MeetingAction.owner == Staff.id)))


def _action_row(a: MeetingAction) -> ActionRow:
    owner = a.owner.name if a.owner_id is not None else ""
    return ActionRow(a.id, a.meeting_id, a.meeting.day, a.meeting.kind, a.text, a.owner_id, owner, a.due_on,
                     a.done_at, a.done_by_name, a.version)


def _open_before(day: date, cutoff: datetime, exclude_meeting: int | None = None) -> list[ActionRow]:
    """Items raised at meetings up to ``day`` and not done before ``cutoff``."""
    where = (Meeting.day <= day) & (MeetingAction.done_at.is_null() | (MeetingAction.done_at >= cutoff))
    if exclude_meeting is not None:
        where &= MeetingAction.meeting != exclude_meeting
    return [_action_row(a) for a in _action_query().where(where).order_by(Meeting.day, MeetingAction.id)]


def _detail(meeting_id: int) -> MeetingDetail:
    m = Meeting.get_or_none(Meeting.id == meeting_id)
    if m is None:
        raise NotFoundError(_MEETING_MISSING.format(id=meeting_id))
    sections = tuple(SectionRow(s.key, s.title, s.text) for s in MeetingSection.select()
                     .where(MeetingSection.meeting == meeting_id).order_by(MeetingSection.position))
    attendance = tuple(
        AttendanceRow(a.staff_id, a.staff_name, a.status, a.late_minutes, a.leave_kind, a.grooming, a.grooming_note)
        for a in MeetingAttendance.select().where(MeetingAttendance.meeting == meeting_id)
        .order_by(MeetingAttendance.id))
    raised = tuple(_action_row(a) for a in _action_query().where(MeetingAction.meeting == meeting_id)
                   .order_by(MeetingAction.id))
    # what was open when the meeting was opened: it keeps showing the items ticked off during it
    earlier = [a for a in _open_before(m.day, m.created_at, exclude_meeting=meeting_id)
               if (a.meeting_day, a.meeting_id) < (m.day, m.id)]
    numbers = tuple((str(k), str(v)) for k, v in json.loads(m.numbers)) if m.numbers else ()
    return MeetingDetail(_rows([m])[0], sections, attendance, m.numbers_day, numbers, raised, tuple(earlier),
                         _amendments(meeting_id))


def _amendments(meeting_id: int) -> tuple[Amendment, ...]:
    """The re-openings the audit trail holds for this meeting, each with the name of who did it."""
    entries = list(AuditEntry.select().where((AuditEntry.entity == "meeting") & (AuditEntry.entity_id == meeting_id)
                                             & (AuditEntry.action == "reopen")).order_by(AuditEntry.seq))
    ids = {e.user_id for e in entries if e.user_id is not None}
    names = {u.id: u.display_name for u in User.select().where(User.id.in_(list(ids)))} if ids else {}
    return tuple(Amendment(e.at, names.get(e.user_id) or e.username, e.detail or "") for e in entries)


@kit.query()
def get_meeting(meeting_id: int) -> MeetingDetail:
    return _detail(meeting_id)


def _saved_meeting(meeting_id: int) -> MeetingDetail:
    with read_only():
        return _detail(meeting_id)


def _planned_start(kind: str, day: date, cfg: MeetingConfigRow) -> time | None:
    if kind != MORNING:
        return None
    opening = settings.load().opening_time
    return (datetime.combine(day, opening) - timedelta(minutes=cfg.lead_minutes)).time()


def _create(actor: session.Actor, kind: str, day: date) -> int:
    cfg = _config()
    now = clock.now()
    numbers_day = last_working_day_before(day) if kind == MORNING else None
    numbers = numbers_of(numbers_day) if numbers_day is not None else []
    host = Staff.get_or_none((Staff.user == actor.user_id) & (Staff.active == True)) \
        if actor.user_id is not None else None  # noqa: E712
    meeting_id = Meeting.insert(
        kind=kind, day=day, planned_start=_planned_start(kind, day, cfg), planned_minutes=cfg.planned_minutes,
        host=host.id if host else None, host_name=host.name if host else "", status=DRAFT,
        numbers_day=numbers_day, numbers=json.dumps(numbers, ensure_ascii=False) if numbers else "",
        created_at=now, updated_at=now).execute()
    sections = _template(kind)
    if sections:
        MeetingSection.insert_many([{"meeting": meeting_id, "position": i, "key": s.key, "title": s.title}
                                    for i, s in enumerate(sections)]).execute()
    people = staff.get_staff_rows(staff.on_duty(day).ids)
    if people:
        MeetingAttendance.insert_many([{"meeting": meeting_id, "staff": p.id, "staff_name": p.name,
                                        "status": PRESENT} for p in people]).execute()
    audit.record("create", entity="meeting", entity_id=meeting_id, detail=KINDS[kind],
                 after={"kind": kind, "day": day, "attendance": len(people), "numbers_day": numbers_day})
    return meeting_id


@kit.command(session.HOLD_MEETING, then=_saved_meeting)
def create_meeting(actor: session.Actor, kind: str, day: date) -> int:
    """A new meeting of ``kind`` on ``day``, made from the template, the duty list and (a
    morning meeting) the figures of the last working day before it."""
    _check_kind(kind)
    check_period(day, None, start_field="day")
    return _create(actor, kind, day)


@kit.command(session.HOLD_MEETING, then=_saved_meeting)
def open_today(actor: session.Actor, kind: str = MORNING) -> int:
    """Today's meeting of ``kind`` (the latest, if several): made from the template when there is none."""
    _check_kind(kind)
    today = clock.today()
    found = (Meeting.select(Meeting.id).where((Meeting.kind == kind) & (Meeting.day == today))
             .order_by(Meeting.id.desc()).first())
    return found.id if found is not None else _create(actor, kind, today)


def _for_update(meeting_id: int, expected_version: int) -> Meeting:
    m = records.get_for_update(Meeting, meeting_id, _MEETING_MISSING)
    if m.version != expected_version:
        raise ConflictError(_("另一工作站已修改了这条会议记录，请重新打开。"))
    return m


def _validated(m: Meeting, data: MeetingInput) -> tuple[dict, list[dict], list[dict], list]:
    errors = Errors()
    if data.started_at is not None and data.ended_at is not None and data.ended_at < data.started_at:
        errors.add("ended_at", _("结束时间不能早于开始时间。"))
    if data.host_id is not None and Staff.get_or_none(Staff.id == data.host_id) is None:
        errors.add("host", _("所选主持人不存在。"))
    sections = []
    for i, s in enumerate(data.sections):
        title = errors.text(f"section_title_{i}", s.title, label=_("栏目名称"), limit=MAX_TITLE)
        text = errors.text(f"section_{i}", s.text, label=title or _("栏目"), limit=MAX_SECTION_TEXT, multiline=True)
        if not title:
            errors.add(f"section_title_{i}", _("请填写栏目名称。"))
        sections.append({"position": i, "key": (s.key or f"extra{i}")[:32], "title": title, "text": text})
    known = {a.staff_id for a in MeetingAttendance.select(MeetingAttendance.staff_id)
             .where(MeetingAttendance.meeting == m.id)}
    people = {s.id: s for s in Staff.select().where(Staff.id.in_([a.staff_id for a in data.attendance]))} \
        if data.attendance else {}
    seen: set[int] = set()
    attendance = []
    for a in data.attendance:
        where = f"attendance_{a.staff_id}"
        person = people.get(a.staff_id)
        if person is None:
            errors.add(where, _("人员不存在（编号 {id}）。").format(id=a.staff_id))
            continue
        if a.staff_id in seen:
            errors.add(where, _("{name} 重复出现。").format(name=person.name))
            continue
        seen.add(a.staff_id)
        if a.status not in ATTENDANCE:
            errors.add(where, _("请选择 {name} 的出勤情况。").format(name=person.name))
        late = a.late_minutes if a.status == LATE else None
        if a.status == LATE and (late is None or not 1 <= late <= MAX_LATE_MINUTES):
            errors.add(where, _("请填写 {name} 迟到的分钟数（1–{n}）。").format(name=person.name, n=MAX_LATE_MINUTES))
        leave = a.leave_kind if a.status == LEAVE else ""
        if a.status == LEAVE and leave not in LEAVE_KINDS:
            errors.add(where, _("请选择 {name} 的请假类型。").format(name=person.name))
        if a.grooming not in ("", *GROOMING):
            errors.add(where, _("仪容仪表只能是合格或需注意。"))
        note = errors.text(where, a.grooming_note, label=_("仪容仪表说明"), limit=MAX_NOTE)
        attendance.append({"meeting": m.id, "staff": a.staff_id,
                           "staff_name": person.name if a.staff_id not in known else a.staff_name or person.name,
                           "status": a.status, "late_minutes": late, "leave_kind": leave,
                           "grooming": a.grooming, "grooming_note": note})
    if len(data.numbers) > MAX_NUMBERS:
        errors.add("numbers", _("数字最多 {n} 行。").format(n=MAX_NUMBERS))
    numbers = []
    for i, (label, value) in enumerate(data.numbers):
        label = errors.text(f"number_{i}", label, label=_("指标"), limit=MAX_NUMBER_LABEL)
        value = errors.text(f"number_{i}", value, label=label or _("指标"), limit=MAX_NUMBER_VALUE)
        if label or value:
            numbers.append([label, value])
    errors.raise_if_any()
    host = people.get(data.host_id) if data.host_id in people else Staff.get_or_none(Staff.id == data.host_id)
    values = {"started_at": data.started_at, "ended_at": data.ended_at, "host": data.host_id,
              "host_name": host.name if host is not None and data.host_id is not None else "",
              "numbers": json.dumps(numbers, ensure_ascii=False) if numbers else ""}
    return values, sections, attendance, numbers


@kit.command(session.HOLD_MEETING, then=_saved_meeting)
def update_meeting(meeting_id: int, expected_version: int, data: MeetingInput) -> int:
    """Save the draft: times, host, sections, attendance with the grooming check, the figures."""
    m = _for_update(meeting_id, expected_version)
    if m.status != DRAFT:
        raise ConflictError(_("这次会议已定稿，请先重新打开再修改。"))
    values, sections, attendance, _numbers = _validated(m, data)
    old = _detail(meeting_id)
    records.conditional_update(Meeting, meeting_id, m.version, values)
    MeetingSection.delete().where(MeetingSection.meeting == meeting_id).execute()
    if sections:
        MeetingSection.insert_many([{"meeting": meeting_id, **s} for s in sections]).execute()
    MeetingAttendance.delete().where(MeetingAttendance.meeting == meeting_id).execute()
    if attendance:
        MeetingAttendance.insert_many(attendance).execute()
    new = _detail(meeting_id)
    before, after = audit.diff(_audit_values(old), _audit_values(new))
    audit.record("update", entity="meeting", entity_id=meeting_id, before=before, after=after)
    return meeting_id


def _hhmm(t: time | None) -> str | None:
    return None if t is None else t.strftime("%H:%M")


def _audit_values(d: MeetingDetail) -> dict:
    return {"started_at": _hhmm(d.row.started_at), "ended_at": _hhmm(d.row.ended_at), "host_name": d.row.host_name,
            "sections": {s.title: s.text for s in d.sections},
            "attendance": {a.staff_name: a.status_label for a in d.attendance},
            "grooming": {a.staff_name: f"{GROOMING.get(a.grooming, '')} {a.grooming_note}".strip()
                         for a in d.attendance if a.grooming},
            "numbers": [list(n) for n in d.numbers]}


@kit.command(session.HOLD_MEETING, then=_saved_meeting)
def finalise(actor: session.Actor, meeting_id: int, expected_version: int) -> int:
    """Freeze the record: it needs its start and end time and at least one attendee."""
    m = _for_update(meeting_id, expected_version)
    if m.status != DRAFT:
        raise ConflictError(_("这次会议已经定稿。"))
    errors = Errors()
    if m.started_at is None:
        errors.add("started_at", _("定稿前请填写开始时间。"))
    if m.ended_at is None:
        errors.add("ended_at", _("定稿前请填写结束时间。"))
    if not MeetingAttendance.select().where(MeetingAttendance.meeting == meeting_id).exists():
        errors.add("attendance", _("定稿前请记录出勤。"))
    errors.raise_if_any()
    now = clock.now()
    records.conditional_update(Meeting, meeting_id, m.version,
                               {"status": FINAL, "finalised_at": now, "finalised_by": actor.user_id})
    audit.record("finalise", entity="meeting", entity_id=meeting_id, before={"status": DRAFT},
                 after={"status": FINAL})
    return meeting_id


@kit.command(session.HOLD_MEETING, then=_saved_meeting)
def reopen(meeting_id: int, expected_version: int, reason: str) -> int:
    """Make a finalised meeting a draft again, with the reason (kept in the audit trail)."""
    m = _for_update(meeting_id, expected_version)
    if m.status != FINAL:
        raise ConflictError(_("只有已定稿的会议才能重新打开。"))
    reason = clean_text("reason", reason, label=_("重新打开的原因"), limit=MAX_REASON,
                        required=_("请填写重新打开的原因。"))
    records.conditional_update(Meeting, meeting_id, m.version,
                               {"status": DRAFT, "finalised_at": None, "finalised_by": None})
    audit.record("reopen", entity="meeting", entity_id=meeting_id, detail=reason,
                 before={"status": FINAL, "finalised_at": m.finalised_at}, after={"status": DRAFT})
    return meeting_id


# ------------------------------------------------------------ list and paging

SORT_KEYS = ("day", "kind", "status", "host")


@dataclass(frozen=True)
class MeetingQuery:
    date_from: date
    date_to: date
    kind: str | None = None
    sort_key: str = "day"
    descending: bool = True


def _where(q: MeetingQuery) -> peewee.Node:
    check_period(q.date_from, q.date_to)
    where = (Meeting.day >= q.date_from) & (Meeting.day <= q.date_to)
    if q.kind:
        where &= Meeting.kind == q.kind
    return where


def _ordering(q: MeetingQuery) -> paging.Ordering:
    exprs = {"day": Meeting.day, "kind": Meeting.kind, "status": Meeting.status, "host": Meeting.host_name}
    return paging.ordered_by(exprs.get(q.sort_key, Meeting.day), Meeting.id, descending=q.descending)


@kit.query()
def count_meetings(q: MeetingQuery) -> int:
    return Meeting.select().where(_where(q)).count()


@kit.query()
def fetch_meetings(q: MeetingQuery, offset: int, limit: int, total: int | None = None) -> list[MeetingRow]:
    where = _where(q)
    total = Meeting.select().where(where).count() if total is None else total
    ids = paging.page_ids(Meeting.select(Meeting.id).where(where), _ordering(q), offset, limit, total)
    found = {m.id: m for m in Meeting.select().where(Meeting.id.in_(ids))} if ids else {}
    return _rows([found[i] for i in ids if i in found])


@kit.query()
def meeting_position(q: MeetingQuery, meeting_id: int) -> int | None:
    return paging.position_of(Meeting, Meeting.select().where(_where(q)), _ordering(q), meeting_id)


@kit.query()
def meetings_change_stamp(q: MeetingQuery) -> paging.ChangeStamp:
    check_period(q.date_from, q.date_to)
    return paging.change_stamp(Meeting, (Meeting.day >= q.date_from) & (Meeting.day <= q.date_to))


# ------------------------------------------------------------------ action items


def _saved_action(action_id: int) -> ActionRow:
    with read_only():
        return _action(action_id)


def _action(action_id: int) -> ActionRow:
    a = _action_query().where(MeetingAction.id == action_id).first()
    if a is None:
        raise NotFoundError(_ACTION_MISSING.format(id=action_id))
    return _action_row(a)


def _action_values(text: str, owner_id: int | None, due_on: date | None) -> dict:
    errors = Errors()
    text = errors.text("text", text, label=_("待办事项"), limit=MAX_ACTION, multiline=True)
    if not text and "text" not in errors:
        errors.add("text", _("请填写待办事项。"))
    if owner_id is not None and Staff.get_or_none(Staff.id == owner_id) is None:
        errors.add("owner", _("所选责任人不存在。"))
    if due_on is not None:
        try:
            check_period(due_on, None, start_field="due_on")
        except ValidationError as exc:
            errors.update(exc)
    errors.raise_if_any()
    return {"text": text, "owner": owner_id, "due_on": due_on}


@kit.command(session.HOLD_MEETING, then=_saved_action)
def add_action(meeting_id: int, text: str, owner_id: int | None = None, due_on: date | None = None) -> int:
    m = records.get_for_update(Meeting, meeting_id, _MEETING_MISSING)
    if m.status != DRAFT:
        raise ConflictError(_("这次会议已定稿，请先重新打开再添加待办事项。"))
    values = _action_values(text, owner_id, due_on)
    now = clock.now()
    action_id = MeetingAction.insert(meeting=meeting_id, created_at=now, updated_at=now, **values).execute()
    audit.record("create", entity="meeting_action", entity_id=action_id,
                 after={"text": values["text"], "owner_id": owner_id, "due_on": due_on})
    return action_id


def _action_for_update(action_id: int, expected: ActionRow) -> MeetingAction:
    found = records.get_for_update(MeetingAction, action_id, _ACTION_MISSING)
    if found.version != expected.version:
        raise ConflictError(_("另一工作站已修改了这个待办事项，请重新打开。"))
    return found


@kit.command(session.HOLD_MEETING, then=_saved_action)
def update_action(action_id: int, expected: ActionRow, text: str, owner_id: int | None,
                  due_on: date | None) -> int:
    found = _action_for_update(action_id, expected)
    if found.done_at is not None:
        raise ConflictError(_("已完成的待办事项不能再修改。"))
    values = _action_values(text, owner_id, due_on)
    before, after = audit.diff({"text": found.text, "owner_id": found.owner_id, "due_on": found.due_on},
                               {"text": values["text"], "owner_id": owner_id, "due_on": due_on})
    if after:
        records.conditional_update(MeetingAction, action_id, found.version, values)
        audit.record("update", entity="meeting_action", entity_id=action_id, before=before, after=after)
    return action_id


@kit.command(session.HOLD_MEETING, then=_saved_action)
def close_action(actor: session.Actor, action_id: int, expected: ActionRow) -> int:
    """Mark an item done: who and when are recorded; it is no longer carried over."""
    found = _action_for_update(action_id, expected)
    if found.done_at is not None:
        raise ConflictError(_("这个待办事项已经完成。"))
    now = clock.now()
    records.conditional_update(MeetingAction, action_id, found.version, {
        "done_at": now, "done_by": actor.user_id, "done_by_name": (actor.display_name or actor.username)[:64]})
    audit.record("done", entity="meeting_action", entity_id=action_id, before={"done_at": None},
                 after={"done_at": now})
    return action_id


@kit.query()
def open_actions(as_of: date | None = None) -> list[ActionRow]:
    """Every item not done by the end of ``as_of`` (today when not given), oldest meeting first."""
    day = as_of or clock.today()
    check_period(day, None, start_field="as_of")
    return _open_before(day, datetime.combine(day, time.min) + timedelta(days=1))


# ------------------------------------------------------------ teaching cases


TAG_SEPARATORS = re.compile(r"[\s,，、;；#]+")


def split_tags(text: str) -> tuple[str, ...]:
    """Tags as typed (``退保 投诉``, ``退保，投诉``, ``#退保``): each once, in order."""
    return tuple(dict.fromkeys(t for t in TAG_SEPARATORS.split(text or "") if t))


@dataclass(frozen=True)
class CaseInput:
    title: str = ""
    situation: str = ""  # 情况
    handling: str = ""  # 处理: what was done
    lesson: str = ""  # 启示
    tags: str = ""  # words, separated by spaces or commas
    meeting_id: int | None = None
    complaint_id: int | None = None


@dataclass(frozen=True)
class CaseRow:
    id: int
    title: str
    situation: str
    handling: str
    lesson: str
    tags: tuple[str, ...]
    meeting_id: int | None
    meeting_day: date | None
    complaint_id: int | None
    created_at: datetime
    version: int

    @property
    def tags_text(self) -> str:
        return " ".join(self.tags)


_CASE_TEXTS = ("title", "situation", "handling", "lesson", "tags")


def _case_query() -> peewee.ModelSelect:
    return (TeachingCase.select(TeachingCase, Meeting.id, Meeting.day)
            .join(Meeting, join_type=peewee.JOIN.LEFT_OUTER, on=(TeachingCase.meeting == Meeting.id)))


def _case_row(c: TeachingCase) -> CaseRow:
    day = c.meeting.day if c.meeting_id is not None else None
    return CaseRow(c.id, c.title, c.situation, c.handling, c.lesson, split_tags(c.tags), c.meeting_id, day,
                   c.complaint_id, c.created_at, c.version)


def _case(case_id: int) -> CaseRow:
    c = _case_query().where(TeachingCase.id == case_id).first()
    if c is None:
        raise NotFoundError(_CASE_MISSING.format(id=case_id))
    return _case_row(c)


def _saved_case(case_id: int) -> CaseRow:
    with read_only():
        return _case(case_id)


def _case_values(data: CaseInput, case_id: int | None = None) -> dict:
    from frontdesk.services import complaints

    errors = Errors()
    title = errors.text("title", data.title, label=_("案例标题"), limit=MAX_CASE_TITLE,
                        required=_("请填写案例标题。"))
    situation = errors.text("situation", data.situation, label=_("情况"), limit=MAX_CASE_TEXT, multiline=True,
                            required=_("请写明当时的情况。"))
    handling = errors.text("handling", data.handling, label=_("处理"), limit=MAX_CASE_TEXT, multiline=True)
    lesson = errors.text("lesson", data.lesson, label=_("启示"), limit=MAX_CASE_TEXT, multiline=True)
    tags = " ".join(split_tags(errors.text("tags", data.tags, label=_("标签"), limit=MAX_TAGS)))
    if len(tags) > MAX_TAGS and "tags" not in errors:
        errors.add("tags", _("标签合计不能超过 {n} 个字。").format(n=MAX_TAGS))
    if data.meeting_id is not None and Meeting.get_or_none(Meeting.id == data.meeting_id) is None:
        errors.add("meeting", _MEETING_MISSING.format(id=data.meeting_id))
    if data.complaint_id is not None:
        ticket = Complaint.get_or_none(Complaint.id == data.complaint_id)
        if ticket is None:
            errors.add("complaint", _("投诉工单不存在（编号 {id}）。").format(id=data.complaint_id))
        elif ticket.status != complaints.CLOSED:
            errors.add("complaint", _("只有已办结的工单才能设为典型案例。"))
        else:
            other = TeachingCase.get_or_none((TeachingCase.complaint == data.complaint_id)
                                             & (TeachingCase.id != (case_id or 0)))
            if other is not None:
                errors.add("complaint", _("工单 #{id} 已设为典型案例“{title}”。").format(
                    id=data.complaint_id, title=other.title))
    errors.raise_if_any()
    return {"title": title, "situation": situation, "handling": handling, "lesson": lesson, "tags": tags,
            "meeting": data.meeting_id, "complaint": data.complaint_id}


@kit.command(session.HOLD_MEETING, then=_saved_case)
def add_case(data: CaseInput) -> int:
    values = _case_values(data)
    now = clock.now()
    case_id = TeachingCase.insert(created_at=now, updated_at=now, **values).execute()
    audit.record("create", entity="teaching_case", entity_id=case_id,
                 after={**{k: values[k] for k in _CASE_TEXTS}, "complaint_id": data.complaint_id})
    return case_id


@kit.command(session.HOLD_MEETING, then=_saved_case)
def update_case(case_id: int, expected: CaseRow, data: CaseInput) -> int:
    found = records.get_for_update(TeachingCase, case_id, _CASE_MISSING)
    if found.version != expected.version:
        raise ConflictError(_("另一工作站已修改了这个案例，请重新打开。"))
    values = _case_values(data, case_id)
    before, after = audit.diff({k: getattr(found, k) for k in _CASE_TEXTS}, {k: values[k] for k in _CASE_TEXTS})
    if after or found.meeting_id != data.meeting_id or found.complaint_id != data.complaint_id:
        records.conditional_update(TeachingCase, case_id, found.version, values)
        audit.record("update", entity="teaching_case", entity_id=case_id, before=before, after=after)
    return case_id


@kit.query(session.HOLD_MEETING)
def case_from_complaint(complaint_id: int) -> CaseInput:
    """A closed complaint as a case to complete: its description is the situation, its reply what
    was done; the title and the lesson are for the duty manager to write."""
    from frontdesk.services import complaints

    ticket = Complaint.get_or_none(Complaint.id == complaint_id)
    if ticket is None:
        raise NotFoundError(_("投诉工单不存在（编号 {id}）。").format(id=complaint_id))
    if ticket.status != complaints.CLOSED:
        raise ConflictError(_("只有已办结的工单才能设为典型案例。"))
    category = ticket.category  # the label it was registered with
    situation = "\n".join(part for part in (ticket.description.strip(), _("客户诉求：{request}").format(
        request=ticket.request.strip()) if ticket.request.strip() else "") if part)
    return CaseInput(title=(ticket.about or category)[:MAX_CASE_TITLE], situation=situation,
                     handling=ticket.reply_text.strip(), tags=" ".join(t for t in (_("投诉"), category) if t),
                     complaint_id=complaint_id)


@kit.query()
def cases(text: str = "") -> list[CaseRow]:
    """The case book, newest first; ``text`` finds it in any field: title, situation, what was
    done, the lesson or a tag."""
    return _cases(text)


def _cases(text: str) -> list[CaseRow]:
    needle = clean_search(text)
    query = _case_query()
    if needle:
        query = query.where(TeachingCase.title.contains(needle) | TeachingCase.tags.contains(needle)
                            | TeachingCase.situation.contains(needle) | TeachingCase.handling.contains(needle)
                            | TeachingCase.lesson.contains(needle))
    return [_case_row(c) for c in query.order_by(TeachingCase.created_at.desc(), TeachingCase.id.desc())]


# ------------------------------------------------------------ the printed protocol


def _action_state(a: ActionRow, day: date) -> str:
    if a.done:
        return _("已完成")
    if a.overdue(day):
        return _("已逾期")
    return _("今日到期") if a.due_today(day) else _("未完成")


def _attendance_lines(rows: Sequence[AttendanceRow], *, with_grooming: bool) -> list[str]:
    """Attendance in a few lines, not a row a person: a full hall's protocol stays on one page."""
    def names(status: str) -> str:
        return "、".join(_("{name}（{what}）").format(name=a.staff_name, what=_detail_of(a)) if _detail_of(a)
                        else a.staff_name for a in rows if a.status == status)

    lines = [_("【{status}】{names}").format(status=label, names=names(status))
             for status, label in ATTENDANCE.items() if any(a.status == status for a in rows)]
    if with_grooming:
        attention = [f"{a.staff_name}（{a.grooming_note}）" if a.grooming_note else a.staff_name
                     for a in rows if a.grooming == GROOMING_ATTENTION]
        lines.append(_("【仪容仪表】需注意：{names}").format(names="、".join(attention)) if attention
                     else _("【仪容仪表】全部合格"))
    return lines


def _detail_of(a: AttendanceRow) -> str:
    if a.status == LATE and a.late_minutes:
        return _("{n} 分钟").format(n=a.late_minutes)
    if a.status == LEAVE and a.leave_kind:
        return LEAVE_KINDS.get(a.leave_kind, a.leave_kind)
    return ""


@kit.query()
def protocol(actor: session.Actor, meeting_id: int) -> Report:
    """The meeting as a one-page protocol (纪要): attendance, sections, figures, action items.

    With the praise-only setting (seed 001: praise first, never public criticism) the grooming
    check is left out of the paper; it stays in the record."""
    d = _detail(meeting_id)
    cfg = _config()
    row = d.row
    c = d.counts
    times = "–".join(t.strftime("%H:%M") for t in (row.started_at, row.ended_at) if t is not None)
    head = _("时间：{times}　主持人：{host}　状态：{status}").format(
        times=times or "—", host=row.host_name or "—", status=row.status_label)
    if row.finalised_at is not None:
        head += _("（{at:%Y-%m-%d %H:%M} 定稿）").format(at=row.finalised_at)
    if d.amendments:  # the last ones: the protocol stays on one page
        head += _("；修订 {n} 次：").format(n=len(d.amendments)) + "；".join(
            a.line() for a in d.amendments[-AMENDMENTS_PRINTED:])
    blocks: list = [
        Note(head),
        KeyFigures([KeyFigure(_("应到"), c.expected, unit=_("人")), KeyFigure(_("出席"), c.present, unit=_("人")),
                    KeyFigure(_("迟到"), c.late, unit=_("人")), KeyFigure(_("缺席"), c.absent, unit=_("人")),
                    KeyFigure(_("请假"), c.leave, unit=_("人"))]),
        *(Note(line) for line in _attendance_lines(d.attendance, with_grooming=not cfg.praise_only)),
    ]
    for s in d.sections:
        blocks.append(Note(_("【{title}】{text}").format(title=s.title, text=s.text.strip() or "—")))
    if d.numbers:
        blocks.append(Note(_("【昨日数字（{day}）】").format(day=d.numbers_day.isoformat() if d.numbers_day else "")
                           + "　".join(f"{label} {value}" for label, value in d.numbers)))
    items = [*d.carried, *d.raised]
    blocks.append(Table([Column(_("待办事项")), Column(_("责任人")), Column(_("期限"), Kind.DATE), Column(_("状态"))],
                        [[a.text, a.owner_name, a.due_on, _action_state(a, row.day)] for a in items],
                        title=_("待办事项"), empty_text=_("无待办事项")))
    return Report(ReportKind.DAILY, _("{kind}纪要").format(kind=row.kind_label), settings.load().branch_name,
                  _("{d.year}年{d.month}月{d.day}日").format(d=row.day), actor.display_name or actor.username,
                  clock.now(), [Section("meeting", row.kind_label, blocks)], signature=True, first_day=row.day)


def _protocol_name(meeting_id: int) -> str:
    m = Meeting.get_or_none(Meeting.id == meeting_id)
    if m is None:
        raise NotFoundError(_MEETING_MISSING.format(id=meeting_id))
    return _("{day} {kind}纪要").format(day=m.day.isoformat(), kind=KINDS.get(m.kind, m.kind))


@kit.command(None)
def record_protocol_print(meeting_id: int, printer: str, pages: int) -> None:
    """A printed protocol is in the audit trail (names left the program): which, where, how many pages."""
    audit.record("print", entity="meeting", entity_id=meeting_id, detail=_("{name} 打印到：{printer}（{pages} 页）").format(
        name=_protocol_name(meeting_id), printer=printer, pages=pages))


@kit.command(None)
def record_protocol_saved(meeting_id: int, path: str) -> None:
    """A protocol saved as a PDF file is in the audit trail too."""
    audit.record("export", entity="meeting", entity_id=meeting_id, detail=_("{name} 导出到：{path}").format(
        name=_protocol_name(meeting_id), path=path))


@kit.query()
def case_book(actor: session.Actor, text: str = "") -> Report:
    """The teaching-case book (典型案例汇编) for training new staff: every case found by ``text``."""
    found = _cases(text)
    blocks = [Note(_("共 {n} 个案例。").format(n=len(found)))]
    for c in found:
        source = [_("标签：{tags}").format(tags="、".join(c.tags)) if c.tags else "",
                  _("{day} 会议").format(day=c.meeting_day.isoformat()) if c.meeting_day else "",
                  _("投诉工单 #{id}").format(id=c.complaint_id) if c.complaint_id else ""]
        shown = "；".join(part for part in source if part)
        blocks.append(Note(f"【{c.title}】" + (f"（{shown}）" if shown else "")))
        for label, value in ((_("情况"), c.situation), (_("处理"), c.handling), (_("启示"), c.lesson)):
            lines = [line for line in value.splitlines() if line.strip()]
            if lines:
                blocks.append(Note(_("{label}：{text}").format(label=label, text=lines[0])))
                blocks += [Note(line) for line in lines[1:]]
    today = clock.today()
    return Report(ReportKind.DAILY, _("典型案例汇编"), settings.load().branch_name,
                  _("{d.year}年{d.month}月{d.day}日").format(d=today), actor.display_name or actor.username,
                  clock.now(), [Section("cases", _("典型案例"), blocks)], first_day=today)
