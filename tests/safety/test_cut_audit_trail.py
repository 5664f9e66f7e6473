"""A cut, wiped or padded audit trail does not pass ``frontdesk check``.

Found on the old code: deleting the newest entries (or all of them) and setting the head row to
match what was left gave "审计链完整"; an entry numbered 0 or less was never looked at; on
PostgreSQL a change of an entry's time below one second went unnoticed. Each case is made by
hand in the database, as someone with the file (or the server's SQL prompt) would, and judged
by the real command line.
"""

from __future__ import annotations

import pytest

from frontdesk import cli
from frontdesk.db.database import close_database, current_database, database_proxy, open_database
from frontdesk.services import lists, session, users, visitors
from frontdesk.services.audit import GENESIS_HASH
from frontdesk.services.visitors import VisitInput
from tests.conftest import ADMIN_PASSWORD


@pytest.fixture
def hall(db_location):
    """A database with users, visits and their trail; closed again, as ``check`` finds it."""
    from frontdesk.services import settings

    open_database(db_location)
    settings.first_run("测试支行营业厅", "bank")
    users.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
    users.add_user("lijing", "李静", session.FRONT_DESK, "guide-pass-1")
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    for name in ("王先生", "李女士", "赵大爷"):
        visitors.register(VisitInput(business_type_id=bt, destination_id=dest, customer_name=name))
    session.set_current(None)
    close_database()
    database_proxy.initialize(None)
    return db_location


def tamper(location: str, *statements: str) -> None:
    open_database(location, migrate=False)
    try:
        db = current_database()
        with db.atomic():
            for sql in statements:
                db.execute_sql(sql)
    finally:
        close_database()
        database_proxy.initialize(None)


def check(location: str, capsys) -> tuple[int, str]:
    code = cli.main(["--db", location, "check"])
    out = capsys.readouterr()
    return code, out.out + out.err


def head_matching_the_rest(last_seq_sql: str) -> str:
    return ("UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_entry), "
            f"hash = (SELECT hash FROM audit_entry WHERE seq = ({last_seq_sql})) WHERE id = 1")


def test_an_untouched_trail_passes(hall, capsys):
    code, text = check(hall, capsys)
    assert code == 0 and "审计链完整" in text


def test_the_newest_entries_cut_with_the_head_rewritten_is_flagged(hall, capsys):
    # The visits' entries are the newest: cut them and make the head match what is left.
    tamper(hall,
           "DELETE FROM audit_entry WHERE entity = 'visit'",
           head_matching_the_rest("SELECT max(seq) FROM audit_entry"))
    code, text = check(hall, capsys)
    assert code == 1 and "3 条来访记录，审计链中却没有任何登记记录" in text


def test_a_wiped_trail_is_flagged(hall, capsys):
    # Every entry gone, the head back to what an empty chain has.
    tamper(hall, "DELETE FROM audit_entry",
           f"UPDATE audit_head SET seq = 0, hash = '{GENESIS_HASH}' WHERE id = 1")
    code, text = check(hall, capsys)
    assert code == 1
    assert "缺少 2 个用户的建立记录" in text and "admin" in text and "lijing" in text


def test_an_entry_numbered_zero_is_flagged(hall, capsys):
    tamper(hall, "INSERT INTO audit_entry (seq, at, user_id, username, station, action, entity, "
                 "entity_id, before, after, detail, prev_hash, hash) SELECT 0, at, user_id, "
                 "username, station, action, entity, entity_id, before, after, '补写的记录', "
                 "prev_hash, hash FROM audit_entry WHERE seq = 1")
    code, text = check(hall, capsys)
    assert code == 1 and "编号无效" in text


def test_a_time_changed_below_one_second_is_flagged(hall, capsys):
    if not hall.startswith("postgresql"):
        # SQLite stores the text as written; a fraction added there changes the text hashed.
        tamper(hall, "UPDATE audit_entry SET at = at || '.4' WHERE seq = 2")
    else:
        tamper(hall, "UPDATE audit_entry SET at = at + interval '400 milliseconds' WHERE seq = 2")
    code, text = check(hall, capsys)
    assert code == 1 and "第 2 条" in text and "哈希不符" in text
