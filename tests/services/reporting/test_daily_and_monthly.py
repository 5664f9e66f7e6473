"""The daily and monthly reports: every figure checked against a count made here, by hand, from
the rows this test inserted (never by calling ``figures``), on both back ends; the PDF read back
and the workbook reopened; the command line for scheduled jobs."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from frontdesk.db.models import AuditEntry, Visit
from frontdesk.errors import PermissionDeniedError
from frontdesk.reports import KeyFigures, Table, write_pdf, write_xlsx
from frontdesk.services import clock, reporting, session, visitors
from frontdesk.services.visitors import VisitInput
from tests.pinning import child_environment

REPO = Path(__file__).resolve().parents[3]
DAY = date(2026, 11, 18)  # a Wednesday, a working day
AT = datetime.combine(DAY, datetime.min.time())

# (arrived hh:mm, called after min, finished after min (from call), special needs, vip, phone)
# as a duty manager would read them off the paper log; one left without being called, one voided.
VISITS = [
    ("09:05", 3, 10, frozenset(), False, "13812345678"),
    ("09:20", 16, 12, frozenset({"elderly"}), False, ""),
    ("09:40", 31, 20, frozenset(), True, ""),
    ("10:10", 15, 5, frozenset(), False, ""),  # exactly 15:00: not "over 15"
    ("14:30", 8, 16, frozenset({"pregnant"}), False, ""),
    ("16:30", None, None, frozenset(), False, ""),  # left before being called
]


@pytest.fixture
def hall(configured, kinds):
    bts, dests = kinds
    bt, dest = bts["理赔"], dests["1号窗口"]
    ids = []
    for hhmm, wait, service, needs, vip, phone in VISITS:
        arrived = AT.replace(hour=int(hhmm[:2]), minute=int(hhmm[3:]))
        with clock.pinned(arrived, ticking=False):
            row = visitors.register(VisitInput(business_type_id=bt, destination_id=dest, arrived_at=arrived,
                                               special_needs=needs, vip=vip, phone=phone,
                                               customer_name="王先生"))
        ids.append(row.id)
        if wait is None:
            with clock.pinned(arrived + timedelta(minutes=40), ticking=False):
                visitors.mark_left(row.id)
            continue
        with clock.pinned(arrived + timedelta(minutes=wait), ticking=False):
            visitors.call(row.id, served_by="王芳")
        with clock.pinned(arrived + timedelta(minutes=wait + service), ticking=False):
            visitors.finish(row.id, outcome="done")
    with clock.pinned(AT.replace(hour=11), ticking=False):
        voided = visitors.register(VisitInput(business_type_id=bt, destination_id=dest,
                                              arrived_at=AT.replace(hour=11)))
        visitors.void(voided.id, "重复登记")
    return ids


def _figures(report) -> dict[str, object]:
    found = {}
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, KeyFigures):
                found.update({f.label: f.value for f in block.figures})
    return found


def test_the_daily_figures_match_a_count_by_hand(hall):
    with clock.pinned(datetime(2026, 11, 19, 8, 0)):
        report = reporting.daily_report(DAY)
    fig = _figures(report)
    called = [v for v in VISITS if v[1] is not None]
    waits = [v[1] for v in called]
    assert fig["来访人数"] == 6 and fig["已叫号（办理）"] == 5 and fig["未办理离开"] == 1
    assert fig["平均等候"] == timedelta(minutes=sum(waits) / len(waits))  # 14.6 minutes
    # Peak periods 09:00–11:00 and 14:00–16:00: all five called visits arrived in them.
    assert fig["高峰平均等候"] == timedelta(minutes=sum(waits) / len(waits))
    assert fig["最长等候"] == timedelta(minutes=31)
    assert fig["等候超过 15 分钟占比"] == pytest.approx(2 / 5)  # 16 and 31; 15:00 is within
    assert fig["等候超过 30 分钟占比"] == pytest.approx(1 / 5)
    services = [v[2] for v in called]
    assert fig["平均办理时长"] == timedelta(minutes=sum(services) / len(services))
    assert fig["办理 15 分钟内完成占比"] == pytest.approx(3 / 5)  # 10, 12, 5 within; 20, 16 over
    assert fig["特殊客户（优先服务）"] == 2 and fig["贵宾客户"] == 1
    assert report.period == "2026年11月18日 星期三（工作日）" and report.signature
    # The voided visit counts nowhere, not even in the detail sheet; phones are masked there.
    [sheet] = [d for d in report.details if d.name == "来访明细"]
    assert len(sheet.rows) == 6
    phones = [row[3] for row in sheet.rows]
    assert "138****5678" in phones and "13812345678" not in phones


# Registrations to destinations that are no queue: (arrived hh:mm, destination) — finished as
# they are registered, never called.
ELSEWHERE = [("09:12", "自助服务区"), ("10:45", "推荐电话/网上/手机渠道"), ("14:05", "自助服务区"),
             ("15:30", "咨询台")]


def test_customers_sent_elsewhere_are_counted_as_such_and_in_no_wait(hall, kinds):
    _bts, dests = kinds
    bt = kinds[0]["咨询"]
    for hhmm, dest in ELSEWHERE:
        arrived = AT.replace(hour=int(hhmm[:2]), minute=int(hhmm[3:]))
        with clock.pinned(arrived, ticking=False):
            visitors.register(VisitInput(business_type_id=bt, destination_id=dests[dest]))
    with clock.pinned(datetime(2026, 11, 19, 8, 0)):
        daily = reporting.daily_report(DAY)
        monthly = reporting.monthly_report(DAY.year, DAY.month)
    diverted = sum(1 for _t, dest in ELSEWHERE if dest != "咨询台")
    answered = sum(1 for _t, dest in ELSEWHERE if dest == "咨询台")
    called = [v for v in VISITS if v[1] is not None]
    waits = [v[1] for v in called]
    for report in (daily, monthly):
        fig = _figures(report)
        assert fig["来访人数"] == len(VISITS) + len(ELSEWHERE)
        assert fig["已分流（自助/线上/他处）"] == diverted and fig["现场解答"] == answered
        assert fig["平均等候"] == timedelta(minutes=sum(waits) / len(waits))  # unchanged by them
    fig = _figures(daily)
    assert fig["已叫号（办理）"] == len(called) and fig["未办理离开"] == 1
    services = [v[2] for v in called]
    assert fig["平均办理时长"] == timedelta(minutes=sum(services) / len(services))
    counts = visitors.day_counts(DAY)
    assert (counts.waiting, counts.diverted, counts.answered_on_spot) == (0, diverted, answered)


def test_the_front_desk_may_not_export_reports(hall, sign_in_as):
    sign_in_as(session.FRONT_DESK)
    with pytest.raises(PermissionDeniedError):
        reporting.daily_report(DAY)


def test_the_monthly_report_has_one_row_per_open_day_and_the_month_totals(hall):
    report = reporting.monthly_report(2026, 11)
    fig = _figures(report)
    assert fig["来访人数"] == 6 and fig["营业日日均来访"] == 6.0
    [per_day] = [b for s in report.sections for b in s.blocks
                 if isinstance(b, Table) and b.title == "每日明细（营业日）"]
    assert [row[0] for row in per_day.rows] == [DAY] and per_day.rows[0][2] == 6
    assert per_day.totals[2] == 6
    assert report.period == "2026年11月"


def test_the_pdf_and_the_workbook_read_back(hall, tmp_path):
    report = reporting.daily_report(DAY)
    pdf, xlsx = tmp_path / "日报.pdf", tmp_path / "日报.xlsx"
    write_pdf(report, pdf)
    write_xlsx(report, xlsx)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("营业厅日报", "测试支行营业厅", "2026年11月18日 星期三", "14.6 分钟", "值班经理签字"):
        assert words in text, words
    assert "13812345678" not in text
    book = openpyxl.load_workbook(xlsx)
    sheet = book["来访明细"]
    header = [c.value for c in sheet[1]]
    arrived = sheet.cell(row=2, column=header.index("到达时间") + 1).value
    assert arrived == datetime(2026, 11, 18, 9, 5)
    wait = sheet.cell(row=2, column=header.index("等候（分钟）") + 1)
    assert wait.value == timedelta(minutes=3) and wait.number_format == "[h]:mm:ss"


def test_report_daily_from_the_command_line_writes_standard_names_and_is_audited(hall, db_location, tmp_path):
    from frontdesk.db.database import close_database, database_proxy, open_database

    close_database()
    database_proxy.initialize(None)
    location = db_location
    out = tmp_path / "报表"
    out.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", location, "report", "daily", "--date", "2026-11-18",
         "--pdf", str(out), "--xlsx", str(out)],
        capture_output=True, text=True, cwd=REPO, env=child_environment(PYTHONPATH=str(REPO)),
        timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["日报-测试支行营业厅-2026-11-18.pdf", "日报-测试支行营业厅-2026-11-18.xlsx"]
    open_database(location)
    entry = AuditEntry.select().where(AuditEntry.action == "export").get()
    assert "日报" in entry.detail and "2026-11-18.pdf" in entry.detail
    assert Visit.select().count() == 7


@pytest.mark.parametrize(("args", "words"), [
    (("report", "daily", "--date", "2026-13-01", "--pdf", "x.pdf"), "YYYY-MM-DD"),
    (("report", "monthly", "--month", "11/2026", "--pdf", "x.pdf"), "YYYY-MM"),
    (("report", "daily"), "--pdf"),
])
def test_bad_report_arguments_are_one_line(tmp_path, args, words):
    result = subprocess.run([sys.executable, "-m", "frontdesk", "--db", str(tmp_path / "x.sqlite"), *args],
                            capture_output=True, text=True, cwd=REPO, timeout=60, check=False,
                            env=child_environment(PYTHONPATH=str(REPO)))
    assert result.returncode in (1, 2) and words in result.stderr


@pytest.mark.parametrize("preset", ["bank", "insurance"])
def test_a_busy_demo_day_fits_two_pages_with_every_block(database, as_command_line, tmp_path, preset):
    """The seeds' busiest halls (every list in use, 150+ visits a day): one or two A4 pages."""
    from frontdesk.services import demo

    demo.generate(2, seed=3, preset=preset, now=datetime(2026, 11, 19, 7, 0))
    report = reporting.daily_report(DAY)
    assert report.section("visits").blocks, "the register's section is there"
    pdf = tmp_path / "日报.pdf"
    write_pdf(report, pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 1 <= pages <= 2
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    for title in ("分时段来访人数", "分时段平均等候", "按业务类型", "特殊客户及其等候", "按分流去向",
                  "经办人工作量", "值班经理签字"):
        assert title in text, title
    visits = Visit.select().where(Visit.voided_at.is_null(),
                                  Visit.arrived_at.between(AT, AT + timedelta(days=1))).count()
    assert visits >= 100 and f"{visits}人" in text  # a busy day, and its count is on paper
