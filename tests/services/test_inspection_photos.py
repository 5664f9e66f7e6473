"""Photos of check items: PNG/JPEG only, size-limited, one per answer, required on failure where the item asks."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import datetime

import pytest

from frontdesk.errors import PermissionDeniedError, ValidationError
from frontdesk.services import audit, clock, session
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import FAIL, PASS

MORNING = datetime(2026, 11, 18, 8, 40)


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG file (red pixels), made by hand: no Qt in the service tests."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def run(configured):
    """An open run of a two-item template whose first item asks for a photo when it fails."""
    with clock.pinned(MORNING):
        closing = next(t for t in ins.templates() if t.key == "closing")
        items = (ins.ItemSpec("自助终端运行正常", photo_on_fail=True), ins.ItemSpec("地面清洁"))
        template = ins.revise_template(closing.id, ins.TemplateInput("闭厅检查", items))
        assert [i.photo_on_fail for i in template.items] == [True, False]
        yield ins.start_run(template.id)


def test_a_failure_that_asks_for_a_photo_cannot_be_finished_without_one(run):
    with clock.pinned(MORNING):
        first, second = run.template.items
        ins.answer(run.row.id, first.id, FAIL, "黑屏")
        detail = ins.answer(run.row.id, second.id, PASS)
        assert [i.id for i, _ in detail.missing_photos()] == [first.id]
        with pytest.raises(ValidationError) as refused:
            ins.finish_run(run.row.id, detail.row)
        assert refused.value.fields == {"photo": "“自助终端运行正常”不合格，须附照片后才能完成检查。"}

        picture = png()
        detail = ins.attach_photo(run.row.id, first.id, picture)
        assert detail.has_photo(first.id) and not detail.missing_photos()
        assert ins.photo(run.row.id, first.id) == ins.Photo("image/png", picture)
        assert ins.photo(run.row.id, second.id) is None
        finished = ins.finish_run(run.row.id, detail.row)
    assert finished.row.status == ins.FINISHED
    assert [e.action for e in audit.history("inspection_run", run.row.id)][-2:] == ["photo", "finish"]


def test_a_passed_item_needs_no_photo_and_a_photo_can_be_replaced(run):
    with clock.pinned(MORNING):
        first, second = run.template.items
        ins.answer(run.row.id, first.id, PASS)
        detail = ins.answer(run.row.id, second.id, PASS)
        ins.attach_photo(run.row.id, second.id, png(1, 1))
        jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
        detail = ins.attach_photo(run.row.id, second.id, jpeg)
        assert ins.photo(run.row.id, second.id) == ins.Photo("image/jpeg", jpeg)
        assert ins.finish_run(run.row.id, detail.row).row.status == ins.FINISHED


def test_bad_photos_are_refused_with_a_clear_message(run, tmp_path, monkeypatch):
    with clock.pinned(MORNING):
        first = run.template.items[0]
        with pytest.raises(ValidationError, match="请先选择这一项的结果"):
            ins.attach_photo(run.row.id, first.id, png())
        ins.answer(run.row.id, first.id, FAIL, "黑屏")
        with pytest.raises(ValidationError, match="PNG 或 JPEG"):
            ins.attach_photo(run.row.id, first.id, b"GIF89a....")
    text = tmp_path / "note.png"
    text.write_text("not a picture")
    with pytest.raises(ValidationError, match="PNG 或 JPEG") as refused:
        ins.read_photo_file(str(text))
    assert set(refused.value.fields) == {"photo"}
    with pytest.raises(ValidationError, match="无法读取"):
        ins.read_photo_file(str(tmp_path / "gone.png"))
    big = tmp_path / "big.png"
    big.write_bytes(png() + b"\x00" * ins.MAX_PHOTO_BYTES)
    with pytest.raises(ValidationError, match=r"照片太大（4\.0 MB），最大 4 MB"):
        ins.read_photo_file(str(big))
    good = tmp_path / "good.png"
    good.write_bytes(png())
    assert ins.read_photo_file(str(good)) == png()


def test_the_front_desk_does_not_attach_photos_and_a_finished_run_takes_none(run, sign_in_as):
    with clock.pinned(MORNING):
        first, second = run.template.items
        ins.answer(run.row.id, first.id, PASS)
        detail = ins.answer(run.row.id, second.id, PASS)
        ins.finish_run(run.row.id, detail.row)
        sign_in_as(session.FRONT_DESK, "guide1")
        with pytest.raises(PermissionDeniedError):
            ins.attach_photo(run.row.id, first.id, png())
        sign_in_as(session.DUTY_MANAGER, "manager1")
        with pytest.raises(Exception, match="已完成"):
            ins.attach_photo(run.row.id, first.id, png())


def test_a_template_revision_keeps_the_photo_flag(run):
    with clock.pinned(MORNING):
        spec = run.template.items[0].spec()
        assert spec.photo_on_fail
        revised = ins.revise_template(run.template.id, replace(run.template.to_input(), name="闭厅检查二"))
    assert [i.photo_on_fail for i in revised.items] == [True, False]
