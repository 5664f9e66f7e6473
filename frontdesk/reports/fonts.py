"""Find and register a Chinese font that reportlab can embed in a PDF.

A PDF must carry its Chinese glyphs: a viewer or printer without Chinese fonts shows boxes
otherwise, so the built-in, non-embedded CID fonts (STSong-Light) are never used. reportlab
embeds only TrueType outlines (a ``glyf`` table); Noto CJK / Source Han are CFF-outline fonts
and are skipped. We look for the fonts each system ships (SimHei / YaHei on Windows, STHeiti on
macOS, WenQuanYi on Linux), check the outlines and a sample of common characters, and register
the first that works once per process.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from frontdesk.errors import FontMissingError
from frontdesk.i18n import _

# Characters every report prints; a font without them is not a Chinese font for us.
SAMPLE = "营业厅日报月值班经理签字第页共分钟星期等候投诉检查晨会率"

WINDOWS_FILES = ("simhei.ttf", "msyh.ttc", "msyh.ttf", "simsun.ttc", "Deng.ttf", "simkai.ttf",
                 "simfang.ttf")
LINUX_FILES = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansSC-Regular.ttf",
               "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "uming.ttc", "ukai.ttc",
               "gkai00mp.ttf")
MACOS_PATHS = (
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
)


@dataclass(frozen=True)
class FontFile:
    """A usable font: the file, the face inside a collection, and reportlab's name for it."""

    path: Path
    subfont: int
    name: str


_registered: dict[str | None, FontFile] = {}
_lock = threading.Lock()


def cjk_font(font_path: str | os.PathLike[str] | None = None) -> FontFile:
    """The registered Chinese font: ``font_path`` if given (a setting), else the system's.

    Raises ``FontMissingError`` (a ``UserError``) saying what to install.
    """
    key = None if font_path is None else os.fspath(font_path)
    with _lock:
        found = _registered.get(key)
        if found is None:
            found = _register(Path(key)) if key is not None else _register_first_system_font()
            _registered[key] = found
        return found


def truetype_faces(path: Path) -> list[int]:
    """Indexes of the faces in ``path`` (a .ttf/.otf or a .ttc collection) with TrueType
    outlines. Empty for CFF-outline fonts and for files that are not fonts."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                (count,) = struct.unpack(">I", head[8:12])
                offsets = struct.unpack(f">{count}I", fh.read(4 * min(count, 64)))
            else:
                offsets = (0,)
            faces = []
            for index, offset in enumerate(offsets):
                fh.seek(offset)
                version, tables = struct.unpack(">4sH", fh.read(6))
                if version not in (b"\x00\x01\x00\x00", b"true"):
                    continue
                fh.seek(offset + 12)
                directory = fh.read(16 * tables)
                tags = {directory[i:i + 4] for i in range(0, len(directory), 16)}
                if b"glyf" in tags and b"loca" in tags:
                    faces.append(index)
            return faces
    except (OSError, struct.error):
        return []


def system_font_candidates(platform: str | None = None) -> Iterator[Path]:
    """Font files worth trying on this system, best first."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        for name in WINDOWS_FILES:
            for folder in folders:
                yield folder / name
        return
    if platform == "darwin":
        yield from map(Path, MACOS_PATHS)
        yield from _fontconfig_candidates()
        return
    home = Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    folders = [data_home / "fonts", home / ".fonts", Path("/usr/local/share/fonts"),
               Path("/usr/share/fonts")]
    by_name: dict[str, Path] = {}
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for file in files:
                by_name.setdefault(file.lower(), Path(root) / file)
    for name in LINUX_FILES:
        if name.lower() in by_name:
            yield by_name[name.lower()]
    yield from _fontconfig_candidates()


def _fontconfig_candidates() -> Iterator[Path]:
    """Whatever else fontconfig knows that claims Chinese (the checks weed out CFF fonts)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return
    try:
        listed = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True,
                                timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for line in sorted(set(listed.splitlines())):
        path = line.strip().rstrip(":").strip()
        if path.lower().endswith((".ttf", ".ttc")):
            yield Path(path)


def _register_first_system_font() -> FontFile:
    tried: set[Path] = set()
    for path in system_font_candidates():
        if path in tried or not path.is_file():
            continue
        tried.add(path)
        font, _reason = _try(path)
        if font is not None:
            return font
    raise FontMissingError(
        _("找不到可嵌入 PDF 的中文字体（需要 TrueType 轮廓的 .ttf/.ttc 字体；思源黑体、Noto CJK "
          "等 OpenType-CFF 字体不能用）。") + install_hint()
    )


def _register(path: Path) -> FontFile:
    if not path.is_file():
        reason = _("文件不存在")
    else:
        font, reason = _try(path)
        if font is not None:
            return font
    raise FontMissingError(
        _("字体文件 {path} 不能用于 PDF：{reason}。").format(path=path, reason=reason)
        + install_hint()
    )


def _try(path: Path) -> tuple[FontFile | None, str]:
    """Register the first face of ``path`` with TrueType outlines and the sample characters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    faces = truetype_faces(path)
    if not faces:
        return None, _("不是 TrueType 轮廓字体")
    for face in faces:
        name = f"FrontDeskCJK{len(pdfmetrics.getRegisteredFontNames())}"
        try:
            font = TTFont(name, str(path), subfontIndex=face)
        except (TTFError, OSError, ValueError, struct.error):
            continue
        if all(ord(ch) in font.face.charToGlyph for ch in SAMPLE):
            pdfmetrics.registerFont(font)
            # One face serves as bold and italic too, so ``<b>`` markup never fails.
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                          boldItalic=name)
            return FontFile(path=path, subfont=face, name=name), ""
    return None, _("不含常用汉字")


def install_hint(platform: str | None = None) -> str:
    platform = platform or sys.platform
    if platform.startswith("win"):
        return _("Windows 通常自带“黑体”（simhei.ttf）和“微软雅黑”（msyh.ttc）：请在“设置 → "
                 "个性化 → 字体”中安装黑体，或在设置中指定一个 TrueType 中文字体文件。")
    if platform == "darwin":
        return _("macOS 通常自带“华文黑体”（STHeiti Medium.ttc）：请在“字体册”中恢复系统字体，"
                 "或在设置中指定一个 TrueType 中文字体文件。")
    return _("请安装“文泉驿微米黑”字体：Debian/Ubuntu 上运行 sudo apt install "
             "fonts-wqy-microhei（Fedora：sudo dnf install wqy-microhei-fonts），然后重新导出。")
