"""The house layering (STYLE.md), checked by reading every module's imports with ``ast``.

Qt lives in ``frontdesk/ui/`` and the entry points that start it; ``db``, ``services`` and
``reports`` never reach up into the UI, ``db`` does not use ``services``, the UI reaches the
database only through the services, and ``reports`` gets plain data: it imports only itself,
``frontdesk.errors`` and ``frontdesk.i18n`` (besides the standard library, reportlab and openpyxl). A crossed line fails here, before it reaches a user whose CLI,
scheduled report or test run suddenly needs a display.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "frontdesk"
QT_PACKAGES = ("PySide6", "shiboken6")
QT_ALLOWED = ("frontdesk/ui/", "frontdesk/app.py", "frontdesk/__main__.py")
LOWER_LAYERS = ("frontdesk/db/", "frontdesk/services/", "frontdesk/reports/")
REPORTS_MAY_USE = ("frontdesk.reports", "frontdesk.errors", "frontdesk.i18n", "reportlab", "openpyxl")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported} — {self.rule}"


def module_name(rel_path: str) -> str:
    parts = rel_path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_names(source: str, rel_path: str) -> list[tuple[int, str]]:
    """Every module ``source`` imports (also inside functions), with relative imports resolved."""
    tree = ast.parse(source, filename=rel_path)
    package = module_name(rel_path)
    if not rel_path.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            # ``from frontdesk import ui`` imports the sub-module ``frontdesk.ui``.
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in ("import_module", "__import__") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _reports_may_use(name: str) -> bool:
    top = name.split(".")[0]
    if name == "frontdesk" or (top != "frontdesk" and top in sys.stdlib_module_names):
        return True  # ``from frontdesk import errors`` names the package, then the module
    return any(_within(name, allowed) for allowed in REPORTS_MAY_USE)


def check_module(rel_path: str, source: str) -> list[Violation]:
    """The layer rules broken by the module at ``rel_path`` (relative to the repository)."""
    violations = []
    for line, name in imported_names(source, rel_path):

        def broken(rule: str, name: str = name, line: int = line) -> None:
            violations.append(Violation(rel_path, line, name, rule))

        if any(_within(name, qt) for qt in QT_PACKAGES) and not rel_path.startswith(QT_ALLOWED):
            broken("Qt only in frontdesk/ui/, frontdesk/app.py and frontdesk/__main__.py")
        if rel_path.startswith(LOWER_LAYERS) and (
            _within(name, "frontdesk.ui") or _within(name, "frontdesk.app")
        ):
            broken("db, services and reports never import the UI or the app")
        if rel_path.startswith("frontdesk/db/") and _within(name, "frontdesk.services"):
            broken("db is below services")
        if rel_path.startswith("frontdesk/reports/") and _within(name, "frontdesk.db"):
            broken("reports get plain data, never the database")
        elif rel_path.startswith("frontdesk/reports/") and not _reports_may_use(name):
            broken("reports import only themselves, frontdesk.errors, frontdesk.i18n, "
                   "the standard library, reportlab and openpyxl")
        if rel_path.startswith("frontdesk/ui/") and _within(name, "frontdesk.db"):
            broken("the UI reaches the database only through the services")
    return violations


def package_modules() -> list[tuple[str, str]]:
    root = PACKAGE_ROOT.parent
    return [
        (path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE_ROOT.rglob("*.py"))
    ]


def test_the_package_respects_its_layers() -> None:
    modules = package_modules()
    assert any(path == "frontdesk/cli.py" for path, _ in modules)
    violations = [v for path, source in modules for v in check_module(path, source)]
    assert not violations, "layer rules broken:\n" + "\n".join(map(str, violations))


@pytest.mark.parametrize(
    ("path", "source", "rule"),
    [
        ("frontdesk/cli.py", "import PySide6.QtWidgets\n", "Qt only"),
        ("frontdesk/services/x.py", "def f():\n    from shiboken6 import isValid\n", "Qt only"),
        ("frontdesk/reports/pdf.py", "import importlib\nimportlib.import_module('PySide6.QtGui')\n",
         "Qt only"),
        ("frontdesk/services/x.py", "from frontdesk.ui.kit.common import format_minutes\n", "never import the UI"),
        ("frontdesk/services/x.py", "from ..ui import common\n", "never import the UI"),
        ("frontdesk/db/x.py", "from frontdesk import app\n", "never import the UI"),
        ("frontdesk/db/x.py", "from frontdesk.services import settings\n", "db is below services"),
        ("frontdesk/db/migrations/m9.py", "from ...services.visitors import Visit\n", "db is below services"),
        ("frontdesk/reports/daily.py", "from frontdesk.db.models import Visit\n", "never the database"),
        ("frontdesk/reports/daily.py", "from .. import db\n", "never the database"),
        ("frontdesk/reports/daily.py", "from frontdesk.services.visitors import VisitRow\n",
         "reports import only"),
        ("frontdesk/reports/excel.py", "from frontdesk.services import figures\n", "reports import only"),
        ("frontdesk/reports/pdf.py", "import peewee\n", "reports import only"),
        ("frontdesk/reports/pdf.py", "def f():\n    from frontdesk import app\n", "reports import only"),
        ("frontdesk/ui/main_window.py", "from frontdesk.db.database import Location\n",
         "only through the services"),
        ("frontdesk/ui/kit/ops.py", "def f():\n    from frontdesk.db import database\n",
         "only through the services"),
        ("frontdesk/ui/x.py", "from ..db.models import Visit\n", "only through the services"),
    ],
)
def test_the_checker_catches_crossed_lines(path: str, source: str, rule: str) -> None:
    violations = check_module(path, source)
    assert violations and any(rule in v.rule for v in violations), violations


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("frontdesk/ui/visitors/tab.py", "from PySide6.QtWidgets import QWidget\nfrom frontdesk.services import visitors\n"),
        ("frontdesk/app.py", "from PySide6.QtWidgets import QApplication\nfrom frontdesk.ui import crash\n"),
        ("frontdesk/services/x.py", "from frontdesk.db.models import Visit\nfrom . import clock\n"),
        ("frontdesk/reports/daily.py",
         "from __future__ import annotations\nimport datetime\nfrom frontdesk.errors import UserError\n"
         "from frontdesk import i18n\nfrom frontdesk.reports import fonts\nfrom . import common\n"),
        ("frontdesk/reports/pdf.py", "from reportlab.platypus import Table\nimport openpyxl.styles\n"),
        ("frontdesk/ui/visitors/tab.py", "from frontdesk.services.connections import Location\n"),
        ("frontdesk/services/x.py", "import frontdesk.uikit_helpers\n"),
    ],
)
def test_the_checker_allows_the_permitted_imports(path: str, source: str) -> None:
    assert check_module(path, source) == []


def test_the_command_line_and_services_load_without_qt() -> None:
    """Importing them must not pull in Qt (a scheduled job has no display)."""
    code = (
        "import json, sys\n"
        "import frontdesk.cli, frontdesk.services.visitors, frontdesk.services.demo\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6') or m == 'frontdesk.app')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
