"""Qt's own texts in Chinese, whatever the computer's language: buttons, menus, calendars.

The window's own strings are Chinese already (``self.tr``); what Qt draws itself — "OK" and
"Cancel" in standard buttons, Undo/Paste in a text box's context menu, month and day names in a
calendar — comes from Qt's translations (``qtbase_zh_CN.qm``, shipped with PySide6) and from the
default locale. A hall's PC may well run an English Windows.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CHINA = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedHanScript, QLocale.Country.China)


def install_chinese(app: QCoreApplication) -> bool:
    """Chinese locale for dates and numbers, and Qt's Chinese translations; ``False`` if the
    translation files are missing (a stripped installation): the locale is set all the same."""
    QLocale.setDefault(CHINA)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)  # parented: lives as long as the application
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded = True
    return loaded
