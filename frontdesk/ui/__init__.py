"""The PySide6 user interface. The only package that imports Qt."""

# Repairs a reference-count defect of the Qt binding before any signal is emitted (see qt_fixes).
from frontdesk.ui import qt_fixes as _qt_fixes  # noqa: E402, F401
