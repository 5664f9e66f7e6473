"""The complaint tickets tab (投诉工单): a banner of what is overdue, the list, its dialogs.

The list is the kit's ``RecordTable`` with the tickets' filter bar: the view (未办结 / 即将到期 /
已逾期 / 已办结 / 全部), kind, channel, category, handler, the dates received and a free text.
Ctrl+N (or the 新建工单 button) opens the new-ticket form; Enter or a double click the ticket.
Overdue and due-soon tickets are counted in the banner, which looks again every minute, so a
deadline passing while the window is open shows at once.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services import clock, complaints, session
from frontdesk.services.complaints import Alerts, ComplaintQuery
from frontdesk.services.validation import MAX_SEARCH
from frontdesk.ui.complaints.detail_dialog import ComplaintDetailDialog
from frontdesk.ui.complaints.form_dialog import ComplaintFormDialog
from frontdesk.ui.complaints.holidays_dialog import HolidaysDialog
from frontdesk.ui.complaints.opinion_dialog import OpinionBookDialog
from frontdesk.ui.complaints.table_model import ComplaintTableModel
from frontdesk.ui.complaints.widgets import choice_box, labelled, plain_button
from frontdesk.ui.kit.changes import COMPLAINT, DATABASE, change_bus
from frontdesk.ui.kit.common import bound_date_edit
from frontdesk.ui.kit.operations import QueryOp
from frontdesk.ui.kit.record_table import RecordTable

ALERT_MS = 60_000
BANNER_STYLE = "background: #fde2e2; color: #b91c1c; padding: 4px 8px; border-radius: 3px;"
NEW_TICKET_KEY = QKeySequence("Ctrl+N")
OPINION_BOOK_KEY = QKeySequence("Ctrl+Shift+N")


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ComplaintTable(RecordTable):
    """Every ticket of a view, filtered and sorted in SQL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ComplaintTableModel(), parent, view_name="complaints_view")
        self.model.setParent(self)
        self.view_choice = choice_box("view_filter", complaints.VIEWS)
        self.kind = choice_box("kind_filter", complaints.KINDS, empty=self.tr("全部类型"))
        self.channel = choice_box("channel_filter", complaints.CHANNELS, empty=self.tr("全部渠道"))
        self.category = choice_box("category_filter", labelled(complaints.categories(include_inactive=True)),
                                   empty=self.tr("全部类别"))
        for box in (self.view_choice, self.kind, self.channel, self.category):
            box.currentIndexChanged.connect(self.apply_filters)
        self.handler = QLineEdit(self)
        self.handler.setObjectName("handler_filter")
        self.handler.setPlaceholderText(self.tr("处理人"))
        self.handler.setMaxLength(MAX_SEARCH)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(MAX_SEARCH)
        self.search.setPlaceholderText(self.tr("搜索：客户、对象、描述、处理人、编号；电话输入尾号 4 位"))
        self._text_timer = self.debounced()
        for edit in (self.handler, self.search):
            edit.textChanged.connect(lambda _text: self._text_timer.start())
            edit.returnPressed.connect(self.apply_filters)
        self.use_dates = QCheckBox(self.tr("受理日期"), self)
        self.use_dates.setObjectName("use_dates")
        today = clock.today()
        self.date_from = QDateEdit(QDate(today.year, today.month, 1), self)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            bound_date_edit(edit)
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self._text_timer.start())
        self.use_dates.toggled.connect(self._dates_toggled)

        first = QHBoxLayout()
        first.addWidget(QLabel(self.tr("视图"), self))
        first.addWidget(self.view_choice)
        first.addWidget(self.kind)
        first.addWidget(self.channel)
        first.addWidget(self.category)
        first.addWidget(self.handler)
        first.addWidget(self.use_dates)
        first.addWidget(self.date_from)
        first.addWidget(QLabel(self.tr("至"), self))
        first.addWidget(self.date_to)
        second = QHBoxLayout()
        second.addWidget(self.search, 1)
        second.addWidget(self.count_label)
        self.filter_layout.addLayout(first)
        self.filter_layout.addLayout(second)

        self.new_button = plain_button(self.tr("新建工单 (Ctrl+N)"), "new_button", self.new_ticket)
        self.opinion_button = plain_button(self.tr("意见簿登记 (Ctrl+Shift+N)"), "opinion_button", self.opinion_book)
        self.open_button = plain_button(self.tr("查看/处理"), "open_button", self.open_selected)
        self.open_button.setToolTip(self.tr("回车或双击也可打开"))
        self.holidays_button = plain_button(self.tr("节假日安排…"), "holidays_button", self.edit_holidays)
        self.holidays_button.setToolTip(self.tr("录入程序尚未收录年份的国家法定节假日安排（管理员）"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.holidays_button)
        buttons.addStretch(1)
        buttons.addWidget(self.opinion_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        self.layout_.addLayout(buttons)
        self.open_action = QAction(self.tr("查看/处理"), self)
        self.open_action.triggered.connect(self.open_selected)
        self.context_actions = [self.open_action]
        self.apply_role(session.current())
        self.apply_filters()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def current_query(self) -> ComplaintQuery:
        shown = self.model.query()
        dated = self.use_dates.isChecked()
        return ComplaintQuery(
            view=self.view_choice.currentData(),
            kind=self.kind.currentData(),
            channel=self.channel.currentData(),
            category=self.category.currentData(),
            handler=self.handler.text().strip(),
            date_from=_pydate(self.date_from.date()) if dated else None,
            date_to=_pydate(self.date_to.date()) if dated else None,
            text=self.search.text().strip(),
            sort_key=shown.sort_key,
            descending=shown.descending,
        )

    def update_actions(self) -> None:
        has = self.selected_id() is not None
        for widget in (getattr(self, "open_button", None), getattr(self, "open_action", None)):
            if widget is not None:
                widget.setEnabled(has)

    def open_selected(self) -> None:
        complaint_id = self.selected_id()
        if complaint_id is not None and not self.dialog_open:
            self.open_dialog(ComplaintDetailDialog(complaint_id, self))

    def opinion_book(self) -> None:
        if not self.dialog_open:
            self.open_dialog(OpinionBookDialog(self))

    def edit_holidays(self) -> None:
        if not self.dialog_open:
            self.open_dialog(HolidaysDialog(self))

    def apply_role(self, actor: session.Actor | None) -> None:
        self.holidays_button.setVisible(actor is not None and actor.can(session.MANAGE_SETTINGS))

    def new_ticket(self, *, visit_id: int | None = None, customer_name: str = "") -> None:
        if not self.dialog_open:
            self.open_dialog(ComplaintFormDialog(self, visit_id=visit_id, customer_name=customer_name))


class ComplaintTab(QWidget):
    """投诉工单."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintTab")
        self.banner = QLabel(self)
        self.banner.setObjectName("complaintBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        # The count in the main window's status bar (it places the label), seen from every tab.
        self.status_label = QLabel()
        self.status_label.setObjectName("complaintStatus")
        self.status_label.setStyleSheet("color: #c62828;")
        self.status_label.hide()
        self.table = ComplaintTable(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self.alerts: Alerts | None = None
        self._alert_timer = QTimer(self)
        self._alert_timer.setInterval(ALERT_MS)
        self._alert_timer.timeout.connect(self.look_again)
        self._alert_timer.start()
        self.new_action = QAction(self.tr("新建工单"), self)
        self.new_action.setShortcut(NEW_TICKET_KEY)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(lambda: self.table.new_ticket())
        self.addAction(self.new_action)
        self.opinion_action = QAction(self.tr("意见簿登记"), self)
        self.opinion_action.setShortcut(OPINION_BOOK_KEY)
        self.opinion_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.opinion_action.triggered.connect(lambda: self.table.opinion_book())
        self.addAction(self.opinion_action)
        change_bus().subscribe(self, {COMPLAINT, DATABASE}, self._changed)
        self.setFocusProxy(self.table.search)
        self.look_again()

    # ------------------------------------------------------------ the main window's protocol

    def title(self) -> str:
        return self.tr("投诉工单")

    def apply_role(self, actor: session.Actor | None) -> None:
        """Every role registers and follows up tickets; the detail offers what the role may do; the
        administrator keeps the holiday calendar."""
        self.table.apply_role(actor)
        self.table.refresh()

    def reload_settings(self) -> None:
        """The category list may have changed in the settings: the filter offers it anew."""
        box = self.table.category
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(self.tr("全部类别"), None)
        for label in complaints.categories(include_inactive=True):
            box.addItem(label, label)
        box.setCurrentIndex(max(0, box.findData(chosen)))
        box.blockSignals(False)
        self.table.refresh()

    def focus_first(self) -> None:
        self.table.search.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ keeping up

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+N / Ctrl+Shift+N that reached here as plain keys (a window not activated fires no
        shortcut)."""
        pressed = QKeySequence(event.keyCombination())
        if NEW_TICKET_KEY.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
            self.table.new_ticket()
            return
        if OPINION_BOOK_KEY.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
            self.table.opinion_book()
            return
        super().keyPressEvent(event)

    def _changed(self, _kinds: frozenset[str], initiator: QObject | None) -> None:
        self.table.refresh()
        self.look_again()

    def look_again(self) -> None:
        """Count what is overdue and due soon (and repaint: "today" may have moved)."""
        if session.current() is None:
            return
        # A background count: a refusal (signed out meanwhile, the database being replaced) is no
        # news for a message box; the banner keeps what it said and the next look tries again.
        QueryOp(self, complaints.alerts).success(self._show_alerts).failure(lambda _error: None).run()
        self.table.view.viewport().update()

    def _show_alerts(self, alerts: Alerts) -> None:
        self.alerts = alerts
        self.table.model.urgency.set_limit(alerts.today, alerts.soon_until)
        self.table.view.viewport().update()
        parts = []
        if alerts.overdue:
            parts.append(self.tr("已逾期 {n} 件").replace("{n}", str(alerts.overdue)))
        if alerts.due_soon:
            parts.append(self.tr("即将到期 {n} 件").replace("{n}", str(alerts.due_soon)))
        if alerts.provisional:
            parts.append(self.tr("{n} 件的时限跨入节假日安排尚未收录的年份，为暂定日期，请管理员更新节假日安排")
                         .replace("{n}", str(alerts.provisional)))
        text = self.tr("待答复工单：") + "；".join(parts) if parts else ""
        actor = session.current()
        if alerts.unknown_years and actor is not None and actor.can(session.MANAGE_SETTINGS):
            years = "、".join(str(y) for y in alerts.unknown_years)
            text += ("\n" if text else "") + self.tr(
                "{years} 年的国家法定节假日安排尚未收录：跨入该年的时限按周一至周五推算，为暂定日期。"
                "请在“节假日安排…”中录入国务院办公厅的通知。").replace("{years}", years)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self._label_tab(alerts.overdue)
        counted = [self.tr("逾期 {n}").replace("{n}", str(alerts.overdue))] if alerts.overdue else []
        if alerts.due_soon:
            counted.append(self.tr("将到期 {n}").replace("{n}", str(alerts.due_soon)))
        self.status_label.setText(self.tr("投诉") + " " + " · ".join(counted) if counted else "")
        self.status_label.setVisible(bool(counted))

    def _label_tab(self, overdue: int) -> None:
        """The tab's label carries the overdue count, seen from every other tab."""
        tabs = self.parentWidget().parentWidget() if self.parentWidget() is not None else None
        if isinstance(tabs, QTabWidget) and tabs.indexOf(self) >= 0:
            label = self.title() + (self.tr("（逾期 {n}）").replace("{n}", str(overdue)) if overdue else "")
            tabs.setTabText(tabs.indexOf(self), label)
