"""One equipment fault: reporting it (the device from the list, what is wrong, the "暂停使用"
sign), then following it up (repairer contacted — who, the phone —, fixed). Each step ticked
records its time when saved; the times already recorded are shown beside the steps.

Opened from a failed check item, the device the item names is chosen already (else the first),
and the item's note is the description to start from. Enter in a text field saves.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from frontdesk.services import faults, lists
from frontdesk.services.faults import FaultFollowUp, FaultRow
from frontdesk.ui.kit.changes import INSPECTION
from frontdesk.ui.kit.forms import WorkerFormDialog


class FaultDialog(WorkerFormDialog):
    """A new fault (``row`` None) or the follow-up of one."""

    changes = frozenset({INSPECTION})

    def __init__(self, devices: list[lists.ListEntry], row: FaultRow | None = None, parent: QWidget | None = None,
                 *, device_id: int | None = None, description: str = "", run_id: int | None = None,
                 item_id: int | None = None, origin: str = "") -> None:
        super().__init__(self.tr("登记") if row is None else self.tr("保存"), parent)
        self.setObjectName("faultDialog")
        self.setWindowTitle(self.tr("登记设备故障") if row is None else self.tr("设备故障：{device}")
                            .replace("{device}", row.device_label))
        self.row, self.run_id, self.item_id = row, run_id, item_id
        self.resize(480, 0)
        if origin:
            self.add_note(self.tr("来自检查项：{item}").replace("{item}", origin))
        self.device = QComboBox()
        self.device.setObjectName("faultDevice")
        if row is None:
            self.device.addItem(self.tr("（请选择）"), None)
            for d in devices:
                self.device.addItem(d.label, d.id)
            found = self.device.findData(device_id) if device_id is not None else -1
            self.device.setCurrentIndex(max(found, 0))
            self.add_field(self.tr("设备"), self.device, "device")
        else:
            self.form.addRow(self.tr("设备"), QLabel(row.device_label))
            self.form.addRow(self.tr("报修"), QLabel(f"{row.reported_at:%Y-%m-%d %H:%M}　{row.reported_by_name}"))
        self.description = QLineEdit(row.description if row is not None else description)
        self.description.setObjectName("faultDescription")
        self.description.setMaxLength(faults.MAX_DESCRIPTION)
        self.description.setPlaceholderText(self.tr("故障现象，如：不出票、黑屏"))
        self.add_field(self.tr("故障情况"), self.description, "description")
        self.sign = QCheckBox(self.tr("已张贴“暂停使用”标识"))
        self.sign.setObjectName("faultSign")
        self.sign.setChecked(row is not None and row.sign_posted_at is not None)
        self.add_field(self.tr("暂停使用"), self._with_time(self.sign, row.sign_posted_at if row else None),
                       "sign_posted")
        self.contacted = QCheckBox(self.tr("已联系维修"))
        self.contacted.setObjectName("faultContacted")
        self.repairer = QLineEdit(row.repairer_note if row is not None else "")
        self.repairer.setObjectName("faultRepairer")
        self.repairer.setMaxLength(faults.MAX_NOTE)
        self.repairer.setPlaceholderText(self.tr("维修单位/联系人/电话"))
        self.fixed = QCheckBox(self.tr("已修复"))
        self.fixed.setObjectName("faultFixed")
        self.fixed_note = QLineEdit(row.fixed_note if row is not None else "")
        self.fixed_note.setObjectName("faultFixedNote")
        self.fixed_note.setMaxLength(faults.MAX_NOTE)
        self.fixed_note.setPlaceholderText(self.tr("修复说明"))
        if row is not None:
            self.contacted.setChecked(row.repairer_contacted_at is not None)
            self.add_field(self.tr("维修"), self._with_time(self.contacted, row.repairer_contacted_at), "repairer")
            self.add_field(self.tr("维修联系"), self.repairer, "repairer_note")
            self.fixed.setChecked(row.fixed_at is not None)
            self.add_field(self.tr("修复"), self._with_time(self.fixed, row.fixed_at), "fixed")
            self.add_field(self.tr("修复说明"), self.fixed_note, "fixed_note")
            order = [self.description, self.sign, self.contacted, self.repairer, self.fixed, self.fixed_note]
        else:
            order = [self.device, self.description, self.sign]
        for first, second in zip(order[:-1], order[1:], strict=True):
            self.setTabOrder(first, second)
        (self.description if row is not None or device_id is not None else self.device).setFocus()

    def _with_time(self, box: QCheckBox, at: datetime | None) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        if at is not None:
            layout.addWidget(QLabel(f"{at:%Y-%m-%d %H:%M}"))
        layout.addStretch(1)
        return holder

    def prepare(self):
        description = self.description.text()
        row = self.row
        if row is None:
            device, sign, run_id, item_id = self.device.currentData(), self.sign.isChecked(), self.run_id, self.item_id
            return lambda: faults.report(device, description, sign_posted=sign, run_id=run_id, item_id=item_id)
        data = FaultFollowUp(description, self.sign.isChecked(), self.contacted.isChecked(), self.repairer.text(),
                             self.fixed.isChecked(), self.fixed_note.text())
        return lambda: faults.follow_up(row.id, row, data)
