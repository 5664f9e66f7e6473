"""The one window: four tabs, a status bar with today's counts, and the menus."""

from __future__ import annotations

import contextlib
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from frontdesk import APP_NAME, __version__
from frontdesk.errors import UserError
from frontdesk.services import clock, session, settings, users, visitors
from frontdesk.services.connections import Location
from frontdesk.services.session import Actor
from frontdesk.ui.complaints.tab import ComplaintTab
from frontdesk.ui.inspections.status import ScheduleStatus
from frontdesk.ui.inspections.tab import InspectionsTab
from frontdesk.ui.kit.changes import SETTINGS, USER, VISIT, change_bus
from frontdesk.ui.kit.tab import Tab
from frontdesk.ui.meetings.tab import MeetingsTab
from frontdesk.ui.reports.reminder import MonthlyReminder
from frontdesk.ui.session.idle import IdleWatcher
from frontdesk.ui.session.sign_in import LockScreen
from frontdesk.ui.visitors.escalation import EscalationNotice
from frontdesk.ui.visitors.tab import VisitorTab

COUNTS_MS = 5000
GEOMETRY_KEY = "main_window/geometry"  # the normal (not maximized) frame: QRect
MAXIMIZED_KEY = "main_window/maximized"
# A screen this small (or smaller than the window's comfortable size) gets a maximized window.
SMALL_SCREEN = QSize(1366, 768)
COMFORTABLE = QSize(1280, 760)
LARGE_SHARE = 0.9  # of a larger screen, centred


