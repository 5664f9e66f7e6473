"""The 一次性告知单 from quick entry, driven from the keyboard: Ctrl+P after unticking 资料齐全
registers the customer and opens the slip; Space changes a tick; Enter prints (here to a PDF
printer, read back: text, and a page exactly as wide as the roll); the slip is recorded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication

from frontdesk.db.models import AuditEntry, VisitCare
from frontdesk.services import slips, visitors
from frontdesk.ui.kit import printing
from frontdesk.ui.visitors import slip_dialog
from frontdesk.ui.visitors.quick_entry import QuickEntryForm
from tests.ui.visitors.test_quick_entry import Keyboard, click_box
from tests.ui.widget_helpers import show_active

POINTS_PER_MM = 72 / 25.4


@pytest.fixture
def form(configured, qtbot):
    for key in (slip_dialog.FORMAT_KEY, slip_dialog.PRINTER_KEY):
        QSettings().remove(key)
    widget = show_active(qtbot, QuickEntryForm(), 900, 560)
    widget.focus_first()
    return widget


@pytest.fixture
def file_printer(monkeypatch, tmp_path):
    """The station has no printer: its print dialog starts on 打印到文件 (PDF), as a user picks it."""
    paper = tmp_path / "告知单.pdf"
    make = printing.page_printer

    def to_file(title, page_size, key=printing.PRINTER_KEY, **kw):
        printer = make(title, page_size, key, **kw)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(paper))
        return printer

    monkeypatch.setattr(printing, "page_printer", to_file)
    return paper


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return "".join(out.split())


def _width_mm(path: Path) -> float:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    return float(line.split(":", 1)[1].split()[0]) / POINTS_PER_MM


def _ink_rows(path: Path) -> int:
    """Rows of the printed page's picture that carry ink: an empty sheet has none."""
    from PySide6.QtGui import QImage

    prefix = path.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(path), str(prefix)], check=True)
    image = QImage(str(prefix) + ".png")
    return sum(any(image.pixelColor(x, y).lightness() < 128 for x in range(0, image.width(), 2))
               for y in range(image.height()))


def _press_print(qtbot, print_dialog) -> None:
    """打印 in Qt's print dialog, once the window manager has made it the active window."""
    qtbot.waitExposed(print_dialog)
    print_dialog.activateWindow()
    qtbot.waitActive(print_dialog)
    qtbot.keyClick(print_dialog, Qt.Key.Key_Return)


def _claim_with_missing_papers(form, keyboard, qtbot) -> None:
    keyboard.press("5", "1")  # 理赔 → 1号窗口
    click_box(qtbot, form.documents_complete)
    form.missing.setFocus()
    keyboard.type("病历/诊断证明、事故证明")


def _open_slip(form, qtbot):
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.slip_dialog is not None and form.slip_dialog.draft is not None, timeout=10_000)
    dialog = form.slip_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_ctrl_p_registers_and_enter_prints_the_slip_on_an_80_mm_roll(form, qtbot, file_printer):
    keyboard = Keyboard(qtbot)
    _claim_with_missing_papers(form, keyboard, qtbot)
    dialog = _open_slip(form, qtbot)
    [row] = visitors.waiting_now()
    assert dialog.visit_id == row.id and row.missing_documents == ("病历/诊断证明", "事故证明")
    assert dialog.missing() == ("病历/诊断证明", "事故证明")  # pre-ticked as marked
    assert dialog.fmt() == "roll80"  # the receipt printer is the default
    assert QApplication.focusWidget() is dialog.papers

    qtbot.keyClick(dialog.papers, Qt.Key.Key_Space)  # the first paper (理赔申请书) is missing too
    assert dialog.missing() == ("理赔申请书", "病历/诊断证明", "事故证明")
    qtbot.keyClick(dialog.papers, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(dialog.printing, QPrintDialog), timeout=10_000)
    first = dialog.printing
    _press_print(qtbot, dialog.printing)
    qtbot.waitUntil(lambda: "已交给客户" in dialog.status.text(), timeout=10_000)

    assert dialog.printing is first  # one print dialog: Enter in it did not print again
    assert _width_mm(file_printer) == pytest.approx(80, abs=0.5)
    [record] = slips.slips_of(row.id)
    assert "理赔申请书、病历/诊断证明、事故证明" in record.detail and str(file_printer) in record.detail
    entry = AuditEntry.select().where(AuditEntry.action == "slip").get()
    assert entry.entity_id == row.id and "80" in entry.detail
    assert _ink_rows(file_printer) > 20  # the printed page carries the slip (as a picture)


