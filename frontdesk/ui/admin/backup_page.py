"""备份与恢复: where the automatic backups are, what each holds, back up now, restore one.

The page never replaces the database itself: that means closing the open database, replacing
it and signing in again, which only the main window can do. The page checks the chosen file,
asks, and hands its path to ``on_restore``. Everything that opens a file (listing, reading what
a backup holds, backing up, checking before a restore) runs on the database worker; the backups
are read one after another, each as its own job, so the page fills in row by row and other work
of the window gets its turn in between. Nothing is read before the page is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import backup, session
from frontdesk.services.backup import BackupFile, BackupInfo
from frontdesk.services.health import DatabaseSummary
from frontdesk.ui.kit.common import ERROR_STYLE
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.worker import Job, shared_worker

TIME, KIND, SIZE, CONTENT = range(4)
PATH_ROLE = Qt.ItemDataRole.UserRole
UNUSABLE_COLOUR = QColor("#c62828")
NOTE_STYLE = "color: #6b7280;"


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _read_content(path: Path) -> tuple[str, bool]:
    """What the backup holds, or why it cannot be restored (worker thread)."""
    try:
        return backup.inspect_backup(path).summary.describe(), True
    except UserError as error:
        return error.message, False
    except OSError as error:  # removed or unreadable between the listing and now
        return str(error), False


class BackupPage(QWidget):
    """The administrator's page for the SQLite database's backups.

    ``database`` is the open database file, ``None`` for PostgreSQL (backed up with the server's
    own tools). ``on_restore(path)`` is called once the user confirmed restoring ``path``; without
    it the page offers no restore.
    """

    def __init__(
        self,
        database: Path | None,
        on_restore: Callable[[Path], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupPage")
        self.database = Path(database) if database is not None else None
        self.on_restore = on_restore
        actor = session.current()
        self.allowed = actor is not None and actor.can(session.RESTORE)
        self.usable = self.allowed and self.database is not None
        self.backups: list[BackupFile] = []
        self.contents: dict[Path, tuple[str, bool]] = {}  # what each listed backup holds
        self._to_read: list[Path] = []
        self._list_job: Job | None = None
        self._read_job: Job | None = None
        self._action_job: Job | None = None
        self._select_after: Path | None = None
        self._loaded = False

        self.notice = QLabel()
        self.notice.setObjectName("backupNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()

        folder = backup.backup_dir(self.database) if self.database is not None else None
        self.folder_label = QLabel(self.tr("自动备份保存在：{folder}").format(folder=folder or ""))
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rotation = QLabel(
            self.tr("每天第一次启动时自动备份；保留最近 {days} 天的每日备份和最近 {months} 个月的每月备份。"
                    "点“立即备份”做的手动备份不会被自动删除。").format(
                days=backup.KEEP_DAILY, months=backup.KEEP_MONTHLY)
        )
        rotation.setWordWrap(True)
        rotation.setStyleSheet(NOTE_STYLE)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("backupList")
        self.table.setHorizontalHeaderLabels([self.tr("时间"), self.tr("类型"), self.tr("大小"), self.tr("内容")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (TIME, KIND, SIZE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel(self.tr("备份文件夹里还没有备份。"))
        self.empty_label.setObjectName("noBackups")
        self.empty_label.setStyleSheet(NOTE_STYLE)
        self.empty_label.hide()
        self.restore_hint = QLabel(
            self.tr("选中一个备份后点“从备份恢复…”；要用不在列表中的文件（例如 U 盘上的备份），点“选择其他文件…”。")
        )
        self.restore_hint.setWordWrap(True)
        self.restore_hint.setStyleSheet(NOTE_STYLE)

        self.message = QLabel()
        self.message.setObjectName("backupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.backup_button = QPushButton(self.tr("立即备份"))
        self.open_folder_button = QPushButton(self.tr("打开备份文件夹"))
        self.restore_button = QPushButton(self.tr("从备份恢复…"))
        self.restore_other_button = QPushButton(self.tr("选择其他文件…"))
        self.restore_other_button.setToolTip(self.tr("从不在列表中的备份文件恢复"))
        buttons = QHBoxLayout()
        for button, slot, name in (
            (self.backup_button, self.backup_now, "backupNowButton"),
            (self.open_folder_button, self.open_folder, "openFolderButton"),
            (self.restore_button, self.restore_selected, "restoreButton"),
            (self.restore_other_button, self.restore_other, "restoreOtherButton"),
        ):
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if button is self.open_folder_button:
                buttons.addStretch(1)

        self.body = QWidget()
        self.body.setObjectName("backupBody")
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.folder_label)
        body.addWidget(rotation)
        body.addWidget(self.table, 1)
        body.addWidget(self.empty_label)
        body.addWidget(self.restore_hint)
        body.addWidget(self.message)
        body.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.body, 1)

        if on_restore is None:
            for widget in (self.restore_button, self.restore_other_button, self.restore_hint):
                widget.hide()
        if not self.allowed:
            self._show_notice(self.tr("只有管理员可以备份和恢复数据库。"))
        elif self.database is None:
            self._show_notice(backup.postgres_message())
        if not self.usable:
            self.body.hide()
            layout.addStretch(1)
            return
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """The list is read when the page is first seen: opening the settings costs nothing."""
        super().showEvent(event)
        if self.usable and not self._loaded:
            self._loaded = True
            self.reload()

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    # ------------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        """A backup or a restore check is running."""
        return self._action_job is not None

    def _update_buttons(self) -> None:
        self.backup_button.setEnabled(not self.busy)
        self.restore_button.setEnabled(not self.busy and self.selected_path() is not None)
        self.restore_other_button.setEnabled(not self.busy)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def selected_path(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows(TIME)
        return Path(rows[0].data(PATH_ROLE)) if rows else None

    def _row_of(self, path: Path) -> int | None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, TIME)
            if item is not None and Path(item.data(PATH_ROLE)) == path:
                return row
        return None

    def stop(self) -> None:
        """Forget the listing and reading still under way (before the database goes away)."""
        worker = shared_worker()
        for job in (self._list_job, self._read_job):
            worker.cancel(job)
        self._list_job = self._read_job = None
        self._to_read = []

    # ------------------------------------------------------------------ the list

    def reload(self, select: Path | None = None) -> None:
        """List the backups again, on the worker; then read what each holds, one by one."""
        if not self.usable:
            return
        self.stop()
        self._select_after = select if select is not None else self.selected_path()
        database = self.database
        self._list_job = QueryOp(self, lambda: backup.list_backups(database)).success(self._listed) \
            .failure(self._list_failed).run()

    def _list_failed(self, error: UserError) -> None:
        self._list_job = None
        self._say(error.message, error=True)

    def _kind_label(self, kind: str) -> str:
        return {
            backup.DAILY: self.tr("每日"),
            backup.MONTHLY: self.tr("每月"),
            backup.MANUAL: self.tr("手动"),
        }.get(kind, kind)

    def _listed(self, files: list[BackupFile]) -> None:
        self._list_job = None
        self.backups = files
        self.contents = {f.path: self.contents[f.path] for f in files if f.path in self.contents}
        self.table.blockSignals(True)
        self.table.clearContents()
        self.table.setRowCount(len(files))
        for row, file in enumerate(files):
            cells = (
                QTableWidgetItem(file.mtime.strftime("%Y-%m-%d %H:%M")),
                QTableWidgetItem(self._kind_label(file.kind)),
                QTableWidgetItem(format_size(file.size)),
                QTableWidgetItem(self.tr("正在读取…")),
            )
            cells[TIME].setData(PATH_ROLE, str(file.path))
            cells[SIZE].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate(cells):
                item.setToolTip(str(file.path))
                self.table.setItem(row, column, item)
            if file.path in self.contents:
                self._show_content(row, *self.contents[file.path])
        self.table.blockSignals(False)
        self.empty_label.setVisible(not files)
        row = self._row_of(self._select_after) if self._select_after is not None else None
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        self._update_buttons()
        self._to_read = [f.path for f in files if f.path not in self.contents]
        self._read_next()

    def _read_next(self) -> None:
        if not self._to_read:
            self._read_job = None
            return
        path = self._to_read.pop(0)
        self._read_job = shared_worker().submit(
            lambda: _read_content(path), lambda result: self._content_read(path, result), owner=self
        )

    def _content_read(self, path: Path, result: tuple[str, bool]) -> None:
        self.contents[path] = result
        row = self._row_of(path)
        if row is not None:
            self._show_content(row, *result)
        self._read_next()

    def _show_content(self, row: int, text: str, usable: bool) -> None:
        item = self.table.item(row, CONTENT)
        if usable:
            item.setText(text)
            item.setToolTip(text)
        else:
            item.setText(self.tr("不能使用：{reason}").format(reason=text))
            item.setToolTip(text)
            item.setForeground(QBrush(UNUSABLE_COLOUR))

    def all_read(self) -> bool:
        """Every listed backup shows what it holds (tests)."""
        return self._list_job is None and all(f.path in self.contents for f in self.backups)

    # ------------------------------------------------------------------ backing up

    def backup_now(self) -> None:
        if not self.usable or self.busy:
            return
        self._say(self.tr("正在备份…"))
        database = self.database

        def work() -> Path:
            written = backup.backup_now(source=database)
            backup.record_backup(written)
            return written

        self._action_job = Op(self, work).success(self._backed_up).failure(self._backup_failed).run()
        self._update_buttons()

    def _backup_failed(self, error: UserError) -> None:
        self._action_job = None
        self._update_buttons()
        self._say(error.message, error=True)

    def _backed_up(self, path: Path) -> None:
        self._action_job = None
        self._update_buttons()
        self._say(self.tr("已备份到 {path}").format(path=path))
        self.reload(select=path)

    def _action_failed(self, error: BaseException) -> None:
        self._action_job = None
        self._update_buttons()
        if not isinstance(error, UserError):
            raise error
        self._say(error.message, error=True)

    def open_folder(self) -> None:
        if not self.usable:
            return
        folder = backup.backup_dir(self.database)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._say(self.tr("无法创建备份文件夹 {folder}：{reason}").format(
                folder=folder, reason=exc.strerror or exc), error=True)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._say(self.tr("无法打开备份文件夹，请在文件管理器中打开：{folder}").format(folder=folder),
                      error=True)

    # ------------------------------------------------------------------ restoring

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is None:
            self._say(self.tr("请先在列表中选中一个备份。"), error=True)
            return
        self.check_restore(path)

    def restore_other(self) -> None:
        if not self.usable or self.on_restore is None:
            return
        folder = backup.backup_dir(self.database)
        start = folder if folder.is_dir() else self.database.parent
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("选择其他文件…"),
            str(start),
            self.tr("FrontDesk 备份 (*.sqlite *.db *.sqlite3);;所有文件 (*)"),
        )
        if name:
            self.check_restore(Path(name))

    def check_restore(self, path: Path) -> None:
        """Check ``path`` and read the current database (worker), then ask before restoring."""
        if not self.usable or self.on_restore is None or self.busy:
            return
        self._say(self.tr("正在检查 {path}…").format(path=path))
        database = self.database

        def check() -> tuple[BackupInfo, DatabaseSummary | None]:
            return backup.inspect_backup(path), backup.describe_database(database)

        self._action_job = shared_worker().submit(
            check, lambda result: self._checked(path, *result), self._action_failed, owner=self
        )
        self._update_buttons()

    def _checked(self, path: Path, info: BackupInfo, current: DatabaseSummary | None) -> None:
        self._action_job = None
        self._update_buttons()
        self._say("")
        if not self.confirm_restore(info, current):
            return
        self.stop()
        self.on_restore(path)

    def confirm_restore(self, info: BackupInfo, current: DatabaseSummary | None) -> bool:
        database = self.database
        aside = f"{database.stem}.replaced-….{database.suffix.lstrip('.') or 'sqlite'}"
        box = QMessageBox(self)
        box.setObjectName("restoreConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("从备份恢复"))
        box.setText(self.tr("用这个备份替换当前数据库吗？"))
        lines = [
            self.tr("备份文件：{path}").format(path=info.path),
            self.tr("备份里有：{what}").format(what=info.summary.describe()),
            self.tr("当前数据库里有：{what}").format(
                what=current.describe() if current is not None else self.tr("无法读取（可能已损坏）")),
            "",
            self.tr("当前数据库会先另存为 {aside}（在 {folder}），需要时还能找回。").format(
                aside=aside, folder=database.parent),
            self.tr("这台电脑上其他的 FrontDesk 窗口必须先全部关闭，否则无法恢复。"),
            self.tr("恢复后，所有人都要重新登录。"),
        ]
        box.setInformativeText("\n".join(lines))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("恢复"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes
