"""The waiting-now panel: who is waiting and for how long, who is being served.

The timers tick once a second from the arrival times held in memory: a tick repaints only the
timer cells (and a whole row when it crosses a threshold), never queries the database, so it
costs nothing while the guide types. The lists are re-read after every change and every few
seconds, since another station may register or call visitors too.

The keyboard route: F6 moves into 等候中, F7 into 办理中, the arrows select. With nothing
selected F2 calls the first waiting (priority first), F3 finishes the only or the longest in
service, F4 asks whom (a small list: arrows and Enter). A call, finish or leave made here can
be taken back for ``visitors.UNDO_WINDOW`` (Ctrl+Z, or the 撤销 link in the message line).
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QElapsedTimer,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import care, clock, lists, settings, visitors
from frontdesk.services.care import CareRecord
from frontdesk.services.lists import ListEntry
from frontdesk.services.presets import CARE_ACTION
from frontdesk.services.settings import ServiceStandards
from frontdesk.services.visitors import OUTCOMES, SERVICE_OUTCOMES, SPECIAL_NEEDS, VisitRow
from frontdesk.ui.kit.changes import VISIT
from frontdesk.ui.kit.common import format_datetime
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.record_table import setup_record_view

RELOAD_MS = 4000  # + the read itself: another station's registration shows within 5 s
TICK_MS = 1000

# Row colours as a waiting customer crosses the service standards (seeds 002, 003).
LEVEL_COLOURS = {1: QColor("#fff4b8"), 2: QColor("#ffcc80"), 3: QColor("#ef9a9a")}
TEXT_COLOUR = QColor("#1f2933")
ModelIndex = QModelIndex | QPersistentModelIndex


def _plain(rich: str) -> str:
    """The text of the message line without its link."""
    return html.unescape(re.sub(r"&nbsp;&nbsp;<a .*?</a>|<[^>]+>", "", rich))


def _tr(text: str) -> str:
    """Translation for the models, which are not widgets."""
    return QCoreApplication.translate("WaitingPanel", text)


def format_elapsed(seconds: float) -> str:
    """``mm:ss`` below an hour, ``h:mm:ss`` above: a timer the guide reads at a glance."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def priority_text(row: VisitRow) -> str:
    """★ and the flags of a priority customer, e.g. ``★ 老年人、贵宾``."""
    if not row.priority:
        return ""
    names = [label for code, (_bit, label) in SPECIAL_NEEDS.items() if code in row.special_needs]
    if row.vip:
        names.append(_tr("贵宾"))
    return "★ " + "、".join(names)


def flag_text(row: VisitRow) -> str:
    """Short tags of what the guide must mind: papers missing (一次性告知), a surrender (挽留)."""
    flags = []
    if not row.documents_complete:
        flags.append(_tr("缺资料"))
    if row.is_surrender:
        flags.append(_tr("退保"))
    return " ".join(f"[{f}]" for f in flags)


_PanelData = tuple[ServiceStandards, list[VisitRow], list[VisitRow], dict[int, tuple[CareRecord, ...]],
                   list[ListEntry]]


def _read_panel() -> _PanelData:
    """Everything the panel shows, in one go (runs on the GUI thread or the db worker)."""
    waiting = visitors.waiting_now()
    return (settings.load().standards, waiting, visitors.serving_now(),
            care.care_of(row.id for row in waiting), lists.entries(CARE_ACTION))


