"""The complaints section of the daily and monthly reports: every figure checked against a count
made here from the tickets this test made, the PDF read back and the workbook reopened."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import openpyxl
import pytest

from frontdesk.reports import KeyFigures, Table, write_pdf, write_xlsx
from frontdesk.services import clock, reporting
from frontdesk.services import complaints as cs
from frontdesk.services.complaints import ComplaintInput

DAY = date(2026, 11, 20)  # a Friday


def at(text: str):
    return clock.pinned(datetime.fromisoformat(text), ticking=False)


def make(moment: str, **kw) -> cs.ComplaintRow:
    base = dict(kind=cs.COMPLAINT, channel=cs.ON_SITE, category="服务态度及服务质量", customer_name="客户",
                phone="13812345678", description="情况")
    base.update(kw)
    with at(moment):
        return cs.create(ComplaintInput(**base))


@pytest.fixture
def tickets(configured):
    """A month of tickets, as a duty manager would have handled them."""
    made = {}
    made["a"] = make("2026-11-02 10:00", motive="vent")
    with at("2026-11-05 15:00"):
        row = cs.reply(made["a"].id, "已致歉", "phone", "录音 0105", made["a"])
        made["a"] = cs.close(row.id, "satisfied", "valid", "", row)
    made["b"] = make("2026-11-02 11:00", kind=cs.CONSULTATION, category="保全纠纷")  # due 11-04
    with at("2026-11-06 09:00"):
        made["b"] = cs.reply(made["b"].id, "已答复", "phone", "", made["b"])  # late
    made["c"] = make("2026-11-09 09:00", on_the_spot=True, reply_text="当场解释", motive="respect")
    made["d"] = make("2026-11-10 10:00", category="承保纠纷")  # never replied: due 11-19
    made["e"] = make("2026-11-12 18:00", kind=cs.OPINION, channel="opinion_book", category="服务设施设备")
    with at("2026-11-13 09:00"):
        made["e"] = cs.withdraw(made["e"].id, "客户表示无需答复", made["e"])
    made["g"] = make("2026-11-19 14:00", kind=cs.CONSULTATION, channel="phone", category="理赔纠纷")  # due 11-23
    made["f"] = make("2026-11-20 10:00", people=25, motive="compensation")
    made["h"] = make("2026-11-20 16:00", kind=cs.SUGGESTION, channel="opinion_box", category="其他")
    return {k: cs.get_complaint(v.id).row for k, v in made.items()}


def _figures(report, key: str = "complaints") -> dict[str, object]:
    found = {}
    for section in report.sections:
        if section.key == key:
            for block in section.blocks:
                if isinstance(block, KeyFigures):
                    found.update({f.label: f.value for f in block.figures})
    return found


def _table(report, title: str) -> Table:
    return next(b for s in report.sections if s.key == "complaints" for b in s.flat_blocks()
                if isinstance(b, Table) and b.title == title)


def test_the_daily_figures_match_a_count_by_hand(tickets):
    rows = list(tickets.values())
    with at("2026-11-21 08:00"):
        report = reporting.daily_report(DAY)
    fig = _figures(report)
    new = [r for r in rows if r.received_at.date() == DAY]
    assert fig["新受理"] == len(new) == 2
    assert fig["当场解决"] == 0
    assert fig["重大投诉"] == 1  # 25 people in person
    assert fig["办结"] == sum(1 for r in rows if r.closed_at is not None and r.closed_at.date() == DAY) == 0
    open_rows = [r for r in rows if r.status in cs.OPEN]
    assert fig["未办结（日终）"] == len(open_rows)
    overdue = [r for r in open_rows if r.replied_at is None and r.due_on < DAY]
    assert fig["已逾期"] == len(overdue) == 1 and overdue[0].id == tickets["d"].id
    assert fig["即将到期"] == 1  # the consultation due on Monday 11-23, the next working day
    by_kind = _table(report, "新受理：按类型和渠道")
    assert sorted((r[0], r[1], r[2]) for r in by_kind.rows) == [("建议", "意见箱", 1), ("投诉", "现场", 1)]
    assert [s.name for s in report.details if s.name == "投诉工单明细"] == ["投诉工单明细"]


def test_the_monthly_compliance_and_breakdowns_match_a_count_by_hand(tickets):
    rows = list(tickets.values())
    with at("2026-12-02 09:00"):
        report = reporting.monthly_report(2026, 11)
    fig = _figures(report)
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    counted = [r for r in rows if r.kind == cs.COMPLAINT and r.status != cs.WITHDRAWN]
    for clock_name, attr in (("内部", "internal_due"), ("监管", "regulatory_due")):
        due = [r for r in counted if getattr(r, attr) is not None and first <= getattr(r, attr) <= last]
        on_time = [r for r in due if r.replied_at is not None and r.replied_at.date() <= getattr(r, attr)]
        label = f"{clock_name}时限达标率（{len(due)} 件到期）"
        assert fig[label] == pytest.approx(len(on_time) / len(due)), label
    assert fig["新受理"] == len(rows) == 8
    assert fig["当场解决"] == 1
    per_day = _table(report, "每日工单")
    assert len(per_day.rows) == 30
    by_day = {row[0]: row for row in per_day.rows}
    assert by_day[date(2026, 11, 2)][2] == 2 and by_day[date(2026, 11, 20)][2] == 2
    assert by_day[date(2026, 11, 6)][4] == 1  # the consultation replied late
    motives = dict((r[0], r[1]) for r in _table(report, "客户诉求心态").rows)
    assert motives == {"求发泄": 1, "求尊重": 1, "求补偿": 1}
    validity = dict((r[0], r[1]) for r in _table(report, "办结工单：有效性").rows)
    assert validity == {"有效投诉": 1}


def test_the_pdf_and_the_workbook_read_back(tickets, tmp_path):
    with at("2026-11-21 08:00"):
        report = reporting.daily_report(DAY)
    pdf, xlsx = tmp_path / "日报.pdf", tmp_path / "日报.xlsx"
    write_pdf(report, pdf)
    write_xlsx(report, xlsx)
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    for words in ("投诉与意见", "新受理", "已逾期", "即将到期", "重大投诉"):
        assert words in text, words
    assert "13812345678" not in text
    book = openpyxl.load_workbook(xlsx)
    sheet = book["投诉工单明细"]
    header = [c.value for c in sheet[1]]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == 2
    first = dict(zip(header, lines[0], strict=True))
    assert first["受理时间"] == datetime(2026, 11, 20, 10, 0)
    assert first["内部时限"] in (tickets["f"].internal_due, datetime.combine(tickets["f"].internal_due,
                                                                            datetime.min.time()))
    assert first["电话"] == "138****5678"
