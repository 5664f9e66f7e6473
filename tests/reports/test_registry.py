"""A new kind of block is added by registering its two renderers, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from frontdesk.reports import (
    Block,
    Note,
    Report,
    ReportKind,
    Section,
    registry,
    write_pdf,
    write_xlsx,
)
from tests.reports.conftest import pdf_text


@dataclass(frozen=True)
class Stamp(Block):
    """A block only this test knows: a boxed remark."""

    text: str


def render_pdf(block: Stamp, context) -> list:
    return [context.paragraph(f"【{block.text}】")]


def render_excel(block: Stamp, context) -> None:
    context.append([context.text(f"【{block.text}】")])


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_entries", dict(registry._entries))


def report(*blocks) -> Report:
    return Report(ReportKind.DAILY, "营业厅日报", "测试营业厅", "2026年11月20日", "王芳",
                  datetime(2026, 11, 20, 17, 45), sections=[Section("x", "投诉", blocks)])


def test_a_registered_block_renders_in_both_formats(tmp_path: Path, clean_registry) -> None:
    registry.register_block(Stamp, pdf=f"{__name__}:render_pdf", excel=f"{__name__}:render_excel")
    write_pdf(report(Stamp("已盖章"), Note("旁注")), tmp_path / "r.pdf")
    write_xlsx(report(Stamp("已盖章"), Note("旁注")), tmp_path / "r.xlsx")
    assert "【已盖章】" in pdf_text(tmp_path / "r.pdf")
    values = [row[0] for row in openpyxl.load_workbook(tmp_path / "r.xlsx")["汇总"]
              .iter_rows(values_only=True)]
    assert "【已盖章】" in values and "旁注" in values


def test_an_unknown_block_is_refused_before_anything_is_written(tmp_path: Path,
                                                               clean_registry) -> None:
    with pytest.raises(TypeError, match="no renderer registered for Stamp"):
        write_pdf(report(Stamp("x")), tmp_path / "r.pdf")
    with pytest.raises(TypeError, match="no renderer registered for Stamp"):
        write_xlsx(report(Stamp("x")), tmp_path / "r.xlsx")
    assert not list(tmp_path.iterdir())


def test_a_block_type_is_registered_once(clean_registry) -> None:
    registry.register_block(Stamp, pdf="m:f", excel="m:g")
    with pytest.raises(ValueError, match="already has renderers"):
        registry.register_block(Stamp, pdf="m:f", excel="m:g")
    with pytest.raises(TypeError, match="not a Block"):
        registry.register_block(int, pdf="m:f", excel="m:g")
    with pytest.raises(ValueError, match="module:function"):
        registry.register_block(Note, pdf="no-colon", excel="m:g")
