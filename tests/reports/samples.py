"""Realistic report data built by hand, as the figures service will hand it over.

Shared by the tests and ``benchmarks/bench_report_render.py``. Random but seeded, so every run
renders the same reports.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from frontdesk.reports import (
    BarChart,
    CategoryRange,
    Column,
    DetailSheet,
    KeyFigure,
    KeyFigures,
    Kind,
    LineChart,
    Note,
    ReferenceLine,
    Report,
    ReportKind,
    Section,
    Series,
    Standard,
    Table,
)

DAY = date(2026, 11, 20)  # a Friday
BRANCH = "平安人寿深圳福田营业厅"
GENERATED_BY = "李娜"
BUSINESS = ("咨询", "缴费", "新契约/投保", "保全变更", "理赔", "退保", "投诉", "查询")
DESTINATIONS = ("1号窗口", "2号窗口", "3号窗口", "自助服务区", "贵宾室", "咨询台", "客户接待室")
OUTCOMES = ("办结", "办结", "办结", "办结", "资料不全未受理", "转介", "未办理离开")
STAFF = ("张敏", "李娜", "王芳", "刘洋", "陈静", "杨帆")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
NOTES = ("", "", "", "客户较急", "已递水", "已一次性告知所需资料：身份证原件、保单原件、银行卡复印件",
         "陪同老人办理", "客户情绪激动，已安抚并请值班经理到场")
HOUR_WEIGHTS = {8: 3, 9: 16, 10: 18, 11: 10, 12: 6, 13: 8, 14: 15, 15: 16, 16: 11, 17: 2}
VISIT_COLUMNS = (
    Column("序号", Kind.INTEGER),
    Column("到达时间", Kind.DATETIME),
    Column("票号"),
    Column("客户"),
    Column("电话"),
    Column("业务类型"),
    Column("分流去向"),
    Column("特殊客户"),
    Column("等候（分钟）", Kind.MINUTES),
    Column("办理（分钟）", Kind.MINUTES),
    Column("结果"),
    Column("经办人"),
    Column("备注"),
)
WAIT_STANDARD = Standard(timedelta(minutes=15))


def visit_rows(count: int, first_day: date = DAY, days: int = 1, seed: int = 7) -> list[tuple]:
    """``count`` visits spread over ``days`` days: one detail row each."""
    rng = random.Random(seed)
    hours = list(HOUR_WEIGHTS)
    weights = list(HOUR_WEIGHTS.values())
    rows = []
    for number in range(1, count + 1):
        day = first_day + timedelta(days=(number - 1) * days // count)
        hour = rng.choices(hours, weights)[0]
        arrival = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        outcome = rng.choice(OUTCOMES)
        # Waits and service times skew short, with a long tail (as a real hall's do).
        wait = None if outcome == "未办理离开" else timedelta(
            seconds=min(int(rng.expovariate(1 / 560)) + 20, 3600))
        service = None if wait is None else timedelta(
            seconds=min(int(rng.expovariate(1 / 420)) + 60, 2700))
        rows.append((
            number, arrival, f"A{number:03d}",
            rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
            f"1{rng.randrange(30, 90)}****{rng.randrange(10000):04d}",
            rng.choice(BUSINESS), rng.choice(DESTINATIONS),
            rng.choice(("", "", "", "", "老年人", "孕妇", "行动不便")),
            wait, service, outcome, rng.choice(STAFF), rng.choice(NOTES),
        ))
    return rows


def _minutes(m: float) -> timedelta:
    return timedelta(minutes=m)


def visitors_section(rows: list[tuple]) -> Section:
    called = [r for r in rows if r[8] is not None]
    waits = [r[8] for r in called]
    average = sum(waits, timedelta()) / len(waits)
    peak = [r[8] for r in called if r[1].hour in (9, 10, 14, 15)]
    services = [r[9] for r in called]
    by_hour = {hour: 0 for hour in HOUR_WEIGHTS}
    wait_by_hour: dict[int, list[timedelta]] = {hour: [] for hour in HOUR_WEIGHTS}
    for row in rows:
        by_hour[row[1].hour] += 1
        if row[8] is not None:
            wait_by_hour[row[1].hour].append(row[8])
    hour_labels = [f"{hour}时" for hour in HOUR_WEIGHTS]
    by_type = []
    for business in BUSINESS:
        mine = [r for r in rows if r[5] == business]
        mine_waits = [r[8] for r in mine if r[8] is not None]
        by_type.append((
            business, len(mine), len(mine) / len(rows),
            sum(mine_waits, timedelta()) / len(mine_waits) if mine_waits else None,
            max(mine_waits, default=None),
        ))
    peaks = [CategoryRange("9时", "10时"), CategoryRange("14时", "15时")]
    return Section("visitors", "一、来访与等候", [
        KeyFigures([
            KeyFigure("来访人数", len(rows), unit="人"),
            KeyFigure("特殊客户（优先服务）", sum(1 for r in rows if r[7]), unit="人"),
            KeyFigure("未办理离开", sum(1 for r in rows if r[10] == "未办理离开"), unit="人"),
            KeyFigure("平均等候", average, Kind.MINUTES, standard=WAIT_STANDARD),
            KeyFigure("高峰平均等候", sum(peak, timedelta()) / len(peak), Kind.MINUTES,
                      standard=Standard(timedelta(minutes=30))),
            KeyFigure("最长等候", max(waits), Kind.MINUTES),
            KeyFigure("等候超过 15 分钟占比", sum(w > _minutes(15) for w in waits) / len(waits),
                      Kind.PERCENT),
            KeyFigure("等候超过 30 分钟占比", sum(w > _minutes(30) for w in waits) / len(waits),
                      Kind.PERCENT),
            KeyFigure("办理时长达标率", sum(s <= _minutes(15) for s in services) / len(services),
                      Kind.PERCENT, standard=Standard(0.9, ">=")),
        ]),
        BarChart("分时段来访人数", hour_labels, [Series("来访人数", list(by_hour.values()))],
                 value_label="人数", marked=peaks),
        BarChart("分时段平均等候", hour_labels, [Series("平均等候（分钟）", [
            round(sum(w, timedelta()).total_seconds() / 60 / len(w), 1) if w else None
            for w in wait_by_hour.values()])],
            value_label="分钟", marked=peaks,
            reference=ReferenceLine(15, "标准 15 分钟")),
        Table([Column("业务类型"), Column("人数", Kind.INTEGER), Column("占比", Kind.PERCENT),
               Column("平均等候（分钟）", Kind.MINUTES), Column("最长等候（分钟）", Kind.MINUTES)],
              by_type, totals=("合计", len(rows), 1.0, average, max(waits)),
              title="按业务类型"),
        Table([Column("退保原因"), Column("人数", Kind.INTEGER), Column("挽留成功", Kind.INTEGER)],
              [("经济困难", 3, 1), ("承诺或条款解释不清有受骗感", 2, 0), ("急需用钱", 2, 1),
               ("认为身体健康无需保险", 1, 0)],
              totals=("合计", 8, 2), title="退保与挽留"),
    ])


def complaints_section() -> Section:
    return Section("complaints", "二、投诉工单", [
        KeyFigures([
            KeyFigure("新受理", 4, unit="件"), KeyFigure("当场化解", 2, unit="件"),
            KeyFigure("逾期未结", 1, unit="件", standard=Standard(0, "<=")),
        ]),
        Table([Column("受理时间", Kind.DATETIME), Column("类别"), Column("诉求与经过"),
               Column("答复期限", Kind.DATE), Column("状态")], [
            (datetime(2026, 11, 20, 9, 42), "等候时间", "客户反映上午高峰期排队超过四十分钟，叫号屏"
             "长时间不更新，要求说明原因并改进窗口安排。已当场致歉并递水安抚。", date(2026, 12, 1), "已化解"),
            (datetime(2026, 11, 20, 14, 5), "理赔", "客户对住院理赔金额有异议，认为免赔额解释与投保时"
             "业务员所述不一致，要求书面答复。", date(2026, 12, 1), "处理中"),
            (datetime(2026, 11, 11, 10, 30), "服务态度", "客户称柜员语气生硬。", date(2026, 11, 19),
             "逾期"),
        ], title="今日与逾期工单"),
    ])


def inspections_section() -> Section:
    return Section("inspections", "三、检查巡检", [
        KeyFigures([
            KeyFigure("应检 / 已检", "3 / 3", Kind.TEXT),
            KeyFigure("检查合格率", 0.94, Kind.PERCENT, standard=Standard(0.95, ">=")),
            KeyFigure("新开整改项", 2, unit="项"),
        ]),
        Table([Column("检查"), Column("不合格项"), Column("整改责任人"), Column("期限", Kind.DATE)], [
            ("班前检查", "自助服务终端 2 号机无法打印凭条，已张贴“暂停使用”提示", "刘洋",
             date(2026, 11, 21)),
            ("现场巡视", "填单台缺少退保申请书", "陈静", None),
        ], title="不合格项与整改"),
        Note("晨会：08:20–08:40 召开，应到 9 人，实到 8 人（1 人请假）。"),
    ])


def daily_report(visits: int = 500) -> Report:
    rows = visit_rows(visits)
    return Report(
        kind=ReportKind.DAILY, title="营业厅日报", branch=BRANCH,
        period="2026年11月20日 星期五（工作日）", generated_by=GENERATED_BY,
        generated_at=datetime(2026, 11, 20, 18, 5), signature=True,
        sections=[visitors_section(rows), complaints_section(), inspections_section()],
        details=[DetailSheet("来访明细", VISIT_COLUMNS, rows)],
    )


def month_days() -> list[tuple]:
    rng = random.Random(11)
    days = []
    for offset in range(30):
        day = date(2026, 11, 1) + timedelta(days=offset)
        open_day = day.weekday() < 6
        visitors = rng.randrange(380, 560) if open_day else 0
        days.append((
            day, day, visitors,
            _minutes(rng.uniform(8, 19)) if open_day else None,
            rng.uniform(0.1, 0.4) if open_day else None,
            rng.randrange(0, 5) if open_day else 0,
            rng.uniform(0.85, 1.0) if open_day else None,
        ))
    return days


DAY_COLUMNS = (Column("日期", Kind.DATE), Column("星期", Kind.WEEKDAY), Column("来访人数", Kind.INTEGER),
               Column("平均等候（分钟）", Kind.MINUTES), Column("超 15 分钟占比", Kind.PERCENT),
               Column("投诉", Kind.INTEGER), Column("检查合格率", Kind.PERCENT))


def monthly_report(visits: int = 15_000) -> Report:
    days = month_days()
    labels = [f"{d[0].day}日" for d in days]
    total = sum(d[2] for d in days)
    return Report(
        kind=ReportKind.MONTHLY, title="营业厅月报", branch=BRANCH, period="2026年11月",
        generated_by=GENERATED_BY, generated_at=datetime(2026, 12, 1, 9, 30),
        sections=[
            Section("visitors", "一、来访与等候", [
                KeyFigures([
                    KeyFigure("来访人数", total, unit="人"),
                    KeyFigure("日均来访", total / 26, Kind.NUMBER, unit="人"),
                    KeyFigure("平均等候", _minutes(13.46), Kind.MINUTES, standard=WAIT_STANDARD),
                    KeyFigure("投诉答复及时率", 0.875, Kind.PERCENT, standard=Standard(1.0, ">=")),
                ]),
                LineChart("每日来访人数", labels, [Series("来访人数", [d[2] or None for d in days])],
                          value_label="人数"),
                LineChart("每日平均等候", labels, [
                    Series("平均等候", [d[3].total_seconds() / 60 if d[3] else None for d in days])],
                    value_label="分钟", reference=ReferenceLine(15, "标准 15 分钟")),
                Table(DAY_COLUMNS, days, title="每日数据"),
            ]),
        ],
        details=[DetailSheet("每日汇总", DAY_COLUMNS, days),
                 DetailSheet("来访明细", VISIT_COLUMNS, visit_rows(visits, date(2026, 11, 1), 30))],
    )
