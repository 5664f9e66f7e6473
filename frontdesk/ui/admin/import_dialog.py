"""设置 → 导入旧登记: a hall's old paper-era Excel or CSV log into the register, all or nothing.

The file is checked first (检查, Alt+C: every row, on the database worker with progress): the
first rows are shown as read, and every bad row with its line number and reason. 导入 (Alt+I)
is offered only after a clean check of the same file with the same options, and writes every
row or none (``services/imports.py``). 模板 (Alt+T) saves an .xlsx with the columns to fill in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import imports
from frontdesk.ui.kit.changes import VISIT
from frontdesk.ui.kit.common import ERROR_STYLE
from frontdesk.ui.kit.operations import Op, Progress

FOLDER_KEY = "imports/folder"


def _checked(path: Path, add_missing: bool, dry_run: bool, progress: Progress) -> imports.ImportResult:
    """Runs on the database worker: the progress dialog counts the lines read."""
    return imports.import_visits(path, add_missing_labels=add_missing, dry_run=dry_run,
                                 progress=lambda line: progress.update(line, 0, ""))


class ImportDialog(QDialog):
    """Choose the file, check it, see the first rows and the problems, import."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("导入旧的来访登记"))
        self.result: imports.ImportResult | None = None
        self._checked_for: tuple[str, bool] | None = None  # the file and option of a clean check
        self._job = None

        self.file = QLineEdit()
        self.file.setObjectName("file")
        self.file.setPlaceholderText(self.tr("Excel（.xlsx）或 CSV（UTF-8 或 GBK）文件"))
        browse = QPushButton(self.tr("浏览(&B)…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        self.add_missing = QCheckBox(self.tr("文件中有列表里没有的业务类型、去向等时，自动添加(&A)"))
        self.add_missing.setObjectName("addMissing")

        form = QFormLayout()
        form.addRow(self.tr("文件"), file_row)
        form.addRow("", self.add_missing)

        self.summary = QLabel(self.tr("先检查文件：每一行都检查，有问题的行会列出行号和原因，"
                                      "全部正确才能导入（不会只导入一部分）。"))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("preview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.setMinimumHeight(160)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setMaximumHeight(150)
        self.problems.hide()

        self.buttons = QDialogButtonBox()
        self.check_button = self.buttons.addButton(self.tr("检查(&C)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.setObjectName("checkButton")
        self.check_button.setDefault(True)
        self.import_button = self.buttons.addButton(self.tr("导入(&I)"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.template_button = self.buttons.addButton(self.tr("保存模板(&T)…"),
                                                      QDialogButtonBox.ButtonRole.ActionRole)
        self.template_button.setAutoDefault(False)
        self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.check_button.clicked.connect(lambda: self._run(dry_run=True))
        self.import_button.clicked.connect(lambda: self._run(dry_run=False))
        self.template_button.clicked.connect(self._save_template)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("文件的前几行：")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(820, 520)
        self.file.textChanged.connect(self._options_changed)
        self.add_missing.toggled.connect(self._options_changed)
        self.file.setFocus()

    # ------------------------------------------------------------------ state

    def _options(self) -> tuple[str, bool]:
        return self.file.text().strip(), self.add_missing.isChecked()

    def _options_changed(self) -> None:
        """Another file or option: the clean check no longer holds."""
        self.import_button.setEnabled(self._checked_for is not None and self._checked_for == self._options()
                                      and self._job is None)
        if self.import_button.isEnabled():
            self.import_button.setDefault(True)
        else:
            self.check_button.setDefault(True)

    def _folder(self) -> str:
        saved = QSettings().value(FOLDER_KEY, "", type=str)
        return saved or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择要导入的文件"), self._folder(), self.tr("来访登记 (*.xlsx *.csv)"))
        if chosen:
            self.file.setText(chosen)

    def _save_template(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("保存导入模板"), str(Path(self._folder()) / self.tr("来访记录导入模板.xlsx")),
            self.tr("Excel 文件 (*.xlsx)"))
        if not chosen:
            return
        try:
            written = imports.write_template(Path(chosen))
        except OSError as error:
            self._say(self.tr("模板没有保存：{error}").format(error=error.strerror or error), error=True)
            return
        self._say(self.tr("模板已保存：{path}。按表头填写后再导入。").format(path=written))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary.setStyleSheet(ERROR_STYLE if error else "")
        self.summary.setText(text)

    # ------------------------------------------------------------------ checking and importing

    def _run(self, *, dry_run: bool) -> None:
        if self._job is not None:
            return
        text, add_missing = self._options()
        path = Path(text)
        if not text or not path.is_file():
            self._say(self.tr("请选择要导入的文件（.xlsx 或 .csv）。"), error=True)
            self.file.setFocus()
            return
        if not dry_run and self._checked_for != (text, add_missing):
            return  # 导入 is only offered after a clean check of this file
        label = self.tr("正在检查…") if dry_run else self.tr("正在导入…")
        self._say(label)
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        op = Op(self, lambda progress: _checked(path, add_missing, dry_run, progress),
                changes=set() if dry_run else {VISIT})
        self._job = (op.with_progress(label)
                     .success(lambda result: self._done(result, (text, add_missing)))
                     .failure(self._failed)
                     .finally_(self._ended)
                     .run())

    def _ended(self) -> None:
        self._job = None
        self.check_button.setEnabled(True)
        self._options_changed()

    def _failed(self, error: UserError) -> None:
        self._checked_for = None
        self._say(error.message, error=True)

    def _done(self, result: imports.ImportResult, options: tuple[str, bool]) -> None:
        self.result = result
        self._show_preview(result)
        self.problems.clear()
        self.problems.setVisible(bool(result.problems))
        if result.problems:
            self._checked_for = None
            self.problems.addItems(list(imports.summary_lines(result)))
            more = self.tr("（只列出前 {n} 行）").format(n=imports.MAX_ERRORS_SHOWN) \
                if len(result.problems) >= imports.MAX_ERRORS_SHOWN else ""
            self._say(self.tr("共 {rows} 行，其中 {bad} 行有问题{more}：改正文件后重新检查。没有导入任何记录。").format(
                rows=result.rows, bad=len(result.problems), more=more), error=True)
            self.problems.setCurrentRow(0)
            return
        if result.rows == 0:
            self._checked_for = None
            self._say(self.tr("文件中没有来访记录。"), error=True)
            return
        period = self.tr("{first:%Y-%m-%d} 至 {last:%Y-%m-%d}").format(first=result.first_day, last=result.last_day)
        added = self.tr("；将添加列表项：{labels}").format(labels="、".join(result.added_labels)) \
            if result.added_labels else ""
        if result.written:
            self._checked_for = None
            QSettings().setValue(FOLDER_KEY, str(result.path.parent))
            self._say(self.tr("已导入 {rows} 条来访记录（{period}）。").format(rows=result.rows, period=period))
            return
        self._checked_for = options
        self._say(self.tr("检查通过：{rows} 条来访记录（{period}）{added}。按“导入”写入。").format(
            rows=result.rows, period=period, added=added))

    def _show_preview(self, result: imports.ImportResult) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(result.header))
        self.preview.setHorizontalHeaderLabels(list(result.header))
        self.preview.setRowCount(len(result.preview))
        for row, cells in enumerate(result.preview):
            for column, text in enumerate(cells[:len(result.header)]):
                self.preview.setItem(row, column, QTableWidgetItem(text))
