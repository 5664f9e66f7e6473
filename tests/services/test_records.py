"""The versioned-record helpers and field descriptions, on a record that is not a visit: what a
complaint or an inspection gets by using them."""

from __future__ import annotations

from datetime import datetime

import peewee
import pytest

from frontdesk.db.database import database_proxy, write_transaction
from frontdesk.errors import ConflictError, NotFoundError
from frontdesk.services import fields, records
from frontdesk.services.fields import EntityFields, Field


class Ticket(peewee.Model):
    status = peewee.CharField()
    phone = peewee.CharField(default="")
    due_at = peewee.DateTimeField(null=True)
    updated_at = peewee.DateTimeField()
    version = peewee.IntegerField(default=1)

    class Meta:
        database = database_proxy
        table_name = "test_ticket"


TICKET_FIELDS = EntityFields("test_ticket", (
    Field("status", "状态", fields.choice({"open": "处理中", "closed": "已办结"})),
    Field("phone", "电话", fields.phone),
    Field("due_at", "答复期限", is_time=True),
))


@pytest.fixture
def tickets(database):
    database.create_tables([Ticket])
    yield
    database.drop_tables([Ticket])


def _new(**values) -> int:
    with write_transaction():
        return Ticket.insert(updated_at=datetime(2026, 11, 25, 9, 0), **values).execute()


def test_a_save_goes_through_only_at_the_version_it_read(tickets):
    ticket_id = _new(status="open")
    with write_transaction():
        first = records.get_for_update(Ticket, ticket_id, "工单不存在（编号 {id}）。")
        assert records.conditional_update(Ticket, ticket_id, first.version, {"status": "closed"})
    with write_transaction():  # a second station still holding version 1
        assert not records.conditional_update(Ticket, ticket_id, first.version, {"status": "open"})
    saved = Ticket.get_by_id(ticket_id)
    assert (saved.status, saved.version) == ("closed", 2)
    with pytest.raises(NotFoundError, match="编号 999"), write_transaction():
        records.get_for_update(Ticket, 999, "工单不存在（编号 {id}）。")


def test_the_conflict_names_what_the_other_station_changed_phone_masked():
    old = {"status": "open", "phone": "13812345678", "due_at": datetime(2026, 11, 25, 9, 0)}
    new = {"status": "closed", "phone": "13900001111", "due_at": datetime(2026, 11, 25, 9, 30)}
    found = records.changes(TICKET_FIELDS, old, new, day=datetime(2026, 11, 25).date())
    assert [(c.label, c.old, c.new) for c in found] == [
        ("状态", "处理中", "已办结"),
        ("电话", "138****5678", "139****1111"),
        ("答复期限", "09:00", "09:30"),
    ]
    error = records.refusal("工单已被其他工作站修改：{changes}。", "工单已被修改。", found)
    assert isinstance(error, ConflictError) and error.changes == found
    assert "状态 处理中 → 已办结" in error.message and "13812345678" not in error.message
    assert records.refusal("…{changes}", "工单已被修改。", ()).message == "工单已被修改。"
    assert records.changes(TICKET_FIELDS, old, dict(old)) == ()
    assert [c.field for c in records.changes(TICKET_FIELDS, old, dict(old), differs={"phone": True})] == ["phone"]


def test_times_on_other_days_carry_their_date_and_equal_minutes_their_seconds():
    day = datetime(2026, 11, 25).date()
    assert records.times_shown(datetime(2026, 11, 25, 9, 0), datetime(2026, 11, 26, 9, 0), day) == (
        "2026-11-25 09:00", "2026-11-26 09:00")
    assert records.times_shown(datetime(2026, 11, 25, 9, 0, 5), datetime(2026, 11, 25, 9, 0, 40), day) == (
        "09:00:05", "09:00:40")
    assert records.times_shown(None, datetime(2026, 11, 25, 9, 0), day) == ("（空）", "09:00")


def test_the_audit_viewer_and_the_conflicts_read_one_description_per_entity():
    from frontdesk.services import audit_view, visitors

    visit = fields.of("visit")
    assert visit is visitors.VISIT_FIELDS
    assert visit.show("phone", "13812345678") == "138****5678"
    assert visit.show("special_needs", ["elderly", "pregnant"]) == "老年人、孕妇"
    assert visit.show("special_needs", 0) == "无"
    assert audit_view.shown_value("visit", "status", "serving") == "办理中"
    assert fields.of("user").show("active", False) == "停用"
    assert fields.of("settings").show("wait_minutes", 15) == "15 分钟"
    assert fields.of("list_item").label("position") == "位置"
    assert fields.of("no_such_entity").show("x", "值") == "值"