class _LiveModel(QAbstractTableModel):
    """Plain visit rows with one live timer column. Subclasses say what the timer measures."""

    HEADERS: tuple[str, ...] = ()
    TIMER_COLUMN = 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[VisitRow] = []
        self._levels: list[int] = []
        self._now = clock.now()
        self.standards = ServiceStandards()

    # -------------------------------------------------------------- Qt interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.HEADERS):
            return _tr(self.HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(index.row(), index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = LEVEL_COLOURS.get(self._levels[index.row()])
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(TEXT_COLOUR) if self._levels[index.row()] else None
        if role == Qt.ItemDataRole.FontRole and row.priority:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.TIMER_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -------------------------------------------------------------- for subclasses

    def display(self, index: int, column: int) -> str:
        """Both lists share their columns but the first (a time) and the timer."""
        row = self._rows[index]
        if column == 0:
            return self.time_text(row)
        if column == 1:
            return row.ticket_no
        if column == 2:
            return row.business_type
        if column == 3:
            return row.destination
        if column == self.TIMER_COLUMN:
            return self.timer_text(index, row)
        return "  ".join(p for p in (priority_text(row), flag_text(row), row.customer_name) if p)

    def time_text(self, row: VisitRow) -> str:
        raise NotImplementedError

    def timer_text(self, index: int, row: VisitRow) -> str:
        return format_elapsed(self.elapsed_seconds(row))

    def elapsed_seconds(self, row: VisitRow) -> float:
        raise NotImplementedError

    def level_of(self, row: VisitRow) -> int:
        raise NotImplementedError

    def tooltip(self, row: VisitRow) -> str:
        parts = [
            f"{row.business_type} → {row.destination}",
            _tr("到达 {time}").format(time=format_datetime(row.arrived_at)),
        ]
        if row.phone_masked:
            parts.append(row.phone_masked)
        if not row.documents_complete:
            parts.append(_tr("缺少资料：{docs}").format(docs="、".join(row.missing_documents)))
        if row.notes:
            parts.append(row.notes)
        return "\n".join(parts)

    # -------------------------------------------------------------- the panel's API

    def set_rows(self, rows: list[VisitRow], now: datetime | None = None) -> bool:
        """Replace the rows; returns False (and touches nothing) when nothing changed."""
        if now is not None:
            self._now = now
        if rows == self._rows:  # a few dozen small rows: comparing them is cheaper than a reset
            self.tick(self._now)
            return False
        self.beginResetModel()
        self._rows = list(rows)
        self._levels = [self.level_of(r) for r in self._rows]
        self.endResetModel()
        return True

    def set_standards(self, standards: ServiceStandards) -> None:
        if standards != self.standards:
            self.standards = standards
            self.tick(self._now, force=True)

    def tick(self, now: datetime, *, force: bool = False) -> None:
        """Advance the timers: repaint the timer cells, and whole rows whose colour changed."""
        self._now = now
        if not self._rows:
            return
        last = len(self.HEADERS) - 1
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole]
        for i, row in enumerate(self._rows):
            level = self.level_of(row)
            if level != self._levels[i] or force:
                self._levels[i] = level
                self.dataChanged.emit(self.index(i, 0), self.index(i, last), roles)
        column = self.TIMER_COLUMN
        self.dataChanged.emit(
            self.index(0, column), self.index(len(self._rows) - 1, column), [Qt.ItemDataRole.DisplayRole]
        )

    def rows(self) -> list[VisitRow]:
        return list(self._rows)

    def row_at(self, index: int) -> VisitRow:
        return self._rows[index]

    def row_of(self, visit_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == visit_id), None)

    def level(self, index: int) -> int:
        return self._levels[index]

    def minutes(self, row: VisitRow) -> float:
        return self.elapsed_seconds(row) / 60


