"""The void dialog has room: its title whole in the title bar, the reason box wide, the note whole."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from frontdesk.services import visitors
from frontdesk.ui.visitors.void_dialog import VoidVisitDialog
from tests.ui.visitors.test_form_dialog import NOW, frozen, ids, register  # noqa: F401 - fixtures


def test_the_void_dialog_is_wide_enough_for_its_title_and_its_reason(ids, qtbot):  # noqa: F811
    row = register(ids, customer_name="王女士", ticket_no="A018", phone="13812345678",
                   arrived_at=NOW - timedelta(minutes=20))
    dialog = VoidVisitDialog(row.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # The title bar shows the title beside its icon and three buttons (~160 px).
    assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) + 160
    assert dialog.reason.width() >= 300
    note = next(label for label in dialog.findChildren(QLabel) if "不再计入任何统计" in label.text())
    assert note.height() >= note.heightForWidth(note.width())  # every line of it shows
    qtbot.keyClicks(dialog.reason, "duplicate")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert visitors.get_visit(row.id).row.status == visitors.VOIDED
