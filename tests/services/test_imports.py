"""Importing old visitor logs: all or nothing, every bad row named by line, GBK and UTF-8 CSV
and .xlsx, labels matched to the lists (or added on request), the same file never twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import openpyxl
import pytest

from frontdesk.db.models import AuditEntry, ListItem, Visit
from frontdesk.services import imports, lists, visitors

# The old logs are of October 2026; the import runs on an ordinary morning after it.
pytestmark = pytest.mark.usefixtures("weekday_morning")

HEADER = "到达时间,业务类型,分流去向,叫号时间,办结时间,办理结果,特殊客户,贵宾,电话,客户称呼,经办人\n"


def write_csv(path, lines: list[str], encoding: str = "utf-8") -> None:
    path.write_bytes((HEADER + "".join(line + "\n" for line in lines)).encode(encoding))


def test_a_gbk_csv_from_chinese_excel_imports_with_its_times_and_flags(configured, as_command_line, tmp_path):
    path = tmp_path / "旧登记.csv"
    write_csv(path, [
        "2026/10/08 09:12,理赔,1号窗口,09:20,09:35,办结,老年人、行动不便,是,13812345678,王大爷,王芳",
        "2026-10-08 10:05,咨询,咨询台,,,,,否,,,",
        "2026-10-08 10:30,缴费,2号窗口,,10:50,未办理离开,,,,李女士,",
    ], encoding="gbk")
    result = imports.import_visits(path)
    assert result.ok and result.written and result.rows == 3
    rows = list(Visit.select().order_by(Visit.arrived_at))
    first = rows[0]
    assert first.arrived_at == datetime(2026, 10, 8, 9, 12)
    assert first.called_at == datetime(2026, 10, 8, 9, 20) and first.finished_at == datetime(2026, 10, 8, 9, 35)
    assert first.status == visitors.FINISHED and first.vip and first.phone == "13812345678"
    assert visitors.bits_to_needs(first.special_needs) == {"elderly", "walking"}
    assert rows[1].status == visitors.WAITING and rows[2].status == visitors.LEFT
    entry = AuditEntry.select().where(AuditEntry.action == "import").get()
    assert "3 条" in entry.detail and imports.file_digest(path) in entry.detail


def test_every_bad_row_is_named_and_nothing_is_written(configured, as_command_line, tmp_path):
    path = tmp_path / "log.csv"
    write_csv(path, [
        "2026-10-08 09:12,理赔,1号窗口,,,,,,,,",
        "2026-10-08 09:30,洗车,1号窗口,,,,,,,,",  # line 3: unknown business type
        "昨天上午,理赔,1号窗口,,,,,,,,",  # line 4: not a date
        "2026-10-08 09:40,理赔,1号窗口,09:30,,,,,,,",  # line 5: called before arrival
        "2026-10-08 09:50,理赔,1号窗口,,,,,可能,,,",  # line 6: yes/no
        "",
        "2026-10-08 10:00,理赔,1号窗口,,,,,,12345,,",  # line 8: not a phone number
    ])
    before = Visit.select().count()
    result = imports.import_visits(path)
    assert not result.ok and not result.written
    assert [p.line for p in result.problems] == [3, 4, 5, 6, 8]
    messages = dict((p.line, p.message) for p in result.problems)
    assert "洗车" in messages[3] and "不在设置的列表中" in messages[3]
    assert "昨天上午" in messages[4]
    assert "叫号时间不能早于到达时间" in messages[5]
    assert "是" in messages[6] and "可能" in messages[6]
    assert "电话" in messages[8]
    assert Visit.select().count() == before
    assert not AuditEntry.select().where(AuditEntry.action == "import").exists()


def test_missing_labels_are_added_on_request_and_a_dry_run_writes_nothing(configured, as_command_line, tmp_path):
    path = tmp_path / "log.csv"
    write_csv(path, ["2026-10-08 09:12,代发工资,对公窗口,,,,,,,,"])
    dry = imports.import_visits(path, add_missing_labels=True, dry_run=True)
    assert dry.ok and not dry.written and dry.added_labels == ("代发工资", "对公窗口")
    assert Visit.select().count() == 0 and not ListItem.select().where(ListItem.label == "代发工资").exists()
    done = imports.import_visits(path, add_missing_labels=True)
    assert done.written
    bt = {e.label for e in lists.entries("business_type")}
    assert "代发工资" in bt and Visit.select().count() == 1


def test_the_same_file_is_never_imported_twice(configured, as_command_line, tmp_path):
    path = tmp_path / "log.csv"
    write_csv(path, ["2026-10-08 09:12,理赔,1号窗口,,,,,,,,"])
    imports.import_visits(path)
    with pytest.raises(imports.ImportRefused, match="导入过"):
        imports.import_visits(path)
    assert Visit.select().count() == 1


def test_the_template_imports_as_it_is(configured, as_command_line, tmp_path):
    template = imports.write_template(tmp_path)
    book = openpyxl.load_workbook(template)
    header = [c.value for c in book.worksheets[0][1]]
    assert header == [c.header for c in imports.COLUMNS]
    assert isinstance(book.worksheets[0].cell(row=2, column=1).value, datetime)
    result = imports.import_visits(template)
    assert result.written and result.rows == 1
    row = Visit.get()
    assert row.finished_at - row.called_at == timedelta(minutes=15)


def test_unknown_columns_are_refused_before_any_row(configured, as_command_line, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("到达时间,业务类型,分流去向,心情\n2026-10-08 09:12,理赔,1号窗口,好\n", encoding="utf-8")
    with pytest.raises(imports.ImportRefused, match="心情"):
        imports.import_visits(path)
