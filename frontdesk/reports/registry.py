"""Which function draws each kind of block, in PDF and in Excel.

Every block type is registered once with its two renderers, named as ``"module:function"`` so
that reportlab and openpyxl load only when a file of that format is written (they cost ~250 ms
each to import). A tab that needs a new kind of block defines its dataclass (a ``Block``) and
calls ``register_block`` next to it; nothing else changes.

A PDF renderer is ``(block, PdfContext) -> list[Flowable]``; an Excel renderer is
``(block, ExcelContext) -> None`` and appends rows to the summary sheet.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from . import model

Format = Literal["pdf", "excel"]


@dataclass(frozen=True)
class _Entry:
    pdf: str
    excel: str


_entries: dict[type, _Entry] = {}
_loaded: dict[str, Callable[..., Any]] = {}
_lock = threading.Lock()


def register_block(block_type: type, *, pdf: str, excel: str) -> None:
    """Register the renderers of ``block_type`` (``"package.module:function"`` each)."""
    if not (isinstance(block_type, type) and issubclass(block_type, model.Block)):
        raise TypeError(f"{block_type!r} is not a Block type")
    for reference in (pdf, excel):
        if reference.count(":") != 1:
            raise ValueError(f"renderer {reference!r} is not 'module:function'")
    with _lock:
        if block_type in _entries:
            raise ValueError(f"{block_type.__name__} already has renderers")
        _entries[block_type] = _Entry(pdf=pdf, excel=excel)


def renderer(block: model.Block, fmt: Format) -> Callable[..., Any]:
    """The ``fmt`` renderer for ``block`` (its own type's, else its nearest base's)."""
    for cls in type(block).__mro__:
        entry = _entries.get(cls)
        if entry is not None:
            return _load(entry.pdf if fmt == "pdf" else entry.excel)
    raise TypeError(f"no renderer registered for {type(block).__name__}")


def _load(reference: str) -> Callable[..., Any]:
    function = _loaded.get(reference)
    if function is None:
        module_name, _colon, name = reference.partition(":")
        function = getattr(importlib.import_module(module_name), name)
        _loaded[reference] = function
    return function


for _type, _name in (
    (model.KeyFigures, "key_figures"),
    (model.Table, "table"),
    (model.BarChart, "bar_chart"),
    (model.LineChart, "line_chart"),
    (model.Note, "note"),
    (model.Columns, "columns"),
):
    register_block(
        _type, pdf=f"frontdesk.reports.pdf_blocks:{_name}", excel=f"frontdesk.reports.excel_blocks:{_name}"
    )
