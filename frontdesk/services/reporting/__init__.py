"""The daily and monthly reports (日报 / 月报), assembled as sections from the services' data.

Why sections: the visitor register contributes its figures today; the complaints, inspections
and meetings tabs each add their own section tomorrow. Each contributor is a ``SectionBuilder``
registered once (``register``); ``daily_report`` and ``monthly_report`` ask every builder in turn
and put what they return into one ``frontdesk.reports.Report`` — plain data that
``frontdesk.reports`` writes as PDF or Excel without knowing where it came from. A new tab adds
one builder module and one ``register`` call; nothing else changes.

Every figure comes from ``services/figures`` (the definitions of PRODUCT.md), so a report never
disagrees with the screens. Phones are masked in every report; names are shown as entered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from frontdesk.db.models import AuditEntry, Visit
from frontdesk.i18n import _
from frontdesk.reports import DetailSheet, Report, ReportKind, Section
from frontdesk.services import audit, clock, figures, kit, session, settings, workdays
from frontdesk.services.settings import BranchSettings

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class Period:
    """What a report covers, and what every section builder needs to know about it."""

    kind: ReportKind
    first: date
    last: date
    branch: BranchSettings
    standards: figures.Standards

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def label(self) -> str:
        if self.kind is ReportKind.MONTHLY:
            return _("{y}年{m}月").format(y=self.first.year, m=self.first.month)
        return _("{d.year}年{d.month}月{d.day}日 {weekday}（{kind}）").format(
            d=self.first, weekday=WEEKDAYS[self.first.weekday()], kind=day_kind_label(self.first))


def day_kind_label(day: date) -> str:
    """工作日 / 周六 / 周日 / 法定节假日, or 日历未收录 for a year the official calendar does not know."""
    try:
        return workdays.DAY_KINDS[workdays.day_kind(day)]
    except workdays.CalendarUnknownError:
        return _("节假日安排未收录")


class SectionBuilder(Protocol):
    """One tab's part of the reports: a section for a day and for a month, and detail sheets."""

    key: str
    order: int  # place in the report: the register 10, complaints 20, inspections 30, meetings 40

    def daily(self, period: Period) -> Section | None: ...

    def monthly(self, period: Period) -> Section | None: ...

    def details(self, period: Period) -> Sequence[DetailSheet]: ...


_BUILDERS: dict[str, SectionBuilder] = {}


def register(builder: SectionBuilder) -> None:
    """Add ``builder`` to every report from now on (a second registration of its key replaces it)."""
    _BUILDERS[builder.key] = builder


def builders() -> list[SectionBuilder]:
    _load_builtin()
    return sorted(_BUILDERS.values(), key=lambda b: (b.order, b.key))


def _load_builtin() -> None:
    from frontdesk.services.reporting import complaints, inspections, meetings, visits  # noqa: F401 - register themselves


def _standards(branch: BranchSettings) -> figures.Standards:
    st = branch.standards
    return figures.Standards(st.wait_minutes, st.peak_wait_minutes, st.service_minutes, st.peak_periods)


def _assemble(kind: ReportKind, first: date, last: date, actor: session.Actor) -> Report:
    branch = settings.load()
    period = Period(kind, first, last, branch, _standards(branch))
    sections, details = [], []
    for builder in builders():
        made = builder.daily(period) if kind is ReportKind.DAILY else builder.monthly(period)
        if made is not None:
            sections.append(made)
        details.extend(builder.details(period))
    return Report(
        kind=kind,
        title=_("营业厅日报") if kind is ReportKind.DAILY else _("营业厅月报"),
        branch=branch.branch_name,
        period=period.label(),
        generated_by=actor.display_name or actor.username,
        generated_at=clock.now(),
        sections=sections,
        details=details,
        signature=True,
        first_day=first,
    )


REPORT = session.VIEW_REPORTS


@kit.query(REPORT)
def daily_report(actor: session.Actor, day: date) -> Report:
    """The daily report of ``day`` (the duty manager's 日报)."""
    return _assemble(ReportKind.DAILY, day, day, actor)


