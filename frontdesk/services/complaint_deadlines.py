"""The two clocks of a complaint ticket, computed exactly and explained day by day.

Pure functions: no database, no clock. ``services.complaints`` hands them the dates.

**The internal clock** (seed 002): a complaint is answered within 7 working days of its
acceptance, a consultation that cannot be answered at once within 2, an opinion-book entry or a
suggestion within 7. Working days follow China's official calendar (``services.workdays``):
statutory holidays are not working days, make-up working days (调休) are.

**The regulator's clock** (《银行业保险业消费投诉处理管理办法》, 2020 No. 3): a decision within 15
calendar days of receipt (art. 18), 30 for a complex case, 30 more (60 at most) with the head
office's approval. Time of outside appraisal and of mediation is not counted (art. 23); new facts
start the clock again; a withdrawal ends it (art. 15). "日" there is a calendar day (art. 43).

**Counting rule** (both clocks): the day of acceptance (or receipt, or of the new facts) is day 0;
the deadline is the end of the N-th counted day after it. 2026-09-28 + 7 working days is
2026-10-13 (National Day 10-01…10-07 off, Saturday 10-10 a make-up working day).

**A pause** (appraisal, mediation) from day S to its resumption on day E takes out the whole
days between them (S+1 … E-1); S and E themselves were partly worked and count. That is the
reading least favourable to the branch: a deadline is never later than the rule allows. While a
pause is still open the regulator's deadline is unknown, and says so.

**A year the calendar does not know** (``CalendarUnknownError``: chinesecalendar knows up to 2026):
the working days of that year are counted as Monday to Friday, the deadline is marked
*provisional*, and the warning names the year whose holidays are to be filled in. Nothing crashes.

**A calendar-day deadline on a holiday** stays where it falls by default; ``Due.lands_on`` says what
kind of day it is. Whether it rolls to the next working day is for the branch's compliance officer
(设置 → 投诉设置, ``roll=True``): then a deadline on a weekend or holiday moves to the next working day
of the same calendar (overrides included, a make-up working day is a working day, a year the calendar
does not know counted Monday to Friday and marked provisional), and ``Due.rolled_from`` keeps the date
it fell on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from frontdesk.i18n import _
from frontdesk.services import workdays
from frontdesk.services.workdays import CalendarUnknownError, Overrides

COMPLAINT, CONSULTATION, OPINION, SUGGESTION = "complaint", "consultation", "opinion", "suggestion"
INTERNAL_WORKING_DAYS: dict[str, int] = {COMPLAINT: 7, CONSULTATION: 2, OPINION: 7, SUGGESTION: 7}

REGULATORY_DAYS, COMPLEX_DAYS, EXTENDED_DAYS = 15, 30, 60
REGULATORY_LIMITS = (REGULATORY_DAYS, COMPLEX_DAYS, EXTENDED_DAYS)

INTERNAL, REGULATORY = "internal", "regulatory"
APPRAISAL, MEDIATION = "appraisal", "mediation"
PAUSE_REASONS: dict[str, str] = {APPRAISAL: _("鉴定/检测/评估"), MEDIATION: _("调解")}

_MAX_SPAN = 3660  # no deadline of these rules lies ten years away

# chinesecalendar's names of the holidays, as the explanation says them.
_HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
    "Anti-Fascist 70th Day": _("抗战胜利70周年纪念日"),
}


@dataclass(frozen=True)
class Pause:
    """The regulator's clock stopped from ``start`` until ``end`` (None: not resumed yet)."""

    start: date
    end: date | None
    reason: str = APPRAISAL


@dataclass(frozen=True)
class DayNote:
    """One calendar day after the start: counted as day ``number``, or skipped and why."""

    day: date
    number: int | None  # the count it reached; None: skipped
    why: str

    @property
    def counted(self) -> bool:
        return self.number is not None


