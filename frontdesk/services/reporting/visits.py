"""The visitor register's section of the daily and monthly reports, and its detail sheets.

Qmatic's queue reports are the anchor (arrived, served, left, average and worst wait and
transaction time, share above the standard, per interval); Chinese halls add the workload per
staff member and per counter, the 一次性告知 papers and the surrender retention. Every figure is
``services/figures``'s; this module only arranges them.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import ListItem, Visit
from frontdesk.i18n import _
from frontdesk.reports import (
    BarChart,
    CategoryRange,
    Column,
    Columns,
    DetailSheet,
    KeyFigure,
    KeyFigures,
    Kind,
    LineChart,
    Note,
    ReferenceLine,
    ReportKind,
    Section,
    Series,
    Standard,
    Table,
)
from frontdesk.services import care, figures, kit, session, slips, workdays
from frontdesk.services.fields import mask_phone
from frontdesk.services.reporting import Period, register
from frontdesk.services.visitors import (
    OUTCOMES,
    RETENTION,
    SPECIAL_NEEDS,
    STATUSES,
    SURRENDER_REASONS,
)

KEY = "visits"


@dataclass(frozen=True)
class VisitLine:
    """One live visit with what the reports show of it (phone masked)."""

    facts: figures.VisitFacts
    ticket_no: str
    customer_name: str
    phone_masked: str
    business_type: str
    destination: str
    vip: bool
    documents_complete: bool
    missing_documents: tuple[str, ...]
    surrender_reason: str | None
    retention: str | None
    outcome: str | None
    served_by: str
    notes: str


@kit.query(session.VIEW_REPORTS)
def load_lines(first: date, last: date) -> list[VisitLine]:
    """The live (not voided) visits that arrived from ``first`` to ``last``, oldest first."""
    business = ListItem.alias()
    destination = ListItem.alias()
    start = datetime.combine(first, time.min)
    end = datetime.combine(last, time.min) + timedelta(days=1)
    query = (
        Visit.select(
            Visit.id, Visit.arrived_at, Visit.status, Visit.called_at, Visit.finished_at,
            Visit.business_type, Visit.destination, Visit.special_needs, Visit.ticket_no,
            Visit.customer_name, Visit.phone, business.label, destination.label, Visit.vip,
            Visit.documents_complete, Visit.missing_documents, Visit.surrender_reason,
            Visit.retention, Visit.outcome, Visit.served_by, Visit.notes)
        .join(business, on=(Visit.business_type == business.id))
        .switch(Visit)
        .join(destination, on=(Visit.destination == destination.id))
        .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null())
        .order_by(Visit.arrived_at, Visit.id)
        .tuples()
    )
    lines = []
    for (vid, arrived, status, called, finished, bt, dest, needs, ticket, name, phone, bt_label,
         dest_label, vip, complete, missing, reason, retention, outcome, served_by, notes) in query:
        facts = figures.VisitFacts(vid, arrived, status, called, finished, bt, dest, int(needs or 0),
                                   outcome=outcome)
        lines.append(VisitLine(
            facts, ticket or "", name or "", mask_phone(phone or ""), bt_label, dest_label, bool(vip),
            bool(complete), tuple(p for p in (missing or "").splitlines() if p.strip()), reason,
            retention, outcome, served_by or "", notes or ""))
    return lines


def _minutes(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=round(value * 60))


def _standard(minutes: float) -> Standard:
    return Standard(timedelta(minutes=minutes))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _hour_label(hour: int) -> str:
    return f"{hour}时"


def _peak_ranges(period: Period, hours: Sequence[int]) -> list[CategoryRange]:
    """The peak periods as ranges of the hour bars they cover."""
    ranges = []
    for start, end in period.standards.peak_periods:
        covered = [h for h in hours if start.hour <= h < (end.hour if end.minute == 0 else end.hour + 1)]
        if covered:
            ranges.append(CategoryRange(_hour_label(covered[0]), _hour_label(covered[-1]), _("高峰")))
    return ranges


def _opening_hours(period: Period, lines: Iterable[VisitLine]) -> list[int]:
    """The hours shown on the by-hour chart: the opening hours, widened to any visit outside."""
    first = period.branch.opening_time.hour
    last = max(first, period.branch.closing_time.hour - (period.branch.closing_time.minute == 0))
    seen = [line.facts.arrived_at.hour for line in lines]
    return list(range(min([first, *seen]), max([last, *seen]) + 1))


def _counted(labels: Iterable[str], total: int) -> list[tuple[str, int, float | None]]:
    return [(label, n, _share(n, total)) for label, n in Counter(labels).most_common()]


def _key_figures(period: Period, fig: figures.VisitFigures, lines: list[VisitLine]) -> KeyFigures:
    std = period.standards
    return KeyFigures([
        KeyFigure(_("来访人数"), fig.visits, unit=_("人")),
        KeyFigure(_("已叫号（办理）"), fig.called, unit=_("人")),
        KeyFigure(_("未办理离开"), fig.left_before_called, unit=_("人")),
        KeyFigure(_("已分流（自助/线上/他处）"), fig.diverted, unit=_("人")),
        KeyFigure(_("现场解答"), fig.answered_on_spot, unit=_("人")),
        KeyFigure(_("平均等候"), _minutes(fig.average_wait), Kind.MINUTES, standard=_standard(std.wait_minutes)),
        KeyFigure(_("高峰平均等候"), _minutes(fig.peak_average_wait), Kind.MINUTES,
                  standard=_standard(std.peak_wait_minutes)),
        KeyFigure(_("最长等候"), _minutes(fig.worst_wait), Kind.MINUTES),
        KeyFigure(_("等候超过 {n} 分钟占比").format(n=std.wait_minutes), fig.share_over_wait, Kind.PERCENT),
        KeyFigure(_("等候超过 {n} 分钟占比").format(n=std.peak_wait_minutes), fig.share_over_peak_wait,
                  Kind.PERCENT),
        KeyFigure(_("平均办理时长"), _minutes(fig.average_service), Kind.MINUTES),
        KeyFigure(_("办理 {n} 分钟内完成占比").format(n=std.service_minutes), fig.service_compliance,
                  Kind.PERCENT),
        KeyFigure(_("特殊客户（优先服务）"), fig.priority, unit=_("人")),
        KeyFigure(_("贵宾客户"), sum(1 for line in lines if line.vip), unit=_("人")),
        KeyFigure(_("发出一次性告知单"), slips.visits_given_slips(period.first, period.last), unit=_("人")),
        *_care_figures(period, lines),
    ])


def _care_figures(period: Period, lines: list[VisitLine]) -> list[KeyFigure]:
    """Of the customers who waited the water standard (seed 003), how many were looked after, and
    how soon: the median minutes from crossing the standard to the first care action."""
    water = period.branch.standards.water_minutes
    facts = [line.facts for line in lines]
    delays = figures.care_delays(facts, care.first_care(period.first, period.last), water)
    return [
        KeyFigure(_("等候满 {n} 分钟").format(n=water), len(figures.waited_for_water(facts, water)), unit=_("人")),
        KeyFigure(_("其中已照护"), len(delays), unit=_("人")),
        KeyFigure(_("满 {n} 分钟后照护用时（中位）").format(n=water), _minutes(statistics.median(delays) if delays else None),
                  Kind.MINUTES),
    ]


def _priority_table(lines: list[VisitLine]) -> Table:
    rows = []
    for bit, label in SPECIAL_NEEDS.values():
        group = [line.facts for line in lines if line.facts.special_needs & bit]
        if group:
            rows.append((label, len(group), _minutes(figures.average_wait(group)),
                         _minutes(figures.worst_wait(group))))
    return Table([Column(_("特殊客户类别")), Column(_("人数"), Kind.INTEGER),
                  Column(_("平均等候（分钟）"), Kind.MINUTES), Column(_("最长等候（分钟）"), Kind.MINUTES)],
                 rows, title=_("特殊客户及其等候"), empty_text=_("无特殊客户"))


def _documents_table(lines: list[VisitLine]) -> Table:
    incomplete = [line for line in lines if not line.documents_complete]
    papers = Counter(p for line in incomplete for p in line.missing_documents)
    rows = [(paper, n) for paper, n in papers.most_common(8)]
    return Table([Column(_("所缺资料（一次性告知）")), Column(_("次数"), Kind.INTEGER)], rows,
                 title=_("资料不全的来访 {n} 人次，最常缺的资料").format(n=len(incomplete)),
                 empty_text=_("无资料不全的来访"))


def _handles_surrenders(lines: list[VisitLine]) -> bool:
    """A hall whose business types include 退保 (an insurer), or a day that had one anyway: a
    bank's daily report has no empty surrender table."""
    if any(line.surrender_reason for line in lines):
        return True
    return (ListItem.select().where(ListItem.kind == "business_type", ListItem.tag == "surrender",
                                    ListItem.active == True).exists())  # noqa: E712


