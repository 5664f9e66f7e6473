"""报表 → 导出日报/月报: the duty manager's daily or monthly report as PDF and Excel.

Built on the database worker with a progress dialog (a month of visits takes a second or two),
so the window keeps answering; the files get the standard names (``日报-<网点>-2026-11-20.pdf``)
in the folder chosen, remembered for next time. Every export is in the audit trail (the service
records it). 预览 shows the PDF's pages in Qt's print preview and 打印 sends them to a printer
(``ui/kit/printing.py``); a print is recorded like an export.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QSettings, QStandardPaths
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.reports.model import Report
from frontdesk.services import reporting
from frontdesk.ui.kit import printing
from frontdesk.ui.kit.common import ERROR_STYLE, bound_date_edit
from frontdesk.ui.kit.operations import Op, Progress

FOLDER_KEY = "reports/folder"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportExportDialog", text)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def export_report(kind: str, day: date, folder: Path, pdf: bool, xlsx: bool,
                  progress: Progress | None = None) -> list[Path]:
    """Build the report and write the files; runs on the database worker."""
    from frontdesk.reports import write_pdf, write_xlsx

    steps = 1 + int(pdf) + int(xlsx)
    if progress is not None:
        progress.update(0, steps, _tr("正在汇总数据…"))
    if kind == "monthly":
        report = reporting.monthly_report(day.year, day.month)
        first = day.replace(day=1)
    else:
        report = reporting.daily_report(day)
        first = day
    written = []
    for enabled, suffix, write in ((pdf, ".pdf", write_pdf), (xlsx, ".xlsx", write_xlsx)):
        if not enabled:
            continue
        if progress is not None:
            progress.update(len(written) + 1, steps, _tr("正在写入 {suffix} 文件…").format(suffix=suffix))
        path = folder / reporting.file_name(report, first, suffix)
        write(report, path)
        written.append(path)
    reporting.record_export(report, written)
    return written


def report_pdf(kind: str, day: date, progress: Progress | None = None) -> tuple[Report, bytes]:
    """The report as PDF bytes, for the preview and the printer; runs on the database worker."""
    from frontdesk.reports import write_pdf

    if progress is not None:
        progress.update(0, 2, _tr("正在汇总数据…"))
    report = reporting.monthly_report(day.year, day.month) if kind == "monthly" \
        else reporting.daily_report(day)
    if progress is not None:
        progress.update(1, 2, _tr("正在排版…"))
    buffer = BytesIO()
    write_pdf(report, buffer)
    return report, buffer.getvalue()


class ReportExportDialog(QDialog):
    """Pick the day or the month, the formats and the folder; 导出 (Enter) writes the files."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportExportDialog")
        self.setWindowTitle(self.tr("导出日报/月报"))
        self.written: list[Path] = []
        self._job = None

        self.daily = QRadioButton(self.tr("日报(&D)"))
        self.daily.setObjectName("daily")
        self.monthly = QRadioButton(self.tr("月报(&M)"))
        self.monthly.setObjectName("monthly")
        kinds = QButtonGroup(self)
        kinds.addButton(self.daily)
        kinds.addButton(self.monthly)
        self.daily.setChecked(True)

        self.day = QDateEdit(_qdate(reporting.default_day()))
        self.day.setObjectName("day")
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        year, month = reporting.default_month()
        self.month = QDateEdit(QDate(year, month, 1))
        self.month.setObjectName("month")
        self.month.setDisplayFormat("yyyy-MM")
        for edit in (self.day, self.month):
            bound_date_edit(edit)

        self.pdf = QCheckBox(self.tr("PDF（打印、存档）"))
        self.pdf.setObjectName("pdf")
        self.pdf.setChecked(True)
        self.xlsx = QCheckBox(self.tr("Excel（含来访明细）"))
        self.xlsx.setObjectName("xlsx")
        self.xlsx.setChecked(True)

        self.folder = QLineEdit(self._remembered_folder())
        self.folder.setObjectName("folder")
        browse = QPushButton(self.tr("浏览(&B)…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        form = QFormLayout()
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.daily)
        kind_row.addWidget(self.monthly)
        kind_row.addStretch(1)
        form.addRow(self.tr("报表"), kind_row)
        form.addRow(self.tr("日期"), self.day)
        form.addRow(self.tr("月份"), self.month)
        formats = QHBoxLayout()
        formats.addWidget(self.pdf)
        formats.addWidget(self.xlsx)
        formats.addStretch(1)
        form.addRow(self.tr("格式"), formats)
        form.addRow(self.tr("保存到"), folder_row)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("导出(&E)"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.preview_button = self.buttons.addButton(self.tr("预览(&V)…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setAutoDefault(False)
        self.preview_button.clicked.connect(lambda: self.print_report(preview=True))
        self.print_button = self.buttons.addButton(self.tr("打印(&P)…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("printButton")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(lambda: self.print_report(preview=False))
        self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.daily.toggled.connect(self._kind_changed)
        self._kind_changed()
        self.day.setFocus()

    # ------------------------------------------------------------------ state

    def _kind_changed(self) -> None:
        daily = self.daily.isChecked()
        self.day.setEnabled(daily)
        self.month.setEnabled(not daily)

    @staticmethod
    def _remembered_folder() -> str:
        saved = QSettings().value(FOLDER_KEY, "", type=str)
        if saved:
            return saved
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if documents and Path(documents).is_dir():
            return documents
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择保存报表的文件夹"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # ------------------------------------------------------------------ exporting

    def export(self) -> None:
        if self._job is not None:
            return  # one export at a time: Enter pressed twice writes once
        folder = Path(self.folder.text().strip())
        if not self.folder.text().strip() or not folder.is_dir():
            self._say(self.tr("请选择一个已有的文件夹。"), error=True)
            self.folder.setFocus()
            return
        if not self.pdf.isChecked() and not self.xlsx.isChecked():
            self._say(self.tr("请至少选择一种格式（PDF 或 Excel）。"), error=True)
            self.pdf.setFocus()
            return
        kind, day = self._chosen()
        pdf, xlsx = self.pdf.isChecked(), self.xlsx.isChecked()
        self._say(self.tr("正在生成报表…"))
        self._busy(True)
        self._job = (Op(self, lambda progress: export_report(kind, day, folder, pdf, xlsx, progress))
                     .with_progress(self.tr("正在生成报表…"))
                     .success(self._exported)
                     .failure(self._failed)
                     .finally_(self._ended)
                     .run())

    def _chosen(self) -> tuple[str, date]:
        kind = "daily" if self.daily.isChecked() else "monthly"
        return kind, (self.day if kind == "daily" else self.month).date().toPython()

    def _busy(self, busy: bool) -> None:
        for button in (self.export_button, self.preview_button, self.print_button):
            button.setEnabled(not busy)

    def print_report(self, *, preview: bool) -> None:
        """预览 (Alt+V) or 打印 (Alt+P): the PDF is built on the worker, then Qt's print preview
        or print dialog opens over this one."""
        if self._job is not None:
            return
        kind, day = self._chosen()
        self._say(self.tr("正在生成报表…"))
        self._busy(True)
        self._job = (Op(self, lambda progress: report_pdf(kind, day, progress))
                     .with_progress(self.tr("正在生成报表…"))
                     .success(lambda built: self._show_printing(built, preview))
                     .failure(self._failed)
                     .finally_(self._ended)
                     .run())

    def _show_printing(self, built: tuple[Report, bytes], preview: bool) -> None:
        report, pdf = built
        self._say("")
        title = report.title + " " + report.period
        opener = printing.open_preview if preview else printing.open_print_dialog
        self.printing = opener(self, pdf, title, lambda printer, pages: self._printed(report, printer, pages))

    def _printed(self, report: Report, printer, pages: int) -> None:
        name = printing.printer_name(printer)
        Op(self, lambda: reporting.record_print(report, name, pages)).run()
        self._say(self.tr("已发送到打印机 {printer}（{pages} 页）。").format(printer=name, pages=pages))

    def _ended(self) -> None:
        self._job = None
        self._busy(False)

    def _exported(self, written: list[Path]) -> None:
        self.written = written
        QSettings().setValue(FOLDER_KEY, self.folder.text().strip())
        self._say(self.tr("已导出：\n{files}").format(files="\n".join(str(p) for p in written)))

    def _failed(self, error: UserError) -> None:
        self._say(error.message, error=True)
