"""The administrator's holiday calendar: a year's State Council notice typed in before the
program's calendar library knows that year.

Why: chinesecalendar knows a year only once a release carries its notice (published around
November for the next year); until then every deadline reaching into that year is provisional
(``complaint_deadlines``). The administrator types the notice in — each day off and each make-up
working day — as ranges (``2027-02-06~2027-02-12 休 春节``, ``2027-02-14 班 春节``) or a CSV of the same
(``2027-01-01,休,元旦``). A year with any day typed in counts as known: its other days follow the
plain rule (Monday to Friday working days). A day of a year the library knows may be typed in too
(a branch's own change); it then overrides the library for that day only.

Every change recomputes the deadlines of the tickets still open, in the same transaction, and
goes into the audit trail with the days changed and the tickets it moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from frontdesk.db.models import HolidayDay
from frontdesk.errors import ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, kit, session, workdays
from frontdesk.services.validation import EARLIEST_DAY, LATEST_DAY

HOLIDAY, WORKDAY = workdays.HOLIDAY, workdays.WORKDAY
KINDS: dict[str, str] = {HOLIDAY: _("休"), WORKDAY: _("班")}
_KIND_WORDS = {"休": HOLIDAY, "放假": HOLIDAY, "holiday": HOLIDAY, "班": WORKDAY, "上班": WORKDAY,
               "调休上班": WORKDAY, "workday": WORKDAY}
MAX_NAME, MAX_SOURCE, MAX_SPAN = 40, 60, 31
_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|至|--)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*[,，\s]\s*([^\s,，]+)\s*[,，\s]?\s*(.*)$")


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    kind: str
    name: str = ""
    source: str = ""


@dataclass(frozen=True)
class Change:
    """What a change of the calendar did: days written or removed, open tickets moved."""

    days: int
    tickets_moved: int


def parse(text: str) -> list[HolidayEntry]:
    """The days of a notice typed as lines; a ``ValidationError`` on ``text`` naming the line."""
    found: dict[date, HolidayEntry] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        problem = _("第 {n} 行无法识别：“{line}”。格式如：2027-02-06~2027-02-12 休 春节，或 2027-02-14 班 春节。")
        if match is None:
            raise ValidationError.single("text", problem.format(n=number, line=line))
        first_text, last_text, word, name = match.groups()
        kind = _KIND_WORDS.get(word.strip().lower())
        if kind is None:
            raise ValidationError.single("text", problem.format(n=number, line=line))
        try:
            first = date.fromisoformat(_padded(first_text))
            last = date.fromisoformat(_padded(last_text)) if last_text else first
        except ValueError:
            raise ValidationError.single("text", _("第 {n} 行的日期不存在：“{line}”。").format(
                n=number, line=line)) from None
        if last < first or (last - first).days >= MAX_SPAN or not EARLIEST_DAY <= first <= LATEST_DAY \
                or not EARLIEST_DAY <= last <= LATEST_DAY:
            raise ValidationError.single("text", _("第 {n} 行的日期范围不正确（一段最多 {m} 天）：“{line}”。").format(
                n=number, m=MAX_SPAN, line=line))
        name = name.strip()[:MAX_NAME]
        day = first
        while day <= last:
            found[day] = HolidayEntry(day, kind, name)
            day += timedelta(days=1)
    if not found:
        raise ValidationError.single("text", _("请输入节假日安排（每行一段日期）。"))
    return sorted(found.values(), key=lambda e: e.day)


def _padded(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


@kit.exempt("a building block: read inside the caller's query or command, which checked the role")
def load_overrides() -> dict[date, str]:
    """The table as ``workdays`` takes it. A year the library does not know but the table names
    is filled in whole: the days not typed in follow Monday to Friday."""
    rows = list(HolidayDay.select())
    result: dict[date, str] = {}
    for year in {_as_date(r.day).year for r in rows}:
        if workdays.is_known(date(year, 7, 1)):
            continue
        day = date(year, 1, 1)
        while day.year == year:
            result[day] = workdays.WORKDAY if day.weekday() < 5 else (
                workdays.SATURDAY if day.weekday() == 5 else workdays.SUNDAY)
            day += timedelta(days=1)
    for r in rows:
        result[_as_date(r.day)] = r.kind
    return result


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@kit.query(None)
def entries() -> list[HolidayEntry]:
    return [HolidayEntry(_as_date(r.day), r.kind, r.name, r.source)
            for r in HolidayDay.select().order_by(HolidayDay.day)]


@kit.query(None)
def unknown_years(today: date) -> list[int]:
    """This year and the next if neither the library nor the table knows them (to warn ahead)."""
    known = {e.year for e in load_overrides()}
    return [y for y in (today.year, today.year + 1) if y not in known and not workdays.is_known(date(y, 7, 1))]


@kit.command(session.MANAGE_SETTINGS)
def import_days(text: str, source: str = "") -> Change:
    """Write the days of a notice (a day typed again is replaced) and recompute open tickets."""
    days = parse(text)
    source = (source or _("管理员录入")).strip()[:MAX_SOURCE]
    HolidayDay.delete().where(HolidayDay.day.in_([e.day for e in days])).execute()
    HolidayDay.insert_many([{"day": e.day, "kind": e.kind, "name": e.name, "source": source} for e in days]).execute()
    moved = _recompute()
    audit.record("holidays", entity="holiday_day", detail=_(
        "节假日安排：写入 {n} 天（{first} 至 {last}，来源：{source}）；重新计算时限的工单 {m} 张").format(
        n=len(days), first=days[0].day.isoformat(), last=days[-1].day.isoformat(), source=source, m=moved))
    return Change(len(days), moved)


@kit.command(session.MANAGE_SETTINGS)
def remove_year(year: int) -> Change:
    """Remove every day typed in for ``year`` and recompute open tickets."""
    query = HolidayDay.delete().where((HolidayDay.day >= date(year, 1, 1)) & (HolidayDay.day <= date(year, 12, 31)))
    removed = query.execute()
    moved = _recompute()
    audit.record("holidays", entity="holiday_day", detail=_(
        "节假日安排：删除 {year} 年的 {n} 天；重新计算时限的工单 {m} 张").format(year=year, n=removed, m=moved))
    return Change(removed, moved)


def _recompute() -> int:
    from frontdesk.services import complaints  # complaints reads this module's table

    return complaints.recompute_open_deadlines()
