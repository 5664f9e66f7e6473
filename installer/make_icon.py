"""Draw FrontDesk's icon with Qt and write resources/frontdesk.png and resources/frontdesk.ico.

The mark: a person behind a counter, white and amber on blue — three shapes that still read at
16 × 16 px (a taskbar button, a window's title bar). Each size is painted at its own pixel size
(not scaled down from a large one) with the shapes snapped to whole pixels at the small sizes.

The .ico holds one PNG-compressed image per size (16–256 px); Windows reads those since Vista,
and PyInstaller and Inno Setup copy the file as it is. Run from the checkout after changing the
drawing, and commit the generated files:

    .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = QColor("#1f5fa8")
AMBER = QColor("#f2a93b")
WHITE = QColor("#ffffff")
ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"


def render(size: int) -> QImage:
    """The mark at ``size`` × ``size`` pixels, transparent outside the rounded square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    unit = size / 16  # the drawing is laid out on a 16-pixel grid
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BLUE)
    painter.drawRoundedRect(QRectF(0, 0, size, size), 3.2 * unit, 3.2 * unit)
    painter.setBrush(WHITE)
    painter.drawEllipse(QRectF(5.5 * unit, 2 * unit, 5 * unit, 5 * unit))  # the head
    shoulders = QPainterPath()
    shoulders.addRoundedRect(QRectF(3.5 * unit, 7.5 * unit, 9 * unit, 6 * unit), 3.5 * unit, 3.5 * unit)
    painter.drawPath(shoulders)
    painter.setBrush(AMBER)
    painter.drawRoundedRect(QRectF(1.5 * unit, 10.5 * unit, 13 * unit, 3.5 * unit), 0.8 * unit, 0.8 * unit)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file (ICONDIR + ICONDIRENTRY per image) with PNG-compressed images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts, images
    images = {size: png_bytes(render(size)) for size in SIZES}
    RESOURCES.mkdir(exist_ok=True)
    (RESOURCES / "frontdesk.png").write_bytes(images[256])
    (RESOURCES / "frontdesk.ico").write_bytes(ico_bytes(images))
    for size in (16, 32, 48):
        (RESOURCES / f"frontdesk-{size}.png").write_bytes(images[size])
    print(f"wrote {RESOURCES / 'frontdesk.png'} and {RESOURCES / 'frontdesk.ico'} ({', '.join(map(str, SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
