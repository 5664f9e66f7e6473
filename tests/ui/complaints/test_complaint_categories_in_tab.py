"""The complaint tab follows the category list kept in the settings: a category added there is
offered by the tab's filter once the dialog closes, and a deactivated one still finds its tickets."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from frontdesk.app import build_main_window
from frontdesk.services import clock, lists
from frontdesk.services import complaints as cs
from frontdesk.services.presets import COMPLAINT_CATEGORY
from frontdesk.ui.admin.settings_dialog import SettingsDialog
from tests.ui.test_main_window import when_modal
from tests.ui.worker_helpers import settle


def test_the_filter_offers_what_the_settings_keep(db_location, configured, qtbot):
    clock.pin(datetime(2026, 9, 28, 10, 0), ticking=False)
    try:
        old = cs.create(cs.ComplaintInput(category="续期/续保纠纷", description="续期扣款失败"))
        window = build_main_window(db_location)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitActive(window)
        page = next(p for p in window.tab_pages if type(p).__name__ == "ComplaintTab")
        box = page.table.category

        def edit(dialog: SettingsDialog) -> None:
            dialog.tabs.setCurrentWidget(dialog.complaint_page)
            editor = dialog.complaint_page.categories
            editor.label_edit.setFocus()
            editor.label_edit.clear()
            qtbot.keyClicks(editor.label_edit, "Lobby")
            qtbot.keyClick(editor.label_edit, Qt.Key.Key_Return)
            settle(qtbot)
            renewal = next(e for e in editor.entries() if e.label == "续期/续保纠纷")
            editor.select(renewal.id)
            qtbot.mouseClick(editor.toggle_button, Qt.MouseButton.LeftButton)
            settle(qtbot)
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

        timer = when_modal(edit)
        window.open_settings()
        timer.stop()
        settle(qtbot)
        offered = [box.itemText(i) for i in range(box.count())]
        assert offered[0] == "全部类别" and "Lobby" in offered and "续期/续保纠纷" in offered
        assert "续期/续保纠纷" not in cs.categories()
        assert [e.label for e in lists.entries(COMPLAINT_CATEGORY)][-1] == "Lobby"

        box.setFocus()
        box.setCurrentIndex(box.findData("续期/续保纠纷"))
        page.table.view_choice.setCurrentIndex(page.table.view_choice.findData(cs.V_ALL))
        qtbot.waitUntil(lambda: page.table.model.rowCount() == 1, timeout=10_000)
        assert page.table.model.row_at(0).id == old.id
    finally:
        clock.unpin()
