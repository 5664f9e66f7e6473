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
def load_overrides() -> workdays.TableCalendar:
    """The table as ``workdays`` takes it: it knows each year it has a row in, the days not in it
    following Monday to Friday, and no other year (the library is not read)."""
    rows = list(HolidayDay.select(HolidayDay.day, HolidayDay.kind, HolidayDay.name))
    return workdays.TableCalendar({_as_date(r.day): r.kind for r in rows},
                                  {_as_date(r.day): r.name for r in rows if r.name})


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@kit.query(None)
def entries() -> list[HolidayEntry]:
    return [HolidayEntry(_as_date(r.day), r.kind, r.name, r.source)
            for r in HolidayDay.select().order_by(HolidayDay.day)]


@kit.query(None)
def unknown_years(today: date) -> list[int]:
    """This year and the next if neither the library nor the table knows them (to warn ahead)."""
    known = load_overrides().years
    return [y for y in (today.year, today.year + 1) if y not in known]


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


@kit.command(session.MANAGE_SETTINGS)
def remove_days(first: date, last: date) -> Change:
    """Remove the days from ``first`` to ``last`` (typed or copied from the library): a removed day
    of a year the table still knows is a plain weekday or weekend day. Open tickets are recomputed."""
    if last < first:
        first, last = last, first
    removed = HolidayDay.delete().where((HolidayDay.day >= first) & (HolidayDay.day <= last)).execute()
    moved = _recompute()
    audit.record("holidays", entity="holiday_day", detail=_(
        "节假日安排：删除 {first} 至 {last} 的 {n} 天；重新计算时限的工单 {m} 张").format(
        first=first.isoformat(), last=last.isoformat(), n=removed, m=moved))
    return Change(removed, moved)


def library_days(skip_years: frozenset[int] = frozenset()) -> tuple[str, list[HolidayEntry]]:
    """The source name and the days the installed ``chinesecalendar`` marks as holidays or make-up
    working days, of the years not in ``skip_years`` (Chinese festival names)."""
    from importlib.metadata import version

    import chinese_calendar

    from frontdesk.services.complaint_deadlines import festival_name

    source = f"chinesecalendar {version('chinesecalendar')}"[:MAX_SOURCE]
    found = {d: HolidayEntry(d, HOLIDAY, festival_name(n), source) for d, n in chinese_calendar.holidays.items()}
    found.update({d: HolidayEntry(d, WORKDAY, festival_name(n), source) for d, n in chinese_calendar.workdays.items()})
    return source, [e for d, e in sorted(found.items()) if d.year not in skip_years]


@kit.command(session.MANAGE_SETTINGS)
def fill_from_library() -> Change:
    """从日历库补充: copy the years the installed library knows and the table lacks (a release
    knowing next year, say); the years the table has are left as they are. Open tickets recomputed."""
    source, days = library_days(load_overrides().years)
    if not days:
        return Change(0, 0)
    HolidayDay.insert_many([{"day": e.day, "kind": e.kind, "name": e.name, "source": e.source}
                            for e in days]).execute()
    moved = _recompute()
    years = sorted({e.day.year for e in days})
    audit.record("holidays", entity="holiday_day", detail=_(
        "节假日安排：从日历库（{source}）补充 {years} 年的 {n} 天；重新计算时限的工单 {m} 张").format(
        source=source, years="、".join(map(str, years)), n=len(days), m=moved))
    return Change(len(days), moved)