class WaitingModel(_LiveModel):
    """Everyone not yet called, priority first; coloured at the water / wait / peak thresholds."""

    HEADERS = ("到达", "票号", "业务类型", "分流去向", "已等候", "客户")
    TIMER_COLUMN = 4
    LEVEL_HINTS = {1: "送水", 2: "超时", 3: "严重超时"}
    CARE_HINT = "请送水/安抚"  # past the water standard and nobody has looked after them yet

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.care: dict[int, tuple[CareRecord, ...]] = {}

    def set_care(self, care_of: dict[int, tuple[CareRecord, ...]]) -> None:
        """The care actions recorded for the waiting customers (the rows repaint if it changed)."""
        if care_of != self.care:
            self.care = dict(care_of)
            self.tick(self._now, force=True)

    def needs_care(self, index: int) -> bool:
        return self._levels[index] >= 1 and not self.care.get(self._rows[index].id)

    def display(self, index: int, column: int) -> str:
        text = super().display(index, column)
        records = self.care.get(self._rows[index].id)
        if column == len(self.HEADERS) - 1 and records:
            done = "、".join(dict.fromkeys(r.label for r in records))
            text = f"[{done}] {text}".rstrip()
        return text

    def tooltip(self, row: VisitRow) -> str:
        lines = [super().tooltip(row)]
        for record in self.care.get(row.id, ()):
            lines.append(_tr("{action} {time} {who}").format(
                action=record.label, time=format_datetime(record.at, with_date=False), who=record.username))
        return "\n".join(lines)

    def elapsed_seconds(self, row: VisitRow) -> float:
        return (self._now - row.arrived_at).total_seconds()

    def level_of(self, row: VisitRow) -> int:
        minutes = self.minutes(row)
        st = self.standards
        if minutes >= st.peak_wait_minutes:
            return 3
        if minutes >= st.wait_minutes:
            return 2
        if minutes >= st.water_minutes:
            return 1
        return 0

    def time_text(self, row: VisitRow) -> str:
        return format_datetime(row.arrived_at, with_date=row.arrived_at.date() != self._now.date())

    def timer_text(self, index: int, row: VisitRow) -> str:
        level = self._levels[index]
        hint = _tr(self.CARE_HINT if self.needs_care(index) else self.LEVEL_HINTS[level]) if level else ""
        timer = format_elapsed(self.elapsed_seconds(row))
        return f"{hint} {timer}" if hint else timer


class ServingModel(_LiveModel):
    """Everyone called and not finished; coloured when service runs past the standard."""

    HEADERS = ("叫号时间", "票号", "业务类型", "分流去向", "办理中", "客户")
    TIMER_COLUMN = 4

    def elapsed_seconds(self, row: VisitRow) -> float:
        start = row.called_at or row.arrived_at
        return (self._now - start).total_seconds()

    def level_of(self, row: VisitRow) -> int:
        return 2 if self.minutes(row) >= self.standards.service_minutes else 0

    def time_text(self, row: VisitRow) -> str:
        return format_datetime(row.called_at, with_date=False)