def initial_geometry(available: QRect, screens: list[QRect], saved: QRect | None,
                     saved_maximized: bool) -> tuple[QRect, bool]:
    """Where the window opens, and whether maximized.

    The remembered frame if it still lies on one of ``screens`` (their available areas) and fits
    it; otherwise ``available`` (the screen the window opens on) decides: a small screen, or one
    the comfortable size does not fit, is filled; a larger one gets a centred window.
    """
    if saved is not None and saved.isValid():
        for area in screens:
            if area.contains(saved.center()) and area.contains(saved.topLeft()) \
                    and saved.width() <= area.width() and saved.height() <= area.height():
                return QRect(saved), saved_maximized
    small = available.width() <= SMALL_SCREEN.width() or available.height() <= SMALL_SCREEN.height()
    if small or available.width() < COMFORTABLE.width() or available.height() < COMFORTABLE.height():
        return QRect(available), True
    size = QSize(int(available.width() * LARGE_SHARE), int(available.height() * LARGE_SHARE))
    corner = QPoint(available.x() + (available.width() - size.width()) // 2,
                    available.y() + (available.height() - size.height()) // 2)
    return QRect(corner, size), False


class _SignedOutRelay(QObject):
    """Carries "the session ended" (account deactivated elsewhere) to the GUI thread."""

    signedOut = Signal()  # noqa: N815 - Qt naming


def window_settings() -> QSettings:
    """Per-user UI state (window geometry); the branch's settings live in the database."""
    return QSettings(APP_NAME, APP_NAME)


def _today_counts() -> visitors.DayCounts:
    return visitors.day_counts(clock.today())


CLOSE_WAIT_MS = 5000  # at most this long for the last writes when the window closes


def _sign_out_quietly() -> None:
    with contextlib.suppress(UserError):
        users.sign_out()


class MainWindow(QMainWindow):
    """FrontDesk 前台值班台 — <branch>."""

    def __init__(self, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.location = Location(location)
        self.branch_name = ""
        self.restoring = False  # a restore is running on the worker

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tab_pages: list[Tab] = [self._make_tab(n) for n in range(len(self._tab_factories()))]
        for page in self.tab_pages:
            self.tabs.addTab(page, page.title())
        self.setCentralWidget(self.tabs)
        # Ctrl+1 … Ctrl+4: straight to a tab, its first field focused (Ctrl+Tab steps through them).
        self.tab_shortcuts: list[QShortcut] = []
        for number in range(len(self.tab_pages)):
            keys = QKeySequence(f"Ctrl+{number + 1}")
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(lambda number=number: self.show_tab(number))
            self.tab_shortcuts.append(shortcut)
            self.tabs.setTabToolTip(number, keys.toString(QKeySequence.SequenceFormat.NativeText))

        self.branch_label = QLabel()
        self.branch_label.setObjectName("branchLabel")
        self.location_label = QLabel(self.tr("数据库：{location}").format(location=self.location.display()))
        self.location_label.setObjectName("locationLabel")
        self.location_label.setToolTip(self.location.display())
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        status = self.statusBar()
        status.addWidget(self.user_label)
        status.addWidget(self.branch_label)
        status.addWidget(self.location_label, 1)
        self.escalation_notice = EscalationNotice(self)
        status.addPermanentWidget(self.escalation_notice)  # first on the right: before the counts
        status.addPermanentWidget(self.counts_label)
        self.inspection_status = ScheduleStatus(self)
        status.addPermanentWidget(self.inspection_status)
        self.monthly_reminder = MonthlyReminder(lambda: self.open_reports(monthly=True), self)
        status.addPermanentWidget(self.monthly_reminder)
        for page in self.tab_pages:
            if isinstance(page, ComplaintTab):
                status.addPermanentWidget(page.status_label)  # overdue / due-soon tickets

        self._build_menus()
        self.lock_screen = LockScreen(self)
        self.lock_screen.signedIn.connect(self._signed_in_again)
        self._locked_by: Actor | None = None
        self._clean_after_unlock = False
        self._hidden_windows: list[QWidget] = []
        self._focus_before_lock: QWidget | None = None
        self.idle_watcher = IdleWatcher(self._idle_ms(), self)
        self.idle_watcher.idle.connect(self.lock)
        relay = _SignedOutRelay(self)
        relay.signedOut.connect(self._session_ended, Qt.ConnectionType.QueuedConnection)

        def notify() -> None:  # from whichever thread found the account deactivated
            if shiboken6.isValid(relay):
                relay.signedOut.emit()

        self._notify_signed_out = notify
        session.add_signed_out_listener(notify)
        self.destroyed.connect(lambda *_: session.remove_signed_out_listener(notify))
        self._counts_timer = QTimer(self)
        self._counts_timer.setInterval(COUNTS_MS)
        self._counts_timer.timeout.connect(self.refresh_counts_in_background)
        self._counts_generation = 0
        self._counts_job = None

        self.refresh_branch()
        self.refresh_user()
        self.refresh_counts()
        self._restore_geometry()
        change_bus().subscribe(self, {VISIT, USER, SETTINGS}, self._changed)
        # Given when the window becomes active: the guide can type the business key at once.
        self.tab_pages[0].focus_first()

    def _tab_factories(self) -> list:
        """How each tab is made, in order (a fresh one replaces it when another user signs in)."""
        return [
            VisitorTab,
            InspectionsTab,
            ComplaintTab,
            MeetingsTab,
        ]

    def _make_tab(self, number: int) -> Tab:
        page = self._tab_factories()[number]()
        if isinstance(page, VisitorTab):
            page.register_table.complaintRequested.connect(self.complaint_from_visit)
        return page

    def complaint_from_visit(self, visit_id: int, customer_name: str) -> None:
        """A visit's 登记投诉: the complaint tab, with a new ticket linked to that visit."""
        page = next(page for page in self.tab_pages if isinstance(page, ComplaintTab))
        self.tabs.setCurrentWidget(page)
        page.table.new_ticket(visit_id=visit_id, customer_name=customer_name)

    @property
    def visitor_tab(self) -> VisitorTab:
        return next(page for page in self.tab_pages if isinstance(page, VisitorTab))

    def _changed(self, kinds: frozenset[str], _initiator: QObject | None) -> None:
        """Another part of the program changed records: what the window itself shows follows."""
        if SETTINGS in kinds:
            self.refresh_branch()
            self.idle_watcher.set_interval_ms(self._idle_ms())
            for page in self.tab_pages:
                page.reload_settings()
        if USER in kinds:
            self.refresh_user()
        if VISIT in kinds:
            self.refresh_counts()

    def _action(self, menu, text: str, slot, *, shortcut: QKeySequence | None = None,
                role: QAction.MenuRole | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if role is not None:
            action.setMenuRole(role)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.lock_action = self._action(file_menu, self.tr("锁定(&L)"), self.lock,
                                        shortcut=QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(self.tr("离开前台时锁定窗口，回来输入密码即可继续"))
        self.switch_user_action = self._action(file_menu, self.tr("切换用户(&U)…"), self.switch_user)
        self.password_action = self._action(file_menu, self.tr("修改密码(&P)…"), self.change_password)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("退出(&X)"), self.close,
                     shortcut=QKeySequence(QKeySequence.StandardKey.Quit), role=QAction.MenuRole.QuitRole)

        settings_menu = self.menuBar().addMenu(self.tr("设置(&S)"))
        self.settings_action = self._action(settings_menu, self.tr("网点设置(&B)…"), self.open_settings,
                                            role=QAction.MenuRole.PreferencesRole)
        self.users_action = self._action(settings_menu, self.tr("用户管理(&U)…"), self.open_users)
        self.audit_action = self._action(settings_menu, self.tr("审计日志(&A)…"), self.open_audit_log)
        self.import_action = self._action(settings_menu, self.tr("导入旧的来访登记(&I)…"), self.open_import)
        self.roster_action = self._action(settings_menu, self.tr("人员名册(&R)…"), self.open_roster)
        self.privacy_action = self._action(settings_menu, self.tr("个人信息查询与删除(&P)…"), self.open_privacy)

        reports_menu = self.menuBar().addMenu(self.tr("报表(&R)"))
        self.reports_action = self._action(reports_menu, self.tr("导出日报/月报(&E)…"), self.open_reports,
                                           shortcut=QKeySequence("Ctrl+R"))

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self._action(help_menu, self.tr("关于 FrontDesk(&A)"), self.show_about, role=QAction.MenuRole.AboutRole)

    # ------------------------------------------------------------------ refreshes

    def refresh_branch(self) -> None:
        try:
            self.branch_name = settings.load().branch_name
        except UserError as error:
            self.statusBar().showMessage(error.message, 10000)
            return
        self.setWindowTitle(self.tr("FrontDesk 前台值班台 — {branch}").format(branch=self.branch_name))
        self.branch_label.setText(self.tr("网点：{branch}").format(branch=self.branch_name))

    def refresh_user(self) -> None:
        """Who is signed in, in the status bar; the menus and actions their role allows."""
        actor = session.current()
        self.user_label.setText(
            self.tr("当前用户：{user}").format(user=actor.label) if actor else self.tr("未登录"))
        can = actor.can if actor is not None else (lambda _permission: False)
        self.users_action.setVisible(can(session.MANAGE_USERS))
        self.audit_action.setVisible(can(session.VIEW_AUDIT))
        self.import_action.setVisible(can(session.MANAGE_SETTINGS))
        self.roster_action.setVisible(can(session.MANAGE_STAFF))
        self.privacy_action.setVisible(can(session.PRIVACY))
        self.reports_action.setVisible(can(session.VIEW_REPORTS))
        self.reports_action.setEnabled(can(session.VIEW_REPORTS))
        self.password_action.setEnabled(actor is not None and actor.user_id is not None)
        for page in self.tab_pages:
            page.apply_role(actor)
        self.monthly_reminder.refresh()
        self.escalation_notice.refresh()

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
        from frontdesk.ui.kit.operations import QueryOp

        generation = self._counts_generation

        def done(counts: visitors.DayCounts) -> None:
            if generation == self._counts_generation:
                self._show_counts(counts)

        def ended() -> None:
            self._counts_job = None

        self._counts_job = QueryOp(self, _today_counts).success(done).failure(self._counts_failed) \
            .finally_(ended).run()

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
        from frontdesk.ui.admin.settings_dialog import SettingsDialog

        restore_to: list[Path] = []
        try:
            dialog = SettingsDialog(self, on_restore=restore_to.append)
        except UserError as error:
            QMessageBox.warning(self, APP_NAME, error.message)
            return
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        if restore_to:
            self.restore_database(restore_to[0])
        # Whatever was saved (list edits are saved as they are made, even when the dialog is
        # closed without 保存) was told on the change bus: the window and the tabs follow it.

    def _run_dialog(self, make) -> None:
        """A modal dialog built by ``make()``; a refusal to open it is shown, not raised."""
        try:
            dialog = make()
        except UserError as error:
            QMessageBox.warning(self, APP_NAME, error.message)
            return
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def open_users(self) -> None:
        from frontdesk.ui.admin.users_dialog import UsersDialog

        self._run_dialog(lambda: UsersDialog(self))  # a rename of oneself arrives by the change bus

    def open_import(self) -> None:
        from frontdesk.ui.admin.import_dialog import ImportDialog

        self._run_dialog(lambda: ImportDialog(self))

    def open_audit_log(self) -> None:
        from frontdesk.ui.admin.audit_dialog import AuditLogDialog

        self._run_dialog(lambda: AuditLogDialog(self))

    def open_roster(self) -> None:
        from frontdesk.ui.staff.roster_dialog import RosterDialog

        self._run_dialog(lambda: RosterDialog(self))

    def open_privacy(self) -> None:
        from frontdesk.ui.admin.privacy_dialog import PrivacyDialog

        self._run_dialog(lambda: PrivacyDialog(self))

    def change_password(self) -> None:
        from frontdesk.ui.session.password_dialog import ChangePasswordDialog

        self._run_dialog(lambda: ChangePasswordDialog(self))

    # ------------------------------------------------------------------ locking

    def _idle_ms(self) -> int:
        try:
            minutes = settings.load().idle_lock_minutes
        except UserError:
            minutes = settings.BranchSettings().idle_lock_minutes
        return minutes * 60_000

    def show_tab(self, number: int) -> None:
        """The tab ``number`` (from 0) in front, its first field focused."""
        if self.is_locked() or not self.tabs.isEnabled() or not 0 <= number < len(self.tab_pages):
            return
        self.tabs.setCurrentIndex(number)
        self.tab_pages[number].focus_first()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Ctrl+L and Ctrl+1 … Ctrl+4 that reached here as plain keys: a window the system has not
        activated (no window manager) delivers keys but never fires shortcuts."""
        from PySide6.QtGui import QKeySequence as Seq

        pressed = Seq(event.keyCombination())
        if not self.is_locked() and self.lock_action.shortcut().matches(pressed) == Seq.SequenceMatch.ExactMatch:
            self.lock()
            return
        for number, shortcut in enumerate(self.tab_shortcuts):
            if shortcut.key().matches(pressed) == Seq.SequenceMatch.ExactMatch:
                self.show_tab(number)
                return
        super().keyPressEvent(event)

    def is_locked(self) -> bool:
        return self.lock_screen.isVisible()

    def lock(self, *, switching: bool = False, note: str = "", clean: bool = False) -> None:
        """Cover the window with the sign-in form; open dialogs are hidden, nothing is closed.

        Signing in again as the same user gives everything back as it was; another user (or
        ``clean``) gets a fresh window.
        """
        if not self.is_locked():
            self._locked_by = session.current()
            if self._locked_by is not None and not clean:
                # On the worker, before any sign-in that follows (one queue, in order); a locked
                # or unreachable database must not keep the window open, nor say so.
                from frontdesk.ui.kit.operations import Op

                Op(self, lambda: users.record_session_event("lock")).failure(lambda _error: None).run()
            self._focus_before_lock = QApplication.focusWidget()
            popup = QApplication.activePopupWidget()
            if popup is not None:
                popup.close()
            self._hidden_windows = [
                w for w in QApplication.topLevelWidgets()
                if w is not self and w.isWindow() and w.isVisible()
            ]
            for window in self._hidden_windows:
                window.hide()
            self.menuBar().setEnabled(False)
            self.tabs.setEnabled(False)
            self.idle_watcher.stop()
        self._clean_after_unlock = self._clean_after_unlock or clean
        self.lock_screen.present(self._locked_by, switching=switching, note=note)
        self.activateWindow()  # a dialog that had the focus is hidden: the sign-in takes it

    def switch_user(self) -> None:
        """Lock, with the name field empty: another user signs in (the current one can still return)."""
        self.lock(switching=True)

    def _signed_in_again(self, actor: Actor) -> None:
        same = (not self._clean_after_unlock and self._locked_by is not None
                and actor.user_id == self._locked_by.user_id)
        hidden, self._hidden_windows = self._hidden_windows, []
        self.lock_screen.hide()
        self.menuBar().setEnabled(True)
        self.tabs.setEnabled(True)
        if same:
            for window in hidden:
                if shiboken6.isValid(window):
                    window.show()
            focus = self._focus_before_lock
            if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._discard(hidden)
            self._fresh_tabs()
        self._locked_by = None
        self._focus_before_lock = None
        self._clean_after_unlock = False
        self.refresh_branch()
        self.refresh_user()
        self.refresh_counts()
        self.inspection_status.refresh()
        if self.isVisible():
            self.idle_watcher.start()

    @staticmethod
    def _discard(windows: list[QWidget]) -> None:
        """The previous user's dialogs: closed unsaved (their input is theirs, not the next user's)."""
        for window in windows:
            if not shiboken6.isValid(window):
                continue
            if isinstance(window, QDialog):
                window.reject()
            window.close()

    def _fresh_tabs(self) -> None:
        """Another user signed in: every tab starts clean (the last user's input is theirs)."""
        for number, old in enumerate(self.tab_pages):
            page = self._make_tab(number)
            self.tab_pages[number] = page
            self.tabs.removeTab(number)
            self.tabs.insertTab(number, page, page.title())
            old.deleteLater()
        self.tabs.setCurrentIndex(0)
        self.tab_pages[0].focus_first()

    def _session_ended(self) -> None:
        """The account was deactivated on another station: lock, and only a clean start follows."""
        if session.current() is None:
            self.lock(clean=True, note=self.tr("您的账户已被管理员停用，请换其他用户登录。"))

    # ------------------------------------------------------------------ restore

    def restore_database(self, backup_file: Path) -> None:
        """Replace the database with ``backup_file`` (settings → 备份与恢复), then sign in again.

        The restore runs on the database worker like every write (copying a big file takes a
        while; the window keeps answering, but takes no input meanwhile). The database is closed
        for it; if the restore is refused (another window has the database open, the file is bad)
        the same database is opened again and nothing changed.
        """
        from frontdesk.services import backup, connections
        from frontdesk.ui.kit.changes import DATABASE
        from frontdesk.ui.kit.operations import Op

        # This thread's own connection goes first: the file must be free of this program.
        connections.release_thread_connection()
        self.setEnabled(False)
        self.restoring = True
        (Op(self, lambda: backup.restore_open_database(self.location, backup_file), changes={DATABASE})
         .success(lambda _kept: self._restored())
         .failure(self._restore_refused)
         .finally_(self._restore_ended)
         .run())

    def _restore_ended(self) -> None:
        self.restoring = False
        self.setEnabled(True)

    def _restore_refused(self, error: UserError) -> None:
        from frontdesk.services import backup

        self._restore_ended()
        if isinstance(error, backup.ReopenError):
            QMessageBox.critical(self, APP_NAME, error.message)
            self.close()
            return
        QMessageBox.warning(self, APP_NAME, self.tr("没有恢复：{reason}").format(reason=error.message))

    def _restored(self) -> None:
        self._restore_ended()
        session.set_current(None)
        self.lock(clean=True, note=self.tr("已从备份恢复数据库，请重新登录（用户和密码以备份中的为准）。"))
        if users.count_users() == 0:  # a backup from before users existed: its administrator first
            from frontdesk.ui.session.sign_in import CreateAdminDialog

            dialog = CreateAdminDialog(self)
            try:
                accepted = dialog.exec() == QDialog.DialogCode.Accepted
                actor = dialog.actor
            finally:
                dialog.deleteLater()
            if accepted and actor is not None:
                self._signed_in_again(actor)
            else:
                self.close()

    def open_reports(self, monthly: bool = False) -> None:
        """报表 → 导出日报/月报 (the duty manager and the administrator); the reminder opens it on
        last month's report."""
        from frontdesk.ui.reports.export_dialog import ReportExportDialog

        if not session.current() or not session.current().can(session.VIEW_REPORTS):
            return

        def make() -> ReportExportDialog:
            dialog = ReportExportDialog(self)
            if monthly:
                dialog.monthly.setChecked(True)
                dialog.month.setFocus()
            return dialog

        self._run_dialog(make)
        self.monthly_reminder.refresh()

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
        if not self.is_locked():
            self.idle_watcher.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.lock_screen.isVisible():
            self.lock_screen.setGeometry(self.rect())

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._counts_timer.stop()
        super().hideEvent(event)

    def _restore_geometry(self) -> None:
        """Size and place the window (not shown yet) on the screen it opens on; see ``show_placed``."""
        store = window_settings()
        saved = store.value(GEOMETRY_KEY)
        maximized = str(store.value(MAXIMIZED_KEY, "false")).lower() == "true"
        screen = self.screen() or QApplication.primaryScreen()
        screens = [s.availableGeometry() for s in QApplication.screens()]
        rect, self._open_maximized = initial_geometry(
            screen.availableGeometry(), screens, saved if isinstance(saved, QRect) else None, maximized)
        self.setGeometry(rect)

    def show_placed(self) -> None:
        """Show the window as ``_restore_geometry`` decided: maximized on a small screen."""
        if self._open_maximized:
            # Also filled without a window manager to maximize it (the geometry set above).
            self.showMaximized()
        else:
            self.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.idle_watcher.detach()
        session.remove_signed_out_listener(self._notify_signed_out)
        # Signing out writes its audit entry: on the worker like every write, after whatever is
        # still queued there, and waited for (briefly) since the program is about to end.
        from frontdesk.ui.kit import worker as worker_module

        worker = worker_module.shared_worker()
        worker.submit(_sign_out_quietly)
        worker.wait_idle(CLOSE_WAIT_MS)
        store = window_settings()
        store.setValue(GEOMETRY_KEY, self.normalGeometry() if self.isMaximized() else self.geometry())
        store.setValue(MAXIMIZED_KEY, self.isMaximized())
        store.sync()
        super().closeEvent(event)
