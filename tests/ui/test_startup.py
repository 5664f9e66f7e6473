"""Start-up paints the sign-in dialog before it opens the database (issue: 1.9× a bare window).

Each case starts the program in a child process, as ``frontdesk --db …`` does (``run_gui``), and
looks at what had been imported when the sign-in dialog was first painted; then signs in with
key presses made at once, before the database is open, and the main window follows.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests import pinning
from tests.ui.session_helpers import prepare_database

CHILD = pinning.PIN_CHILD + r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
import frontdesk.app as fd_app
from frontdesk.ui.session import sign_in_form

HEAVY = ("peewee", "frontdesk.db.models", "frontdesk.services.users", "frontdesk.services.settings",
         "frontdesk.services.visitors", "frontdesk.ui.visitors.register_table", "frontdesk.ui.main_window")
seen = {}

def first_paint(dialog):
    def look():
        seen["title_at_paint"] = dialog.windowTitle()
        seen["loaded_at_paint"] = [m for m in HEAVY if m in sys.modules]
        seen["ready_at_paint"] = dialog.form.ready
        # Typed at once, Enter included: the sign-in waits for the database, nothing is lost.
        QTest.keyClicks(dialog.form.username, "admin")
        QTest.keyClick(dialog.form.username, "\r")
        QTest.keyClicks(dialog.form.password, sys.argv[2])
        QTest.keyClick(dialog.form.password, "\r")
    dialog.firstPainted.connect(look)

original_init = sign_in_form.SignInDialog.__init__
def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    first_paint(self)
sign_in_form.SignInDialog.__init__ = init

def shown(window):
    seen["main_window"] = window.windowTitle()
    seen["signed_in_as"] = window.user_label.text()
    window.close()
    QApplication.exit(0)

QTimer.singleShot(20000, lambda: QApplication.exit(3))
code = fd_app.run_gui(sys.argv[1], on_shown=shown)
print(json.dumps(seen, ensure_ascii=False), flush=True)
sys.exit(code)
"""


def test_the_sign_in_is_painted_before_the_database_is_opened_and_typing_at_once_signs_in(tmp_path):
    location = str(tmp_path / "hall.sqlite")
    prepare_database(location, branch="西单支行")
    proc = subprocess.run([sys.executable, "-c", CHILD, location, "admin-pass-1"], capture_output=True,
                          text=True, env=pinning.child_environment(QT_QPA_PLATFORM="offscreen"), timeout=60)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["loaded_at_paint"] == []
    assert seen["ready_at_paint"] is False
    assert seen["title_at_paint"] == "FrontDesk 前台值班台 — 登录"  # the branch is named once it is read
    assert seen["main_window"] == "FrontDesk 前台值班台 — 西单支行"
    assert "管理员" in seen["signed_in_as"]
