"""Finding a Chinese font reportlab can embed, and saying what to install when there is none."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from frontdesk.errors import FontMissingError
from frontdesk.reports import fonts
from tests.reports.conftest import NOTO_CJK, WQY

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def needs(*paths: Path) -> None:
    for path in paths:
        if not path.exists():
            pytest.skip(f"{path} is not installed")


def test_truetype_outlines_are_told_from_cff_ones() -> None:
    needs(WQY, NOTO_CJK)
    assert fonts.truetype_faces(WQY)[:1] == [0]
    assert fonts.truetype_faces(NOTO_CJK) == []  # CFF outlines: reportlab cannot embed them


def test_a_file_that_is_no_font_has_no_faces(tmp_path: Path) -> None:
    junk = tmp_path / "simhei.ttf"
    junk.write_bytes(b"ttcf\x00\x01\x00\x00\x00\x00\x00\x05" + b"\x00" * 8)
    assert fonts.truetype_faces(junk) == []
    assert fonts.truetype_faces(tmp_path / "missing.ttf") == []


def test_cff_fonts_and_fonts_without_chinese_are_skipped(monkeypatch, fresh_font_cache) -> None:
    needs(WQY, NOTO_CJK, DEJAVU)
    monkeypatch.setattr(fonts, "system_font_candidates",
                        lambda platform=None: iter([NOTO_CJK, DEJAVU, Path("/nope.ttf"), WQY]))
    found = fonts.cjk_font()
    assert found.path == WQY and found.subfont == 0


def test_none_usable_raises_a_user_error_naming_the_package(monkeypatch,
                                                            fresh_font_cache) -> None:
    needs(NOTO_CJK, DEJAVU)
    monkeypatch.setattr(fonts, "system_font_candidates",
                        lambda platform=None: iter([NOTO_CJK, DEJAVU]))
    monkeypatch.setattr(fonts.sys, "platform", "linux")
    with pytest.raises(FontMissingError, match="sudo apt install fonts-wqy-microhei"):
        fonts.cjk_font()


def test_a_bad_font_in_the_settings_is_named(fresh_font_cache) -> None:
    needs(NOTO_CJK)
    with pytest.raises(FontMissingError, match="不是 TrueType 轮廓字体") as caught:
        fonts.cjk_font(NOTO_CJK)
    assert str(NOTO_CJK) in caught.value.message
    with pytest.raises(FontMissingError, match="文件不存在"):
        fonts.cjk_font("/no/such/simhei.ttf")


def test_the_font_is_registered_once_per_process(fresh_font_cache) -> None:
    needs(WQY)
    assert fonts.cjk_font(WQY) is fonts.cjk_font(str(WQY))


def test_windows_and_macos_look_in_their_font_folders(monkeypatch) -> None:
    monkeypatch.setenv("WINDIR", r"D:\Windows")
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    windows = [str(p).replace("\\", "/") for p in fonts.system_font_candidates("win32")]
    assert windows[0] == "D:/Windows/Fonts/simhei.ttf"
    assert "D:/Windows/Fonts/msyh.ttc" in windows
    mac = [str(p) for p in itertools.islice(fonts.system_font_candidates("darwin"), 2)]
    assert mac[0] == "/System/Library/Fonts/STHeiti Medium.ttc"


@pytest.mark.parametrize(("platform", "named"), [("win32", "simhei.ttf"),
                                                 ("darwin", "STHeiti"),
                                                 ("linux", "fonts-wqy-microhei")])
def test_the_hint_fits_the_system(platform: str, named: str) -> None:
    assert named in fonts.install_hint(platform)
