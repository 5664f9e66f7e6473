"""``frontdesk.reports`` takes plain data: it imports only itself, ``frontdesk.errors``,
``frontdesk.i18n``, the standard library, reportlab and openpyxl — and importing the package
loads neither of the last two (they cost ~250 ms each, paid when a file is written)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.test_layers import imported_names, package_modules

ALLOWED_PREFIXES = ("frontdesk.reports", "frontdesk.errors", "frontdesk.i18n", "reportlab",
                    "openpyxl")


def allowed(name: str) -> bool:
    top = name.split(".")[0]
    if top in sys.stdlib_module_names or top == "__future__":
        return True
    return any(name == p or name.startswith(p + ".") for p in ALLOWED_PREFIXES)


def test_reports_import_only_what_they_may() -> None:
    modules = [(path, source) for path, source in package_modules()
               if path.startswith("frontdesk/reports/")]
    assert len(modules) >= 8
    crossed = [f"{path}:{line}: {name}" for path, source in modules
               for line, name in imported_names(source, path) if not allowed(name)]
    assert not crossed, "frontdesk.reports imports more than it may:\n" + "\n".join(crossed)


def test_the_checker_would_notice() -> None:
    assert not allowed("frontdesk.services.figures")
    assert not allowed("peewee")
    assert not allowed("PySide6.QtGui")
    assert allowed("reportlab.platypus") and allowed("datetime")


def test_importing_the_package_stays_light() -> None:
    code = (
        "import json, sys\n"
        "import frontdesk.reports\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'reportlab', 'openpyxl', 'PySide6', 'peewee'})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
