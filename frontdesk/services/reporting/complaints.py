"""The complaint tickets' section of the daily and monthly reports, and their detail sheet.

Figures are pure functions over ``ComplaintRow``s, so a test counts the same thing by hand.
Definitions (PRODUCT.md, "Figure definitions"):

- **received** on a day: tickets whose receipt falls on it; **resolved on the spot** among them;
- **closed** on a day: closed by the duty manager, withdrawn or merged into another ticket that day;
- **open** at the end of a day: received by then and not yet closed or withdrawn;
- **overdue** on a day: open, not replied by the end of the day, its deadline (the earlier of the
  two clocks) before the day; **due soon**: due that day or on the next working day;
- **replied late**: replied after its deadline;
- **deadline compliance** of a period, per clock: of the complaints (kind 投诉;
  not withdrawn, not merged into another ticket) whose deadline on that clock fell in the period,
  those replied on or before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.i18n import _
from frontdesk.reports import (
    Column,
    Columns,
    DetailSheet,
    KeyFigure,
    KeyFigures,
    Kind,
    ReportKind,
    Section,
    Table,
)
from frontdesk.services import complaint_deadlines as dl
from frontdesk.services import complaints as cs
from frontdesk.services import holidays
from frontdesk.services.complaints import ComplaintRow
from frontdesk.services.reporting import Period, register

KEY = "complaints"


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min)


def received_on(rows: Iterable[ComplaintRow], first: date, last: date) -> list[ComplaintRow]:
    return [r for r in rows if first <= r.received_at.date() <= last]


def closed_on(rows: Iterable[ComplaintRow], first: date, last: date) -> list[ComplaintRow]:
    return [r for r in rows if r.status in cs.FINISHED and r.closed_at is not None
            and first <= r.closed_at.date() <= last]


def open_at_end(rows: Iterable[ComplaintRow], day: date) -> list[ComplaintRow]:
    end = _end_of(day)
    return [r for r in rows if r.received_at < end and (r.closed_at is None or r.closed_at >= end)]


def _unreplied_at_end(row: ComplaintRow, day: date) -> bool:
    return row.replied_at is None or row.replied_at >= _end_of(day)


def overdue_on(rows: Iterable[ComplaintRow], day: date) -> list[ComplaintRow]:
    return [r for r in open_at_end(rows, day)
            if _unreplied_at_end(r, day) and r.due_on is not None and r.due_on < day]


def due_soon_on(rows: Iterable[ComplaintRow], day: date) -> list[ComplaintRow]:
    soon = dl.due_soon_until(day, holidays.load_overrides())
    return [r for r in open_at_end(rows, day)
            if _unreplied_at_end(r, day) and r.due_on is not None and day <= r.due_on <= soon]


def replied_late_on(rows: Iterable[ComplaintRow], first: date, last: date) -> list[ComplaintRow]:
    return [r for r in rows if r.replied_at is not None and first <= r.replied_at.date() <= last
            and r.replied_late()]


@dataclass(frozen=True)
class Compliance:
    due: int  # complaints whose deadline on this clock fell in the period
    on_time: int  # … replied on or before it

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def compliance(rows: Iterable[ComplaintRow], first: date, last: date, clock: str) -> Compliance:
    due = on_time = 0
    for r in rows:
        if r.kind != cs.COMPLAINT or r.status in (cs.WITHDRAWN, cs.MERGED):
            continue
        deadline = r.internal_due if clock == dl.INTERNAL else r.regulatory_due
        if deadline is None or not first <= deadline <= last:
            continue
        due += 1
        if r.replied_at is not None and r.replied_at.date() <= deadline:
            on_time += 1
    return Compliance(due, on_time)


def _load(period: Period) -> list[ComplaintRow]:
    return cs.rows_received_before(_end_of(period.last))


def _counted(labels: dict[str, str], codes: Iterable[str | None], title: str, header: str) -> Table:
    counts = Counter(c for c in codes if c)
    rows = [(labels.get(code, code), counts[code]) for code in labels if counts[code]]
    rows += [(code, n) for code, n in counts.items() if code not in labels]
    return Table([Column(header), Column(_("件数"), Kind.INTEGER)], rows,
                 totals=(_("合计"), sum(counts.values())) if rows else None, title=title)


def _categories() -> dict[str, str]:
    """The categories in the list's order (a ticket's label not in the list comes after)."""
    return {label: label for label in cs.categories(include_inactive=True)}


class ComplaintsSection:
    key = KEY
    order = 20

    def daily(self, period: Period) -> Section:
        rows = _load(period)
        day = period.first
        new = received_on(rows, day, day)
        by_kind_channel = Counter((r.kind, r.channel) for r in new)
        table_rows = [(cs.KINDS[k], cs.CHANNELS.get(c, c), n) for (k, c), n in sorted(by_kind_channel.items())]
        blocks = [
            KeyFigures([
                KeyFigure(_("新受理"), len(new), unit=_("件")),
                KeyFigure(_("当场解决"), sum(1 for r in new if r.on_the_spot), unit=_("件")),
                KeyFigure(_("办结"), len(closed_on(rows, day, day)), unit=_("件")),
                KeyFigure(_("未办结（日终）"), len(open_at_end(rows, day)), unit=_("件")),
                KeyFigure(_("即将到期"), len(due_soon_on(rows, day)), unit=_("件")),
                KeyFigure(_("已逾期"), len(overdue_on(rows, day)), unit=_("件"), standard=None,
                          met=not overdue_on(rows, day)),
                KeyFigure(_("逾期答复"), len(replied_late_on(rows, day, day)), unit=_("件")),
                KeyFigure(_("重大投诉"), sum(1 for r in new if r.major), unit=_("件")),
            ]),
            Columns([
                Table([Column(_("类型")), Column(_("渠道")), Column(_("件数"), Kind.INTEGER)], table_rows,
                      totals=(_("合计"), "", len(new)) if table_rows else None, title=_("新受理：按类型和渠道"),
                      empty_text=_("当日无新受理工单")),
                _counted(_categories(), (r.category for r in new), _("新受理：按类别"), _("类别")),
            ]),
        ]
        return Section(KEY, _("投诉与意见"), blocks)

    def monthly(self, period: Period) -> Section:
        rows = _load(period)
        first, last = period.first, period.last
        new = received_on(rows, first, last)
        per_day = [(d, d, len(received_on(rows, d, d)), len(closed_on(rows, d, d)),
                    len(replied_late_on(rows, d, d)), len(overdue_on(rows, d))) for d in period.days]
        internal = compliance(rows, first, last, dl.INTERNAL)
        regulatory = compliance(rows, first, last, dl.REGULATORY)
        closed = closed_on(rows, first, last)
        blocks = [
            KeyFigures([
                KeyFigure(_("新受理"), len(new), unit=_("件")),
                KeyFigure(_("当场解决"), sum(1 for r in new if r.on_the_spot), unit=_("件")),
                KeyFigure(_("办结"), len(closed), unit=_("件")),
                KeyFigure(_("内部时限达标率（{n} 件到期）").format(n=internal.due), internal.rate, Kind.PERCENT),
                KeyFigure(_("监管时限达标率（{n} 件到期）").format(n=regulatory.due), regulatory.rate, Kind.PERCENT),
                KeyFigure(_("未办结（月末）"), len(open_at_end(rows, last)), unit=_("件")),
            ]),
            Table([Column(_("日期"), Kind.DATE), Column(_("星期"), Kind.WEEKDAY), Column(_("新受理"), Kind.INTEGER),
                   Column(_("办结"), Kind.INTEGER), Column(_("逾期答复"), Kind.INTEGER),
                   Column(_("逾期未答复"), Kind.INTEGER)], per_day, title=_("每日工单")),
            _counted(_categories(), (r.category for r in new), _("按类别"), _("类别")),
            _counted(cs.MOTIVES, (r.motive for r in new), _("客户诉求心态"), _("心态")),
            _counted(cs.VALIDITY, (r.validity for r in closed), _("办结工单：有效性"), _("有效性")),
            _counted(cs.SATISFACTION, (r.satisfaction for r in closed), _("办结工单：满意度"), _("满意度")),
        ]
        return Section(KEY, _("投诉与意见"), blocks)

    def details(self, period: Period) -> Sequence[DetailSheet]:
        rows = received_on(_load(period), period.first, period.last)
        if period.kind is ReportKind.DAILY and not rows:
            return []
        return [detail_sheet(rows)]


DETAIL_COLUMNS = (
    Column(_("编号"), Kind.INTEGER), Column(_("受理时间"), Kind.DATETIME), Column(_("类型")), Column(_("渠道")),
    Column(_("类别")), Column(_("客户")), Column(_("电话")), Column(_("首问负责人")), Column(_("处理人")),
    Column(_("状态")), Column(_("内部时限"), Kind.DATE), Column(_("监管时限"), Kind.DATE),
    Column(_("答复时间"), Kind.DATETIME), Column(_("逾期答复")), Column(_("满意度")), Column(_("有效性")),
)


def detail_sheet(rows: list[ComplaintRow]) -> DetailSheet:
    """Every ticket of the period (phones masked), with both deadlines and whether it was late."""
    lines = []
    for r in rows:
        late = r.replied_late()
        lines.append((
            r.id, r.received_at, cs.KINDS.get(r.kind, r.kind), cs.CHANNELS.get(r.channel, r.channel),
            r.category, r.customer_name, r.phone_masked, r.first_contact, r.handler,
            cs.STATUSES.get(r.status, r.status), r.internal_due, r.regulatory_due, r.replied_at,
            "" if late is None else (_("是") if late else _("否")),
            cs.SATISFACTION.get(r.satisfaction or "", ""), cs.VALIDITY.get(r.validity or "", ""),
        ))
    return DetailSheet(_("投诉工单明细"), DETAIL_COLUMNS, lines)


register(ComplaintsSection())
