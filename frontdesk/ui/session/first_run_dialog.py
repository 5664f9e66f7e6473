"""The first start: one short dialog asking for the branch name and the industry preset."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import settings
from frontdesk.services.presets import DEFAULT_PRESET, PRESETS
from frontdesk.ui.kit.changes import SETTINGS
from frontdesk.ui.kit.common import FormErrors, SaveGuard
from frontdesk.ui.kit.operations import Op


class FirstRunDialog(QDialog):
    """Accepted once ``settings.first_run`` stored both values; rejected leaves the database as it was."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("欢迎使用 FrontDesk 前台值班台"))
        self.setMinimumWidth(460)

        intro = QLabel(
            self.tr("首次使用，请填写本网点的名称并选择行业。行业预设决定业务类型、分流去向和常用资料清单，"
                    "以后可以在“设置 → 网点设置”中修改。")
        )
        intro.setWordWrap(True)
        self.branch_name = QLineEdit()
        self.branch_name.setObjectName("branchName")
        self.branch_name.setPlaceholderText(self.tr("如：XX保险XX支公司柜面"))
        self.branch_name.setMaxLength(settings.MAX_BRANCH_NAME + 20)
        # Typing the name corrects it: its message goes (开始使用 checks it again).
        self.branch_name.textEdited.connect(lambda _text: self.errors.clear_field("branch_name"))
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        for name, preset in PRESETS.items():
            self.preset.addItem(preset.label, name)
        self.preset.setCurrentIndex(self.preset.findData(DEFAULT_PRESET))

        message = QLabel()
        message.setObjectName("dialogMessage")
        self.errors = FormErrors(message)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("网点名称"), self.branch_name)
        form.addRow("", self.errors.new_label("branch_name", self.branch_name))
        form.addRow(self.tr("行业预设"), self.preset)
        form.addRow("", self.errors.new_label("preset", self.preset))

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("开始使用"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("okButton")
        self._guard = SaveGuard(self.ok_button)
        buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(message)
        layout.addWidget(buttons)
        self.branch_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        """Store the answers on the database worker; on refusal show why next to the field and
        keep what was typed."""
        name, preset = self.branch_name.text(), self.preset.currentData()
        self._guard.run(Op(self, lambda: settings.first_run(name, preset), changes={SETTINGS})
                        .success(lambda _result: super(FirstRunDialog, self).accept())
                        .failure(self._refused))

    def _refused(self, error: UserError) -> None:
        first = self.errors.show(error)
        (first or self.branch_name).setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        if not self._guard.busy:  # the answers on their way are stored first
            super().reject()
