"""The weekdays the hall opens (营业日), seven boxes in the settings: Monday to Friday by default.

Statutory holidays stay closed and make-up working days (调休) open whatever is ticked; the
inspections' schedule reads this (``services/inspections.hall_day``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from frontdesk.services import inspections as ins


class OpenDaysEdit(QWidget):
    def __init__(self, mask: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openWeekdays")
        self.boxes: list[QCheckBox] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for n, label in enumerate(ins.WEEKDAYS):
            box = QCheckBox(label)
            box.setObjectName(f"openDay{n}")
            box.setChecked(bool(mask & (1 << n)))
            self.boxes.append(box)
            row.addWidget(box)
        row.addStretch(1)

    def mask(self) -> int:
        return sum(1 << n for n, box in enumerate(self.boxes) if box.isChecked())
