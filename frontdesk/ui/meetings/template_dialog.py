"""The administrator's meeting templates and settings: the sections of each kind, one a line
(表扬 first by default), how early the morning meeting starts, how long a meeting is planned,
and whether the printed protocol leaves the grooming check out (praise only)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError
from frontdesk.services import meetings as mt
from frontdesk.ui.kit.changes import MEETING
from frontdesk.ui.kit.common import FormErrors
from frontdesk.ui.kit.operations import Op, QueryOp


class MeetingTemplatesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingTemplatesDialog")
        self.setWindowTitle(self.tr("会议模板和设置"))
        self._config = mt.MeetingConfigRow()
        self._loaded: dict[str, str] = {}
        self.kind = QComboBox()
        self.kind.setObjectName("templateKind")
        for code, label in mt.KINDS.items():
            self.kind.addItem(label, code)
        self.kind.currentIndexChanged.connect(self._load_template)
        self.titles = QPlainTextEdit()
        self.titles.setObjectName("templateTitles")
        self.titles.setTabChangesFocus(True)
        self.titles.setPlaceholderText(self.tr("每行一个栏目，按顺序"))
        self.lead = QSpinBox()
        self.lead.setObjectName("leadMinutes")
        self.lead.setRange(0, mt.MAX_LEAD_MINUTES)
        self.lead.setSuffix(self.tr(" 分钟"))
        self.planned = QSpinBox()
        self.planned.setObjectName("plannedMinutes")
        self.planned.setRange(1, mt.MAX_PLANNED_MINUTES)
        self.planned.setSuffix(self.tr(" 分钟"))
        self.praise_only = QCheckBox(self.tr("打印纪要时不列仪容仪表（以表扬为主，不公开批评）"))
        self.praise_only.setObjectName("praiseOnly")
        self.message = QLabel()
        self.message.setObjectName("templateMessage")
        self.errors = FormErrors(self.message)
        titles_error = self.errors.new_label("titles", self.titles)
        lead_error = self.errors.new_label("lead_minutes", self.lead)
        planned_error = self.errors.new_label("planned_minutes", self.planned)
        self.save_button = QPushButton(self.tr("保存 (Ctrl+S)"))
        self.save_button.setObjectName("saveTemplateButton")
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("关闭 (Esc)"))
        close.clicked.connect(self.reject)
        for button in (self.save_button, close):
            button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.tr("会议类型"), self.kind)
        form.addRow(self.tr("栏目"), self.titles)
        form.addRow("", titles_error)
        form.addRow(self.tr("晨会提前开门"), self.lead)
        form.addRow("", lead_error)
        form.addRow(self.tr("计划时长"), self.planned)
        form.addRow("", planned_error)
        form.addRow("", self.praise_only)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.resize(520, 460)
        QueryOp(self, mt.config).success(self._show_config).failure(self._failed).run()
        self._load_template()

    def _show_config(self, config: mt.MeetingConfigRow) -> None:
        self._config = config
        self.lead.setValue(config.lead_minutes)
        self.planned.setValue(config.planned_minutes)
        self.praise_only.setChecked(config.praise_only)

    def _load_template(self) -> None:
        kind = self.kind.currentData()
        QueryOp(self, lambda: mt.template(kind)).success(
            lambda sections: self._show_template(kind, sections)).failure(self._failed).run()

    def _show_template(self, kind: str, sections: list[mt.SectionRow]) -> None:
        text = "\n".join(s.title for s in sections)
        self._loaded[kind] = text
        if kind == self.kind.currentData():
            self.titles.setPlainText(text)

    def _failed(self, error: UserError) -> None:
        first = self.errors.show(error)
        if first is not None:
            first.setFocus()

    def save(self) -> None:
        """The template of the kind shown and the settings: one command, both or neither."""
        kind = self.kind.currentData()
        titles = self.titles.toPlainText().splitlines()
        new = mt.MeetingConfigRow(self.lead.value(), self.planned.value(), self.praise_only.isChecked())
        expected = self._config
        self.errors.clear()
        Op(self, lambda: mt.save_template_and_config(kind, titles, new, expected), changes={MEETING}) \
            .success(lambda saved: self._saved(saved[1])).failure(self._failed).run()

    def _saved(self, config: mt.MeetingConfigRow) -> None:
        self._show_config(config)
        self.message.setText(self.tr("已保存。"))
        self.message.setStyleSheet("color: #15803d;")
        self.message.show()
