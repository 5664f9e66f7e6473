"""节假日安排: the holiday table deadlines are counted with (``services.holidays``) — the days
copied from the calendar library, with their source, and those the administrator typed in. The
administrator types in a year's State Council notice, deletes days, or copies the years a newer
library knows (从日历库补充); open tickets' deadlines follow at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import clock, holidays
from frontdesk.ui.complaints.widgets import close_buttons, is_ctrl_enter, plain_button
from frontdesk.ui.kit.changes import COMPLAINT
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.forms import NOTE_STYLE
from frontdesk.ui.kit.operations import Op, QueryOp

MAX_FILE = 64 * 1024  # a year's notice is a few dozen lines


class HolidaysDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holidaysDialog")
        self.setWindowTitle(self.tr("节假日安排"))
        self._job = None
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b91c1c;")
        self.known = QPlainTextEdit()
        self.known.setObjectName("known")
        self.known.setReadOnly(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("2027-01-01~2027-01-03 休 元旦\n2027-02-06~2027-02-13 休 春节\n2027-02-14 班 春节")
        self.source = QLineEdit()
        self.source.setObjectName("source")
        self.source.setPlaceholderText(self.tr("来源，如：国办发明电〔2026〕X号"))
        self.save_button = plain_button(self.tr("录入 (Ctrl+Enter)"), "saveButton", self.save)
        self.file_button = plain_button(self.tr("从 CSV 文件读入… (Ctrl+O)"), "fileButton", self.read_file)
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2099)
        self.year.setValue(clock.today().year + 1)
        self.remove_button = plain_button(self.tr("删除该年的安排"), "removeButton", self.remove)
        self.days = QLineEdit()
        self.days.setObjectName("days")
        self.days.setPlaceholderText("2026-10-06~2026-10-07")
        self.days.setMinimumWidth(self.days.fontMetrics().horizontalAdvance("2026-10-06~2026-10-07") + 24)
        self.days.returnPressed.connect(self.remove_days)
        self.days_button = plain_button(self.tr("删除这些日期"), "daysButton", self.remove_days)
        self.library_button = plain_button(self.tr("从日历库补充 (Ctrl+B)"), "libraryButton", self.fill)
        self.library_button.setToolTip(self.tr("复制日历库已收录、本表尚无的年份（如升级程序后新收录的下一年）"))
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.errors = FormErrors(QLabel())
        self.error = self.errors.new_label("text", self.text)
        self.days_error = self.errors.new_label("days", self.days)
        note = QLabel(self.tr(
            "时限只按本表计算：表中有某一年的日期，该年即已收录，其余日期按周一至周五计算。"
            "每行一段日期：“休”为放假，“班”为调休上班（重新录入某日即修改该日）。"
            "未办结工单的时限随即重新计算，并记入审计日志。"))
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)

        remove_row = QHBoxLayout()
        remove_row.addWidget(QLabel(self.tr("年份")))
        remove_row.addWidget(self.year)
        remove_row.addWidget(self.remove_button)
        remove_row.addWidget(QLabel(self.tr("日期")))
        remove_row.addWidget(self.days)
        remove_row.addWidget(self.days_button)
        remove_row.addStretch(1)
        days_error_row = QHBoxLayout()
        days_error_row.addStretch(1)
        days_error_row.addWidget(self.days_error)
        buttons = close_buttons(self.tr("关闭"), self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(QLabel(self.tr("节假日表（日期　休/班　名称　来源）")))
        layout.addWidget(self.known, 1)
        layout.addWidget(note)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.source)
        save_row = QHBoxLayout()
        save_row.addWidget(self.library_button)
        save_row.addStretch(1)
        save_row.addWidget(self.file_button)
        save_row.addWidget(self.save_button)
        layout.addLayout(save_row)
        layout.addLayout(remove_row)
        layout.addLayout(days_error_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.save)
        QShortcut(QKeySequence("Ctrl+O"), self).activated.connect(self.read_file)
        QShortcut(QKeySequence("Ctrl+B"), self).activated.connect(self.fill)
        self.resize(640, 620)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reload()

    def reload(self) -> None:
        today = clock.today()
        QueryOp(self, lambda: (holidays.entries(), holidays.unknown_years(today))).success(self._show) \
            .failure(self.errors.show).run()

    def _show(self, found: tuple[list[holidays.HolidayEntry], list[int]]) -> None:
        entries, unknown = found
        self.known.setPlainText("\n".join(
            f"{e.day.isoformat()}　{holidays.KINDS.get(e.kind, e.kind)}　{e.name}　{e.source}" for e in entries))
        # The list runs from 2004: it opens at this year's days, not at the first.
        year = clock.today().year
        line = next((n for n, e in enumerate(entries) if e.day.year >= year), max(0, len(entries) - 1))
        cursor = QTextCursor(self.known.document().findBlockByLineNumber(line))
        self.known.moveCursor(QTextCursor.MoveOperation.End)
        self.known.setTextCursor(cursor)
        self.known.ensureCursorVisible()
        self.warning.setText(self.tr("{years} 年的安排尚未收录：跨入该年的时限为暂定日期。").replace(
            "{years}", "、".join(str(y) for y in unknown)) if unknown else "")
        self.warning.setVisible(bool(unknown))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Ctrl+Enter that reached here as a plain key (a window not activated fires no shortcut)."""
        if is_ctrl_enter(event):
            self.save()
            return
        super().keyPressEvent(event)

    def read_file(self) -> None:
        """A CSV file (``2027-01-01,休,元旦`` a line; UTF-8 or the GBK Excel saves) is read into the
        box, to be looked at and then 录入 as if typed; the file's name is the source if none is given."""
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("读入节假日安排"), "",
                                                    self.tr("CSV 或文本文件 (*.csv *.txt);;所有文件 (*)"))
        if not path:
            return
        self.errors.clear()
        try:
            data = Path(path).read_bytes()[:MAX_FILE + 1]
        except OSError as error:
            self.errors.show(ValidationError({"text": self.tr("无法读取文件：{error}").replace(
                "{error}", error.strerror or str(error))}))
            return
        if len(data) > MAX_FILE:
            self.errors.show(ValidationError({"text": self.tr("文件过大：节假日安排每年只有几十行。")}))
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")  # what Excel saves a CSV as in China
        self.text.setPlainText(text.replace("\r\n", "\n").strip())
        if not self.source.text().strip():
            self.source.setText(Path(path).name[:holidays.MAX_SOURCE])
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        text, source = self.text.toPlainText(), self.source.text()
        self._run(lambda: holidays.import_days(text, source), clear=True)

    def remove(self) -> None:
        year = self.year.value()
        self._run(lambda: holidays.remove_year(year), clear=False)

    def remove_days(self) -> None:
        """The date or range typed (``2026-10-06`` or ``2026-10-06~2026-10-07``) leaves the table."""
        parts = [p.strip() for p in self.days.text().replace("至", "~").split("~")]
        try:
            first = date.fromisoformat(parts[0])
            last = date.fromisoformat(parts[-1])
        except ValueError:
            self.errors.show(ValidationError({"days": self.tr("请输入日期，如 2026-10-06 或 2026-10-06~2026-10-07。")}))
            self.days.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if len(parts) > 2 or abs((last - first).days) >= holidays.MAX_SPAN:
            self.errors.show(ValidationError({"days": self.tr("一次最多删除 31 天。")}))
            self.days.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._run(lambda: holidays.remove_days(first, last), clear=False)

    def fill(self) -> None:
        self._run(holidays.fill_from_library, clear=False)

    def _run(self, call, *, clear: bool) -> None:
        if self._job is not None:
            return
        self.errors.clear()
        self.message.clear()
        for button in self._buttons():
            button.setEnabled(False)

        def done(change: holidays.Change) -> None:
            if clear:
                self.text.clear()
            self.message.setText(self.tr("已处理 {days} 天；{tickets} 张未办结工单的时限已重新计算。")
                                 .replace("{days}", str(change.days)).replace("{tickets}", str(change.tickets_moved)))
            self.reload()

        def failed(error: UserError) -> None:
            self.errors.show(error)
            self.text.setFocus(Qt.FocusReason.OtherFocusReason)

        def ended() -> None:
            self._job = None
            for button in self._buttons():
                button.setEnabled(True)

        self._job = Op(self, call, changes={COMPLAINT}).success(done).failure(failed).finally_(ended).run()

    def _buttons(self) -> tuple[QWidget, ...]:
        return (self.save_button, self.remove_button, self.days_button, self.library_button)
