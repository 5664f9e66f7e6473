"""The audit-log viewer (审计日志) of the duty manager and the administrator.

It runs on the kit's table (``kit.paged_model``, ``kit.record_table``) like the register; only its
columns, its filters and its row source are its own. A year of a busy hall is half a million
entries, so the table never holds a view whole: the model counts the view and reads its first
page of 200 on the database worker, and Qt's incremental fetching (``canFetchMore``/``fetchMore``)
asks for the next page only when the user scrolls to the bottom (the trail reads on from its last
entry — a keyset — so its source is a sequential one). Every page comes from the worker with its values already put in words
(``audit_view``), so painting never queries. A view is pinned to the newest entry when it was
counted: entries another station appends meanwhile neither shift the pages nor appear twice;
they show at the next change of the filters.

Who may read the trail is the services' decision: a user without the right sees the services'
refusal in the dialog, and nothing else.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import (
    QDate,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    QTimer,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import audit, audit_view, clock
from frontdesk.services.audit import AuditFilter, ChainReport
from frontdesk.services.audit_view import AuditLine
from frontdesk.ui.kit.common import ERROR_STYLE, bound_date_edit
from frontdesk.ui.kit.operations import QueryOp
from frontdesk.ui.kit.paged_model import Column, PagedTableModel, SourceBase
from frontdesk.ui.kit.record_table import RecordTable
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


class AuditRowSource(SourceBase[AuditFilter, AuditLine]):
    """The trail's entries through ``services.audit_view``, newest first, page after page."""

    sequential = True

    def first_page(self, query: AuditFilter, size: int, known_total: int | None) -> tuple[int, list[AuditLine]]:
        page = audit_view.first_page(query, size)
        return page.total, list(page.lines)

    def next_page(self, query: AuditFilter, after: AuditLine, size: int) -> list[AuditLine]:
        return audit_view.next_page(query, after, size)

    def row_id(self, row: AuditLine) -> int:
        return row.seq


class AuditTableModel(PagedTableModel[AuditFilter, AuditLine]):
    """The entries of one view, newest first, read a page at a time on the database worker."""

    def __init__(self, parent: QObject | None = None, *, worker: DbWorker | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        headers = (self.tr("序号"), self.tr("时间"), self.tr("用户"), self.tr("工作站"),
                   self.tr("操作"), self.tr("记录"), self.tr("内容"))
        render = (lambda line: str(line.record.seq), lambda line: time_text(line.record.at),
                  lambda line: line.who, lambda line: line.record.station,
                  lambda line: line.record.action_label, lambda line: line.title,
                  lambda line: line.content)
        columns = [Column(key, header, fn, numeric=key == "seq")
                   for key, header, fn in zip(COLUMNS, headers, render, strict=True)]
        super().__init__(AuditRowSource(), columns, AuditFilter(), parent, worker=worker,
                         page_size=page_size)

    def filter(self) -> AuditFilter | None:
        """The view on screen (None before the first one is in)."""
        return self.query() if self._shown else None

    def set_filter(self, f: AuditFilter) -> None:
        """Show the view ``f``: count it and read its first page; the old rows stay until then."""
        self.set_query(f)

    def line(self, row: int) -> AuditLine | None:
        return self.row_at(row) if 0 <= row < self.loaded_rows else None

    def tooltip(self, row: AuditLine, key: str) -> str | None:
        if key != "content":
            return None
        return "\n".join(f"{c.label}：{c.old} → {c.new}" for c in row.changes) or row.summary


class AuditRecords(RecordTable):
    """The viewer's table: no polling (a view is pinned to its newest entry), no selection kept
    across views (a new view starts with nothing selected)."""

    def __init__(self, dialog: AuditLogDialog, model: AuditTableModel) -> None:
        super().__init__(model, dialog, view_name="auditTable", poll_ms=0, count_name="countLabel",
                         error_name="auditMessage", keep_selection=False)
        self._dialog_of = dialog

    def current_query(self) -> AuditFilter:
        return self._dialog_of.current_filter()


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

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.apply_filter)

        self._build_filters()
        self._build_table()
        self._build_footer()
        self._lay_out()
        # After the table's own: the viewer words its count and its refusals itself.
        self.model.loaded.connect(self._view_loaded)
        self.model.pageLoaded.connect(self._show_count)
        self.model.failed.connect(self._show_refusal)

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
            bound_date_edit(edit)
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
        self.records = AuditRecords(self, self.model)
        self.table = self.records.view
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column, width in enumerate((70, 150, 140, 110, 100, 100)):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QPlainTextEdit()
        self.detail.setObjectName("auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("选择一条日志，在此查看它的全部内容。"))

    def _build_footer(self) -> None:
        self.count_label = self.records.count_label
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.message = self.records.error_label
        self.records.layout_.removeWidget(self.message)  # shown above the table and its detail
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
        split.addWidget(self.records)
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
            chosen = self.user_combo.currentData() or ""
            self.user_combo.blockSignals(True)
            for name in names:
                if self.user_combo.findData(name) < 0:
                    self.user_combo.addItem(name, name)
            self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(chosen)))
            self.user_combo.blockSignals(False)

        def ended() -> None:
            self._names_job = None

        self._names_job = QueryOp(self, audit.usernames, worker=self.worker).success(arrived) \
            .failure(self._show_refusal).finally_(ended).run()

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
            if report.ok:
                self.verify_label.setStyleSheet("")
                self.verify_label.setText(self.tr("审计链完整：{n} 条").format(n=report.entries))
            else:
                self.verify_label.setStyleSheet(ERROR_STYLE)
                self.verify_label.setText(report.problem or "")

        def failed(exc: UserError) -> None:
            self.verify_label.setStyleSheet(ERROR_STYLE)
            self.verify_label.setText(exc.message)

        def ended() -> None:
            self._verify_job = None
            self.verify_button.setEnabled(True)

        self._verify_job = QueryOp(self, audit_view.verify_chain, worker=self.worker).success(done) \
            .failure(failed).finally_(ended).run()

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
