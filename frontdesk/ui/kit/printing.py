"""Printing and previewing the PDFs FrontDesk writes (the reports, the 一次性告知 slip).

A document is printed exactly as it was saved: its PDF pages are rasterised by PDFium (the
engine inside QtPdf and Chromium, here through ``pypdfium2``, a 10 MB wheel instead of the
175 MB PySide6-Addons that would bring QtPdf) and painted on the printer's page, so the preview,
the paper and the PDF file agree. The preview is Qt's own 打印预览 dialog (zoom, page navigation,
page set-up and the print button, all in Chinese through ``qtbase_zh_CN``).

Pages are rendered at the printer's resolution, capped at 300 dpi for paper (sharp text on a
laser printer at a tenth of the memory of 1200 dpi) and 120 dpi for the preview's pictures.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSettings, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
)
from PySide6.QtWidgets import QWidget

PRINTER_KEY = "printing/printer"  # the printer this station last printed on
PAPER_DPI = 300
PREVIEW_DPI = 120


class PdfPages:
    """The pages of one PDF document (bytes), rendered on demand to ``QImage``s."""

    def __init__(self, pdf: bytes) -> None:
        import pypdfium2  # loaded when something is printed, not at start-up

        self._document = pypdfium2.PdfDocument(pdf)

    def __len__(self) -> int:
        return len(self._document)

    def size_points(self, index: int) -> QSizeF:
        width, height = self._document[index].get_size()
        return QSizeF(width, height)

    def image(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (0-based) at ``dpi`` on a white background."""
        page = self._document[index]
        bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True, fill_color=(255, 255, 255, 255))
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        data = bytes(bitmap.buffer)
        # RGB (rev_byteorder), three bytes a pixel; copy() detaches the image from ``data``.
        return QImage(data, width, height, stride, QImage.Format.Format_RGB888).copy()

    def close(self) -> None:
        self._document.close()


def _page_range(printer: QPrinter, count: int) -> range:
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return range(count)
    return range(max(first, 1) - 1, min(last, count))


def paint_pages(pages: PdfPages, printer: QPrinter) -> int:
    """Paint ``pages`` (those the print dialog chose) on ``printer``; the number painted.

    Each page is scaled to fit the printable area keeping its proportions, centred — an A4
    report on A4 paper fills it exactly.
    """
    preview = printer.paintEngine() is not None and printer.paintEngine().type() == \
        printer.paintEngine().Type.Picture
    dpi = min(printer.resolution(), PREVIEW_DPI if preview else PAPER_DPI)
    wanted = _page_range(printer, len(pages))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    painted = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for number, index in enumerate(wanted):
            if number and not printer.newPage():
                break
            image = pages.image(index, dpi)
            size = QSizeF(image.width(), image.height())
            size.scale(QSizeF(area.width(), area.height()), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF((area.width() - size.width()) / 2, (area.height() - size.height()) / 2,
                            size.width(), size.height())
            painter.drawImage(target, image)
            painted += 1
    finally:
        painter.end()
    return painted


def a4_printer(title: str) -> QPrinter:
    """A printer set up for A4 portrait, the document's title as the job name; this station's
    last printer if it is still installed, else the system's default."""
    return page_printer(title, QPageSize(QPageSize.PageSizeId.A4))


def remembered_printer(key: str = PRINTER_KEY) -> str:
    """The printer this station last used for ``key``'s documents, if it is still installed."""
    remembered = QSettings().value(key, "", type=str)
    return remembered if remembered and remembered in QPrinterInfo.availablePrinterNames() else ""


def page_printer(title: str, page_size: QPageSize, key: str = PRINTER_KEY, *,
                 full_page: bool = False) -> QPrinter:
    """A printer for pages of ``page_size`` (portrait): this station's last printer for ``key``'s
    documents if it is still installed, else the system's default. ``full_page``: the document
    brings its own margins (a receipt roll, which has no unprintable border to keep)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    remembered = remembered_printer(key)
    if remembered:
        printer.setPrinterName(remembered)
    printer.setPageSize(page_size)
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName(title)
    printer.setFullPage(full_page)
    return printer


def _allow_page_range(dialog: QAbstractPrintDialog, count: int) -> None:
    dialog.setMinMax(1, max(count, 1))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)


def remember(printer: QPrinter, key: str = PRINTER_KEY) -> None:
    """The printer used becomes this station's choice for the next print of ``key``'s documents."""
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
        QSettings().setValue(key, printer.printerName())


def printer_name(printer: QPrinter) -> str:
    """What an audit entry calls the printer: its name, or the file it printed to."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return printer.outputFileName() or "PDF"
    return printer.printerName()


def open_print_dialog(parent: QWidget, pdf: bytes, title: str,
                      printed: Callable[[QPrinter, int], None], *, printer: QPrinter | None = None,
                      key: str = PRINTER_KEY) -> QPrintDialog:
    """打印…: Qt's print dialog (printer, copies, pages) opened window-modal; on 打印 the pages go
    to the printer and ``printed(printer, pages)`` is called. ``printer``: one set up for the
    document's own paper (a receipt roll), kept whatever paper the dialog proposes (it falls
    back to the locale's, Letter, for a size it does not list); default: A4, the dialog's choice
    respected. ``key``: under which the printer chosen is remembered."""
    pages = PdfPages(pdf)
    fixed = printer.pageLayout() if printer is not None else None
    printer = printer if printer is not None else a4_printer(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(parent.tr("打印") + " — " + title)
    _allow_page_range(dialog, len(pages))
    dialog._printer = printer  # kept alive with the dialog  # noqa: SLF001

    def finished(result: int) -> None:
        try:
            if result == QPrintDialog.DialogCode.Accepted:
                if fixed is not None:
                    printer.setPageLayout(fixed)
                remember(printer, key)
                printed(printer, paint_pages(pages, printer))
        finally:
            pages.close()

    dialog.finished.connect(finished)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


def open_preview(parent: QWidget, pdf: bytes, title: str,
                 printed: Callable[[QPrinter, int], None], *, printer: QPrinter | None = None,
                 key: str = PRINTER_KEY) -> QPrintPreviewDialog:
    """打印预览: the pages as they will come out of the printer; its print button prints them and
    calls ``printed(printer, pages)``. ``printer`` and ``key`` as for ``open_print_dialog``."""
    pages = PdfPages(pdf)
    printer = printer if printer is not None else a4_printer(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("printPreview")
    dialog.setWindowTitle(parent.tr("打印预览") + " — " + title)
    dialog._printer = printer  # noqa: SLF001
    last = {"count": 0}

    def paint(target: QPrinter) -> None:
        last["count"] = paint_pages(pages, target)

    dialog.paintRequested.connect(paint)
    # The preview dialog accepts only after its print dialog was accepted and the pages printed.
    def accepted() -> None:
        remember(printer, key)
        printed(printer, last["count"])

    dialog.accepted.connect(accepted)
    dialog.finished.connect(lambda _result: pages.close())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
