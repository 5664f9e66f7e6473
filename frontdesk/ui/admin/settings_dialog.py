"""Branch settings: name, preset, opening hours, idle lock, service standards, the three lists,
and the backups.

The branch settings are saved together with 保存. List edits (add, rename, enable/disable, move)
are saved one by one as they are made, each in its own transaction, so the dialog says so.
Only the administrator may change settings: anyone else sees them read-only (the services would
refuse the change anyway), and the 备份与恢复 page is the administrator's alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.services import backup, lists, privacy, session, settings
from frontdesk.services.lists import ListEntry
from frontdesk.services.presets import (
    BUSINESS_TYPE,
    CARE_ACTION,
    COMPLAINT_CATEGORY,
    DESTINATION,
    DEVICE,
    DOCUMENT,
    HANDLINGS,
    PRESETS,
    QUEUE,
)
from frontdesk.services.settings import BranchSettings, ServiceStandards
from frontdesk.ui.admin.backup_page import BackupPage
from frontdesk.ui.admin.complaint_settings_page import ComplaintSettingsPage
from frontdesk.ui.admin.papers_page import PapersPage
from frontdesk.ui.kit.changes import SETTINGS
from frontdesk.ui.kit.common import FormErrors, SaveGuard
from frontdesk.ui.kit.operations import Op, QueryOp
from frontdesk.ui.kit.weekdays import WeekdaysEdit

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*$")
INACTIVE_COLOUR = QColor("#9aa0a6")
NOTE_STYLE = "color: #6b7280;"


def parse_periods(text: str) -> tuple[tuple[time, time], ...]:
    """``09:00-11:00，14:00-16:00`` → periods; a ``ValidationError`` on ``peak_periods`` otherwise."""
    periods: list[tuple[time, time]] = []
    for chunk in re.split(r"[,，;；、]", text):
        if not chunk.strip():
            continue
        match = _PERIOD.match(chunk)
        try:
            if match is None:
                raise ValueError(chunk)
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            periods.append((time(h1, m1), time(h2, m2)))
        except ValueError:
            raise ValidationError.single(
                "peak_periods",
                QCoreApplication.translate("SettingsDialog", "高峰时段格式应为“09:00-11:00”，多个时段用逗号分隔。"),
            ) from None
    return tuple(periods)


def format_periods(periods: tuple[tuple[time, time], ...]) -> str:
    return "，".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in periods)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class ListEditor(QWidget):
    """One configurable list: add, rename, enable/disable, move up/down. Each edit is saved at once.

    Destinations also have a kind (去向类型): the counter queue, answered on the spot, or sent
    elsewhere; a registration to one that is no queue is finished at once.
    """

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._guard = SaveGuard()
        self.setObjectName(f"listEditor_{kind}")
        self.list = QListWidget()
        self.list.setObjectName("entries")
        self.list.currentItemChanged.connect(self._current_changed)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("labelEdit")
        self.label_edit.setPlaceholderText(self.tr("名称"))
        self.label_edit.setMaxLength(lists.MAX_LABEL + 10)
        self.label_edit.returnPressed.connect(self.add)

        self.add_button = QPushButton(self.tr("添加"))
        self.rename_button = QPushButton(self.tr("改名"))
        self.toggle_button = QPushButton(self.tr("停用"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        for button, slot, name in (
            (self.add_button, self.add, "addButton"),
            (self.rename_button, self.rename, "renameButton"),
            (self.toggle_button, self.toggle_active, "toggleButton"),
            (self.up_button, lambda: self.move(-1), "upButton"),
            (self.down_button, lambda: self.move(1), "downButton"),
        ):
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)

        self.handling: QComboBox | None = None
        handling_label: QLabel | None = None
        if kind == DESTINATION:
            self.handling = QComboBox()
            self.handling.setObjectName("handling")
            for code, label in HANDLINGS.items():
                self.handling.addItem(label, code)
            self.handling.setToolTip(self.tr("排队等候叫号：进入等候列表；现场解答、分流至他处：登记即办结，不进入等候列表"))
            self.handling.activated.connect(self.set_handling)
            handling_label = QLabel(self.tr("去向类型(&K)"))
            handling_label.setBuddy(self.handling)

        self.message = QLabel()
        self.message.setObjectName("listMessage")
        self.errors = FormErrors(self.message)
        side = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.toggle_button):
            side.addWidget(button)
        if self.handling is not None and handling_label is not None:
            side.addSpacing(8)
            side.addWidget(handling_label)
            side.addWidget(self.handling)
        side.addStretch(1)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.label_edit, 1)
        edit_row.addWidget(self.add_button)
        edit_row.addWidget(self.rename_button)
        self._edit_widgets: tuple[QWidget, ...] = (
            self.label_edit, self.add_button, self.rename_button,
            self.toggle_button, self.up_button, self.down_button,
        )
        if self.handling is not None:
            self._edit_widgets += (self.handling,)
        grid = QGridLayout(self)
        grid.addWidget(self.list, 0, 0)
        grid.addLayout(side, 0, 1)
        grid.addLayout(edit_row, 1, 0)
        grid.addWidget(self.errors.new_label("label", self.label_edit), 2, 0)
        if self.handling is not None:
            grid.addWidget(self.errors.new_label("handling", self.handling), 2, 1)
        grid.addWidget(self.message, 3, 0, 1, 2)
        self.reload()

    def set_read_only(self, read_only: bool) -> None:
        """Only the list to look at: the editing controls are hidden."""
        for widget in self._edit_widgets:
            widget.setVisible(not read_only)

    def reload(self, select: int | None = None) -> None:
        if select is None:
            select = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for entry in lists.entries(self.kind, include_inactive=True):
            text = entry.label if entry.active else self.tr("{label}（已停用）").format(label=entry.label)
            if entry.handling not in (None, QUEUE):
                text += "  · " + HANDLINGS[entry.handling]
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry)
            if not entry.active:
                item.setForeground(QBrush(INACTIVE_COLOUR))
            self.list.addItem(item)
            if entry.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._update_buttons()

    def entries(self) -> list[ListEntry]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def current_entry(self) -> ListEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def current_id(self) -> int | None:
        entry = self.current_entry()
        return entry.id if entry is not None else None

    def select(self, entry_id: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole).id == entry_id:
                self.list.setCurrentRow(i)
                return

    def _current_changed(self, *_args) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.label_edit.setText(entry.label)
        self.errors.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        row = self.list.currentRow()
        has = entry is not None
        self.rename_button.setEnabled(has)
        self.toggle_button.setEnabled(has)
        self.toggle_button.setText(self.tr("启用") if has and not entry.active else self.tr("停用"))
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)
        if self.handling is not None:
            self.handling.setEnabled(has)
            index = self.handling.findData(entry.handling if has else QUEUE)
            self.handling.setCurrentIndex(max(0, index))

    def _run(self, action, then=None) -> None:
        """Run one list edit on the database worker, then ``then()``; a refusal shows next to
        the name field and nothing is cleared. One edit at a time."""
        self.errors.clear()

        def saved(result: object) -> None:
            self.reload(select=result.id if isinstance(result, ListEntry) else None)
            if then is not None:
                then()

        self._guard.run(Op(self, action, changes={SETTINGS}).success(saved).failure(self.errors.show))

    @property
    def busy(self) -> bool:
        return self._guard.busy

    def add(self) -> None:
        self._run(lambda: lists.add_entry(self.kind, self.label_edit.text()), self.label_edit.clear)

    def rename(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._run(lambda: lists.update_entry(entry.id, label=self.label_edit.text()))

    def toggle_active(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._run(lambda: lists.update_entry(entry.id, active=not entry.active))

    def move(self, delta: int) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._run(lambda: lists.move_entry(entry.id, delta))

    def set_handling(self, _index: int = 0) -> None:
        """A destination's kind chosen in the box: saved at once, like every list edit."""
        entry = self.current_entry()
        if entry is None or self.handling is None:
            return
        handling = self.handling.currentData()
        if handling != entry.handling:
            self._run(lambda: lists.update_entry(entry.id, handling=handling))


