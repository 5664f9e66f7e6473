"""The audit trail: every change recorded with its values, chained by hashes that show tampering."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from frontdesk.db.database import current_database, write_transaction
from frontdesk.db.models import AuditEntry, AuditHead
from frontdesk.services import audit, clock, health, lists, session, users, visitors
from frontdesk.services.audit import AuditFilter

NOW = datetime(2026, 11, 25, 10, 30, 0)


@pytest.fixture
def frozen(monkeypatch):
    state = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


def register(**kw) -> visitors.VisitRow:
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    return visitors.register(visitors.VisitInput(business_type_id=bt, destination_id=dest, **kw))


def entries_of(visit_id: int) -> list[AuditEntry]:
    return list(AuditEntry.select().where((AuditEntry.entity == "visit") & (AuditEntry.entity_id == visit_id))
                .order_by(AuditEntry.seq))


def test_a_visits_life_is_in_the_trail_with_values_before_and_after(configured, frozen):
    row = register(customer_name="王女士", phone="13812345678")
    visitors.call(row.id, served_by="李娜")
    detail = visitors.get_visit(row.id)
    visitors.update(row.id, visitors.VisitInput(**{**detail.to_input().__dict__, "notes": "要求回电",
                                                   "phone": "13900001111"}), detail)
    visitors.void(row.id, "重复登记")
    create, call, update, void = entries_of(row.id)
    assert [e.action for e in (create, call, update, void)] == ["create", "call", "update", "void"]
    assert {e.username for e in (create, call, update, void)} == {"admin"}
    assert all(e.at == NOW for e in (create, call, update, void))
    created = audit._loads(create.after)
    assert created["customer_name"] == "王女士" and created["phone"] == "138****5678"  # never in full
    assert created["status"] == "waiting" and created["special_needs"] == []
    assert audit._loads(call.before) == {"status": "waiting", "called_at": None, "served_by": ""}
    assert audit._loads(call.after) == {"status": "serving", "called_at": "2026-11-25 10:30:00",
                                        "served_by": "李娜"}
    # Only what changed; the phone masked as the register shows it (the record holds it in full).
    assert audit._loads(update.before) == {"notes": "", "phone": "138****5678"}
    assert audit._loads(update.after) == {"notes": "要求回电", "phone": "139****1111"}
    assert audit._loads(void.after) == {"voided_at": "2026-11-25 10:30:00", "void_reason": "重复登记"}


def test_reading_the_full_phone_is_audited(configured, frozen):
    row = register(phone="13812345678")
    register()  # no phone: nothing to reveal, nothing recorded
    assert visitors.reveal_phone(row.id) == "13812345678"
    [reveal] = [e for e in entries_of(row.id) if e.action == "reveal"]
    assert reveal.username == "admin" and reveal.detail == "电话"


def test_sign_ins_and_failures_are_recorded(configured, make_user):
    make_user(session.FRONT_DESK, "guide")
    users.sign_in("guide", "guide-pass-1")
    with pytest.raises(users.AuthenticationError):
        users.sign_in("guide", "wrong-password")
    with pytest.raises(users.AuthenticationError):
        users.sign_in("nobody", "whatever")
    actions = [(e.action, e.username, e.detail) for e in AuditEntry.select().order_by(AuditEntry.seq)]
    assert ("sign_in", "guide", "") in actions
    assert ("sign_in_failed", "guide", "密码错误（连续第 1 次）") in actions
    assert ("sign_in_failed", users.UNKNOWN_NAME, "用户名不存在") in actions
    assert not any("wrong-password" in (e.detail + e.before + e.after) for e in AuditEntry.select())


def test_the_chain_links_every_entry_to_the_one_before(configured):
    for n in range(5):
        register(customer_name=f"客户{n}")
    rows = list(AuditEntry.select().order_by(AuditEntry.seq))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == "0" * 64
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    head = AuditHead.get_by_id(1)
    assert (head.seq, head.hash) == (rows[-1].seq, rows[-1].hash)
    report = audit.verify()
    assert report.ok and report.entries == len(rows) and report.head_hash == rows[-1].hash


@pytest.mark.parametrize(
    ("tamper", "broken_at", "words"),
    [
        ("UPDATE audit_entry SET detail = '改过' WHERE seq = 3", 3, "在第 3 条处断开：这条记录的内容与它的哈希不符"),
        ("UPDATE audit_entry SET after = replace(after, '客户0', '客户X') WHERE seq = 4", 4,
         "在第 4 条处断开：这条记录的内容与它的哈希不符"),
        ("UPDATE audit_entry SET username = 'someone' WHERE seq = 2", 2, "在第 2 条处断开"),
        ("DELETE FROM audit_entry WHERE seq = 3", 4, "在第 4 条处断开：缺少第 3 条"),
        ("DELETE FROM audit_entry WHERE seq >= 6", 6, "在第 6 条处断开：最后 2 条记录不见了"),
        ("UPDATE audit_head SET hash = 'x' WHERE id = 1", 8, "链头（第 7 条）与最后一条记录（第 7 条）不符"),
    ],
    ids=["detail", "values", "user", "deleted", "tail-cut", "head"],
)
def test_tampering_is_found_and_named(configured, tamper, broken_at, words):
    for n in range(4):
        register(customer_name=f"客户{n}")
    assert AuditEntry.select().count() == 7  # settings, first admin, sign-in, four visits
    current_database().execute_sql(tamper)
    report = audit.verify()
    assert not report.ok and report.broken_at == broken_at, report.problem
    assert words in report.problem


def test_an_entry_rewritten_with_a_fresh_hash_still_breaks_the_next_link(configured):
    for n in range(3):
        register(customer_name=f"客户{n}")
    e = AuditEntry.get(AuditEntry.seq == 3)
    forged = audit.entry_hash(e.seq, e.at, e.user_id, e.username, e.station, e.action, e.entity,
                              e.entity_id, e.before, '{"customer_name":"伪造"}', e.detail, e.prev_hash)
    AuditEntry.update(after='{"customer_name":"伪造"}', hash=forged).where(AuditEntry.seq == 3).execute()
    report = audit.verify()
    assert report.broken_at == 4 and "接不上" in report.problem


def test_frontdesk_check_verifies_the_chain(configured, db_location):
    register()
    report = health.check_database(db_location)
    assert report.ok and "审计链完整" in report.ok_line()
    current_database().execute_sql("UPDATE audit_entry SET detail = 'x' WHERE seq = 2")
    report = health.check_database(db_location)
    assert not report.ok
    assert any("审计链在第 2 条处断开" in p for p in report.problems)


def test_a_change_and_its_entry_are_committed_together(configured):
    row = register(customer_name="原名")
    before = AuditEntry.select().count()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), write_transaction():
        visitors.Visit.update(customer_name="改名").where(visitors.Visit.id == row.id).execute()
        audit.record("update", entity="visit", entity_id=row.id, after={"customer_name": "改名"})
        raise Boom
    assert AuditEntry.select().count() == before
    assert visitors.get_visit(row.id).row.customer_name == "原名"
    assert audit.verify().ok


def test_recording_outside_a_transaction_is_a_bug(configured):
    with pytest.raises(RuntimeError):
        audit.record("update")


def test_stations_appending_at_once_keep_one_unbroken_chain(configured, db_location):
    """Threads have their own connections, as separate stations do."""
    admin = session.current()
    errors: list[BaseException] = []

    def station(n: int) -> None:
        try:
            for k in range(15):
                register(customer_name=f"站{n}-{k}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            current_database().close()

    threads = [threading.Thread(target=station, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert session.current() == admin
    report = audit.verify()
    assert report.ok, report.problem
    creates = AuditEntry.select().where(AuditEntry.action == "create").count()
    assert creates == 60


def test_the_viewer_queries_filter_and_page(configured, frozen, make_user):
    rows = [register(customer_name=f"客户{n}") for n in range(3)]
    frozen["now"] = NOW + timedelta(days=2)
    visitors.void(rows[0].id, "登记错误")
    everything = audit.entries(AuditFilter())
    assert [e.seq for e in everything] == sorted((e.seq for e in everything), reverse=True)
    assert audit.count(AuditFilter(action="void")) == 1
    assert [e.entity_id for e in audit.entries(AuditFilter(entity="visit", action="create"))] == [
        r.id for r in reversed(rows)]
    assert audit.count(AuditFilter(date_from=(NOW + timedelta(days=1)).date(),
                                   date_to=(NOW + timedelta(days=3)).date())) == 1
    assert audit.count(AuditFilter(date_to=NOW.date(), entity="visit")) == 3
    assert [e.action for e in audit.history("visit", rows[0].id)] == ["create", "void"]
    page = audit.entries(AuditFilter(), offset=1, limit=2)
    assert [e.seq for e in page] == [e.seq for e in everything[1:3]]
    assert "admin" in audit.usernames()
    # The first settings were made before any user existed: by the program itself.
    assert audit.count(AuditFilter(username="system")) == 1
    assert audit.count(AuditFilter(username="admin")) == audit.count(AuditFilter()) - 1


def test_only_the_duty_manager_and_the_administrator_read_the_trail(configured, sign_in_as):
    from frontdesk.errors import PermissionDeniedError

    sign_in_as(session.DUTY_MANAGER, "manager")
    assert audit.count(AuditFilter()) > 0
    sign_in_as(session.FRONT_DESK, "guide")
    with pytest.raises(PermissionDeniedError, match="查看审计日志"):
        audit.entries(AuditFilter())
    with pytest.raises(PermissionDeniedError):
        audit.history("visit", 1)
