"""The inspections' section of the reports: figures against counts made here from what the test
did, the PDF read back and the workbook reopened."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from frontdesk.reports import KeyFigures, Note, Table, write_pdf, write_xlsx
from frontdesk.services import clock, reporting, staff
from frontdesk.services import inspections as ins
from frontdesk.services.staff import StaffInput
from tests.reports.conftest import pdf_text, squeeze

MONDAY = date(2026, 11, 16)
EARLIER = date(2026, 11, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def template(key: str) -> ins.TemplateRow:
    return next(t for t in ins.templates() if t.key == key)


def walk(key: str, when: datetime, fails: dict[int, str], na: set[int] = frozenset(), finish: bool = True):
    with clock.pinned(when):
        run = ins.start_run(template(key).id)
        for n, item in enumerate(run.template.items):
            result = ins.FAIL if n in fails else ins.NA if n in na else ins.PASS
            run = ins.answer(run.row.id, item.id, result, fails.get(n, ""))
        if finish:
            run = ins.finish_run(run.row.id, run.row)
    return run


@pytest.fixture
def month(configured):
    """What a duty manager did: recorded here so every figure can be counted by hand."""
    people = [staff.add_staff(StaffInput(f"柜员{n}", f"T{n}", "teller")).id for n in range(3)]
    earlier = walk("opening", at(EARLIER, 8, 40), {1: "卫生间有积水", 4: "宣传资料过期"})
    opening = template("opening")
    na = next(n for n, i in enumerate(opening.items) if i.allow_na)
    today = walk("opening", at(MONDAY, 8, 30), {0: "地面有水渍", 6: "叫号机无法出票"}, {na})
    fire = walk("fire", at(MONDAY, 9, 0), {})
    with clock.pinned(at(MONDAY, 9, 30)):
        first = ins.actions(ins.ActionQuery(date_from=MONDAY, date_to=MONDAY))[0]
        ins.update_action(first.id, first, owner_id=people[1], due_on=first.due_on)
    with clock.pinned(at(MONDAY, 11)):
        patrol = ins.start_run(template("patrol").id)
        ins.answer(patrol.row.id, patrol.template.items[0].id, ins.PASS)
        done = ins.actions(ins.ActionQuery(date_from=EARLIER, date_to=EARLIER))[0]
        ins.complete_action(done.id, done)
    with clock.pinned(at(MONDAY, 15)):
        sampling = ins.start_run(template("sampling").id, seed=5)
        points = {}
        for person in people:
            for item in sampling.template.items:
                points[(person, item.id)] = 3 + (person + item.position) % 3
                sampling = ins.answer(sampling.row.id, item.id, staff_id=person, points=points[(person, item.id)])
        sampling = ins.finish_run(sampling.row.id, sampling.row)
    return {"earlier": earlier, "today": today, "fire": fire, "sampling": sampling, "points": points,
            "na": na, "people": people}


def figures_of(section) -> dict[str, object]:
    return {f.label: f.value for b in section.blocks if isinstance(b, KeyFigures) for f in b.figures}


def tables_of(section) -> dict[str, Table]:
    return {b.title: b for b in section.blocks if isinstance(b, Table)}


def section(report):
    return next(s for s in report.sections if s.key == "inspections")


def test_the_daily_figures_match_a_count_by_hand(month):
    with clock.pinned(at(MONDAY, 18)):
        report = reporting.daily_report(MONDAY)
    s = section(report)
    fig = figures_of(s)
    opening, fire = template("opening"), template("fire")
    sampled_answers = 3 * 6
    passed = (len(opening.items) - 3) + len(fire.items) + sampled_answers  # 3 to 5 points: all passes
    failed = 2
    assert fig["应做检查"] == 6  # a Monday: the fire check too
    assert fig["已完成应做检查"] == 3  # opening, fire, sampling; the patrol is still open
    assert fig["完成检查次数"] == 3 and fig["未完成检查"] == 1
    assert fig["检查项合格率"] == pytest.approx(passed / (passed + failed))
    scores = [month["today"].row.score, month["fire"].row.score, month["sampling"].row.score]
    assert fig["平均得分"] == pytest.approx(sum(scores) / 3)
    assert fig["不合格项"] == failed
    assert fig["新增整改项"] == 2 and fig["完成整改项"] == 1
    # Open at the end of Monday: one of the earlier two (due 11-13: overdue) and today's two.
    assert fig["日终待整改"] == 3 and fig["其中逾期"] == 1
    notes = [b.text for b in s.blocks if isinstance(b, Note)]
    assert notes == ["应做未做：现场巡视、闭厅检查、自助设备检查。"]
    assert [r[1] for r in tables_of(s)["不合格项"].rows] == [opening.items[0].text, opening.items[6].text]
    owners = {row[0]: row[1] for row in tables_of(s)["日终待整改项"].rows}
    assert owners[f"{opening.items[0].text}（地面有水渍）"] == "柜员1"
    assert owners[f"{opening.items[6].text}（叫号机无法出票）"] == ""


def test_the_daily_pdf_and_workbook_carry_the_section(month, tmp_path):
    with clock.pinned(at(MONDAY, 18)):
        report = reporting.daily_report(MONDAY)
    pdf, xlsx = tmp_path / "d.pdf", tmp_path / "d.xlsx"
    write_pdf(report, pdf)
    write_xlsx(report, xlsx)
    text = squeeze(pdf_text(pdf))
    assert "检查巡检" in text and "应做未做" in text and "地面有水渍" in text
    book = openpyxl.load_workbook(xlsx)
    runs = book["检查记录"]
    assert runs.max_row - 1 == 4  # the header, then the day's four runs
    failures = book["不合格项"]
    assert [failures.cell(r, 4).value for r in range(2, failures.max_row + 1)] == ["地面有水渍", "叫号机无法出票"]


def test_the_monthly_section_per_day_per_template_and_sampling(month):
    with clock.pinned(at(date(2026, 12, 2), 9)):
        report = reporting.monthly_report(2026, 11)
    s = section(report)
    fig = figures_of(s)
    assert fig["完成检查次数"] == 4
    days = {row[0]: row for row in tables_of(s)["每日检查"].rows}
    assert days[EARLIER][3] == 1 and days[EARLIER][7] == 2  # done 1 of those due; 2 failed items
    assert days[MONDAY][4] == 3 and days[MONDAY][7] == 2
    per_template = {row[0]: row for row in tables_of(s)["各模板检查"].rows}
    assert per_template["班前检查"][1] == 2
    most = dict((row[0], row[1]) for row in tables_of(s)["不合格最多的检查项"].rows)
    opening = template("opening")
    assert most == {opening.items[i].text: 1 for i in (0, 1, 4, 6)}
    sampling = {row[0]: row for row in tables_of(s)["服务抽查得分"].rows}
    for n, person in enumerate(month["people"]):
        mine = [p for (who, _item), p in month["points"].items() if who == person]
        assert sampling[f"柜员{n}"][1] == 6 and sampling[f"柜员{n}"][2] == pytest.approx(sum(mine) / 6)
    assert fig["完成整改项"] == 1
    criteria = tables_of(s)["服务抽查各项得分"].rows
    items = template("sampling").items
    assert [row[0] for row in criteria] == [i.text for i in items]
    for row, item in zip(criteria, items, strict=True):
        given = [p for (_who, item_id), p in month["points"].items() if item_id == item.id]
        assert row[1] == len(given) == 3 and row[2] == pytest.approx(sum(given) / 3)
        assert row[3] == sum(1 for p in given if p <= 2)


def test_a_long_list_of_open_actions_is_cut_in_the_pdf_and_whole_in_excel(configured, tmp_path):
    opening, fire = template("opening"), template("fire")
    walk("opening", at(MONDAY, 8, 30), {n: f"问题{n}" for n in range(len(opening.items))})
    walk("fire", at(MONDAY, 9, 0), {n: f"消防{n}" for n in range(len(fire.items))})
    with clock.pinned(at(MONDAY, 18)):
        report = reporting.daily_report(MONDAY)
    wanted = len(opening.items) + len(fire.items)
    assert wanted > 15
    tables = tables_of(section(report))
    [title] = [t for t in tables if t.startswith("日终待整改项")]
    assert title == "日终待整改项（期限最早的 15 项）" and len(tables[title].rows) == 15
    xlsx = tmp_path / "d.xlsx"
    write_xlsx(report, xlsx)
    assert openpyxl.load_workbook(xlsx)["整改项"].max_row - 1 == wanted
