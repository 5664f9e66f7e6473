"""The 一次性告知单 of one visit: tick the papers still missing, then print it (seed 002).

Opened from quick entry (Ctrl+P registers the customer and opens it), from the waiting panel
(F10) and from a visit's dialog (Ctrl+P, ticked as that dialog shows the papers).
Enter prints: straight to this station's slip printer once one has been chosen, else through
the print dialog (which remembers the choice). Alt+V shows the print preview, Alt+S saves the
slip as a PDF for the customer. The format (receipt roll 80 or 58 mm, or an A5 or A4 sheet) is remembered per
station, like the printer. Every slip that reaches the customer is recorded on the visit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSizeF, Qt, Signal
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import slips
from frontdesk.services.slips import PRINTED, SAVED_PDF, SlipDraft
from frontdesk.ui.kit import printing
from frontdesk.ui.kit.changes import VISIT
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp

FORMAT_KEY = "slip/format"  # the format this station prints slips in
PRINTER_KEY = "slip/printer"  # the printer this station prints slips on (a receipt printer)


class SlipDialog(QDialog):
    recorded = Signal(object)  # a slips.SlipRecord: a slip reached the customer

    def __init__(self, visit_id: int, parent: QWidget | None = None,
                 marked: tuple[str, ...] | None = None) -> None:
        super().__init__(parent)
        from frontdesk.reports import slip as layout  # reportlab: loaded when a slip is made

        self._layout = layout
        self.visit_id = visit_id
        self.draft: SlipDraft | None = None
        self.printing: QDialog | None = None
        self._pdf = b""  # the slip as last rendered for printing
        self.setObjectName("slipDialog")
        self.setWindowTitle(self.tr("一次性告知单"))
        self.resize(460, 460)

        self.heading = QLabel()
        self.heading.setObjectName("slipHeading")
        self.heading.setWordWrap(True)
        self.papers = QListWidget()
        self.papers.setObjectName("slipPapers")
        papers_label = QLabel(self.tr("尚缺资料（空格键勾选/取消）(&L)"))
        papers_label.setBuddy(self.papers)
        self.format = QComboBox()
        self.format.setObjectName("slipFormat")
        for code, label in layout.FORMATS.items():
            self.format.addItem(label, code)
        remembered = QSettings().value(FORMAT_KEY, layout.ROLL_80, type=str)
        self.format.setCurrentIndex(max(0, self.format.findData(remembered)))
        self.format.currentIndexChanged.connect(self._format_changed)
        format_label = QLabel(self.tr("纸张(&F)"))
        format_label.setBuddy(self.format)

        self.message = QLabel()
        self.message.setObjectName("slipMessage")
        self.message.setWordWrap(True)
        self.errors = FormErrors(self.message)
        self.status = QLabel()
        self.status.setObjectName("slipStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #2e7d32;")

        self.print_button = QPushButton(self.tr("打印（Enter）"))
        self.print_button.setObjectName("slipPrint")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_slip)
        self.preview_button = QPushButton(self.tr("打印预览(&V)"))
        self.preview_button.setObjectName("slipPreview")
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button = QPushButton(self.tr("存为 PDF(&S)"))
        self.pdf_button.setObjectName("slipPdf")
        self.pdf_button.clicked.connect(self.save_pdf)
        close = QPushButton(self.tr("关闭（Esc）"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        for button in (self.preview_button, self.pdf_button):
            button.setAutoDefault(False)

        layout_ = QVBoxLayout(self)
        layout_.addWidget(self.heading)
        layout_.addWidget(papers_label)
        layout_.addWidget(self.papers, 1)
        row = QHBoxLayout()
        row.addWidget(format_label)
        row.addWidget(self.format, 1)
        layout_.addLayout(row)
        layout_.addWidget(self.message)
        layout_.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.print_button)
        layout_.addLayout(buttons)
        # Enter prints from the list and the format box alike: both pass it on to the dialog,
        # whose default button is 打印 (a shortcut here would also fire inside the print dialog).
        self._set_busy(True)
        QueryOp(self, lambda: slips.draft(visit_id, marked)).success(self._drafted).failure(self._refused).run()

    # ------------------------------------------------------------------ content

    def _drafted(self, draft: SlipDraft) -> None:
        self.draft = draft
        self.heading.setText(self.tr("<b>{business}</b>　{branch}　告知人：{guide}").format(
            business=draft.business_type, branch=draft.branch, guide=draft.guide))
        self.papers.clear()
        for paper in draft.papers:
            text = f"{paper.label}　—　{paper.purpose}" if paper.purpose else paper.label
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, paper.label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if paper.missing else Qt.CheckState.Unchecked)
            self.papers.addItem(item)
        if not draft.papers:
            self._say(self.tr("这项业务没有资料清单，登记时也未填写所缺资料；"
                              "管理员可在“设置 → 告知资料”中添加。"))
        self.papers.setCurrentRow(0)
        self.papers.setFocus(Qt.FocusReason.OtherFocusReason)
        self._set_busy(False)

    def missing(self) -> tuple[str, ...]:
        """The papers ticked, in the list's order."""
        return tuple(
            self.papers.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.papers.count())
            if self.papers.item(i).checkState() == Qt.CheckState.Checked
        )

    def fmt(self) -> str:
        return self.format.currentData()

    def slip(self):
        """The slip as the report layer draws it: every paper of the list, the ticked ones missing."""
        draft = self.draft
        assert draft is not None
        ticked = set(self.missing())
        return self._layout.Slip(
            branch=draft.branch,
            day=f"{draft.day.year}年{draft.day.month}月{draft.day.day}日",
            business_type=draft.business_type,
            papers=tuple(self._layout.SlipPaper(p.label, p.purpose, p.label in ticked) for p in draft.papers),
            opening_hours=draft.opening_hours,
            phone=draft.phone,
            guide=draft.guide,
        )

    def pdf(self) -> bytes:
        return self._layout.slip_bytes(self.slip(), self.fmt())

    def _format_changed(self, _index: int) -> None:
        QSettings().setValue(FORMAT_KEY, self.fmt())

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.print_button, self.preview_button, self.pdf_button):
            widget.setEnabled(not busy)

    def _ready(self) -> bool:
        if self.draft is None or not self.print_button.isEnabled():
            return False
        if not self.missing():
            self._say(self.tr("请至少勾选一项尚缺的资料。"))
            self.papers.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.errors.clear()
        self.status.clear()
        return True

    # ------------------------------------------------------------------ printing

    def printer(self) -> QPrinter:
        """A printer set up for this format's paper; a roll is exactly as long as the slip."""
        title = self.tr("一次性告知单")
        fmt = self.fmt()
        if fmt in self._layout.SHEETS:
            size = QPageSize.PageSizeId.A5 if fmt == self._layout.SHEET_A5 else QPageSize.PageSizeId.A4
            return printing.page_printer(title, QPageSize(size), PRINTER_KEY)
        pages = printing.PdfPages(self._pdf)
        try:
            size = pages.size_points(0)
        finally:
            pages.close()
        points_per_mm = 72 / 25.4
        paper = QPageSize(QSizeF(size.width() / points_per_mm, size.height() / points_per_mm),
                          QPageSize.Unit.Millimeter, title, QPageSize.SizeMatchPolicy.ExactMatch)
        return printing.page_printer(title, paper, PRINTER_KEY, full_page=True)

    def print_slip(self) -> None:
        """Enter: to this station's slip printer if one was chosen before, else the print dialog."""
        if not self._ready():
            return
        self._pdf = self.pdf()
        printer = self.printer()
        if printing.remembered_printer(PRINTER_KEY) and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            pages = printing.PdfPages(self._pdf)
            try:
                count = printing.paint_pages(pages, printer)
            finally:
                pages.close()
            self._printed(printer, count)
            return
        self.printing = printing.open_print_dialog(self, self._pdf, self.tr("一次性告知单"), self._printed,
                                                   printer=printer, key=PRINTER_KEY)

    def preview(self) -> None:
        if not self._ready():
            return
        self._pdf = self.pdf()
        self.printing = printing.open_preview(self, self._pdf, self.tr("一次性告知单"), self._printed,
                                              printer=self.printer(), key=PRINTER_KEY)

    def _printed(self, printer: QPrinter, pages: int) -> None:
        if pages <= 0:
            self._say(self.tr("打印机未能打印告知单，请检查打印机。"))
            return
        self._record(PRINTED, printing.printer_name(printer))

    def save_pdf(self) -> None:
        if not self._ready():
            return
        name = self.tr("一次性告知单-{business}.pdf").format(business=self.draft.business_type.replace("/", "-"))
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("存为 PDF"), str(Path.home() / name),
                                                    self.tr("PDF 文件 (*.pdf)"))
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        """The slip as a PDF file for the customer (a phone message, an e-mail), recorded."""
        try:
            self._layout.write_slip(self.slip(), path, self.fmt())
        except UserError as error:
            self.errors.show(error)
            return
        self._record(SAVED_PDF, str(path))

    def _record(self, how: str, where: str) -> None:
        papers, fmt = self.missing(), self.format.currentText()
        self._set_busy(True)
        (Op(self, lambda: slips.record_slip(self.visit_id, papers, fmt, how, where), changes={VISIT})
         .success(self._recorded)
         .failure(self._refused)
         .run())

    def _recorded(self, record: slips.SlipRecord) -> None:
        self._set_busy(False)
        self.status.setText(self.tr("告知单已交给客户（{detail}）。").format(detail=record.detail))
        self.recorded.emit(record)

    def _say(self, message: str) -> None:
        self.status.clear()
        self.errors.show(UserError(message))

    def _refused(self, error: UserError) -> None:
        self.status.clear()
        self._set_busy(self.draft is None)
        self.errors.show(error)
