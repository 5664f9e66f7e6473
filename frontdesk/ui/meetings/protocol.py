"""A meeting's protocol (纪要) on paper and as a file, for the meeting dialog and the meetings list.

打印 and 打印预览 are for a finalised meeting only; 保存 PDF takes the meeting as it is saved.
The PDF is built on the database worker, then Qt's print or preview dialog opens over the
widget; each print and each file is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from frontdesk.errors import UserError
from frontdesk.services import meetings as mt
from frontdesk.services.meetings import MeetingRow
from frontdesk.ui.kit import printing
from frontdesk.ui.kit.operations import Op, QueryOp

PRINTER_KEY = "printing/meeting_protocol"  # the printer this station last printed protocols on


def protocol_pdf(meeting_id: int) -> bytes:
    """The protocol as PDF bytes, for the printer and the preview; runs on the database worker."""
    from frontdesk.reports import write_pdf

    buffer = BytesIO()
    write_pdf(mt.protocol(meeting_id), buffer)
    return buffer.getvalue()


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProtocolOutput", text)


class ProtocolOutput:
    """Prints, previews and saves the protocol of a meeting for ``parent``; ``note`` tells what
    was done, ``failed`` shows a refusal."""

    def __init__(self, parent: QWidget, note: Callable[[str], None], failed: Callable[[UserError], None]) -> None:
        self.parent = parent
        self.note = note
        self.failed = failed
        self.printing: QWidget | None = None  # the print or preview dialog open

    def print(self, row: MeetingRow, *, preview: bool) -> None:
        """打印 (Ctrl+P) or 打印预览 (Ctrl+Shift+P) of a finalised meeting."""
        if self.printing is not None:
            return
        if row.status != mt.FINAL:
            self.note(_tr("草稿不打印纪要：请先定稿。"))
            return
        meeting_id = row.id
        title = f"{row.kind_label}纪要 {row.day.isoformat()}"
        QueryOp(self.parent, lambda: protocol_pdf(meeting_id)).success(
            lambda pdf: self._show_printing(meeting_id, title, pdf, preview)).failure(self.failed).run()

    def _show_printing(self, meeting_id: int, title: str, pdf: bytes, preview: bool) -> None:
        opener = printing.open_preview if preview else printing.open_print_dialog
        self.printing = opener(self.parent, pdf, title,
                               lambda printer, pages: self._printed(meeting_id, printer, pages), key=PRINTER_KEY)
        self.printing.finished.connect(self._printing_closed)

    def _printing_closed(self, _result: int) -> None:
        self.printing = None

    def _printed(self, meeting_id: int, printer, pages: int) -> None:
        name = printing.printer_name(printer)
        Op(self.parent, lambda: mt.record_protocol_print(meeting_id, name, pages)).run()
        self.note(_tr("纪要已发送到打印机 {printer}（{pages} 页）。").replace("{printer}", name)
                  .replace("{pages}", str(pages)))

    def save_pdf(self, row: MeetingRow) -> None:
        """保存纪要 PDF (Ctrl+E): the protocol as it is saved (unsaved typing is not in it)."""
        suggested = f"{row.kind_label}纪要-{row.day.isoformat()}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self.parent, _tr("保存会议纪要"), suggested,
                                                    _tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        meeting_id = row.id

        def write() -> str:
            from frontdesk.reports import write_pdf

            write_pdf(mt.protocol(meeting_id), path)
            return path

        def written(where: str) -> None:
            Op(self.parent, lambda: mt.record_protocol_saved(meeting_id, where)).run()
            self.note(_tr("已保存纪要：{path}").replace("{path}", where))

        QueryOp(self.parent, write).success(written).failure(self.failed).run()
