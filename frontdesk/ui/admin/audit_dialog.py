"""The audit-log viewer (审计日志) of the duty manager and the administrator.

A year of a busy hall is half a million entries, so the table never holds a view whole: the
model counts the view and reads its first page of 200 on the database worker, and Qt's
incremental fetching (``canFetchMore``/``fetchMore``) asks for the next page only when the user
scrolls to the bottom. Every page comes from the worker with its values already put in words
(``audit_view``), so painting never queries. A view is pinned to the newest entry when it was
counted: entries another station appends meanwhile neither shift the pages nor appear twice;
they show at the next change of the filters.

Who may read the trail is the services' decision: a user without the right sees the services'
refusal in the dialog, and nothing else.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import audit, audit_view, clock
from frontdesk.services.audit import AuditFilter, ChainReport
from frontdesk.services.audit_view import AuditLine, FirstPage
from frontdesk.ui.kit.common import ERROR_STYLE
from frontdesk.ui.kit.worker import DbWorker, Job, shared_worker

PAGE_SIZE = 200
DEFAULT_DAYS = 7
TYPING_PAUSE_MS = 400  # a typed record number or date applies after this pause (or on Enter)
MAX_RECORD_DIGITS = 12

COLUMNS = ("seq", "at", "who", "station", "action", "title", "content")

DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
USER = int(Qt.ItemDataRole.UserRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

Index = QModelIndex | QPersistentModelIndex


def last_days(days: int, today: date | None = None) -> tuple[date, date]:
    """The ``days`` days up to and including today."""
    today = today or clock.today()
    return today - timedelta(days=days - 1), today


def time_text(at: datetime | str) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if isinstance(at, datetime) else str(at)


class AuditTableModel(QAbstractTableModel):
    """The entries of one view, newest first, read a page at a time on the database worker."""

    loaded = Signal()  # a new view is counted and its first page is in
    pageLoaded = Signal()  # one more page is in
    failed = Signal(object)  # a UserError from a query (a refusal, a storage problem)

    def __init__(self, parent: QObject | None = None, *, worker: DbWorker | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._worker = worker
        self._page_size = page_size
        self._filter: AuditFilter | None = None  # the view on screen
        self._lines: list[AuditLine] = []
        self._total = 0
        self._gen = 0  # bumped by every new view: late results of an older one are dropped
        self._load_job: Job | None = None
        self._page_job: Job | None = None
        self._headers = (self.tr("序号"), self.tr("时间"), self.tr("用户"), self.tr("工作站"),
                         self.tr("操作"), self.tr("记录"), self.tr("内容"))

    @property
    def worker(self) -> DbWorker:
        if self._worker is None or self._worker.is_shut_down:
            self._worker = shared_worker()
        return self._worker

    # ------------------------------------------------------------ the view

    def filter(self) -> AuditFilter | None:
        return self._filter

    @property
    def total(self) -> int:
        """Entries in the view on screen (not all of them loaded)."""
        return self._total

    @property
    def loaded_rows(self) -> int:
        return len(self._lines)

    @property
    def busy(self) -> bool:
        return self._load_job is not None

    @property
    def settled(self) -> bool:
        """Nothing on its way: neither a view nor a page."""
        return self._load_job is None and self._page_job is None

    def line(self, row: int) -> AuditLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def set_filter(self, f: AuditFilter) -> None:
        """Show the view ``f``: count it and read its first page; the old rows stay until then."""
        self._gen += 1
        gen = self._gen
        self._cancel_jobs()
        size = self._page_size
        self._load_job = self.worker.submit(
            lambda: audit_view.first_page(f, size),
            lambda page: self._loaded(gen, f, page),
            lambda exc: self._failed(gen, exc),
            owner=self,
            interruptible=True,
        )

    def refresh(self) -> None:
        if self._filter is not None:
            self.set_filter(self._filter)

    def shutdown(self) -> None:
        """Drop every query on its way (the dialog is closing)."""
        self._gen += 1
        self._cancel_jobs()

    def _cancel_jobs(self) -> None:
        if self._worker is not None and not self._worker.is_shut_down:
            self._worker.cancel(self._load_job)
            self._worker.cancel(self._page_job)
        self._load_job = None
        self._page_job = None

    def _loaded(self, gen: int, f: AuditFilter, page: FirstPage) -> None:
        if gen != self._gen:
            return
        self._load_job = None
        self.beginResetModel()
        self._filter = f
        self._lines = list(page.lines)
        # No first page, no more pages (the count and the page disagree only if entries vanished).
        self._total = max(page.total, len(self._lines)) if self._lines else 0
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        self._load_job = None
        self._page_job = None
        if not isinstance(exc, UserError):
            raise exc
        self.failed.emit(exc)

    # ------------------------------------------------------------ incremental fetching

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._filter is not None and len(self._lines) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent) or self._page_job is not None or self._load_job is not None:
            return
        gen, f, last, size = self._gen, self._filter, self._lines[-1], self._page_size
        self._page_job = self.worker.submit(
            lambda: audit_view.next_page(f, last, size),
            lambda lines: self._page_arrived(gen, lines),
            lambda exc: self._failed(gen, exc),
            owner=self,
            interruptible=True,
        )

    def _page_arrived(self, gen: int, lines: list[AuditLine]) -> None:
        if gen != self._gen:
            return
        self._page_job = None
        if len(lines) < self._page_size:
            # The view ends here, whatever the count said (an entry removed meanwhile): no more
            # pages are asked for.
            self._total = len(self._lines) + len(lines)
        if lines:
            first = len(self._lines)
            self.beginInsertRows(QModelIndex(), first, first + len(lines) - 1)
            self._lines.extend(lines)
            self.endInsertRows()
        self.pageLoaded.emit()

    # ------------------------------------------------------------ the table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        line = self.line(index.row())
        if line is None or not 0 <= index.column() < len(COLUMNS):
            return None
        key = COLUMNS[index.column()]
        if role == DISPLAY:
            return self._text(line, key)
        if role == TOOLTIP and key == "content":
            return "\n".join(f"{c.label}：{c.old} → {c.new}" for c in line.changes) or line.summary
        if role == ALIGNMENT and key == "seq":
            return _RIGHT
        if role == USER:
            return line.seq
        return None

    @staticmethod
    def _text(line: AuditLine, key: str) -> str:
        r = line.record
        if key == "seq":
            return str(r.seq)
        if key == "at":
            return time_text(r.at)
        if key == "who":
            return line.who
        if key == "station":
            return r.station
        if key == "action":
            return r.action_label
        if key == "title":
            return line.title
        return line.content


class AuditLogDialog(QDialog):
    """Filters, the entries newest first, the selected entry in full, and the chain's check.

    ``entity`` and ``entity_id`` open it on one record's story, over all dates (the visit
    dialog's 历史 button).
    """

    def __init__(self, parent: QWidget | None = None, *, entity: str = "",
                 entity_id: int | None = None, worker: DbWorker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogDialog")
        self.setWindowTitle(self.tr("审计日志"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1100, 700)
        self._worker = worker
        self._verify_job: Job | None = None
        self._names_job: Job | None = None

        self.model = AuditTableModel(self, worker=worker)
        self.model.loaded.connect(self._view_loaded)
        self.model.pageLoaded.connect(self._show_count)
        self.model.failed.connect(self._show_refusal)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.apply_filter)

        self._build_filters()
        self._build_table()
        self._build_footer()
        self._lay_out()

        self._set_range(*last_days(DEFAULT_DAYS))
        self.table.setFocus()
        if entity:
            self.show_record(entity, entity_id)
        else:
            self.apply_filter()
        self._load_usernames()

    @property
    def worker(self) -> DbWorker:
        if self._worker is None or self._worker.is_shut_down:
            self._worker = shared_worker()
        return self._worker

    # ------------------------------------------------------------ building

    def _build_filters(self) -> None:
        self.date_from = QDateEdit()
        self.date_from.setObjectName("dateFrom")
        self.date_to = QDateEdit()
        self.date_to.setObjectName("dateTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._typed)
        self.today_button = QPushButton(self.tr("今天"))
        self.week_button = QPushButton(self.tr("近7天"))
        self.month_button = QPushButton(self.tr("近30天"))
        for button, days, name in ((self.today_button, 1, "todayButton"),
                                   (self.week_button, 7, "weekButton"),
                                   (self.month_button, 30, "monthButton")):
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, days=days: self.choose_days(days))
        self.all_dates = QCheckBox(self.tr("全部日期"))
        self.all_dates.setObjectName("allDates")
        self.all_dates.toggled.connect(self._all_dates_toggled)

        self.user_combo = QComboBox()
        self.user_combo.setObjectName("userCombo")
        self.user_combo.addItem(self.tr("全部"), "")
        self.user_combo.setMinimumContentsLength(10)
        self.user_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.user_combo.currentIndexChanged.connect(self._chosen)

        self.entity_combo = QComboBox()
        self.entity_combo.setObjectName("entityCombo")
        self.entity_combo.addItem(self.tr("全部"), "")
        for code, label in audit.ENTITIES.items():
            self.entity_combo.addItem(label, code)
        self.entity_combo.currentIndexChanged.connect(self._entity_chosen)

        self.record_edit = QLineEdit()
        self.record_edit.setObjectName("recordEdit")
        self.record_edit.setPlaceholderText(self.tr("编号"))
        self.record_edit.setMaximumWidth(110)
        self.record_edit.setValidator(QRegularExpressionValidator(
            QRegularExpression(rf"\d{{0,{MAX_RECORD_DIGITS}}}"), self.record_edit))
        self.record_edit.setToolTip(self.tr("只看这一条记录的日志（按回车或停顿片刻后生效）"))
        self.record_edit.textEdited.connect(self._typed)
        self.record_edit.returnPressed.connect(self.apply_filter)
        self.record_edit.setEnabled(False)

        self.action_combo = QComboBox()
        self.action_combo.setObjectName("actionCombo")
        self.action_combo.addItem(self.tr("全部"), "")
        self.action_combo.setMaxVisibleItems(20)
        for code, label in audit.ACTIONS.items():
            self.action_combo.addItem(label, code)
        self.action_combo.currentIndexChanged.connect(self._chosen)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 150, 140, 110, 100, 100)):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QPlainTextEdit()
        self.detail.setObjectName("auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("选择一条日志，在此查看它的全部内容。"))

    def _build_footer(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.message = QLabel()
        self.message.setObjectName("auditMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.verify_label = QLabel()
        self.verify_label.setObjectName("verifyLabel")
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton(self.tr("验证审计链"))
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setAutoDefault(False)
        self.verify_button.setToolTip(self.tr("逐条核对审计记录的哈希链，看是否有记录被改动、删除或插入"))
        self.verify_button.clicked.connect(self.verify_chain)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        close.setAutoDefault(False)

    def _lay_out(self) -> None:
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("日期")))
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.date_to)
        for widget in (self.today_button, self.week_button, self.month_button, self.all_dates):
            dates.addWidget(widget)
        dates.addStretch(1)

        others = QHBoxLayout()
        for label, widget in ((self.tr("用户"), self.user_combo), (self.tr("记录"), self.entity_combo)):
            others.addWidget(QLabel(label))
            others.addWidget(widget)
        others.addWidget(self.record_edit)
        others.addWidget(QLabel(self.tr("操作")))
        others.addWidget(self.action_combo)
        others.addStretch(1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        footer.addWidget(self.verify_label, 2)
        footer.addWidget(self.verify_button)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(dates)
        layout.addLayout(others)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addLayout(footer)

    # ------------------------------------------------------------ filters

    def current_filter(self) -> AuditFilter:
        """The filter the bar shows."""
        date_from = date_to = None
        if not self.all_dates.isChecked():
            date_from, date_to = self.date_from.date().toPython(), self.date_to.date().toPython()
            if date_from > date_to:
                date_from, date_to = date_to, date_from
        entity = self.entity_combo.currentData() or ""
        digits = self.record_edit.text().strip()
        entity_id = int(digits) if entity and digits.isdigit() else None
        return AuditFilter(
            date_from=date_from,
            date_to=date_to,
            username=self.user_combo.currentData() or "",
            entity=entity,
            entity_id=entity_id,
            action=self.action_combo.currentData() or "",
        )

    def apply_filter(self) -> None:
        """Show the entries of the filter bar (nothing is read again if it did not change)."""
        self._typing.stop()
        f = self.current_filter()
        if f == self.model.filter() and not self.model.busy:
            return
        self.count_label.setText(self.tr("正在查询…"))
        self.model.set_filter(f)

    def choose_days(self, days: int) -> None:
        """今天 / 近7天 / 近30天: that range, at once."""
        self._set_range(*last_days(days))
        self.all_dates.setChecked(False)
        self.apply_filter()

    def show_record(self, entity: str, entity_id: int | None) -> None:
        """Show one record's entries (``entity_id`` None: every record of the kind), all dates."""
        widgets = (self.entity_combo, self.record_edit, self.all_dates)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            index = self.entity_combo.findData(entity)
            if index < 0:  # a kind the viewer does not list yet: shown under its code
                self.entity_combo.addItem(entity, entity)
                index = self.entity_combo.count() - 1
            self.entity_combo.setCurrentIndex(index)
            self.record_edit.setEnabled(bool(entity))
            self.record_edit.setText("" if entity_id is None else str(entity_id))
            self.all_dates.setChecked(True)
            self._dates_enabled(False)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.apply_filter()

    def _set_range(self, first: date, last: date) -> None:
        for edit, value in ((self.date_from, first), (self.date_to, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day))
            edit.blockSignals(False)

    def _dates_enabled(self, enabled: bool) -> None:
        self.date_from.setEnabled(enabled)
        self.date_to.setEnabled(enabled)

    def _all_dates_toggled(self, checked: bool) -> None:
        self._dates_enabled(not checked)
        self.apply_filter()

    def _entity_chosen(self) -> None:
        self.record_edit.setEnabled(bool(self.entity_combo.currentData()))
        self.apply_filter()

    def _chosen(self) -> None:
        self.apply_filter()

    def _typed(self) -> None:
        self._typing.start()

    def _load_usernames(self) -> None:
        def arrived(names: list[str]) -> None:
            self._names_job = None
            chosen = self.user_combo.currentData() or ""
            self.user_combo.blockSignals(True)
            for name in names:
                if self.user_combo.findData(name) < 0:
                    self.user_combo.addItem(name, name)
            self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(chosen)))
            self.user_combo.blockSignals(False)

        def failed(exc: BaseException) -> None:
            self._names_job = None
            if not isinstance(exc, UserError):
                raise exc
            self._show_refusal(exc)

        self._names_job = self.worker.submit(audit.usernames, arrived, failed, owner=self)

    # ------------------------------------------------------------ the view

    def _view_loaded(self) -> None:
        self.message.hide()
        self._show_count()
        self._show_detail(None)

    def _show_count(self) -> None:
        self.count_label.setText(self.tr("共 {n} 条").format(n=self.model.total))

    def _show_refusal(self, error: UserError) -> None:
        """A refusal or a storage problem, said in the dialog; whatever was typed stays."""
        self.message.setText(error.message)
        self.message.show()
        self.count_label.setText("")

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_detail(self.model.line(rows[0].row()) if rows else None)

    def selected_line(self) -> AuditLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.line(rows[0].row()) if rows else None

    def _show_detail(self, line: AuditLine | None) -> None:
        if line is None:
            self.detail.clear()
            return
        r = line.record
        parts = [
            self.tr("第 {seq} 条　{at}").format(seq=r.seq, at=time_text(r.at)),
            self.tr("用户：{who}　工作站：{station}").format(who=line.who, station=r.station or "—"),
            self.tr("操作：{action}　记录：{title}").format(action=r.action_label, title=line.title or "—"),
            "",
        ]
        if line.changes:
            parts.extend(self.tr("{label}：{old} → {new}").format(label=c.label, old=c.old, new=c.new)
                         for c in line.changes)
            if line.detail:
                parts.append(self.tr("说明：{detail}").format(detail=line.detail))
        else:
            parts.append(line.summary)
        self.detail.setPlainText("\n".join(parts))

    # ------------------------------------------------------------ the chain

    def verify_chain(self) -> None:
        """Check the whole chain on the worker; the result shows next to the button."""
        if self._verify_job is not None:
            return
        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("正在验证审计链…"))

        def done(report: ChainReport) -> None:
            self._verify_job = None
            self.verify_button.setEnabled(True)
            if report.ok:
                self.verify_label.setStyleSheet("")
                self.verify_label.setText(self.tr("审计链完整：{n} 条").format(n=report.entries))
            else:
                self.verify_label.setStyleSheet(ERROR_STYLE)
                self.verify_label.setText(report.problem or "")

        def failed(exc: BaseException) -> None:
            self._verify_job = None
            self.verify_button.setEnabled(True)
            if not isinstance(exc, UserError):
                raise exc
            self.verify_label.setStyleSheet(ERROR_STYLE)
            self.verify_label.setText(exc.message)

        self._verify_job = self.worker.submit(audit_view.verify_chain, done, failed, owner=self)

    @property
    def settled(self) -> bool:
        """Nothing on its way (tests)."""
        return self.model.settled and self._verify_job is None and self._names_job is None \
            and not self._typing.isActive()

    # ------------------------------------------------------------ closing

    def done(self, result: int) -> None:
        self._typing.stop()
        self.model.shutdown()
        if self._worker is not None and not self._worker.is_shut_down:
            self._worker.cancel(self._verify_job)
            self._worker.cancel(self._names_job)
        self._verify_job = self._names_job = None
        super().done(result)