@dataclass(frozen=True)
class Due:
    """One clock's deadline and how it was reached."""

    clock: str  # INTERNAL or REGULATORY
    start: date  # day 0
    days: int  # N
    due: date | None  # None: withdrawn, or paused (the clock is stopped)
    provisional: bool = False  # counted over a year the official calendar does not know
    warning: str = ""  # why it is provisional, naming the year
    notes: tuple[DayNote, ...] = ()
    lands_on: str = ""  # a calendar-day deadline: 工作日 / 周六 / 周日 / 法定节假日 …
    stopped: str = ""  # why there is no deadline now (withdrawn, paused)
    rolled_from: date | None = None  # the calendar-day deadline before it rolled to the next working day
    rolled_why: str = ""  # what kind of day it fell on

    def explain(self) -> str:
        """How the date was computed, in Chinese: day 0, the days skipped and why, the end."""
        unit = _("个工作日") if self.clock == INTERNAL else _("个自然日")
        name = _("内部时限") if self.clock == INTERNAL else _("监管时限")
        lines = [_("{name}：{start} 为第 0 天，自次日起数 {n} {unit}。").format(
            name=name, start=self.start.isoformat(), n=self.days, unit=unit)]
        for first, last, why, counted in _runs(self.notes):
            span = first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
            if counted:
                lines.append(_("  {span}：计入（{why}）").format(span=span, why=why))
            else:
                lines.append(_("  {span}：不计（{why}）").format(span=span, why=why))
        if self.stopped:
            lines.append(self.stopped)
        elif self.due is not None:
            end = _("截止 {due} 当日结束。").format(due=self.due.isoformat())
            if self.rolled_from is not None:
                end += _("原截止日 {day} 为{why}，按投诉设置顺延至下一个工作日。").format(
                    day=self.rolled_from.isoformat(), why=self.rolled_why)
            elif self.lands_on and self.lands_on != workdays.DAY_KINDS[workdays.WORKDAY]:
                end += _("该日为{kind}（按自然日计算，不顺延）。").format(kind=self.lands_on)
            lines.append(end)
        if self.provisional:
            lines.append(_("暂定（该年按周一至周五推算）：{warning}").format(warning=self.warning))
        return "\n".join(lines)


def _runs(notes: Sequence[DayNote]) -> list[tuple[date, date, str, bool]]:
    """Consecutive days with the same verdict and reason, as ranges (a long clock stays readable)."""
    runs: list[tuple[date, date, str, bool]] = []
    for note in notes:
        if runs:
            first, last, why, counted = runs[-1]
            if why == note.why and counted == note.counted and last + timedelta(days=1) == note.day:
                runs[-1] = (first, note.day, why, counted)
                continue
        runs.append((note.day, note.day, note.why, note.counted))
    return runs


def festival_name(name: str | None) -> str:
    """The library's (English) festival name in Chinese."""
    return _HOLIDAY_NAMES.get(name or "", name or "")


def _holiday_name(day: date, overrides: Overrides | None = None) -> str:
    """The festival a holiday or make-up working day belongs to ('' when not known)."""
    if isinstance(overrides, workdays.TableCalendar):
        return overrides.names.get(day, "")
    if overrides is not None and day in overrides:
        return ""
    import chinese_calendar

    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return festival_name(name)


def _working_day(day: date, overrides: Overrides | None) -> tuple[bool, str, str]:
    """(is a working day, why in words, the warning if the calendar does not know the year)."""
    try:
        kind = workdays.day_kind(day, overrides)
    except CalendarUnknownError as exc:
        weekday = day.weekday() < 5
        why = _("日历未收录，按周一至周五推算") if weekday else _("周末（日历未收录）")
        return weekday, why, exc.message
    if kind == workdays.WORKDAY:
        if day.weekday() >= 5:
            festival = _holiday_name(day, overrides)
            return True, _("{festival}调休上班").format(festival=festival) if festival else _("调休上班"), ""
        return True, _("工作日"), ""
    if kind == workdays.HOLIDAY:
        festival = _holiday_name(day, overrides)
        return False, _("{festival}法定节假日").format(festival=festival) if festival else _("法定节假日"), ""
    return False, workdays.DAY_KINDS[kind], ""


def internal_days(kind: str) -> int:
    if kind not in INTERNAL_WORKING_DAYS:
        raise ValueError(f"unknown ticket kind {kind!r}")
    return INTERNAL_WORKING_DAYS[kind]


def internal_due(accepted_on: date, kind: str, overrides: Overrides | None = None, *,
                 days: int | None = None) -> Due:
    """The internal deadline: ``days`` (default: the kind's) working days after acceptance."""
    n = internal_days(kind) if days is None else days
    if n < 0:
        raise ValueError("days must not be negative")
    notes: list[DayNote] = []
    warnings: list[str] = []
    day, count = accepted_on, 0
    for _step in range(_MAX_SPAN):
        if count == n:
            return Due(INTERNAL, accepted_on, n, day, bool(warnings), _first(warnings), tuple(notes))
        day += timedelta(days=1)
        working, why, warning = _working_day(day, overrides)
        if warning:
            warnings.append(warning)
        if working:
            count += 1
            notes.append(DayNote(day, count, why))
        else:
            notes.append(DayNote(day, None, why))
    raise ValueError(f"{n} working days after {accepted_on} is beyond any calendar")


