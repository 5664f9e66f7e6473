"""设置 → 投诉设置: the complaint categories and the internal deadlines.

The categories are a list like the others (add, rename, deactivate, reorder, each saved at once);
a ticket keeps the category it was registered with, so renaming or deactivating one changes no
past ticket. 套用预设 (Alt+P) puts back an industry preset's categories (banks: JR/T 0169-2018's
complaint causes; insurers: GB/T 43568-2023's reasons), the others kept, inactive.

The internal deadlines (complaint 7, consultation 2, opinion/suggestion 7 working days by
default) are saved with 保存时限 (Alt+D): new tickets take them, and the tickets not yet closed
get their deadlines again (the page says how many moved), as when the holiday calendar changes.
The motives and the channels come from the rules and are not edited here.

"监管时限落在节假日时顺延至下一个工作日" (Alt+R, off by default) is the compliance officer's call:
ticked or unticked, it is saved at once, audited, and the open tickets get their deadlines again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import complaints, lists
from frontdesk.services.complaints import INTERNAL_DAYS_KEYS, InternalDays
from frontdesk.services.presets import COMPLAINT_CATEGORY, PRESETS
from frontdesk.ui.kit.changes import COMPLAINT, SETTINGS
from frontdesk.ui.kit.common import FormErrors, SaveGuard
from frontdesk.ui.kit.operations import Op, QueryOp

if TYPE_CHECKING:
    from frontdesk.ui.admin.settings_dialog import ListEditor

NOTE_STYLE = "color: #6b7280;"
_SPIN_RANGE = (0, 99)  # wider than allowed, so a wrong number is said at the field, not swallowed


class ComplaintSettingsPage(QWidget):
    """``categories``: the list editor of the complaint categories (the settings dialog's own)."""

    def __init__(self, categories: ListEditor, current_preset: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintSettingsPage")
        self.categories = categories
        self.message = QLabel()
        self.message.setObjectName("complaintSettingsMessage")
        self.errors = FormErrors(self.message)
        self.status = QLabel()
        self.status.setObjectName("complaintSettingsStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #2e7d32;")

        # ---------------------------------------------------------------- categories
        self.preset = QComboBox()
        self.preset.setObjectName("categoryPreset")
        for name, preset in PRESETS.items():
            self.preset.addItem(preset.label, name)
        self.preset.setCurrentIndex(max(0, self.preset.findData(current_preset)))
        self.apply_button = QPushButton(self.tr("套用预设(&P)"))
        self.apply_button.setObjectName("applyCategoryPreset")
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply_preset)
        preset_label = QLabel(self.tr("行业预设(&I)"))
        preset_label.setBuddy(self.preset)
        preset_row = QHBoxLayout()
        preset_row.addWidget(preset_label)
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.apply_button)
        category_note = QLabel(self.tr(
            "登记工单时从启用的类别中选择；已登记的工单保留登记时的类别，改名或停用不影响旧工单。"
            "受理渠道和客户诉求心态由制度规定，不在此修改。"))
        category_note.setWordWrap(True)
        category_note.setStyleSheet(NOTE_STYLE)
        group = QGroupBox(self.tr("投诉类别"))
        box = QVBoxLayout(group)
        box.addWidget(categories, 1)
        box.addLayout(preset_row)
        box.addWidget(self.errors.new_label("preset", self.preset))
        box.addWidget(category_note)

        # ---------------------------------------------------------------- deadlines
        # One row: 投诉 [7] 咨询 [2] 意见建议 [7] 个工作日 [保存时限], each refusal under its box.
        self.days: dict[str, QSpinBox] = {}
        deadlines = QGroupBox(self.tr("内部处理时限（工作日）"))
        grid = QGridLayout(deadlines)
        titles = (("complaint", self.tr("投诉(&C)")), ("consultation", self.tr("咨询(&N)")),
                  ("opinion", self.tr("意见建议(&O)")))
        for column, (name, title) in enumerate(titles):
            spin = QSpinBox()
            spin.setObjectName(INTERNAL_DAYS_KEYS[name])
            spin.setRange(*_SPIN_RANGE)
            spin.setMinimumWidth(64)
            self.days[name] = spin
            label = QLabel(title)
            label.setBuddy(spin)
            grid.addWidget(label, 0, 2 * column)
            grid.addWidget(spin, 0, 2 * column + 1)
            grid.addWidget(self.errors.new_label(INTERNAL_DAYS_KEYS[name], spin), 1 + column, 0, 1, 9)
        grid.addWidget(QLabel(self.tr("个工作日")), 0, 6)
        grid.setColumnStretch(7, 1)
        self.save_button = QPushButton(self.tr("保存时限(&D)"))
        self.save_button.setObjectName("saveDeadlines")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_days)
        grid.addWidget(self.save_button, 0, 8)
        low, high = complaints.INTERNAL_DAYS_RANGE
        days_note = QLabel(self.tr(
            "自受理次日起数工作日（法定节假日不计，调休上班日计入），每项 {low} 到 {high} 天。"
            "保存后新工单按新时限计算，未办结工单的到期日也随即重新计算（记入审计日志），已办结的不变。"
        ).format(low=low, high=high))
        days_note.setObjectName("deadlinesNote")
        days_note.setWordWrap(True)
        days_note.setStyleSheet(NOTE_STYLE)
        grid.addWidget(days_note, 4, 0, 1, 9)

        # ---------------------------------------------------------------- the regulator's clock
        self.roll = QCheckBox(self.tr("监管时限落在节假日时顺延至下一个工作日(&R)"))
        self.roll.setObjectName("regulatoryRoll")
        self.roll.setEnabled(False)  # until the setting is read
        self.roll.clicked.connect(self.save_roll)
        roll_note = QLabel(self.tr(
            "监管时限按自然日计算，默认截止日落在周末或法定节假日时不顺延，只注明当日为何种日期。"
            "是否顺延由合规负责人决定：勾选后截止日顺延至下一个工作日（调休上班日算工作日），"
            "说明中写明原截止日及顺延原因。勾选或取消即保存（记入审计日志），未办结工单的到期日随即重新计算。"))
        roll_note.setObjectName("rollNote")
        roll_note.setWordWrap(True)
        roll_note.setStyleSheet(NOTE_STYLE)
        regulator = QGroupBox(self.tr("监管时限（自然日）"))
        regulator_box = QVBoxLayout(regulator)
        regulator_box.addWidget(self.roll)
        regulator_box.addWidget(self.errors.new_label(complaints.REGULATORY_ROLL_KEY, self.roll))
        regulator_box.addWidget(roll_note)
        self._guard = SaveGuard(self.save_button, self.apply_button, self.roll)

        layout = QVBoxLayout(self)
        layout.addWidget(group, 1)
        layout.addWidget(deadlines)
        layout.addWidget(regulator)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        self._read_only = False
        self._saved_days: InternalDays | None = None  # as stored, once read
        self.load()

    # ------------------------------------------------------------ reading

    def load(self) -> None:
        QueryOp(self, complaints.internal_days).success(self._show).failure(self.errors.show).run()
        QueryOp(self, complaints.regulatory_roll).success(self._show_roll).failure(self.errors.show).run()

    def _show_roll(self, on: bool) -> None:
        self.roll.setChecked(on)
        self.roll.setEnabled(not self._read_only)

    def _show(self, days: InternalDays) -> None:
        self._saved_days = days
        for name, spin in self.days.items():
            spin.setValue(getattr(days, name))

    def unsaved(self) -> bool:
        """The deadlines were changed here and not saved with 保存时限."""
        return not self._read_only and self._saved_days is not None and self.collect() != self._saved_days

    def warn_unsaved(self) -> None:
        """The dialog's 保存 does not save the deadlines: say so, on this page, nothing lost."""
        self.errors.show(UserError(self.tr("内部时限已修改但尚未保存：请点“保存时限”（Alt+D），或改回原值。")))
        self.save_button.setFocus()

    def collect(self) -> InternalDays:
        return InternalDays(**{name: spin.value() for name, spin in self.days.items()})

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for spin in self.days.values():
            spin.setReadOnly(read_only)
            spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons if read_only
                                  else QSpinBox.ButtonSymbols.UpDownArrows)
        for widget in (self.save_button, self.apply_button, self.preset):
            widget.setVisible(not read_only)
        if read_only:
            self.roll.setEnabled(False)

    @property
    def busy(self) -> bool:
        return self._guard.busy

    # ------------------------------------------------------------ writing

    def save_days(self) -> None:
        if self._read_only:
            return
        self.errors.clear()
        self.status.clear()
        days = self.collect()
        self._guard.run(Op(self, lambda: complaints.save_internal_days(days), changes={SETTINGS, COMPLAINT})
                        .success(self._days_saved).failure(self._refused))

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus()

    def _days_saved(self, moved: int) -> None:
        days = self.collect()
        self._saved_days = days
        self.status.setText(self.tr(
            "已保存内部时限：投诉 {c}、咨询 {n}、意见建议 {o} 个工作日；{moved} 张未办结工单的到期日已重新计算。"
        ).format(c=days.complaint, n=days.consultation, o=days.opinion, moved=moved))

    def save_roll(self, on: bool) -> None:
        if self._read_only:
            return
        self.errors.clear()
        self.status.clear()

        def saved(moved: int) -> None:
            self.status.setText((self.tr("已设置：监管时限落在节假日时顺延至下一个工作日") if on
                                 else self.tr("已设置：监管时限落在节假日时不顺延")) + self.tr(
                "；{moved} 张未办结工单的到期日已重新计算。").format(moved=moved))

        def refused(error: UserError) -> None:
            self.roll.setChecked(not on)  # as stored
            self._refused(error)

        if not self._guard.run(Op(self, lambda: complaints.save_regulatory_roll(on), changes={SETTINGS, COMPLAINT})
                               .success(saved).failure(refused)):
            self.roll.setChecked(not on)

    def confirm_preset(self, label: str) -> bool:
        box = QMessageBox(self)
        box.setObjectName("categoryPresetConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("套用投诉类别预设"))
        box.setText(self.tr("将投诉类别换成“{label}”的预设列表吗？").format(label=label))
        box.setInformativeText(self.tr("不在预设中的类别停用但保留，已登记的工单不受影响。"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def apply_preset(self) -> None:
        if self._read_only:
            return
        name = self.preset.currentData()
        label = PRESETS[name].label
        if not self.confirm_preset(label):
            return
        self.errors.clear()
        self.status.clear()

        def applied(entries: list[lists.ListEntry]) -> None:
            self.categories.reload()
            active = sum(1 for e in entries if e.active)
            self.status.setText(self.tr("已套用“{label}”的投诉类别（{n} 项启用）。").format(label=label, n=active))

        self._guard.run(Op(self, lambda: lists.apply_list_preset(name, COMPLAINT_CATEGORY), changes={SETTINGS})
                        .success(applied).failure(self._refused))