def _surrender_table(lines: list[VisitLine]) -> Table:
    surrenders = [line for line in lines if line.surrender_reason]
    by_reason: dict[str, list[VisitLine]] = defaultdict(list)
    for line in surrenders:
        by_reason[line.surrender_reason or ""].append(line)
    rows = []
    for code, group in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        retained = sum(1 for line in group if line.retention == "retained")
        decided = sum(1 for line in group if line.retention in RETENTION)
        rows.append((SURRENDER_REASONS.get(code, code), len(group), retained, _share(retained, decided)))
    retained = sum(r[2] for r in rows)
    decided = sum(1 for line in surrenders if line.retention in RETENTION)
    totals = (_("合计"), len(surrenders), retained, _share(retained, decided)) if rows else None
    return Table([Column(_("退保原因")), Column(_("人数"), Kind.INTEGER), Column(_("挽留成功"), Kind.INTEGER),
                  Column(_("挽留率"), Kind.PERCENT)], rows, totals=totals, title=_("退保与挽留"),
                 empty_text=_("无退保来访"))


def _workload_table(lines: list[VisitLine]) -> Table:
    served: dict[str, list[figures.VisitFacts]] = defaultdict(list)
    for line in lines:
        if line.facts.called and line.served_by:
            served[line.served_by].append(line.facts)
    rows = [(name, len(group), _minutes(figures.average_service(group)))
            for name, group in sorted(served.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return Table([Column(_("经办人")), Column(_("接待人次"), Kind.INTEGER),
                  Column(_("平均办理（分钟）"), Kind.MINUTES)], rows, title=_("经办人工作量"))


def _counter_table(lines: list[VisitLine]) -> Table:
    by_dest: dict[str, list[figures.VisitFacts]] = defaultdict(list)
    for line in lines:
        by_dest[line.destination].append(line.facts)
    rows = [(dest, len(group), sum(1 for f in group if f.called), _minutes(figures.average_wait(group)))
            for dest, group in sorted(by_dest.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return Table([Column(_("分流去向")), Column(_("来访"), Kind.INTEGER), Column(_("已叫号"), Kind.INTEGER),
                  Column(_("平均等候（分钟）"), Kind.MINUTES)], rows, title=_("按分流去向（窗口工作量）"))


def _comparison_note(period: Period, fig: figures.VisitFigures) -> Note:
    """The same weekday a week before: the hall's own yardstick."""
    before = period.first - timedelta(days=7)
    earlier = figures.summarize(figures.visits_between(before, before), period.standards)
    if not earlier.visits:
        return Note(_("上周同日（{d:%m-%d}）没有来访记录，无可比较。").format(d=before))
    change = (fig.visits - earlier.visits) / earlier.visits
    wait = _("平均等候 {a} 分钟").format(a=f"{earlier.average_wait:.1f}") if earlier.average_wait is not None else ""
    return Note(_("与上周同日（{d:%m-%d}）相比：来访 {n} 人（{sign}{pct:.0%}）{wait}。").format(
        d=before, n=earlier.visits, sign="+" if change >= 0 else "", pct=change,
        wait=("，" + wait) if wait else ""))


class VisitsSection:
    key = KEY
    order = 10

    def daily(self, period: Period) -> Section:
        lines = load_lines(period.first, period.last)
        visits = [line.facts for line in lines]
        fig = figures.summarize(visits, period.standards)
        hours = _opening_hours(period, lines)
        by_hour = fig.by_hour
        by_hour_wait = {h: figures.average_wait([v for v in visits if v.arrived_at.hour == h]) for h in hours}
        total = fig.visits
        # Small tables and the two hourly charts side by side: the day fits one or two pages,
        # leaving room for the other tabs' sections.
        blocks = [
            _key_figures(period, fig, lines),
            _comparison_note(period, fig),
            Columns([
                BarChart(_("分时段来访人数"), [_hour_label(h) for h in hours],
                         [Series(_("来访人数"), [by_hour.get(h, 0) for h in hours])], value_label=_("人数"),
                         marked=_peak_ranges(period, hours)),
                BarChart(_("分时段平均等候"), [_hour_label(h) for h in hours],
                         [Series(_("平均等候"), [None if by_hour_wait[h] is None else round(by_hour_wait[h], 1)
                                                  for h in hours])],
                         value_label=_("分钟"), marked=_peak_ranges(period, hours),
                         reference=ReferenceLine(period.standards.wait_minutes,
                                                 _("标准 {n} 分钟").format(n=period.standards.wait_minutes))),
            ]),
            Columns([
                Table([Column(_("业务类型")), Column(_("人数"), Kind.INTEGER), Column(_("占比"), Kind.PERCENT)],
                      _counted((line.business_type for line in lines), total), title=_("按业务类型")),
                _counter_table(lines),
            ]),
            Columns([_priority_table(lines), _documents_table(lines)]),
            Columns([_workload_table(lines), _surrender_table(lines)]) if _handles_surrenders(lines)
            else _workload_table(lines),
        ]
        return Section(KEY, _("来访与等候"), blocks)

    def monthly(self, period: Period) -> Section:
        lines = load_lines(period.first, period.last)
        visits = [line.facts for line in lines]
        fig = figures.summarize(visits, period.standards)
        by_day: dict[date, list[VisitLine]] = defaultdict(list)
        for line in lines:
            by_day[line.facts.arrived_at.date()].append(line)
        rows, per_day = [], []
        for day in period.days:
            day_lines = by_day.get(day, [])
            day_fig = figures.summarize([line.facts for line in day_lines], period.standards)
            surrenders = [line for line in day_lines if line.surrender_reason]
            retained = sum(1 for line in surrenders if line.retention == "retained")
            decided = sum(1 for line in surrenders if line.retention in RETENTION)
            rows.append((day, day, day_fig.visits, _minutes(day_fig.average_wait), day_fig.share_over_wait,
                         day_fig.left_before_called, len(surrenders), _share(retained, decided)))
            per_day.append(day_fig)
        open_days = [f for f in per_day if f.visits]
        labels = [f"{d.day}日" for d in period.days]
        std = period.standards
        blocks = [
            KeyFigures([
                KeyFigure(_("来访人数"), fig.visits, unit=_("人")),
                KeyFigure(_("营业日日均来访"), round(fig.visits / len(open_days), 1) if open_days else None,
                          Kind.NUMBER, unit=_("人")),
                KeyFigure(_("平均等候"), _minutes(fig.average_wait), Kind.MINUTES,
                          standard=_standard(std.wait_minutes)),
                KeyFigure(_("高峰平均等候"), _minutes(fig.peak_average_wait), Kind.MINUTES,
                          standard=_standard(std.peak_wait_minutes)),
                KeyFigure(_("等候超过 {n} 分钟占比").format(n=std.wait_minutes), fig.share_over_wait, Kind.PERCENT),
                KeyFigure(_("未办理离开"), fig.left_before_called, unit=_("人")),
                KeyFigure(_("已分流（自助/线上/他处）"), fig.diverted, unit=_("人")),
                KeyFigure(_("现场解答"), fig.answered_on_spot, unit=_("人")),
                KeyFigure(_("办理 {n} 分钟内完成占比").format(n=std.service_minutes), fig.service_compliance,
                          Kind.PERCENT),
                KeyFigure(_("特殊客户（优先服务）"), fig.priority, unit=_("人")),
            ]),
            _month_comparison(period, fig),
            LineChart(_("每日来访人数"), labels, [Series(_("来访人数"), [f.visits or None for f in per_day])],
                      value_label=_("人数")),
            LineChart(_("每日平均等候"), labels,
                      [Series(_("平均等候"), [None if f.average_wait is None else round(f.average_wait, 1)
                                               for f in per_day])],
                      value_label=_("分钟"),
                      reference=ReferenceLine(std.wait_minutes, _("标准 {n} 分钟").format(n=std.wait_minutes))),
            LineChart(_("每日等候超过 {n} 分钟占比").format(n=std.wait_minutes), labels,
                      [Series(_("占比（%）"), [None if f.share_over_wait is None else round(f.share_over_wait * 100, 1)
                                             for f in per_day])], value_label="%"),
            Table([Column(_("日期"), Kind.DATE), Column(_("星期"), Kind.WEEKDAY), Column(_("来访"), Kind.INTEGER),
                   Column(_("平均等候（分钟）"), Kind.MINUTES), Column(_("超 {n} 分钟占比").format(n=std.wait_minutes),
                                                                  Kind.PERCENT),
                   Column(_("未办理离开"), Kind.INTEGER), Column(_("退保"), Kind.INTEGER),
                   Column(_("挽留率"), Kind.PERCENT)],
                  [r for r in rows if r[2]], title=_("每日明细（营业日）"),
                  totals=(_("合计"), None, fig.visits, _minutes(fig.average_wait), fig.share_over_wait,
                          fig.left_before_called, sum(r[6] for r in rows), None)),
            Table([Column(_("业务类型")), Column(_("人数"), Kind.INTEGER), Column(_("占比"), Kind.PERCENT)],
                  _counted((line.business_type for line in lines), fig.visits), title=_("业务构成")),
            _hourly_profile(period, lines),
            _workload_table(lines),
            _surrender_table(lines),
        ]
        return Section(KEY, _("来访与等候"), blocks)

    def details(self, period: Period) -> Sequence[DetailSheet]:
        if period.kind is ReportKind.MONTHLY:
            return []  # the per-day table is on the summary; a month's visits go to the daily sheets
        return [detail_sheet(load_lines(period.first, period.last))]


def _month_comparison(period: Period, fig: figures.VisitFigures) -> Note:
    previous_last = period.first - timedelta(days=1)
    previous_first = previous_last.replace(day=1)
    try:
        last_year_first = period.first.replace(year=period.first.year - 1)
        last_year_last = period.last.replace(year=period.last.year - 1, day=1)
        last_year_last = (last_year_last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    except ValueError:
        last_year_first = last_year_last = None
    parts = []
    for label, first, last in ((_("上月"), previous_first, previous_last),
                               (_("去年同月"), last_year_first, last_year_last)):
        if first is None or last is None:
            continue
        other = figures.summarize(figures.visits_between(first, last), period.standards)
        if not other.visits:
            parts.append(_("{label}无记录").format(label=label))
            continue
        change = (fig.visits - other.visits) / other.visits
        wait = f"，平均等候 {other.average_wait:.1f} 分钟" if other.average_wait is not None else ""
        parts.append(_("{label}来访 {n} 人（本月{sign}{pct:.0%}）{wait}").format(
            label=label, n=other.visits, sign="+" if change >= 0 else "", pct=change, wait=wait))
    return Note(_("比较：") + "；".join(parts) + "。")


def _hourly_profile(period: Period, lines: list[VisitLine]) -> BarChart:
    """Visitors per arrival hour, averaged over the month's working days."""
    working = {d for d in period.days if _is_working(d)}
    counts = Counter(line.facts.arrived_at.hour for line in lines if line.facts.arrived_at.date() in working)
    hours = _opening_hours(period, lines)
    days = len({line.facts.arrived_at.date() for line in lines} & working) or 1
    return BarChart(_("工作日分时段平均来访"), [_hour_label(h) for h in hours],
                    [Series(_("平均来访"), [round(counts.get(h, 0) / days, 1) for h in hours])],
                    value_label=_("人数"), marked=_peak_ranges(period, hours))


def _is_working(day: date) -> bool:
    try:
        return workdays.is_working_day(day)
    except workdays.CalendarUnknownError:
        return day.weekday() < 5


DETAIL_COLUMNS = (
    Column(_("到达时间"), Kind.DATETIME), Column(_("票号")), Column(_("客户称呼")), Column(_("电话")),
    Column(_("业务类型")), Column(_("分流去向")), Column(_("特殊客户")), Column(_("贵宾")),
    Column(_("资料齐全")), Column(_("所缺资料")), Column(_("退保原因")), Column(_("挽留")),
    Column(_("状态")), Column(_("叫号时间"), Kind.DATETIME), Column(_("办结时间"), Kind.DATETIME),
    Column(_("等候（分钟）"), Kind.MINUTES), Column(_("办理（分钟）"), Kind.MINUTES),
    Column(_("结果")), Column(_("经办人")), Column(_("备注")),
)


def detail_sheet(lines: list[VisitLine]) -> DetailSheet:
    """Every live visit with every column (phones masked)."""
    rows = []
    for line in lines:
        f = line.facts
        needs = "、".join(label for bit, label in SPECIAL_NEEDS.values() if f.special_needs & bit)
        rows.append((
            f.arrived_at, line.ticket_no, line.customer_name, line.phone_masked, line.business_type,
            line.destination, needs, _("是") if line.vip else "", _("是") if line.documents_complete else _("否"),
            "、".join(line.missing_documents), SURRENDER_REASONS.get(line.surrender_reason or "", ""),
            RETENTION.get(line.retention or "", ""), STATUSES.get(f.status, f.status), f.called_at,
            f.finished_at, _minutes(f.wait_minutes), _minutes(f.service_minutes),
            OUTCOMES.get(line.outcome or "", ""), line.served_by, line.notes,
        ))
    return DetailSheet(_("来访明细"), DETAIL_COLUMNS, rows)


register(VisitsSection())
