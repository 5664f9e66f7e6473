"""The inspections' section of the daily and monthly reports, and their Excel detail sheets.

Figures (PRODUCT.md): **check pass rate** = passed items / (passed + failed items), N/A in
neither; the **score** of a run is the weighted one of ``services.inspections.score``. A check
is **done** on a day when a run of its template was finished (or signed off) that day; open runs
are counted apart. Which checks were **due** follows the weekdays of the templates' current
revisions. Corrective actions **open at the end of a day**: created by then and not yet done by
then; **overdue** among them: due before that day. Equipment faults (``services.faults``):
**reported** and **fixed** in the period, **not fixed** at its end; a fault's repair time runs
from its report to its repair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import peewee

from frontdesk.db.models import (
    CorrectiveAction,
    InspectionAnswer,
    InspectionItem,
    InspectionRun,
    InspectionTemplate,
    Staff,
)
from frontdesk.i18n import _
from frontdesk.reports import (
    Column,
    DetailSheet,
    KeyFigure,
    KeyFigures,
    Kind,
    LineChart,
    Note,
    Section,
    Series,
    Table,
)
from frontdesk.services import faults as fault_log
from frontdesk.services import inspections as ins
from frontdesk.services import kit, session
from frontdesk.services.reporting import Period, register

KEY = "inspections"
TOP_FAILED = 10
DAILY_OPEN_ROWS = 15  # the daily report fits on a page or two: the full list is in Excel


@dataclass(frozen=True)
class RunLine:
    id: int
    day: date
    template_key: str
    template: str
    status: str
    inspector: str
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    sampling: bool


@dataclass(frozen=True)
class AnswerLine:
    run_id: int
    item: str
    result: str
    points: int | None
    note: str
    staff: str  # the sampled person, for service sampling


@dataclass(frozen=True)
class ActionLine:
    id: int
    run_day: date
    template: str
    what: str
    owner: str
    due_on: date | None
    status: str
    created_at: datetime
    done_at: datetime | None

    def open_at(self, end: datetime) -> bool:
        return self.created_at < end and (self.done_at is None or self.done_at >= end)


@dataclass(frozen=True)
class InspectionData:
    runs: list[RunLine]
    answers: list[AnswerLine]
    actions: list[ActionLine]  # every action created up to the period's end
    due_masks: dict[str, tuple[str, int]]  # template key → (name, weekdays), current revisions
    faults: list[fault_log.FaultRow] = field(default_factory=list)  # open at some time in the period

    def done(self) -> list[RunLine]:
        return [r for r in self.runs if r.status != ins.OPEN]


@kit.query(session.VIEW_REPORTS)
def load(first: date, last: date) -> InspectionData:
    """The runs of ``first`` … ``last`` with their answers, and the actions created by its end."""
    end = datetime.combine(last, time.min) + timedelta(days=1)
    runs = [
        RunLine(r.id, r.day, r.template.key, r.template.name, r.status, r.inspector_name, r.started_at,
                r.finished_at, r.score, r.template.kind == ins.SAMPLING)
        for r in InspectionRun.select(InspectionRun, InspectionTemplate)
        .join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id))
        .where((InspectionRun.day >= first) & (InspectionRun.day <= last))
        .order_by(InspectionRun.started_at, InspectionRun.id)
    ]
    run_ids = [r.id for r in runs]
    answers: list[AnswerLine] = []
    if run_ids:
        query = (InspectionAnswer.select(InspectionAnswer.run, InspectionItem.text, InspectionAnswer.result,
                                         InspectionAnswer.points, InspectionAnswer.note, Staff.name)
                 .join(InspectionItem, on=(InspectionAnswer.item == InspectionItem.id))
                 .switch(InspectionAnswer)
                 .join(Staff, join_type=peewee.JOIN.LEFT_OUTER, on=(InspectionAnswer.staff == Staff.id))
                 .where(InspectionAnswer.run.in_(run_ids))
                 .order_by(InspectionAnswer.run, InspectionItem.position, InspectionAnswer.id)
                 .tuples())
        answers = [AnswerLine(run_id, text, result, points, note or "", name or "")
                   for run_id, text, result, points, note, name in query]
    query = (CorrectiveAction.select(CorrectiveAction.id, InspectionRun.day, InspectionTemplate.name,
                                     CorrectiveAction.what, Staff.name, CorrectiveAction.due_on,
                                     CorrectiveAction.status, CorrectiveAction.created_at, CorrectiveAction.done_at)
             .join(InspectionRun, on=(CorrectiveAction.run == InspectionRun.id))
             .join(InspectionTemplate, on=(InspectionRun.template == InspectionTemplate.id))
             .switch(CorrectiveAction)
             .join(Staff, join_type=peewee.JOIN.LEFT_OUTER, on=(CorrectiveAction.owner == Staff.id))
             .where(CorrectiveAction.created_at < end)
             .order_by(CorrectiveAction.id)
             .tuples())
    actions = [ActionLine(i, day, name, what, owner or "", due, status, created, done)
               for i, day, name, what, owner, due, status, created, done in query]
    masks = {t.key: (t.name, t.due_weekdays) for t in InspectionTemplate.select().where(
        (InspectionTemplate.is_current == True) & (InspectionTemplate.active == True))}  # noqa: E712
    start = datetime.combine(first, time.min)
    return InspectionData(runs, answers, actions, masks, fault_log.period_rows(start, end))


# ------------------------------------------------------------------ figures


def pass_rate(answers: Sequence[AnswerLine]) -> float | None:
    """Passed items / (passed + failed items); N/A in neither."""
    passed = sum(1 for a in answers if a.result == ins.PASS)
    failed = sum(1 for a in answers if a.result == ins.FAIL)
    return passed / (passed + failed) if passed + failed else None


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def due_on(data: InspectionData, day: date) -> list[str]:
    """The keys of the templates due on ``day``."""
    return [key for key, (_name, mask) in data.due_masks.items() if mask & (1 << day.weekday())]


@dataclass(frozen=True)
class DayFigures:
    day: date
    due: int
    due_done: int
    runs_done: int
    runs_open: int
    pass_rate: float | None
    mean_score: float | None
    failed_items: int
    open_actions: int
    overdue_actions: int
    missed: tuple[str, ...]  # names of due checks not done


def day_figures(data: InspectionData, day: date) -> DayFigures:
    runs = [r for r in data.runs if r.day == day]
    done = [r for r in runs if r.status != ins.OPEN]
    done_ids = {r.id for r in done}
    answers = [a for a in data.answers if a.run_id in done_ids]
    due = due_on(data, day)
    done_keys = {r.template_key for r in done}
    end = datetime.combine(day, time.min) + timedelta(days=1)
    open_actions = [a for a in data.actions if a.open_at(end)]
    return DayFigures(
        day, len(due), sum(1 for k in due if k in done_keys), len(done), len(runs) - len(done),
        pass_rate(answers), _mean([r.score for r in done]), sum(1 for a in answers if a.result == ins.FAIL),
        len(open_actions), sum(1 for a in open_actions if a.due_on is not None and a.due_on < day),
        tuple(data.due_masks[k][0] for k in due if k not in done_keys))


# ------------------------------------------------------------------ blocks


def _status(code: str) -> str:
    return ins.RUN_STATUSES.get(code, code)


def _runs_table(runs: Sequence[RunLine]) -> Table:
    rows = [[r.template, r.started_at, r.finished_at, r.inspector, r.score, _status(r.status)] for r in runs]
    return Table([Column(_("检查模板")), Column(_("开始"), Kind.DATETIME), Column(_("结束"), Kind.DATETIME),
                  Column(_("检查人")), Column(_("得分"), Kind.PERCENT), Column(_("状态"))], rows,
                 title=_("检查记录"))


def _failures(data: InspectionData, runs: Sequence[RunLine]) -> list[tuple[RunLine, AnswerLine]]:
    by_id = {r.id: r for r in runs if r.status != ins.OPEN}
    return [(by_id[a.run_id], a) for a in data.answers if a.run_id in by_id and a.result == ins.FAIL]


def _item_label(a: AnswerLine) -> str:
    return f"{a.staff}：{a.item}" if a.staff else a.item


class InspectionsSection:
    key = KEY
    order = 30

    def daily(self, period: Period) -> Section:
        day = period.first
        data = load(day, day)
        fig = day_figures(data, day)
        runs = [r for r in data.runs if r.day == day]
        end = datetime.combine(day, time.min) + timedelta(days=1)
        opened = sum(1 for a in data.actions if a.created_at.date() == day)
        still_open = sorted((a for a in data.actions if a.open_at(end)),
                            key=lambda a: (a.due_on is None, a.due_on or day, a.id))
        closed = sum(1 for a in data.actions if a.done_at is not None and a.done_at.date() == day)
        faults = fault_log.figures(data.faults, datetime.combine(day, time.min), end)
        blocks = [
            KeyFigures([
                KeyFigure(_("应做检查"), fig.due, unit=_("项")),
                KeyFigure(_("已完成应做检查"), fig.due_done, unit=_("项"), met=fig.due_done >= fig.due),
                KeyFigure(_("完成检查次数"), fig.runs_done, unit=_("次")),
                KeyFigure(_("未完成检查"), fig.runs_open, unit=_("次")),
                KeyFigure(_("检查项合格率"), fig.pass_rate, Kind.PERCENT),
                KeyFigure(_("平均得分"), fig.mean_score, Kind.PERCENT),
                KeyFigure(_("不合格项"), fig.failed_items, unit=_("项")),
                KeyFigure(_("新增整改项"), opened, unit=_("项")),
                KeyFigure(_("完成整改项"), closed, unit=_("项")),
                KeyFigure(_("日终待整改"), fig.open_actions, unit=_("项")),
                KeyFigure(_("其中逾期"), fig.overdue_actions, unit=_("项"), met=fig.overdue_actions == 0),
                # One box, the twelfth of a row of six: the daily report keeps its two pages. The
                # day's reported and fixed faults are on the Excel sheet 设备故障.
                KeyFigure(_("日终未修复设备"), faults.open_at_end, unit=_("件"), met=faults.open_at_end == 0),
            ]),
            _runs_table(runs),
            Table([Column(_("检查模板")), Column(_("不合格项")), Column(_("说明"))],
                  [[r.template, _item_label(a), a.note] for r, a in _failures(data, runs)], title=_("不合格项")),
            Table([Column(_("整改内容")), Column(_("责任人")), Column(_("整改期限"), Kind.DATE),
                   Column(_("来自"))],
                  [[a.what, a.owner, a.due_on, f"{a.run_day:%m-%d} {a.template}"] for a in still_open[:DAILY_OPEN_ROWS]],
                  title=_("日终待整改项（期限最早的 {n} 项）").format(n=DAILY_OPEN_ROWS)
                  if len(still_open) > DAILY_OPEN_ROWS else _("日终待整改项")),
        ]
        if fig.missed:
            blocks.insert(1, Note(_("应做未做：{names}。").format(names="、".join(fig.missed))))
        return Section(KEY, _("检查巡检"), blocks)

    def monthly(self, period: Period) -> Section:
        data = load(period.first, period.last)
        per_day = [day_figures(data, d) for d in period.days]
        done = data.done()
        done_ids = {r.id for r in done}
        answers = [a for a in data.answers if a.run_id in done_ids]
        by_template: dict[str, list[RunLine]] = defaultdict(list)
        for r in done:
            by_template[r.template].append(r)
        failed = Counter(a.item for a in answers if a.result == ins.FAIL)
        sampled: dict[str, list[AnswerLine]] = defaultdict(list)
        by_criterion: dict[str, list[AnswerLine]] = defaultdict(list)  # in the template's order
        for a in answers:
            if a.staff and a.points is not None:
                sampled[a.staff].append(a)
                by_criterion[a.item].append(a)
        labels = [f"{d.day.day}" for d in per_day]
        end = datetime.combine(period.last, time.min) + timedelta(days=1)
        closed_in_time = [a for a in data.actions if a.done_at is not None and period.first <= a.done_at.date() <= period.last]
        return Section(KEY, _("检查巡检"), [
            KeyFigures([
                KeyFigure(_("完成检查次数"), len(done), unit=_("次")),
                KeyFigure(_("应做检查"), sum(d.due for d in per_day), unit=_("项")),
                KeyFigure(_("已完成应做检查"), sum(d.due_done for d in per_day), unit=_("项")),
                KeyFigure(_("检查项合格率"), pass_rate(answers), Kind.PERCENT),
                KeyFigure(_("平均得分"), _mean([r.score for r in done]), Kind.PERCENT),
                KeyFigure(_("完成整改项"), len(closed_in_time), unit=_("项")),
                KeyFigure(_("按期完成整改"), sum(1 for a in closed_in_time
                                           if a.due_on is not None and a.done_at.date() <= a.due_on), unit=_("项")),
                KeyFigure(_("月末待整改"), sum(1 for a in data.actions if a.open_at(end)), unit=_("项")),
                *self._fault_figures(data, datetime.combine(period.first, time.min), end, _("月末未修复设备")),
            ]),
            LineChart(_("每日检查项合格率"), labels,
                      [Series(_("合格率"), [None if d.pass_rate is None else d.pass_rate * 100 for d in per_day])],
                      value_label="%"),
            Table([Column(_("日期"), Kind.DATE), Column(_("星期"), Kind.WEEKDAY), Column(_("应做"), Kind.INTEGER),
                   Column(_("已做"), Kind.INTEGER), Column(_("检查次数"), Kind.INTEGER),
                   Column(_("合格率"), Kind.PERCENT), Column(_("平均得分"), Kind.PERCENT),
                   Column(_("不合格项"), Kind.INTEGER)],
                  [[d.day, d.day, d.due, d.due_done, d.runs_done, d.pass_rate, d.mean_score,
                    d.failed_items] for d in per_day], title=_("每日检查")),
            Table([Column(_("检查模板")), Column(_("次数"), Kind.INTEGER), Column(_("合格率"), Kind.PERCENT),
                   Column(_("平均得分"), Kind.PERCENT)],
                  [[name, len(rs), pass_rate([a for a in answers if a.run_id in {r.id for r in rs}]),
                    _mean([r.score for r in rs])] for name, rs in sorted(by_template.items())],
                  title=_("各模板检查")),
            Table([Column(_("检查项")), Column(_("不合格次数"), Kind.INTEGER)],
                  [[item, n] for item, n in failed.most_common(TOP_FAILED)], title=_("不合格最多的检查项")),
            Table([Column(_("被抽查人")), Column(_("抽查项次"), Kind.INTEGER), Column(_("平均分（满分 5）"), Kind.NUMBER)],
                  [[name, len(rows), sum(a.points for a in rows) / len(rows)] for name, rows in sorted(sampled.items())],
                  title=_("服务抽查得分")),
            Table([Column(_("抽查项目")), Column(_("抽查人次"), Kind.INTEGER), Column(_("平均分（满分 5）"), Kind.NUMBER),
                   Column(_("2 分及以下"), Kind.INTEGER)],
                  [[criterion, len(rows), sum(a.points for a in rows) / len(rows),
                    sum(1 for a in rows if a.points <= ins.FAIL_POINTS)] for criterion, rows in by_criterion.items()],
                  title=_("服务抽查各项得分")),
        ])

    @staticmethod
    def _fault_figures(data: InspectionData, start: datetime, end: datetime, open_label: str) -> list[KeyFigure]:
        figures = fault_log.figures(data.faults, start, end)
        fixed = [f for f in data.faults if f.fixed_at is not None and start <= f.fixed_at < end]
        repair = [(f.fixed_at - f.reported_at).total_seconds() / 3600 for f in fixed]
        mean = [KeyFigure(_("平均修复时长（小时）"), sum(repair) / len(repair) if repair else None, Kind.NUMBER)]
        return [
            KeyFigure(_("新报设备故障"), figures.reported, unit=_("件")),
            KeyFigure(_("修复设备故障"), figures.fixed, unit=_("件")),
            *mean,
            KeyFigure(open_label, figures.open_at_end, unit=_("件"), met=figures.open_at_end == 0),
        ]

    def details(self, period: Period) -> Sequence[DetailSheet]:
        """Every run, failure and action of the period, and every action still open at its end."""
        data = load(period.first, period.last)
        end = datetime.combine(period.last, time.min) + timedelta(days=1)
        runs = {r.id: r for r in data.runs}
        return [
            DetailSheet(_("检查记录"), [Column(_("日期"), Kind.DATE), Column(_("检查模板")), Column(_("开始"), Kind.DATETIME),
                                    Column(_("结束"), Kind.DATETIME), Column(_("检查人")), Column(_("得分"), Kind.PERCENT),
                                    Column(_("状态"))],
                        [[r.day, r.template, r.started_at, r.finished_at, r.inspector, r.score, _status(r.status)]
                         for r in data.runs]),
            DetailSheet(_("不合格项"), [Column(_("日期"), Kind.DATE), Column(_("检查模板")), Column(_("检查项")),
                                    Column(_("说明"))],
                        [[runs[a.run_id].day, runs[a.run_id].template, _item_label(a), a.note]
                         for a in data.answers if a.result == ins.FAIL and runs[a.run_id].status != ins.OPEN]),
            DetailSheet(_("整改项"), [Column(_("检查日期"), Kind.DATE), Column(_("整改内容")), Column(_("责任人")),
                                   Column(_("整改期限"), Kind.DATE), Column(_("状态"))],
                        [[a.run_day, a.what, a.owner, a.due_on, ins.ACTION_STATUSES.get(a.status, a.status)]
                         for a in data.actions if a.run_day >= period.first or a.open_at(end)]),
            DetailSheet(_("设备故障"), [Column(_("设备")), Column(_("故障情况")), Column(_("报修时间"), Kind.DATETIME),
                                    Column(_("报修人")), Column(_("张贴暂停使用"), Kind.DATETIME),
                                    Column(_("联系维修"), Kind.DATETIME), Column(_("维修联系")),
                                    Column(_("修复时间"), Kind.DATETIME), Column(_("修复说明")),
                                    Column(_("停用时长"), Kind.MINUTES)],
                        [[f.device_label, f.description, f.reported_at, f.reported_by_name, f.sign_posted_at,
                          f.repairer_contacted_at, f.repairer_note, f.fixed_at, f.fixed_note,
                          (f.fixed_at - f.reported_at) if f.fixed_at is not None else None]
                         for f in data.faults]),
        ]


register(InspectionsSection())
