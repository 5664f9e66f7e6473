"""Seven boxes, Monday to Sunday, for a set of weekdays kept as a mask (bit 0 Monday): the weekdays
the hall opens (营业日, settings) and the weekdays a checklist is due (the template editor)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from frontdesk.services import inspections as ins


class WeekdaysEdit(QWidget):
    def __init__(self, mask: int, box_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: list[QCheckBox] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for n, label in enumerate(ins.WEEKDAYS):
            box = QCheckBox(label)
            box.setObjectName(f"{box_name}{n}")
            box.setChecked(bool(mask & (1 << n)))
            self.boxes.append(box)
            row.addWidget(box)
        row.addStretch(1)

    def mask(self) -> int:
        return sum(1 << n for n, box in enumerate(self.boxes) if box.isChecked())
