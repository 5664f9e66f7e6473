"""Qt's own texts in Chinese: standard buttons, a text box's context menu, calendar names."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from frontdesk.ui.locale import install_chinese


def test_qt_speaks_chinese_whatever_the_system_language(qapp, qtbot):
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert install_chinese(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QDialogButtonBox.StandardButton.Ok,
                                                              QDialogButtonBox.StandardButton.Cancel)}
    assert texts == {"确定", "取消"}
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    actions = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert {"撤消(U)", "粘贴(P)", "全选"} <= set(actions)  # Qt writes 撤消
    assert QLocale().monthName(12) == "十二月" and QLocale().dayName(1) == "星期一"


def test_window_titles_name_the_program_once(qapp):
    """Qt appends an application display name to every title on Linux; ours carry the name."""
    from PySide6.QtGui import QGuiApplication

    from frontdesk.app import _application

    assert _application() is qapp
    assert QGuiApplication.applicationDisplayName() == QGuiApplication.applicationName()
