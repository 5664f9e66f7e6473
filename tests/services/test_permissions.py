"""Who may do what: enforced in the services, whatever the window shows or hides."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from frontdesk.db.models import AuditEntry, User, Visit
from frontdesk.errors import NotSignedInError, PermissionDeniedError
from frontdesk.services import clock, lists, session, settings, users, visitors
from frontdesk.services.presets import BUSINESS_TYPE
from frontdesk.services.visitors import VisitInput, VisitQuery

NOW = datetime(2026, 11, 25, 10, 30, 0)


@pytest.fixture
def frozen(monkeypatch):
    state = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


def visit_input(**kw) -> VisitInput:
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    return VisitInput(business_type_id=bt, destination_id=dest, **kw)


def test_nobody_signed_in_reads_or_writes_nothing(configured):
    row = visitors.register(visit_input())
    session.set_current(None)
    today = clock.today()
    for call in (
        lambda: visitors.register(visit_input()),
        lambda: visitors.get_visit(row.id),
        lambda: visitors.waiting_now(),
        lambda: visitors.count_visits(VisitQuery(today, today)),
        lambda: visitors.call(row.id),
        lambda: visitors.void(row.id, "重复登记"),
        lambda: settings.save(settings.load()),
        lambda: lists.add_entry(BUSINESS_TYPE, "新业务"),
    ):
        with pytest.raises(NotSignedInError):
            call()


def test_the_front_desk_registers_serves_and_edits_its_own_records_of_today(configured, frozen, sign_in_as):
    guide = sign_in_as(session.FRONT_DESK, "guide", "王芳")
    row = visitors.register(visit_input(customer_name="李先生"))
    assert row.created_by_id == guide.user_id
    detail = visitors.get_visit(row.id)
    assert detail.registered_by == "王芳"
    assert visitors.may_edit(detail.row)
    saved = visitors.update(row.id, replace(detail.to_input(), notes="带了孩子"), detail)
    assert saved.notes == "带了孩子"
    called = visitors.call(row.id, served_by="赵磊")
    assert visitors.finish(called.id).status == visitors.FINISHED
    other = visitors.register(visit_input())
    assert visitors.mark_left(other.id).status == visitors.LEFT


def test_the_front_desk_cannot_edit_others_or_older_records(configured, frozen, make_user, sign_in_as):
    admins = visitors.register(visit_input(customer_name="经理登记的"))
    guide = sign_in_as(session.FRONT_DESK, "guide")
    mine = visitors.register(visit_input(customer_name="我登记的"))
    theirs = visitors.get_visit(admins.id)
    assert not visitors.may_edit(theirs.row)
    with pytest.raises(PermissionDeniedError, match="只能修改自己今天登记的"):
        visitors.update(admins.id, replace(theirs.to_input(), notes="x"), theirs)
    detail = visitors.get_visit(mine.id)
    # Tomorrow, yesterday's own record is no longer the front desk's to edit.
    frozen["now"] = NOW + timedelta(days=1)
    assert not visitors.may_edit(detail.row, guide)
    with pytest.raises(PermissionDeniedError):
        visitors.update(mine.id, replace(detail.to_input(), notes="x"), detail)
    assert visitors.get_visit(mine.id).row.notes == ""


def test_the_front_desk_neither_voids_nor_reveals_nor_administers(configured, frozen, sign_in_as):
    guide = sign_in_as(session.FRONT_DESK, "guide")
    row = visitors.register(visit_input(phone="13812345678"))
    with pytest.raises(PermissionDeniedError, match="作废来访记录.*值班经理、管理员"):
        visitors.void(row.id, "重复登记")
    with pytest.raises(PermissionDeniedError, match="查看完整的电话号码"):
        visitors.reveal_phone(row.id)
    with pytest.raises(PermissionDeniedError, match="修改网点设置"):
        settings.save(replace(settings.load(), branch_name="改名"))
    with pytest.raises(PermissionDeniedError):
        lists.add_entry(BUSINESS_TYPE, "新业务")
    with pytest.raises(PermissionDeniedError, match="管理用户"):
        users.add_user("someone", "", session.FRONT_DESK, "password-1")
    with pytest.raises(PermissionDeniedError):
        users.list_users()
    assert visitors.get_visit(row.id).row.status == visitors.WAITING
    assert settings.load().branch_name == "测试支行营业厅"
    assert session.current() == guide


def test_the_duty_manager_edits_voids_and_reveals_but_does_not_administer(configured, frozen, sign_in_as):
    admins = visitors.register(visit_input(phone="13812345678"))
    sign_in_as(session.DUTY_MANAGER, "manager")
    detail = visitors.get_visit(admins.id)
    assert visitors.may_edit(detail.row)
    visitors.update(admins.id, replace(detail.to_input(), notes="经理补充"), detail)
    assert visitors.reveal_phone(admins.id) == "13812345678"
    assert visitors.void(admins.id, "客户重复取号").status == visitors.VOIDED
    with pytest.raises(PermissionDeniedError):
        settings.save(settings.load())
    with pytest.raises(PermissionDeniedError):
        users.add_user("someone", "", session.FRONT_DESK, "password-1")


def test_a_role_taken_away_on_another_station_counts_at_the_next_save(configured, frozen, make_user):
    manager = make_user(session.DUTY_MANAGER, "manager")
    users.sign_in("manager", "manager-pass-1")
    row = visitors.register(visit_input())
    # The administrator, elsewhere, makes the manager a front-desk user.
    User.update(role=session.FRONT_DESK).where(User.id == manager.user_id).execute()
    with pytest.raises(PermissionDeniedError):
        visitors.void(row.id, "重复登记")
    assert session.current().role == session.FRONT_DESK


def test_a_user_deactivated_elsewhere_is_signed_out_at_the_next_save(configured, frozen, make_user):
    guide = make_user(session.FRONT_DESK, "guide")
    users.sign_in("guide", "guide-pass-1")
    heard = []

    def listener() -> None:
        heard.append(True)

    session.add_signed_out_listener(listener)
    try:
        User.update(active=False).where(User.id == guide.user_id).execute()
        with pytest.raises(NotSignedInError, match="停用"):
            visitors.register(visit_input())
    finally:
        session.remove_signed_out_listener(listener)
    assert session.current() is None and heard == [True]


def test_every_refusal_writes_nothing(configured, frozen, sign_in_as):
    row = visitors.register(visit_input())
    before = AuditEntry.select().count()
    sign_in_as(session.FRONT_DESK, "guide")
    after_sign_in = AuditEntry.select().count()
    assert after_sign_in == before + 2  # the user's creation and their sign-in
    with pytest.raises(PermissionDeniedError):
        visitors.void(row.id, "重复登记")
    with pytest.raises(PermissionDeniedError):
        visitors.reveal_phone(row.id)
    assert AuditEntry.select().count() == after_sign_in


def test_the_command_line_acts_with_every_right_under_its_own_name(configured, as_command_line):
    row = visitors.register(visit_input())
    visitors.void(row.id, "命令行作废")
    last = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    assert last.username.startswith("cli:") and last.user_id is None and last.action == "void"


def test_own_records_of_today_means_registered_today_not_arrived_today(configured, frozen, sign_in_as):
    """A guide who typed a wrong arrival date (another day) corrects it: the record was registered
    today. A record registered yesterday stays the duty manager's, even if it says it arrived today."""
    guide = sign_in_as(session.FRONT_DESK, "guide")
    wrong_day = NOW.replace(year=NOW.year - 1, month=2, day=1, hour=13, minute=8)
    mine = visitors.register(visit_input(arrived_at=wrong_day))
    detail = visitors.get_visit(mine.id)
    assert detail.row.arrived_at.date() != NOW.date() and detail.created_at.date() == NOW.date()
    assert visitors.may_edit(detail.row, guide)
    fixed = visitors.update(mine.id, replace(detail.to_input(), arrived_at=NOW - timedelta(minutes=3)), detail)
    assert fixed.arrived_at == NOW - timedelta(minutes=3)

    frozen["now"] = NOW - timedelta(days=1)
    yesterdays = visitors.register(visit_input(customer_name="昨天登记的"))
    frozen["now"] = NOW
    # Its arrival says today (a duty manager moved it, say): still not the guide's to edit.
    Visit.update(arrived_at=NOW - timedelta(minutes=5)).where(Visit.id == yesterdays.id).execute()
    old = visitors.get_visit(yesterdays.id)
    assert old.row.arrived_at.date() == NOW.date()
    assert not visitors.may_edit(old.row, guide)
    with pytest.raises(PermissionDeniedError, match="只能修改自己今天登记的"):
        visitors.update(yesterdays.id, replace(old.to_input(), notes="x"), old)
    assert visitors.get_visit(yesterdays.id).row.notes == ""