def _make_view(model: _LiveModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    setup_record_view(view, model, row_padding=8)
    header = view.horizontalHeader()
    for column, width in enumerate((52, 56, 90, 90, 118)):
        header.resizeSection(column, width)
    return view


class ChooseWaitingDialog(QDialog):
    """F4 with nothing selected: whom to mark as left? Arrows choose, Enter confirms, Esc cancels."""

    def __init__(self, rows: list[VisitRow], now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chooseWaitingDialog")
        self.setWindowTitle(self.tr("未办理离开"))
        self._rows = rows
        self.choices = QListWidget()
        self.choices.setObjectName("waitingChoices")
        for row in rows:
            waited = format_elapsed((now - row.arrived_at).total_seconds())
            text = "  ".join(p for p in (format_datetime(row.arrived_at, with_date=False),
                                          row.ticket_no or row.customer_name, row.business_type,
                                          self.tr("已等候 {t}").format(t=waited), flag_text(row)) if p)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.choices.addItem(item)
        self.choices.setCurrentRow(0)
        self.choices.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("记为未办理离开"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("哪一位客户未办理就离开了？（↑↓ 选择，Enter 确认，Esc 取消）")))
        layout.addWidget(self.choices)
        layout.addWidget(buttons)
        self.choices.setFocus()

    def chosen(self) -> VisitRow | None:
        index = self.choices.currentRow()
        return self._rows[index] if 0 <= index < len(self._rows) else None


class WaitingPanel(QWidget):
    """等候中 and 办理中, with call (F2), finish (F3) and left-without-service (F4)."""

    visitsChanged = Signal()  # noqa: N815 - Qt naming; emitted after a call/finish/leave here

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingPanel")
        self._writing: Op[VisitRow] | None = None
        self.waiting_model = WaitingModel(self)
        self.serving_model = ServingModel(self)
        self.waiting_view = _make_view(self.waiting_model, "waitingView")
        self.serving_view = _make_view(self.serving_model, "servingView")
        self.waiting_view.doubleClicked.connect(lambda index: self._edit(self.waiting_model, index))
        self.serving_view.doubleClicked.connect(lambda index: self._edit(self.serving_model, index))

        self.call_action = self._action(self.tr("叫号"), "F2", self.call_next)
        self.finish_action = self._action(self.tr("办结"), "F3", lambda: self.finish_selected("done"))
        self.left_action = self._action(self.tr("未办理离开"), "F4", self.mark_left_selected)
        self.to_waiting_action = self._action(self.tr("到等候列表"), "F6", lambda: self.enter_list(self.waiting_view))
        self.to_serving_action = self._action(self.tr("到办理中列表"), "F7", lambda: self.enter_list(self.serving_view))
        self.undo_action = self._action(self.tr("撤销"), "Ctrl+Z", self.undo_last)
        # F8: the care list's first action (已送水); F9: the whole list, in a menu.
        self.care_actions: list[ListEntry] = []
        self.water_action = self._action(self.tr("已送水"), "F8", self.record_first_care)
        self.calm_action = self._action(self.tr("其他照护"), "F9", self.choose_care)
        self.care_menu = QMenu(self)
        self.care_menu.setObjectName("careMenu")
        self.care_menu.triggered.connect(lambda action: self._care_chosen(action.data()))
        self.care_menu.aboutToHide.connect(self._back_to_list)
        self._care_for: VisitRow | None = None
        self.slip_action = self._action(self.tr("告知单"), "F10", self.open_slip)
        self.slip_dialog: QWidget | None = None
        self._last_step: tuple[str, VisitRow, VisitRow, str] | None = None  # step, before, after, text
        self._step_age = QElapsedTimer()
        self._undo_expiry = QTimer(self)
        self._undo_expiry.setSingleShot(True)
        self._undo_expiry.timeout.connect(self._forget_last_step)
        self.outcome_menu = QMenu(self)
        for code, label in SERVICE_OUTCOMES.items():
            action = self.outcome_menu.addAction(label)
            action.setData(code)
        self.outcome_menu.triggered.connect(lambda action: self.finish_selected(action.data()))

        self.waiting_title = QLabel()
        self.serving_title = QLabel()
        self.message = QLabel()
        self.message.setObjectName("panelMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.linkActivated.connect(lambda _link: self.undo_last())
        legend = QLabel(
            self.tr(
                '<span style="background:#fff4b8">&nbsp;送水&nbsp;</span> '
                '<span style="background:#ffcc80">&nbsp;超时&nbsp;</span> '
                '<span style="background:#ef9a9a">&nbsp;严重超时&nbsp;</span> '
                "&nbsp;★ 优先办理"
            )
        )
        legend.setObjectName("legend")

        call_button = self._button(self.call_action)
        left_button = self._button(self.left_action)
        finish_button = self._button(self.finish_action)
        other = QToolButton()
        other.setText(self.tr("其他结果"))
        other.setToolTip(self.tr("以其他办理结果结束所选客户"))
        other.setMenu(self.outcome_menu)
        other.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        other.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.other_button = other

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.waiting_title.setToolTip(self.tr("F6：到等候列表，↑↓ 选择"))
        self.serving_title.setToolTip(self.tr("F7：到办理中列表，↑↓ 选择"))
        top = QHBoxLayout()
        top.addWidget(self.waiting_title)
        top.addStretch(1)
        top.addWidget(legend)
        layout.addLayout(top)
        layout.addWidget(self.waiting_view, 3)
        row = QHBoxLayout()
        row.addWidget(call_button)
        row.addWidget(left_button)
        row.addWidget(self._button(self.water_action))
        row.addWidget(self._button(self.calm_action))
        row.addWidget(self._button(self.slip_action))
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.serving_title)
        layout.addWidget(self.serving_view, 2)
        row = QHBoxLayout()
        row.addWidget(finish_button)
        row.addWidget(other)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.message)

        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._reloader = QTimer(self)
        self._reloader.setInterval(RELOAD_MS)
        self._reloader.timeout.connect(self.reload_in_background)
        self._generation = 0
        self._pending = None
        self._storage_problem = False
        self.reload()

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(f"{text}（{key}）", self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def actions_for_shortcuts(self) -> list[QAction]:
        """The F2/F3/F4, F6/F7 and Ctrl+Z actions, for a parent that wants them active across its
        children too."""
        return [self.call_action, self.finish_action, self.left_action, self.to_waiting_action,
                self.to_serving_action, self.undo_action, self.water_action, self.calm_action,
                self.slip_action]

    def enter_list(self, view: QTableView) -> None:
        """F6/F7: into a list, on the selected row (or the first); the arrows then select."""
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        model: _LiveModel = view.model()  # type: ignore[assignment]
        if self._selected_id(view) is None and model.rowCount():
            view.selectRow(0)

    # ------------------------------------------------------------------ timers

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._ticker.start()
        self._reloader.start()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._ticker.stop()
        self._reloader.stop()
        super().hideEvent(event)

    def tick(self) -> None:
        now = clock.now()
        self.waiting_model.tick(now)
        self.serving_model.tick(now)

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Re-read both lists and the thresholds now (after a change made in this window)."""
        self._generation += 1  # a background read started earlier must not undo this one
        try:
            data = _read_panel()
        except UserError as error:
            self._say(error.message, error=True)
            self._storage_problem = True
            return
        self._apply(data)

    def reload_in_background(self) -> None:
        """The periodic re-read (another station may have changed things), on the db worker.

        A slow or unreachable server then never freezes the window while the guide types.
        """
        if self._pending is not None:
            return
        generation = self._generation

        def done(data: _PanelData) -> None:
            if generation == self._generation:
                self._apply(data)

        def failed(error: UserError) -> None:
            self._say(error.message, error=True)
            self._storage_problem = True

        def ended() -> None:
            self._pending = None

        self._pending = QueryOp(self, _read_panel).success(done).failure(failed).finally_(ended).run()

    def _apply(self, data: _PanelData) -> None:
        standards, waiting, serving, care_of, care_actions = data
        if self._storage_problem:
            self._storage_problem = False
            self._say("")
        now = clock.now()
        for model, view, rows in (
            (self.waiting_model, self.waiting_view, waiting),
            (self.serving_model, self.serving_view, serving),
        ):
            model.set_standards(standards)
            selected = self._selected_id(view)
            if model.set_rows(rows, now):
                self._select(view, selected)
        self.waiting_model.set_care(care_of)
        self.care_actions = care_actions
        first = care_actions[0].label if care_actions else self.tr("照护")
        self.water_action.setText(self.tr("{action}（F8）").format(action=first))
        self.waiting_title.setText(self.tr("<b>等候中</b>（{n} 人）F6").format(n=len(waiting)))
        self.serving_title.setText(self.tr("<b>办理中</b>（{n} 人）F7").format(n=len(serving)))

    def _selected_id(self, view: QTableView) -> int | None:
        rows = view.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def _select(self, view: QTableView, visit_id: int | None) -> None:
        model: _LiveModel = view.model()  # type: ignore[assignment]
        index = model.row_of(visit_id) if visit_id is not None else None
        if index is None:
            view.clearSelection()
            return
        view.selectRow(index)

    def selected_waiting(self) -> VisitRow | None:
        index = self.waiting_model.row_of(visit_id) if (visit_id := self._selected_id(self.waiting_view)) else None
        return self.waiting_model.row_at(index) if index is not None else None

    def selected_serving(self) -> VisitRow | None:
        index = self.serving_model.row_of(visit_id) if (visit_id := self._selected_id(self.serving_view)) else None
        return self.serving_model.row_at(index) if index is not None else None

    def _say(self, text: str, *, error: bool = False, undo: bool = False) -> None:
        self.message.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")
        shown = html.escape(text)
        if undo:
            shown += '&nbsp;&nbsp;<a href="undo">' + html.escape(self.tr("撤销（Ctrl+Z）")) + "</a>"
        self.message.setText(shown)

    def message_text(self) -> str:
        """The message line as the guide reads it (without its markup)."""
        return _plain(self.message.text())

    @staticmethod
    def _who(row: VisitRow) -> str:
        return row.ticket_no or row.customer_name or f"{format_datetime(row.arrived_at, with_date=False)} {row.business_type}"

    def _changed(self, select_serving: int | None = None) -> None:
        self.reload()
        if select_serving is not None:
            self._select(self.serving_view, select_serving)
        self.visitsChanged.emit()

    # ------------------------------------------------------------------ actions

    @property
    def busy(self) -> bool:
        """A call, finish or leave is on its way to the database."""
        return self._writing is not None

    def _write(self, fn, done: str, select_serving: int | None = None, *, step: str = "",
               before: VisitRow | None = None) -> None:
        """Run one transition on the database worker; a second key press meanwhile does nothing.

        A ``step`` (call, finish, left) made here can then be taken back for a short while."""
        def saved(row: VisitRow) -> None:
            if step and before is not None:
                self._last_step = (step, before, row, done)
                self._step_age.start()
                self._undo_expiry.start(int(visitors.UNDO_WINDOW.total_seconds() * 1000))
            else:
                self._forget_last_step()
            self._say(done, undo=bool(step))
            self._changed(select_serving=select_serving)

        def refused(error: UserError) -> None:
            self._say(error.message, error=True)
            self.reload()

        def ended() -> None:
            self._writing = None

        self._writing = Op(self, fn, changes={VISIT}).success(saved).failure(refused).finally_(ended)
        self._writing.run()

    def call_next(self) -> None:
        """F2: call the selected waiting visitor, or the first in order (priority first)."""
        if self.busy:
            return
        row = self.selected_waiting()
        if row is None:
            rows = self.waiting_model.rows()
            if not rows:
                self._say(self.tr("没有等候中的客户。"))
                return
            row = rows[0]
        self._write(lambda: visitors.call(row.id, expected=row),
                    self.tr("已叫号：{who}").format(who=self._who(row)), select_serving=row.id,
                    step="call", before=row)

    def finish_selected(self, outcome: str = "done") -> None:
        """F3 (or the 其他结果 menu): finish the selected in-service visitor; with none selected,
        the only one, or the one longest in service (the list's first)."""
        if self.busy:
            return
        row = self.selected_serving()
        if row is None:
            rows = self.serving_model.rows()
            if not rows:
                self._say(self.tr("没有办理中的客户。"))
                return
            row = rows[0]
        self._write(lambda: visitors.finish(row.id, outcome, expected=row),
                    self.tr("已结束：{who}（{outcome}）").format(who=self._who(row), outcome=OUTCOMES[outcome]),
                    step="finish", before=row)

    def mark_left_selected(self) -> None:
        """F4: the selected waiting visitor left without being served; with none selected, asks whom."""
        if self.busy:
            return
        row = self.selected_waiting()
        if row is None:
            rows = self.waiting_model.rows()
            if not rows:
                self._say(self.tr("没有等候中的客户。"))
                return
            dialog = ChooseWaitingDialog(rows, clock.now(), self)
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                row = dialog.chosen()
            finally:
                dialog.deleteLater()
                self.window().activateWindow()  # back where the guide was, keys and all
                self.waiting_view.setFocus(Qt.FocusReason.OtherFocusReason)
            if row is None:
                return
        chosen = row
        self._write(lambda: visitors.mark_left(chosen.id, expected=chosen),
                    self.tr("已记录未办理离开：{who}").format(who=self._who(chosen)), step="left", before=chosen)

    # ------------------------------------------------------------------ care

    def _care_target(self) -> VisitRow | None:
        """The selected waiting customer; with none selected, the first marked 请送水/安抚
        (priority customers first, then the longest waiting)."""
        row = self.selected_waiting()
        if row is not None:
            return row
        model = self.waiting_model
        due = [model.row_at(i) for i in range(model.rowCount()) if model.needs_care(i)]
        if not due:
            self._say(self.tr("没有等候满 {n} 分钟、尚未照护的客户；请先在等候列表中选择客户（F6）。").format(
                n=model.standards.water_minutes))
            return None
        return due[0]

    def record_first_care(self) -> None:
        """F8: the care list's first action (已送水) for the customer ``_care_target`` gives."""
        if self.busy:
            return
        if not self.care_actions:
            self._say(self.tr("照护措施列表是空的；管理员可在“设置 → 照护措施”中添加。"), error=True)
            return
        row = self._care_target()
        if row is not None:
            self.record_care(row, self.care_actions[0])

    def choose_care(self) -> None:
        """F9: the care list in a menu (↑↓ and Enter, or the number) for that customer."""
        if self.busy:
            return
        if not self.care_actions:
            self.record_first_care()  # says the list is empty
            return
        row = self._care_target()
        if row is None:
            return
        self._care_for = row
        self.care_menu.clear()
        for number, entry in enumerate(self.care_actions, start=1):
            text = f"&{number} {entry.label}" if number < 10 else entry.label
            self.care_menu.addAction(text).setData(entry.id)
        index = self.waiting_model.row_of(row.id)
        rect = self.waiting_view.visualRect(self.waiting_model.index(index or 0, 0))
        self.care_menu.popup(self.waiting_view.viewport().mapToGlobal(rect.bottomLeft()))
        self.care_menu.setActiveAction(self.care_menu.actions()[0])

    def _back_to_list(self) -> None:
        """The menu closed: back in the waiting list, keys and all."""
        self.window().activateWindow()
        self.waiting_view.setFocus(Qt.FocusReason.PopupFocusReason)

    def _care_chosen(self, action_id: int) -> None:
        row, self._care_for = self._care_for, None
        entry = next((e for e in self.care_actions if e.id == action_id), None)
        if row is not None and entry is not None:
            self.record_care(row, entry)

    def record_care(self, row: VisitRow, action: ListEntry) -> None:
        """Record ``action`` for ``row`` on the database worker."""
        if self.busy:
            return

        def saved(_record: CareRecord) -> None:
            self._say(self.tr("{action}：{who}").format(action=action.label, who=self._who(row)))
            self.reload()

        def refused(error: UserError) -> None:
            self._say(error.message, error=True)
            self.reload()

        def ended() -> None:
            self._writing = None

        self._writing = (Op(self, lambda: care.record(row.id, action.id), changes={VISIT})
                         .success(saved).failure(refused).finally_(ended))
        self._writing.run()

    def open_slip(self) -> None:
        """F10: the 一次性告知单 of the selected customer (waiting or in service), to print again
        or for papers found missing at the counter."""
        row = self.selected_waiting() or self.selected_serving()
        if row is None:
            self._say(self.tr("请先在等候或办理中列表中选择客户（F6/F7），再按 F10 打印告知单。"))
            return
        from frontdesk.ui.visitors.slip_dialog import SlipDialog

        dialog = SlipDialog(row.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _result: self.window().activateWindow())
        self.slip_dialog = dialog
        dialog.show()

    # ------------------------------------------------------------------ undo

    def _forget_last_step(self) -> None:
        self._last_step = None
        self._undo_expiry.stop()
        if "<a " in self.message.text():
            self._say(self.message_text())

    def undo_last(self) -> None:
        """Ctrl+Z or the 撤销 link: take back the last call, finish or leave made here."""
        if self.busy:
            return
        last = self._last_step
        if last is None or self._step_age.elapsed() > visitors.UNDO_WINDOW.total_seconds() * 1000:
            self._forget_last_step()
            self._say(self.tr("没有可以撤销的操作。"))
            return
        step, before, after, _text = last
        self._last_step = None
        self._undo_expiry.stop()
        select = before.id if step == "finish" else None
        self._write(lambda: visitors.undo(before.id, step, after, before),
                    self.tr("已撤销：{who}").format(who=self._who(before)), select_serving=select)

    def _edit(self, model: _LiveModel, index: QModelIndex) -> None:
        from frontdesk.ui.visitors.form_dialog import VisitFormDialog

        row = model.row_at(index.row())
        dialog = VisitFormDialog(row.id, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self._changed()
        finally:
            dialog.deleteLater()
