"""The database file deleted, moved or replaced while FrontDesk runs: no save goes astray.

Found on the old code: after the file was moved away, saves went on "successfully" into the
unlinked file and were lost; and the next start, finding no database but its log, made a new
database and threw the old log away. Now every write first checks that the file is still the one
opened (device and inode), and a log without its database is left alone with a clear message.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from frontdesk.db.database import close_database, database_proxy, open_database
from frontdesk.errors import DatabaseMovedError
from frontdesk.services import lists, settings, users, visitors
from frontdesk.services.visitors import VisitInput
from tests.conftest import ADMIN_PASSWORD


def _visit(name: str) -> int:
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    return visitors.register(VisitInput(business_type_id=bt, destination_id=dest, customer_name=name)).id


@pytest.fixture
def opened(tmp_path):
    path = tmp_path / "frontdesk.sqlite"
    open_database(path)
    settings.first_run("测试支行营业厅", "bank")
    users.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
    yield path
    close_database()
    database_proxy.initialize(None)


@pytest.mark.parametrize("how", ["moved", "deleted", "replaced"])
def test_a_save_after_the_file_went_away_is_refused_and_says_why(opened, tmp_path, how):
    _visit("之前")
    elsewhere = tmp_path / "别处.sqlite"
    if how == "moved":
        os.rename(opened, elsewhere)
    elif how == "deleted":
        os.unlink(opened)
    else:
        os.rename(opened, elsewhere)
        opened.write_bytes(elsewhere.read_bytes())  # a copy put in its place: another file
    with pytest.raises(DatabaseMovedError, match="被移走、删除或替换") as caught:
        _visit("之后")
    assert str(opened) in caught.value.message


def test_a_log_without_its_database_is_left_alone(tmp_path):
    path = tmp_path / "frontdesk.sqlite"
    wal = tmp_path / "frontdesk.sqlite-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(range(256)) * 40)  # what a WAL left by a crash holds
    before = hashlib.sha256(wal.read_bytes()).hexdigest()
    with pytest.raises(DatabaseMovedError, match="日志文件 frontdesk.sqlite-wal"):
        open_database(path)
    assert not path.exists()
    assert hashlib.sha256(wal.read_bytes()).hexdigest() == before
