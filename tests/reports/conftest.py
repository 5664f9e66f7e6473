"""Fixtures for the report tests: poppler tools, and a clean font cache per test."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def poppler(tool: str, *args: str) -> str:
    """Run a poppler tool (pdftotext, pdffonts, pdfinfo …) and return its output."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    result = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60,
                            check=True)
    return result.stdout


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    pages = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    return poppler("pdftotext", *pages, "-enc", "UTF-8", str(path), "-")


def squeeze(text: str) -> str:
    """Text without whitespace: poppler puts or drops spaces between Chinese characters."""
    return "".join(text.split())


def page_count(path: Path) -> int:
    for line in poppler("pdfinfo", str(path)).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")


@pytest.fixture
def fresh_font_cache(monkeypatch):
    """Each test finds its font again (the cache is per process)."""
    from frontdesk.reports import fonts

    monkeypatch.setattr(fonts, "_registered", {})
