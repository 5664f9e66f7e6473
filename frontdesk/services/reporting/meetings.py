"""The meetings' section of the daily and monthly reports.

A meeting is **held** when its start time is recorded (a draft opened and left empty is not).
**Attendance rate** = attendees (present or late) / people expected, over the held meetings.
Action items **open at the end of a day**: raised by then and not done by then; **overdue**
among them: due before that day. The monthly staff meeting is **on time** when one was held in
the month on or before the 30th (seed 001: 每月 30 日以前).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.models import Meeting, MeetingAction, MeetingAttendance
from frontdesk.i18n import _
from frontdesk.reports import Column, DetailSheet, KeyFigure, KeyFigures, Kind, Note, Section, Table
from frontdesk.services import kit, session, workdays
from frontdesk.services import meetings as mt
from frontdesk.services.reporting import Period, register

KEY = "meetings"
MONTHLY_DEADLINE_DAY = 30


@dataclass(frozen=True)
class MeetingLine:
    id: int
    kind: str
    day: date
    started_at: time | None
    ended_at: time | None
    host: str
    status: str
    expected: int
    attended: int
    late: int

    @property
    def held(self) -> bool:
        return self.started_at is not None

    @property
    def minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return int((datetime.combine(self.day, self.ended_at)
                    - datetime.combine(self.day, self.started_at)).total_seconds() // 60)


@dataclass(frozen=True)
class ItemLine:
    created_at: datetime
    due_on: date | None
    done_at: datetime | None

    def open_at(self, moment: datetime) -> bool:
        return self.created_at < moment and (self.done_at is None or self.done_at >= moment)


@dataclass(frozen=True)
class MeetingData:
    meetings: list[MeetingLine]
    items: list[ItemLine]  # every action item raised before the period's end


@kit.query(session.VIEW_REPORTS)
def load(first: date, last: date) -> MeetingData:
    attended = peewee.fn.SUM(peewee.Case(None, ((MeetingAttendance.status.in_([mt.PRESENT, mt.LATE]), 1),), 0))
    late = peewee.fn.SUM(peewee.Case(None, ((MeetingAttendance.status == mt.LATE, 1),), 0))
    counts = {m: (int(n), int(a or 0), int(lt or 0)) for m, n, a, lt in (
        MeetingAttendance.select(MeetingAttendance.meeting, peewee.fn.COUNT(MeetingAttendance.id), attended, late)
        .join(Meeting, on=(MeetingAttendance.meeting == Meeting.id))
        .where((Meeting.day >= first) & (Meeting.day <= last))
        .group_by(MeetingAttendance.meeting).tuples())}
    meetings = [
        MeetingLine(m.id, m.kind, m.day, m.started_at, m.ended_at, m.host_name, m.status, *counts.get(m.id, (0, 0, 0)))
        for m in Meeting.select().where((Meeting.day >= first) & (Meeting.day <= last))
        .order_by(Meeting.day, Meeting.started_at, Meeting.id)
    ]
    end = datetime.combine(last, time.min) + timedelta(days=1)
    items = [ItemLine(c, d, x) for c, d, x in MeetingAction.select(
        MeetingAction.created_at, MeetingAction.due_on, MeetingAction.done_at)
        .where(MeetingAction.created_at < end).tuples()]
    return MeetingData(meetings, items)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.min) + timedelta(days=1)


def _open_and_overdue(items: Sequence[ItemLine], day: date) -> tuple[int, int]:
    still = [i for i in items if i.open_at(_end_of(day))]
    return len(still), sum(1 for i in still if i.due_on is not None and i.due_on < day)


def attendance_rate(meetings: Sequence[MeetingLine]) -> float | None:
    expected = sum(m.expected for m in meetings)
    return sum(m.attended for m in meetings) / expected if expected else None


def _is_working(day: date) -> bool:
    try:
        return workdays.is_working_day(day)
    except workdays.CalendarUnknownError:
        return day.weekday() < 5


def _times(m: MeetingLine) -> str:
    return "–".join(t.strftime("%H:%M") for t in (m.started_at, m.ended_at) if t is not None)


class MeetingsSection:
    key = KEY
    order = 40

    def daily(self, period: Period) -> Section:
        """One line (the daily report stays within two pages): the morning meeting, its
        attendance, the action items open at the end of the day."""
        day = period.first
        data = load(day, day)
        morning = next((m for m in data.meetings if m.kind == mt.MORNING and m.held), None)
        open_items, overdue = _open_and_overdue(data.items, day)
        if morning is None:
            held = _("晨会未召开")
        else:
            held = _("晨会 {times}，出席 {a}/{e} 人，迟到 {late} 人").format(
                times=_times(morning), a=morning.attended, e=morning.expected, late=morning.late)
        return Section(KEY, _("晨会"), [Note(_("{held}；日终未完成待办 {n} 项（逾期 {o} 项）。").format(
            held=held, n=open_items, o=overdue))])

    def monthly(self, period: Period) -> Section:
        data = load(period.first, period.last)
        held = [m for m in data.meetings if m.held]
        mornings = [m for m in held if m.kind == mt.MORNING]
        working = [d for d in period.days if _is_working(d)]
        monthly_on_time = any(m.kind == mt.MONTHLY and m.day.day <= MONTHLY_DEADLINE_DAY for m in held)
        end = _end_of(period.last)
        start = datetime.combine(period.first, time.min)
        opened = sum(1 for i in data.items if i.created_at >= start)
        closed = sum(1 for i in data.items if i.done_at is not None and start <= i.done_at < end)
        open_items, overdue = _open_and_overdue(data.items, period.last)
        return Section(KEY, _("会议"), [
            KeyFigures([
                KeyFigure(_("晨会召开 / 工作日"), f"{len({m.day for m in mornings})} / {len(working)}", Kind.TEXT,
                          met=len({m.day for m in mornings}) >= len(working)),
                KeyFigure(_("晨会平均出席率"), attendance_rate(mornings), Kind.PERCENT),
                KeyFigure(_("晨会迟到"), sum(m.late for m in mornings), unit=_("人次")),
                KeyFigure(_("月例会（30 日前）"), _("已召开") if monthly_on_time else _("未召开"), Kind.TEXT,
                          met=monthly_on_time),
                KeyFigure(_("新增待办"), opened, unit=_("项")),
                KeyFigure(_("完成待办"), closed, unit=_("项")),
                KeyFigure(_("月末未完成待办"), open_items, unit=_("项")),
                KeyFigure(_("其中逾期"), overdue, unit=_("项"), met=overdue == 0),
            ]),
            Table([Column(_("会议")), Column(_("召开次数"), Kind.INTEGER), Column(_("出席率"), Kind.PERCENT),
                   Column(_("迟到人次"), Kind.INTEGER)],
                  [[label, len(ms), attendance_rate(ms), sum(m.late for m in ms)]
                   for kind, label in mt.KINDS.items() for ms in [[m for m in held if m.kind == kind]]],
                  title=_("各类会议")),
        ])

    def details(self, period: Period) -> Sequence[DetailSheet]:
        data = load(period.first, period.last)
        return [DetailSheet(_("会议记录"), [
            Column(_("日期"), Kind.DATE), Column(_("会议")), Column(_("时间")), Column(_("主持人")),
            Column(_("应到"), Kind.INTEGER), Column(_("出席"), Kind.INTEGER), Column(_("迟到"), Kind.INTEGER),
            Column(_("状态"))],
            [[m.day, mt.KINDS.get(m.kind, m.kind), _times(m), m.host, m.expected, m.attended, m.late,
              mt.STATUSES.get(m.status, m.status)] for m in data.meetings])]


register(MeetingsSection())