def test_the_format_is_remembered_and_a_58_mm_slip_prints_on_58_mm(form, qtbot, file_printer):
    keyboard = Keyboard(qtbot)
    _claim_with_missing_papers(form, keyboard, qtbot)
    dialog = _open_slip(form, qtbot)
    dialog.format.setFocus()
    qtbot.keyClick(dialog.format, Qt.Key.Key_Down)  # 小票 58 毫米
    assert dialog.fmt() == "roll58"
    assert QSettings().value(slip_dialog.FORMAT_KEY) == "roll58"
    qtbot.keyClick(dialog.format, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(dialog.printing, QPrintDialog), timeout=10_000)
    _press_print(qtbot, dialog.printing)
    qtbot.waitUntil(lambda: "已交给客户" in dialog.status.text(), timeout=10_000)
    assert _width_mm(file_printer) == pytest.approx(58, abs=0.5)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.business)  # ready for the next customer

    _claim_with_missing_papers(form, keyboard, qtbot)
    again = _open_slip(form, qtbot)
    assert again.fmt() == "roll58"  # this station prints on its 58 mm roll


def test_alt_v_previews_the_slip_and_looking_records_nothing(form, qtbot):
    keyboard = Keyboard(qtbot)
    _claim_with_missing_papers(form, keyboard, qtbot)
    dialog = _open_slip(form, qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(dialog.printing, QPrintPreviewDialog), timeout=10_000)
    preview = dialog.printing
    qtbot.waitExposed(preview)
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == 1, timeout=10_000)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not preview.isVisible())
    assert VisitCare.select().count() == 0


def test_nothing_ticked_prints_nothing(form, qtbot, file_printer):
    keyboard = Keyboard(qtbot)
    _claim_with_missing_papers(form, keyboard, qtbot)
    dialog = _open_slip(form, qtbot)
    for row in range(dialog.papers.count()):
        dialog.papers.setCurrentRow(row)
        if dialog.papers.item(row).checkState() == Qt.CheckState.Checked:
            qtbot.keyClick(dialog.papers, Qt.Key.Key_Space)
    assert dialog.missing() == ()
    qtbot.keyClick(dialog.papers, Qt.Key.Key_Return)
    assert "至少勾选一项" in dialog.message.text()
    assert dialog.printing is None and not file_printer.exists()


def test_alt_s_saves_the_slip_as_a_pdf_for_the_customer(form, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "给客户.pdf"
    monkeypatch.setattr(slip_dialog.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kw: (str(target), "")))
    keyboard = Keyboard(qtbot)
    _claim_with_missing_papers(form, keyboard, qtbot)
    dialog = _open_slip(form, qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "已交给客户" in dialog.status.text(), timeout=10_000)
    text = _text(target)
    assert "一次性告知单" in text and "事故证明" in text and "请备齐以上资料后再来办理，谢谢！" in text
    assert _width_mm(target) == pytest.approx(80, abs=0.5)
    assert str(target) in slips.slips_of(dialog.visit_id)[0].detail


def test_ctrl_p_with_papers_complete_says_why_and_registers_nothing(form, qtbot):
    keyboard = Keyboard(qtbot)
    keyboard.press("5", "1")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "资料齐全时无需告知单" in form.errors.message("missing_documents")
    assert form.slip_dialog is None and visitors.waiting_now() == []



def test_an_a4_sheet_prints_on_a4(form, qtbot, file_printer):
    """The issue's sheet formats: A5 and A4, chosen by keys like the rolls."""
    keyboard = Keyboard(qtbot)
    _claim_with_missing_papers(form, keyboard, qtbot)
    dialog = _open_slip(form, qtbot)
    dialog.format.setFocus()
    for _step in range(3):  # 小票 80 → 小票 58 → A5 → A4
        qtbot.keyClick(dialog.format, Qt.Key.Key_Down)
    assert dialog.fmt() == "a4" and dialog.format.currentText() == "A4 纸"
    qtbot.keyClick(dialog.format, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(dialog.printing, QPrintDialog), timeout=10_000)
    _press_print(qtbot, dialog.printing)
    qtbot.waitUntil(lambda: "已交给客户" in dialog.status.text(), timeout=10_000)
    assert _width_mm(file_printer) == pytest.approx(210, abs=1)
    [record] = slips.slips_of(visitors.waiting_now()[0].id)
    assert record.detail.startswith("A4 纸")
    assert _ink_rows(file_printer) > 20
