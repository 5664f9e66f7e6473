"""The program's resources (icon, desktop entry) are found from a checkout and from a frozen
bundle, the icon files are what Windows and Linux expect, and the frozen build's smoke test can
stop the program at its first dialog (installer/build-and-smoke.sh)."""

from __future__ import annotations

import configparser
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from frontdesk import paths
from frontdesk.app import FIRST_DIALOG_QUIT_ENV
from tests import pinning
from tests.ui.session_helpers import prepare_database

CHECKOUT = Path(__file__).resolve().parent.parent
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_resources_are_found_in_the_checkout():
    assert paths.resources_dir() == CHECKOUT / "resources"
    assert paths.resource_path("frontdesk.ico") == CHECKOUT / "resources" / "frontdesk.ico"
    assert paths.resource_path("no-such-file.png") is None


def test_resources_are_found_in_a_pyinstaller_bundle(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "frontdesk.png").write_bytes(PNG_MAGIC)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.resource_path("frontdesk.png") == tmp_path / "resources" / "frontdesk.png"
    # The checkout's files are not used by a bundle that lacks them.
    assert paths.resource_path("frontdesk.ico") is None


def test_resources_are_found_in_an_installed_copy(tmp_path, monkeypatch):
    # A wheel puts the package in site-packages (no resources/ beside it) and the files in
    # <prefix>/share/frontdesk/resources.
    package = tmp_path / "site-packages" / "frontdesk"
    package.mkdir(parents=True)
    installed = tmp_path / "prefix" / "share" / "frontdesk" / "resources"
    installed.mkdir(parents=True)
    (installed / "frontdesk.ico").write_bytes(b"\0\0\1\0")
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert paths.resource_path("frontdesk.ico") == installed / "frontdesk.ico"


def test_the_ico_holds_every_size_as_a_png():
    data = (CHECKOUT / "resources" / "frontdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        side = width or 256
        assert (width, planes, bits) == (height, 1, 32)
        image = data[offset: offset + length]
        assert len(image) == length
        assert png_size(image) == (side, side)
        sizes.append(side)
    assert sizes == ICO_SIZES


def test_the_pngs_load_in_qt_at_their_sizes(qapp):
    from PySide6.QtGui import QImage

    for name, side in (("frontdesk.png", 256), ("frontdesk-16.png", 16), ("frontdesk-32.png", 32),
                       ("frontdesk-48.png", 48)):
        image = QImage(str(paths.resource_path(name)))
        assert (image.width(), image.height()) == (side, side), name
        # The mark: blue corners are transparent, the middle is painted.
        assert image.pixelColor(0, 0).alpha() < 16
        assert image.pixelColor(side // 2, side // 2).alpha() == 255


def test_the_desktop_entry_names_the_program_and_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(CHECKOUT / "resources" / "frontdesk.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "frontdesk"
    assert section["Icon"] == "frontdesk"
    assert "前台值班台" in section["Name[zh_CN]"]


def test_the_application_carries_the_icon(qapp):
    from frontdesk.app import _set_window_icon

    before = qapp.windowIcon()
    try:
        _set_window_icon(qapp)
        sizes = {(size.width(), size.height()) for size in qapp.windowIcon().availableSizes()}
    finally:
        qapp.setWindowIcon(before)
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes


@pytest.mark.parametrize("configured", [True, False])
def test_the_smoke_test_variable_closes_the_first_dialog(tmp_path, configured):
    location = str(tmp_path / "hall.sqlite")
    if configured:
        prepare_database(location)
    target = tmp_path / "first-dialog.txt"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", pinning.PIN_CHILD + "import sys\nfrom frontdesk.cli import main\n"
         "sys.exit(main(sys.argv[1:]))", "--db", location],
        capture_output=True, text=True, timeout=60,
        env=pinning.child_environment(QT_QPA_PLATFORM="offscreen", **{FIRST_DIALOG_QUIT_ENV: str(target)}),
    )
    assert proc.returncode == 0, proc.stderr
    lines = target.read_text(encoding="utf-8").splitlines()
    if configured:
        # The station in use: the sign-in dialog, its database opened behind it.
        assert lines[:4] == ["SignInDialog", "FrontDesk 前台值班台 — 登录 — 西单支行", "ready=True", "icon=True"]
    else:
        assert lines[0] == "FirstRunDialog"
        assert lines[3] == "icon=True"
    shown_at = float(lines[-1].removeprefix("shown_at="))
    assert started < shown_at < time.monotonic()  # the monotonic clock is the system's
