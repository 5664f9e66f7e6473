"""The main window on a real front-desk screen: it opens within the screen, and at 1366×768 the
guide sees the whole quick-entry form, the waiting panel and at least ten rows of the register.

Each case starts the window in a child process whose offscreen screen has the size under test
(the test process's own screen is Qt's default 800×600), signs in through the service, shows the
window as the program does (``show_placed``) and reports what is on screen, measured from the
widgets' geometry.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import time

import pytest
from PySide6.QtCore import QRect

from frontdesk.db.database import close_database, open_database
from frontdesk.services import clock
from frontdesk.ui.main_window import SMALL_SCREEN, initial_geometry
from tests import pinning
from tests.ui.register_helpers import insert_visits
from tests.ui.session_helpers import prepare_database

CHILD = pinning.PIN_CHILD + r"""
import json, sys
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from frontdesk.db.database import open_database
from frontdesk.services import users
from frontdesk.app import _application, build_main_window

app = _application()
if len(sys.argv) > 2:  # a place remembered by an earlier start: (x, y, width, height, maximized)
    from frontdesk.ui.main_window import GEOMETRY_KEY, MAXIMIZED_KEY, window_settings
    x, y, w, h, maximized = json.loads(sys.argv[2])
    store = window_settings()
    store.setValue(GEOMETRY_KEY, QRect(x, y, w, h))
    store.setValue(MAXIMIZED_KEY, maximized)
    store.sync()
open_database(sys.argv[1])
users.sign_in("admin", "admin-pass-1")
window = build_main_window(sys.argv[1])
window.show_placed()
tab = window.visitor_tab
table = tab.register_table
deadline = __import__("time").monotonic() + 20
while __import__("time").monotonic() < deadline and not (table.model.settled and table.model.rowCount()):
    app.processEvents()
for _ in range(20):
    app.processEvents()
view = table.view
height = view.viewport().height()
first, last = view.rowAt(0), view.rowAt(height - 1)
whole_rows = sum(1 for row in range(table.model.rowCount())
                 if view.rowViewportPosition(row) >= 0
                 and view.rowViewportPosition(row) + view.rowHeight(row) <= height)

def on_screen(widget):
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]

form = tab.quick_entry
print(json.dumps({
    "screen": [window.screen().availableGeometry().width(), window.screen().availableGeometry().height()],
    "frame": [window.frameGeometry().x(), window.frameGeometry().y(),
              window.frameGeometry().width(), window.frameGeometry().height()],
    "geometry": [window.geometry().x(), window.geometry().y(), window.width(), window.height()],
    "maximized": window.isMaximized(),
    "rows_in_view": table.model.rowCount(),
    "whole_rows": whole_rows,
    "form": on_screen(form),
    "form_needs": form.minimumSizeHint().height(),
    "waiting": on_screen(tab.waiting_panel),
    "waiting_needs": tab.waiting_panel.minimumSizeHint().height(),
    "status_bar": on_screen(window.statusBar()),
}), flush=True)
window.close()
"""


def _screen_config(tmp_path, width: int, height: int) -> str:
    path = tmp_path / f"screen-{width}x{height}.json"
    path.write_text(json.dumps({"screens": [{
        "name": "front-desk", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    return str(path)


def _open_window(tmp_path, location: str, width: int, height: int, remembered: list | None = None) -> dict:
    env = pinning.child_environment(
        QT_QPA_PLATFORM=f"offscreen:configfile={_screen_config(tmp_path, width, height)}")
    extra = [json.dumps(remembered)] if remembered is not None else []
    proc = subprocess.run([sys.executable, "-c", CHILD, location, *extra], capture_output=True, text=True,
                          env=env, timeout=90)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def busy_day(tmp_path, weekday_morning):
    """A configured database (administrator ``admin``) holding 40 visits of today."""
    location = str(tmp_path / "station.sqlite")
    prepare_database(location)
    open_database(location)
    try:
        insert_visits(40, clock.today(), start=time(8, 40), step_seconds=60)
    finally:
        close_database()
    return location


def _inside(part: list[int], frame: list[int]) -> bool:
    x, y, w, h = part
    return x >= 0 and y >= 0 and x + w <= frame[2] and y + h <= frame[3]


def test_at_1366x768_the_form_the_waiting_panel_and_ten_register_rows_are_on_screen(tmp_path, busy_day):
    seen = _open_window(tmp_path, busy_day, 1366, 768)
    assert seen["maximized"]
    x, y, w, h = seen["frame"]
    assert x >= 0 and y >= 0 and x + w <= 1366 and y + h <= 768
    # The whole form, at no less than the height it needs: nothing of it to scroll to.
    assert _inside(seen["form"], seen["frame"]) and seen["form"][3] >= seen["form_needs"]
    assert _inside(seen["waiting"], seen["frame"]) and seen["waiting"][3] >= seen["waiting_needs"]
    assert _inside(seen["status_bar"], seen["frame"])
    assert seen["rows_in_view"] == 40
    assert seen["whole_rows"] >= 10


def test_at_1920x1080_a_centred_window_uses_most_of_the_screen(tmp_path, busy_day):
    seen = _open_window(tmp_path, busy_day, 1920, 1080)
    assert not seen["maximized"]
    x, y, w, h = seen["frame"]
    assert x > 0 and y > 0 and x + w < 1920 and y + h < 1080
    x, y, w, h = seen["geometry"]
    assert w > 1400 and h > 900  # more than the old fixed 1400×900
    assert abs(x - (1920 - (x + w))) <= 1 and abs(y - (1080 - (y + h))) <= 1
    assert seen["whole_rows"] >= 15


def test_the_remembered_place_is_used_only_while_it_is_on_a_screen(tmp_path, busy_day):
    """Remembered on the large screen, the place is used there; on a smaller screen (the other
    monitor unplugged) the remembered place is off it: maximized instead."""
    seen = _open_window(tmp_path, busy_day, 1920, 1080, remembered=[300, 200, 1400, 800, False])
    assert seen["geometry"] == [300, 200, 1400, 800] and not seen["maximized"]
    seen = _open_window(tmp_path, busy_day, 1366, 768, remembered=[1500, 600, 1400, 800, False])
    assert seen["maximized"] and seen["frame"][2] <= 1366 and seen["frame"][3] <= 768


@pytest.mark.parametrize(("screen", "maximized"), [
    (QRect(0, 0, 1366, 768), True),
    (QRect(0, 0, 1366, 728), True),  # a taskbar below
    (QRect(0, 0, 1280, 1024), True),  # narrower than SMALL_SCREEN
    (QRect(0, 0, 1600, 900), False),
    (QRect(1920, 0, 2560, 1400), False),  # the second of two monitors
])
def test_initial_geometry_without_a_remembered_place(screen, maximized):
    rect, is_max = initial_geometry(screen, [screen], None, False)
    assert is_max == maximized
    assert screen.contains(rect)
    if not maximized:
        assert rect.center() == screen.center() or (rect.center() - screen.center()).manhattanLength() <= 1
        assert rect.width() > SMALL_SCREEN.width() * 0.9


def test_a_remembered_place_larger_than_its_screen_is_not_restored():
    screen = QRect(0, 0, 1366, 768)
    rect, is_max = initial_geometry(screen, [screen], QRect(0, 0, 1400, 900), False)
    assert is_max and rect == screen