class SettingsDialog(QDialog):
    """网点设置."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        on_restore: Callable[[Path], None] | None = None,
    ) -> None:
        """``on_restore(path)``: replace the open database by the backup ``path`` (the main
        window closes the database, restores, reopens and signs in again); called after this
        dialog has closed. Without it the 备份与恢复 page offers no restore."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("网点设置 — FrontDesk"))
        self.resize(620, 480)
        self.current = settings.load()
        self.preset_switched = False
        actor = session.current()
        self.editable = actor is not None and actor.can(session.MANAGE_SETTINGS)
        self._on_restore = on_restore

        message = QLabel()
        message.setObjectName("dialogMessage")
        self.errors = FormErrors(message)
        err = self.errors.new_label

        # ---------------------------------------------------------------- branch
        self.branch_name = QLineEdit(self.current.branch_name)
        self.branch_name.setObjectName("branchName")
        self.branch_phone = QLineEdit(self.current.branch_phone)
        self.branch_phone.setObjectName("branchPhone")
        self.branch_phone.setMaxLength(settings.MAX_BRANCH_PHONE)
        self.branch_phone.setPlaceholderText(self.tr("印在一次性告知单上，如 010-12345678"))
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        for name, preset in PRESETS.items():
            self.preset.addItem(preset.label, name)
        self.preset.setCurrentIndex(max(0, self.preset.findData(self.current.preset)))
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.preset_warning = QLabel()
        self.preset_warning.setObjectName("presetWarning")
        self.preset_warning.setWordWrap(True)
        self.preset_warning.setStyleSheet("color: #b45309;")
        self.preset_warning.hide()
        self.opening = QTimeEdit(_qtime(self.current.opening_time))
        self.opening.setObjectName("openingTime")
        self.opening.setDisplayFormat("HH:mm")
        self.closing = QTimeEdit(_qtime(self.current.closing_time))
        self.closing.setObjectName("closingTime")
        self.closing.setDisplayFormat("HH:mm")
        for edit in (self.opening, self.closing):
            edit.setMaximumWidth(110)
        self.open_days = WeekdaysEdit(self.current.open_weekdays, "openDay")
        self.open_days.setObjectName("openWeekdays")
        low, high = settings.IDLE_LOCK_RANGE
        self.idle_lock = QSpinBox()
        self.idle_lock.setObjectName("idleLockMinutes")
        self.idle_lock.setRange(low, high)
        self.idle_lock.setValue(self.current.idle_lock_minutes)
        self.idle_lock.setMaximumWidth(110)
        idle_hint = QLabel(
            self.tr("无人操作满这些分钟后，窗口自动锁屏；同一用户重新输入密码后回到锁屏前的位置。")
        )
        idle_hint.setObjectName("idleLockHint")
        low, high = settings.RETENTION_RANGE
        forever = self.current.retention_months == settings.KEEP_FOREVER
        self.retention = QSpinBox()
        self.retention.setObjectName("retentionMonths")
        self.retention.setRange(low, high)
        self.retention.setSuffix(self.tr(" 个月"))
        self.retention.setValue(settings.DEFAULT_RETENTION_MONTHS if forever else self.current.retention_months)
        self.retention.setMaximumWidth(130)
        # "Never delete" is a choice of its own, never a number typed by accident.
        self.keep_forever = QCheckBox(self.tr("永久保留（不自动清除）"))
        self.keep_forever.setObjectName("retentionForever")
        self.keep_forever.setChecked(forever)
        self.retention.setEnabled(not forever)
        self.retention_hint = QLabel()
        self.retention_hint.setObjectName("retentionHint")
        self.retention_hint.setWordWrap(True)
        self.retention.valueChanged.connect(self._retention_changed)
        self.keep_forever.toggled.connect(self._retention_changed)
        idle_hint.setWordWrap(True)
        idle_hint.setStyleSheet(NOTE_STYLE)

        branch = QWidget()
        form = QFormLayout(branch)
        form.addRow(self.tr("网点名称"), self.branch_name)
        form.addRow("", err("branch_name", self.branch_name))
        form.addRow(self.tr("网点电话"), self.branch_phone)
        form.addRow("", err("branch_phone", self.branch_phone))
        form.addRow(self.tr("行业预设"), self.preset)
        form.addRow("", err("preset", self.preset))
        form.addRow("", self.preset_warning)
        form.addRow(self.tr("开门时间"), self.opening)
        form.addRow("", err("opening_time", self.opening))
        form.addRow(self.tr("闭厅时间"), self.closing)
        form.addRow("", err("closing_time", self.closing))
        form.addRow(self.tr("营业日"), self.open_days)
        form.addRow("", err("open_weekdays", self.open_days))
        form.addRow(self.tr("自动锁屏（分钟）"), self.idle_lock)
        form.addRow("", err("idle_lock_minutes", self.idle_lock))
        form.addRow("", idle_hint)
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention)
        retention_row.addWidget(self.keep_forever)
        retention_row.addStretch(1)
        form.addRow(self.tr("来访人姓名和电话保留"), retention_row)
        form.addRow("", err("retention_months", self.retention))
        form.addRow("", self.retention_hint)

        # ---------------------------------------------------------------- standards
        st = self.current.standards
        self.water = self._minutes("waterMinutes", st.water_minutes)
        self.wait = self._minutes("waitMinutes", st.wait_minutes)
        self.peak_wait = self._minutes("peakWaitMinutes", st.peak_wait_minutes)
        self.service = self._minutes("serviceMinutes", st.service_minutes)
        self.peak_periods = QLineEdit(format_periods(st.peak_periods))
        self.peak_periods.setObjectName("peakPeriods")
        self.peak_periods.setPlaceholderText("09:00-11:00，14:00-16:00")
        standards = QWidget()
        form = QFormLayout(standards)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.peak_periods.setMinimumWidth(260)
        for title, widget, name in (
            (self.tr("等候满多少分钟提醒送水"), self.water, "water_minutes"),
            (self.tr("平均等候时长标准"), self.wait, "wait_minutes"),
            (self.tr("高峰期等候时长标准"), self.peak_wait, "peak_wait_minutes"),
            (self.tr("单笔业务办理时长标准"), self.service, "service_minutes"),
            (self.tr("高峰时段"), self.peak_periods, "peak_periods"),
        ):
            form.addRow(title, widget)
            form.addRow("", err(name, widget))
        note = QLabel(self.tr("等候列表按这些标准变色：满送水时间为浅黄，超过等候标准为橙色，超过高峰标准为红色。"
                              "有客户等候超过等候标准（高峰时段为高峰标准）时，值班经理的状态栏会提示。"))
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        form.addRow(note)

        # ---------------------------------------------------------------- lists
        self.list_editors = {
            BUSINESS_TYPE: ListEditor(BUSINESS_TYPE),
            DESTINATION: ListEditor(DESTINATION),
            DOCUMENT: ListEditor(DOCUMENT),
            CARE_ACTION: ListEditor(CARE_ACTION),
            DEVICE: ListEditor(DEVICE),
        }

        self.tabs = QTabWidget()
        self.tabs.addTab(branch, self.tr("网点"))
        self.tabs.addTab(standards, self.tr("服务标准"))
        self.tabs.addTab(self.list_editors[BUSINESS_TYPE], self.tr("业务类型"))
        self.tabs.addTab(self.list_editors[DESTINATION], self.tr("分流去向"))
        self.tabs.addTab(self.list_editors[DOCUMENT], self.tr("常用资料"))
        self.papers_page = PapersPage()
        self.tabs.addTab(self.papers_page, self.tr("告知资料"))
        self.tabs.addTab(self.list_editors[CARE_ACTION], self.tr("照护措施"))
        self.tabs.addTab(self.list_editors[DEVICE], self.tr("设备"))
        self.list_editors[COMPLAINT_CATEGORY] = ListEditor(COMPLAINT_CATEGORY)
        self.complaint_page = ComplaintSettingsPage(self.list_editors[COMPLAINT_CATEGORY], self.current.preset)
        self.tabs.addTab(self.complaint_page, self.tr("投诉设置"))
        self.backup_page: BackupPage | None = None
        if actor is not None and actor.can(session.RESTORE):
            self.backup_page = BackupPage(
                backup.open_database_file(),
                on_restore=self._restore_requested if on_restore is not None else None,
            )
            self.tabs.addTab(self.backup_page, self.tr("备份与恢复"))
        self._tab_of = {
            "branch_name": 0, "branch_phone": 0, "retention_months": 0, "preset": 0, "opening_time": 0, "closing_time": 0, "idle_lock_minutes": 0,
            "water_minutes": 1, "wait_minutes": 1, "peak_wait_minutes": 1, "service_minutes": 1,
            "peak_periods": 1,
        }

        self.read_only_note = QLabel(self.tr("只有管理员可以修改网点设置，这里的设置只供查看。"))
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("color: #b45309;")
        lists_note = QLabel(self.tr("列表的修改立即生效；其他设置在点“保存”后生效。"))
        lists_note.setStyleSheet(NOTE_STYLE)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self._guard = SaveGuard(self.save_button)
        buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(message)
        layout.addWidget(lists_note)
        layout.addWidget(buttons)
        if self.editable:
            self.read_only_note.hide()
        else:
            lists_note.hide()
            self._make_read_only()
        self._retention_changed()

    def retention_months(self) -> int:
        """The period chosen: months, or ``settings.KEEP_FOREVER``."""
        return settings.KEEP_FOREVER if self.keep_forever.isChecked() else self.retention.value()

    def _make_read_only(self) -> None:
        """Everything to look at, nothing to change: settings.save would refuse anyway."""
        for edit in (self.branch_name, self.branch_phone, self.peak_periods):
            edit.setReadOnly(True)
        for box in (self.opening, self.closing, self.idle_lock, self.retention, self.water, self.wait,
                    self.peak_wait, self.service):
            box.setReadOnly(True)
            box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.preset.setEnabled(False)
        self.keep_forever.setEnabled(False)
        for editor in self.list_editors.values():
            editor.set_read_only(True)
        self.papers_page.set_read_only(True)
        self.complaint_page.set_read_only(True)
        self.save_button.hide()

    def _minutes(self, name: str, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setObjectName(name)
        box.setRange(1, 240)
        box.setSuffix(self.tr(" 分钟"))
        box.setValue(value)
        box.setMinimumWidth(110)
        return box

    def _retention_changed(self, *_args: object) -> None:
        """The dry run: how many visits this period would clear now (the change applies once
        saved, at the next daily backup or ``frontdesk privacy purge``); keeping for ever warns."""
        months = self.retention_months()
        self.retention.setEnabled(months != settings.KEEP_FOREVER)
        if months == settings.KEEP_FOREVER:
            self.retention_hint.setStyleSheet("color: #b45309;")
            self.retention_hint.setText(self.tr(
                "永久保留：来访人的姓名、电话和备注将一直保存。《个人信息保护法》要求保存期限为实现处理目的所必要的最短时间，"
                "请确认确有必要。"))
            return
        self.retention_hint.setStyleSheet(NOTE_STYLE)
        actor = session.current()
        if actor is None or not actor.can(session.PRIVACY):
            self.retention_hint.setText(self.tr("超过这些月份的来访，姓名、电话和备注每天自动清除，统计数字保留。"))
            return

        def counted(counts: tuple[int, int]) -> None:
            if self.retention_months() == months:
                visits, tickets = (f"{n:,}".replace(",", " ") for n in counts)
                text = self.tr("超过这些月份的来访，姓名、电话和备注每天自动清除，统计数字保留。"
                               "按此设置，将清除 {count} 条来访的姓名和电话").format(count=visits)
                if counts[1]:
                    text += self.tr("，以及 {tickets} 条已办结投诉/意见的姓名、电话和证件号").format(tickets=tickets)
                self.retention_hint.setText(text + self.tr("。"))

        QueryOp(self, lambda: (privacy.purge_due_count(months), privacy.tickets_due_count(months))
                ).success(counted).run()

    def _preset_changed(self, _index: int) -> None:
        name = self.preset.currentData()
        if name != self.current.preset:
            self.preset_warning.setText(
                self.tr("保存后，业务类型、分流去向、常用资料和投诉类别将换成“{label}”的预设列表；"
                        "原有项目停用但保留，已有来访记录不受影响。").format(label=PRESETS[name].label)
            )
            self.preset_warning.show()
        else:
            self.preset_warning.hide()

    def collect(self) -> BranchSettings:
        return replace(
            self.current,
            branch_name=self.branch_name.text(),
            branch_phone=self.branch_phone.text(),
            preset=self.preset.currentData(),
            opening_time=_time(self.opening.time()),
            closing_time=_time(self.closing.time()),
            idle_lock_minutes=self.idle_lock.value(),
            retention_months=self.retention_months(),
            open_weekdays=self.open_days.mask(),
            standards=ServiceStandards(
                water_minutes=self.water.value(),
                wait_minutes=self.wait.value(),
                peak_wait_minutes=self.peak_wait.value(),
                service_minutes=self.service.value(),
                peak_periods=parse_periods(self.peak_periods.text()),
            ),
        )

    def confirm_preset_switch(self, label: str) -> bool:
        box = QMessageBox(self)
        box.setObjectName("presetConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("切换行业预设"))
        box.setText(self.tr("确定切换为“{label}”吗？").format(label=label))
        box.setInformativeText(
            self.tr("业务类型、分流去向、常用资料和投诉类别将换成新预设的列表（原有项目停用但保留，已有记录不受影响）。")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def confirm_keep_forever(self) -> bool:
        """"Never delete" is chosen explicitly: names and phones would stay for ever."""
        box = QMessageBox(self)
        box.setObjectName("keepForeverConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("永久保留个人信息"))
        box.setText(self.tr("确定永久保留来访人的姓名、电话和备注吗？"))
        box.setInformativeText(self.tr(
            "《个人信息保护法》第十九条要求保存期限为实现处理目的所必要的最短时间。选择永久保留后，"
            "这些信息不再自动清除，只能按当事人请求逐个删除。"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _restore_requested(self, path: Path) -> None:
        """The backup page has the user's confirmation: close (nothing is saved, the database is
        about to be replaced), then let the main window restore with no dialog over it."""
        QDialog.accept(self)
        if self._on_restore is not None:
            self._on_restore(path)

    def done(self, result: int) -> None:
        if self.backup_page is not None:
            self.backup_page.stop()  # no more reading of backups for a closed dialog
        super().done(result)

    def accept(self) -> None:
        """Save on the database worker; on refusal show the message next to the field, on its
        tab, and keep every value."""
        if self._guard.busy:
            return
        if self.complaint_page.unsaved():
            self.tabs.setCurrentWidget(self.complaint_page)
            self.complaint_page.warn_unsaved()
            return
        self.errors.clear()
        try:
            new = self.collect()
        except UserError as error:
            self._refused(error)
            return
        switching = new.preset != self.current.preset
        if switching and not self.confirm_preset_switch(PRESETS[new.preset].label):
            return
        forever = settings.KEEP_FOREVER
        if (new.retention_months == forever and self.current.retention_months != forever
                and not self.confirm_keep_forever()):
            return

        def saved(current: BranchSettings) -> None:
            self.current = current
            self.preset_switched = switching
            for editor in self.list_editors.values():
                editor.reload()
            super(SettingsDialog, self).accept()

        self._guard.run(Op(self, lambda: settings.save(new), changes={SETTINGS})
                        .success(saved).failure(self._refused))

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        if isinstance(error, ValidationError) and error.fields:
            self.tabs.setCurrentIndex(self._tab_of.get(next(iter(error.fields)), 0))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if not self._guard.busy:  # a save on its way finishes first: its outcome shows here
            super().reject()
