"""The one window: four tabs, a status bar with today's counts, and the menus."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from frontdesk import APP_NAME, __version__
from frontdesk.db.database import Location
from frontdesk.errors import UserError
from frontdesk.services import clock, settings, visitors
from frontdesk.ui.visitors.tab import VisitorTab

COUNTS_MS = 5000
GEOMETRY_KEY = "main_window/geometry"


def window_settings() -> QSettings:
    """Per-user UI state (window geometry); the branch's settings live in the database."""
    return QSettings(APP_NAME, APP_NAME)


def _today_counts() -> visitors.DayCounts:
    return visitors.day_counts(clock.today())


class MainWindow(QMainWindow):
    """FrontDesk 前台值班台 — <branch>."""

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.location = Location(location)
        self.branch_name = ""

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.visitor_tab = VisitorTab()
        self.tabs.addTab(self.visitor_tab, self.tr("来访登记"))
        for title, text in (
            (self.tr("检查巡检"), self.tr("检查巡检功能尚在开发中，将在后续版本提供。")),
            (self.tr("投诉工单"), self.tr("投诉工单功能尚在开发中，将在后续版本提供。")),
            (self.tr("晨会记录"), self.tr("晨会记录功能尚在开发中，将在后续版本提供。")),
        ):
            placeholder = QLabel(text)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placeholder.setStyleSheet("color: #6b7280; font-size: 15px;")
            self.tabs.addTab(placeholder, title)
        self.setCentralWidget(self.tabs)

        self.branch_label = QLabel()
        self.branch_label.setObjectName("branchLabel")
        self.location_label = QLabel(self.tr("数据库：{location}").format(location=self.location.display()))
        self.location_label.setObjectName("locationLabel")
        self.location_label.setToolTip(self.location.display())
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        status = self.statusBar()
        status.addWidget(self.branch_label)
        status.addWidget(self.location_label, 1)
        status.addPermanentWidget(self.counts_label)

        self._build_menus()
        self.visitor_tab.visitsChanged.connect(self.refresh_counts)
        self._counts_timer = QTimer(self)
        self._counts_timer.setInterval(COUNTS_MS)
        self._counts_timer.timeout.connect(self.refresh_counts_in_background)
        self._counts_generation = 0
        self._counts_job = None

        self.refresh_branch()
        self.refresh_counts()
        self._restore_geometry()
        # Given when the window becomes active: the guide can type the business key at once.
        self.visitor_tab.quick_entry.focus_first()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        settings_menu = self.menuBar().addMenu(self.tr("设置(&S)"))
        self.settings_action = QAction(self.tr("网点设置(&B)…"), self)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        settings_menu.addAction(self.settings_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于 FrontDesk(&A)"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # ------------------------------------------------------------------ refreshes

    def refresh_branch(self) -> None:
        try:
            self.branch_name = settings.load().branch_name
        except UserError as error:
            self.statusBar().showMessage(error.message, 10000)
            return
        self.setWindowTitle(self.tr("FrontDesk 前台值班台 — {branch}").format(branch=self.branch_name))
        self.branch_label.setText(self.tr("网点：{branch}").format(branch=self.branch_name))

    def refresh_counts(self) -> None:
        """Today's figures, now (after a change made in this window)."""
        self._counts_generation += 1
        try:
            counts = _today_counts()
        except UserError as error:
            self._counts_failed(error)
            return
        self._show_counts(counts)

    def refresh_counts_in_background(self) -> None:
        """The periodic refresh, on the db worker: a slow server never freezes the window."""
        if self._counts_job is not None:
            return
        from frontdesk.ui.worker import shared_worker

        generation = self._counts_generation

        def done(counts: visitors.DayCounts) -> None:
            self._counts_job = None
            if generation == self._counts_generation:
                self._show_counts(counts)

        def failed(error: BaseException) -> None:
            self._counts_job = None
            if not isinstance(error, UserError):
                raise error
            self._counts_failed(error)

        self._counts_job = shared_worker().submit(_today_counts, done, failed, owner=self)

    def _counts_failed(self, error: UserError) -> None:
        """A storage hiccup shows in the label; the next refresh tries again."""
        self.counts_label.setText(self.tr("今日统计暂不可用"))
        self.counts_label.setToolTip(error.message)

    def _show_counts(self, counts: visitors.DayCounts) -> None:
        self.counts_label.setToolTip("")
        self.counts_label.setText(
            self.tr("今日登记 {registered} · 等候 {waiting} · 办理中 {serving} · 已完成 {finished}").format(
                registered=counts.registered,
                waiting=counts.waiting,
                serving=counts.serving,
                finished=counts.finished,
            )
        )

    # ------------------------------------------------------------------ actions

    def open_settings(self) -> None:
        from frontdesk.ui.settings_dialog import SettingsDialog

        try:
            dialog = SettingsDialog(self)
        except UserError as error:
            QMessageBox.warning(self, APP_NAME, error.message)
            return
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        # List edits are saved as they are made, even when the dialog is closed without 保存.
        self.refresh_branch()
        self.visitor_tab.reload_settings()
        self.refresh_counts()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于 FrontDesk"),
            self.tr(
                "<h3>FrontDesk 前台值班台</h3><p>版本 {version}</p>"
                "<p>营业网点、柜面、营业厅和导医台的来访登记、检查巡检、投诉工单与晨会记录。</p>"
                "<p>数据库：{location}</p>"
            ).format(version=__version__, location=self.location.display()),
        )

    # ------------------------------------------------------------------ window state

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._counts_timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._counts_timer.stop()
        super().hideEvent(event)

    def _restore_geometry(self) -> None:
        store = window_settings()
        geometry = store.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry):
            return
        self.resize(1400, 900)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        store = window_settings()
        store.setValue(GEOMETRY_KEY, self.saveGeometry())
        store.sync()
        super().closeEvent(event)