def _first(warnings: list[str]) -> str:
    return warnings[0] if warnings else ""


def _paused(day: date, pauses: Sequence[Pause]) -> Pause | None:
    """The pause that takes ``day`` out of the count (whole days between its start and end)."""
    for pause in pauses:
        if pause.start < day and (pause.end is None or day < pause.end):
            return pause
    return None


def regulatory_due(received_on: date, limit: int = REGULATORY_DAYS, pauses: Sequence[Pause] = (), *,
                   restarted_on: date | None = None, withdrawn_on: date | None = None,
                   overrides: Overrides | None = None, roll: bool = False) -> Due:
    """The regulator's deadline: ``limit`` calendar days from receipt (or from new facts),
    paused days not counted; none after a withdrawal or while a pause is open. ``roll``: a
    deadline on a weekend or holiday moves to the next working day (the branch's setting)."""
    if limit not in REGULATORY_LIMITS:
        raise ValueError(f"the regulatory limit is 15, 30 or 60 days, not {limit}")
    start = max(received_on, restarted_on) if restarted_on is not None else received_on
    if withdrawn_on is not None:
        return Due(REGULATORY, start, limit, None,
                   stopped=_("投诉人已于 {day} 撤回投诉，计时终止。").format(day=withdrawn_on.isoformat()))
    live = [p for p in pauses if p.end is None or p.end > start]
    notes: list[DayNote] = []
    day, count = start, 0
    for _step in range(_MAX_SPAN):
        if count == limit:
            if roll:
                return _rolled(Due(REGULATORY, start, limit, day, notes=tuple(notes)), overrides)
            return Due(REGULATORY, start, limit, day, notes=tuple(notes), lands_on=_kind_label(day, overrides))
        day += timedelta(days=1)
        pause = _paused(day, live)
        if pause is not None:
            if pause.end is None:
                return Due(REGULATORY, start, limit, None, notes=tuple(notes), stopped=_(
                    "自 {day} 起因{reason}暂停计时，尚未恢复：已计 {n} 天，恢复后再数余下 {left} 天。").format(
                    day=pause.start.isoformat(), reason=PAUSE_REASONS.get(pause.reason, pause.reason),
                    n=count, left=limit - count))
            notes.append(DayNote(day, None, _("暂停计时：{reason}").format(
                reason=PAUSE_REASONS.get(pause.reason, pause.reason))))
            continue
        count += 1
        notes.append(DayNote(day, count, _("自然日")))
    raise ValueError("a regulatory deadline beyond any calendar")


def _rolled(due: Due, overrides: Overrides | None) -> Due:
    """``due`` moved to the next working day if it falls on a weekend or holiday."""
    day = due.due
    assert day is not None
    working, why, warning = _working_day(day, overrides)
    if working:
        return replace(due, lands_on=workdays.DAY_KINDS[workdays.WORKDAY], provisional=bool(warning),
                       warning=warning)
    warnings = [warning] if warning else []
    target = day
    for _step in range(_MAX_SPAN):
        target += timedelta(days=1)
        target_working, _why, target_warning = _working_day(target, overrides)
        if target_warning:
            warnings.append(target_warning)
        if target_working:
            return replace(due, due=target, lands_on=workdays.DAY_KINDS[workdays.WORKDAY], rolled_from=day,
                           rolled_why=why, provisional=bool(warnings), warning=_first(warnings))
    raise ValueError("no working day after a regulatory deadline")


def _kind_label(day: date, overrides: Overrides | None) -> str:
    working, why, warning = _working_day(day, overrides)
    if warning:
        return _("节假日安排未收录")
    if working:
        return workdays.DAY_KINDS[workdays.WORKDAY]
    return why


def effective(*clocks: Due | None) -> Due | None:
    """The clock that falls due first (the one the ticket is judged by)."""
    known = [c for c in clocks if c is not None and c.due is not None]
    return min(known, key=lambda c: c.due) if known else None  # type: ignore[arg-type, return-value]


def due_soon_until(today: date, overrides: Overrides | None = None) -> date:
    """The last due date that counts as "due soon" on ``today``: 1 working day left.

    A year the calendar does not know is counted Monday to Friday here too.
    """
    day = today
    for _step in range(_MAX_SPAN):
        day += timedelta(days=1)
        if _working_day(day, overrides)[0]:
            return day
    raise ValueError("no working day ahead")
