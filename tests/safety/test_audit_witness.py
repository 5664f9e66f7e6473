"""The audit trail's witness outside the database: a cut trail whose head was rewritten to match.

Found on the old code: deleting the newest entries and setting the head record to match what
was left passed ``frontdesk check``. The chain's own hashes cannot see it; the head noted by this
computer after every commit (outside the database file) can. A restore and a deliberately
replaced database are not flagged (``check --trust``).
"""

from __future__ import annotations

import json

import pytest

from frontdesk import cli
from frontdesk.db.database import close_database, current_database, database_proxy, open_database
from frontdesk.services import lists, session, settings, users, visitors, witness
from frontdesk.services.visitors import VisitInput
from tests.conftest import ADMIN_PASSWORD


def _open_configured(location: str, branch: str = "测试支行营业厅") -> None:
    open_database(location)
    settings.first_run(branch, "bank")
    users.create_first_admin("admin", "管理员", ADMIN_PASSWORD)


def _register(name: str) -> None:
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    visitors.register(VisitInput(business_type_id=bt, destination_id=dest, customer_name=name))


def _close() -> None:
    session.set_current(None)
    close_database()
    database_proxy.initialize(None)


def check(location: str, capsys, *extra: str) -> tuple[int, str]:
    code = cli.main(["--db", location, "check", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def hall(db_location):
    _open_configured(db_location)
    for name in ("王先生", "李女士", "赵大爷"):
        _register(name)
    _close()
    return db_location


def test_every_commit_notes_the_head_outside_the_database(hall):
    data = json.loads(witness.witness_path().read_text(encoding="utf-8"))
    [(key, seen)] = data.items()
    open_database(hall)
    try:
        head = current_database().execute_sql("SELECT seq, hash FROM audit_head").fetchone()
    finally:
        _close()
    assert (seen["seq"], seen["hash"]) == (head[0], head[1]) and len(seen["first"]) == 64


def test_the_newest_entries_cut_with_the_head_rewritten_are_flagged(hall, capsys):
    open_database(hall, migrate=False)
    try:
        db = current_database()
        with db.atomic():
            # Only the last visit's entry: the others keep the trail looking lived-in.
            db.execute_sql("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)")
            db.execute_sql("UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_entry), hash = "
                           "(SELECT hash FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry))")
    finally:
        _close()
    code, text = check(hall, capsys)
    assert code == 1 and "审计链比本机上次所见的短" in text


def test_a_database_replaced_on_purpose_is_trusted_with_check_trust(hall, db_location, capsys):
    from tests.conftest import reset_postgres

    if db_location.startswith("postgresql"):
        reset_postgres(db_location)
    else:
        import os

        os.remove(db_location)
    _open_configured(db_location, "新开的营业厅")
    _close()
    code, text = check(db_location, capsys)
    assert code == 1 and "不是同一条" in text and "--trust" in text
    code, text = check(db_location, capsys, "--trust")
    assert code == 0 and "审计链完整" in text
    assert check(db_location, capsys)[0] == 0


def test_a_write_after_the_cut_does_not_make_the_cut_trail_look_whole(hall, capsys):
    open_database(hall, migrate=False)
    try:
        db = current_database()
        with db.atomic():
            db.execute_sql("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)")
            db.execute_sql("UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_entry), hash = "
                           "(SELECT hash FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry))")
    finally:
        _close()
    open_database(hall)
    users.sign_in("admin", ADMIN_PASSWORD)  # the program goes on writing to the cut trail
    _register("之后")
    _close()
    code, text = check(hall, capsys)
    assert code == 1 and "本机上次所见" in text
