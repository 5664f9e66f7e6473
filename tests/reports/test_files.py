"""Reports are written whole or not at all, in both formats."""

from __future__ import annotations

import errno
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from frontdesk.errors import UserError
from frontdesk.reports import (
    Column,
    DetailSheet,
    Kind,
    Note,
    Report,
    ReportKind,
    Section,
    Table,
    write_pdf,
    write_xlsx,
)
from frontdesk.reports.files import write_atomically
from tests.reports.conftest import pdf_text, squeeze

WRITERS = [
    pytest.param(write_pdf, "frontdesk.reports.pdf_blocks", ".pdf", id="pdf"),
    pytest.param(write_xlsx, "frontdesk.reports.excel_blocks", ".xlsx", id="excel"),
]


def note_report(text: str) -> Report:
    return Report(ReportKind.DAILY, "营业厅日报", "测试营业厅", "2026年11月20日", "王芳",
                  datetime(2026, 11, 20, 17, 45), sections=[Section("s", "一、来访", [Note(text)])])


@pytest.fixture
def broken_notes(monkeypatch):
    """Make the note renderer of ``module`` fail half-way through a report."""

    def breaking(module: str) -> None:
        def broken(block, context):
            raise RuntimeError("renderer failed half-way")

        monkeypatch.setattr(f"{module}.note", broken)
        monkeypatch.setattr("frontdesk.reports.registry._loaded", {})

    return breaking


@pytest.mark.parametrize(("write", "module", "suffix"), WRITERS)
def test_a_failure_mid_write_leaves_no_file_and_keeps_the_old_one(
        tmp_path: Path, broken_notes, write, module: str, suffix: str) -> None:
    target = tmp_path / f"日报{suffix}"
    write(note_report("旧的日报"), target)
    old = target.read_bytes()
    broken_notes(module)
    with pytest.raises(RuntimeError, match="half-way"):
        write(note_report("新的日报"), target)
    assert target.read_bytes() == old
    with pytest.raises(RuntimeError, match="half-way"):
        write(note_report("新的日报"), tmp_path / f"new{suffix}")
    assert [p.name for p in tmp_path.iterdir()] == [target.name], "no temporary file left"


@pytest.mark.parametrize(("write", "module", "suffix"), WRITERS)
def test_a_stream_gets_nothing_from_a_failed_write(broken_notes, write, module: str,
                                                   suffix: str) -> None:
    broken_notes(module)
    stream = io.BytesIO()
    with pytest.raises(RuntimeError):
        write(note_report("x"), stream)
    assert stream.getvalue() == b""


def test_a_report_open_in_another_program_is_a_user_error(tmp_path: Path, monkeypatch) -> None:
    """Windows refuses to replace a file Excel has open: say so, and leave nothing behind."""

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr("frontdesk.reports.files.os.replace", refuse)
    with pytest.raises(UserError, match="正被其他程序"):
        write_xlsx(note_report("x"), tmp_path / "日报.xlsx")
    assert not list(tmp_path.iterdir())


def test_a_full_disk_is_a_user_error(tmp_path: Path) -> None:
    def produce(stream):
        stream.write(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(UserError, match="磁盘已满"):
        write_atomically(tmp_path / "日报.pdf", produce)
    assert not list(tmp_path.iterdir())


def test_every_kind_of_value_and_no_value_renders_in_both_formats(tmp_path: Path) -> None:
    columns = [Column(kind.value, kind) for kind in Kind]
    values = {Kind.TEXT: "缴费", Kind.INTEGER: 3, Kind.NUMBER: 92.25,
              Kind.MINUTES: timedelta(minutes=12, seconds=18), Kind.PERCENT: 0.235,
              Kind.DATE: date(2026, 11, 20), Kind.WEEKDAY: date(2026, 11, 20),
              Kind.TIME: time(9, 5), Kind.DATETIME: datetime(2026, 11, 20, 9, 5)}
    row = tuple(values[kind] for kind in Kind)
    empty = (None,) * len(columns)
    report = Report(ReportKind.DAILY, "营业厅日报", "测试营业厅", "2026年11月20日", "王芳",
                    datetime(2026, 11, 20, 17, 45),
                    sections=[Section("s", "一", [Table(columns, [row, empty], totals=empty)])],
                    details=[DetailSheet("明细", columns, [empty, row])])
    write_pdf(report, tmp_path / "r.pdf")
    write_xlsx(report, tmp_path / "r.xlsx")
    text = squeeze(pdf_text(tmp_path / "r.pdf"))
    for shown in ("缴费", "92.3", "12.3", "23.5%", "2026-11-20", "星期五", "09:05",
                  "2026-11-2009:05"):
        assert shown in text, shown
    detail = list(openpyxl.load_workbook(tmp_path / "r.xlsx")["明细"].iter_rows(values_only=True))
    assert detail[1] == empty  # no value is an empty cell, not a dash
    assert detail[2][:4] == ("缴费", 3, 92.25, timedelta(minutes=12, seconds=18))
    assert detail[2][4] == pytest.approx(0.235)
    assert detail[2][5:] == (datetime(2026, 11, 20), "星期五", time(9, 5),
                             datetime(2026, 11, 20, 9, 5))
