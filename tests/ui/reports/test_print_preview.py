"""报表 → 预览 and 打印 through the keyboard: Qt's print preview shows the report's pages, and a
print to a PDF printer puts those pages on paper (read back: page count, pages rendered)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

from frontdesk.db.models import AuditEntry
from frontdesk.ui.kit import printing


def _pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _ink(image: QImage) -> float:
    """Share of sampled pixels that are not white: a blank page is 0."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    dark = total = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            total += 1
            dark += image.pixelColor(x, y).lightness() < 200
    return dark / total


def _exported_pages(dialog, qtbot, tmp_path: Path) -> int:
    """The page count of the same report saved as PDF (the reference for preview and print)."""
    dialog.xlsx.setChecked(False)
    qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(dialog.written) and dialog.preview_button.isEnabled(), timeout=20_000)
    dialog.activateWindow()  # the window manager's part once the progress dialog has gone
    qtbot.waitUntil(dialog.isActiveWindow)
    return _pages_of(dialog.written[0])


def test_alt_v_previews_every_page_of_the_report(dialog, qtbot, tmp_path):
    expected = _exported_pages(dialog, qtbot, tmp_path)
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "printing", None), QPrintPreviewDialog), timeout=20_000)
    preview = dialog.printing
    qtbot.waitExposed(preview)
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == expected, timeout=10_000)
    assert "打印预览" in preview.windowTitle() and "营业厅日报" in preview.windowTitle()
    assert _ink(widget.grab().toImage()) > 0.005  # the page is drawn, not an empty sheet
    exports_before = AuditEntry.select().where(AuditEntry.action == "print").count()
    qtbot.keyClick(preview, Qt.Key.Key_Escape)  # looking is not printing
    qtbot.waitUntil(lambda: not preview.isVisible())
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == exports_before == 0


@pytest.fixture
def file_printer(monkeypatch, tmp_path):
    """The station has no printer: its print dialog starts on 打印到文件 (PDF), as a user picks it."""
    paper = tmp_path / "打印件.pdf"
    make = printing.a4_printer

    def to_file(title):
        printer = make(title)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(paper))
        return printer

    monkeypatch.setattr(printing, "a4_printer", to_file)
    return paper


def test_alt_p_prints_the_pages_to_the_chosen_printer_and_audits_it(dialog, qtbot, tmp_path, file_printer):
    expected = _exported_pages(dialog, qtbot, tmp_path)
    paper = file_printer
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "printing", None), QPrintDialog), timeout=20_000)
    print_dialog = dialog.printing
    qtbot.waitExposed(print_dialog)
    qtbot.keyClick(print_dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已发送到打印机" in dialog.message.text(), timeout=20_000)
    assert _pages_of(paper) == expected
    rendered = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(paper), str(rendered)], check=True)
    page = QImage(str(next(tmp_path.glob("page*.png"))))
    assert page.width() < page.height()  # A4 portrait
    assert _ink(page) > 0.005
    qtbot.waitUntil(lambda: AuditEntry.select().where(AuditEntry.action == "print").count() == 1)
    entry = AuditEntry.select().where(AuditEntry.action == "print").get()
    assert "日报" in entry.detail and str(paper) in entry.detail and f"{expected} 页" in entry.detail


def test_a_cancelled_print_prints_and_records_nothing(dialog, qtbot, tmp_path, file_printer):
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "printing", None), QPrintDialog), timeout=20_000)
    print_dialog = dialog.printing
    qtbot.waitExposed(print_dialog)
    qtbot.keyClick(print_dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not print_dialog.isVisible())
    assert "已发送到打印机" not in dialog.message.text()
    assert AuditEntry.select().where(AuditEntry.action == "print").count() == 0
    assert not file_printer.exists()