@kit.query(REPORT)
def monthly_report(actor: session.Actor, year: int, month: int) -> Report:
    """The monthly report of ``year``-``month`` (seed 001: due by the 3rd of the next month)."""
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return _assemble(ReportKind.MONTHLY, first, last, actor)


def default_day(today: date | None = None) -> date:
    """Yesterday: the day a report is usually made for."""
    return (today or clock.today()) - timedelta(days=1)


def default_month(today: date | None = None) -> tuple[int, int]:
    """Last month."""
    first = (today or clock.today()).replace(day=1) - timedelta(days=1)
    return first.year, first.month


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(report: Report, first: date, suffix: str) -> str:
    """``日报-<网点>-2026-11-20.pdf`` / ``月报-<网点>-2026-11.xlsx``: safe on every file system."""
    branch = _UNSAFE.sub("_", report.branch).strip() or _("网点")
    if report.kind is ReportKind.MONTHLY:
        return f"{_('月报')}-{branch}-{first:%Y-%m}{suffix}"
    return f"{_('日报')}-{branch}-{first:%Y-%m-%d}{suffix}"


def target_path(target: Path, report: Report, first: date, suffix: str) -> Path:
    """A folder gets the standard file name; a file name is taken as given."""
    return target / file_name(report, first, suffix) if target.is_dir() else target


def period_key(kind: ReportKind, first: date) -> int:
    """How the audit trail names a report's period: 20261118 for a day, 202611 for a month."""
    return first.year * 100 + first.month if kind is ReportKind.MONTHLY else \
        (first.year * 100 + first.month) * 100 + first.day


def _report_key(report: Report) -> int | None:
    return None if report.first_day is None else period_key(report.kind, report.first_day)


@kit.command(REPORT)
def record_export(report: Report, written: Sequence[Path]) -> None:
    """Every export (PDF, Excel, print) is in the audit trail: personal data left the program."""
    kind = _("日报") if report.kind is ReportKind.DAILY else _("月报")
    audit.record("export", entity="report", entity_id=_report_key(report), detail=_("{kind} {period} 导出到：{files}").format(
        kind=kind, period=report.period, files="；".join(str(p) for p in written)))


@kit.command(REPORT)
def record_print(report: Report, printer: str, pages: int) -> None:
    """A printed report is an export too: which report, on which printer, how many pages."""
    kind = _("日报") if report.kind is ReportKind.DAILY else _("月报")
    audit.record("print", entity="report", entity_id=_report_key(report), detail=_("{kind} {period} 打印到：{printer}（{pages} 页）").format(
        kind=kind, period=report.period, printer=printer, pages=pages))


MONTHLY_DUE_DAY = 3  # seed 001: the month's figures by the 3rd of the next month


@dataclass(frozen=True)
class MonthlyReminder:
    """Last month's report is not exported (nor printed) yet."""

    year: int
    month: int
    due: date
    overdue: bool


@kit.query(REPORT)
def monthly_reminder() -> MonthlyReminder | None:
    """From the 1st of a month until last month's report has been exported or printed — if the
    hall had visits last month (a new database owes no report)."""
    today = clock.today()
    year, month = default_month(today)
    first = date(year, month, 1)
    done = (AuditEntry.select().where(AuditEntry.entity == "report", AuditEntry.action.in_(("export", "print")),
                                      AuditEntry.entity_id == period_key(ReportKind.MONTHLY, first)).exists())
    if done:
        return None
    had_visits = (Visit.select().where(Visit.voided_at.is_null(), Visit.arrived_at >= datetime.combine(first, time()),
                                       Visit.arrived_at < datetime.combine(today.replace(day=1), time()))
                  .exists())
    if not had_visits:
        return None
    due = today.replace(day=MONTHLY_DUE_DAY)
    return MonthlyReminder(year, month, due, today > due)


def month_of(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11); ``ValueError`` otherwise."""
    parsed = datetime.strptime(text.strip(), "%Y-%m")
    return parsed.year, parsed.month
