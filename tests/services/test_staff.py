"""The staff roster and the duty list, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from frontdesk.errors import ConflictError, PermissionDeniedError, ValidationError
from frontdesk.services import audit, session, staff
from frontdesk.services.staff import StaffInput

DAY = date(2026, 11, 18)


def person(name: str, no: str, position: str = "teller", **kw) -> StaffInput:
    return StaffInput(name=name, staff_no=no, position=position, **kw)


def test_add_and_read_back_the_roster_in_staff_number_order(configured):
    b = staff.add_staff(person("李娜", "A002", counter="2号窗口"))
    a = staff.add_staff(person(" 王芳 ", "A001", "guide"))
    assert a.name == "王芳" and a.position_label == "引导员"
    assert [s.staff_no for s in staff.roster()] == ["A001", "A002"]
    assert staff.get_staff(b.id).counter == "2号窗口"
    entries = audit.history("staff", b.id)
    assert [e.action for e in entries] == ["create"]


def test_bad_input_is_refused_at_its_field(configured):
    staff.add_staff(person("王芳", "A001"))
    with pytest.raises(ValidationError) as caught:
        staff.add_staff(StaffInput(name="", staff_no="A001", position="pilot"))
    assert set(caught.value.fields) == {"name", "staff_no", "position"}
    assert "已被他人使用" in caught.value.fields["staff_no"]


def test_a_user_account_is_linked_to_one_person_only(configured, make_user):
    guide = make_user(session.FRONT_DESK, "wangfang", "王芳")
    row = staff.add_staff(person("王芳", "A001", "guide", user_id=guide.user_id))
    assert row.user_id == guide.user_id and row.user_name == "王芳"
    with pytest.raises(ValidationError) as caught:
        staff.add_staff(person("王芳二", "A002", user_id=guide.user_id))
    assert "user_id" in caught.value.fields


def test_an_edit_on_a_stale_copy_names_what_the_other_station_changed(configured):
    row = staff.add_staff(person("李娜", "A002"))
    staff.update_staff(row.id, person("李娜", "A002", counter="3号窗口"), row)
    with pytest.raises(ConflictError) as caught:
        staff.update_staff(row.id, person("李娜娜", "A002"), row)
    assert "窗口/台席" in str(caught.value) and "3号窗口" in str(caught.value)
    assert staff.get_staff(row.id).name == "李娜"


def test_deactivated_people_leave_the_roster_but_keep_their_row(configured):
    row = staff.add_staff(person("李娜", "A002"))
    staff.update_staff(row.id, person("李娜", "A002", active=False), row)
    assert staff.roster() == []
    assert [s.id for s in staff.roster(include_inactive=True)] == [row.id]


def test_without_a_ticked_list_everyone_active_is_on_duty(configured):
    ids = [staff.add_staff(person(f"员工{i}", f"A{i:03d}")).id for i in range(4)]
    last = staff.get_staff(ids[3])
    staff.update_staff(last.id, person(last.name, last.staff_no, active=False), last)
    duty = staff.duty_list(DAY)
    assert not duty.ticked and list(duty.ids) == ids[:3]


def test_a_ticked_duty_list_is_that_day_only_and_can_be_cleared(configured):
    ids = [staff.add_staff(person(f"员工{i}", f"A{i:03d}")).id for i in range(5)]
    duty = staff.set_duty(DAY, [ids[4], ids[1]])
    assert duty.ticked and list(duty.ids) == [ids[1], ids[4]]
    assert list(staff.duty_list(DAY + timedelta(days=1)).ids) == ids
    assert not staff.set_duty(DAY, []).ticked
    assert list(staff.duty_list(DAY).ids) == ids


def test_inactive_people_cannot_be_put_on_duty(configured):
    row = staff.add_staff(person("李娜", "A002"))
    staff.update_staff(row.id, person("李娜", "A002", active=False), row)
    with pytest.raises(ValidationError, match="李娜"):
        staff.set_duty(DAY, [row.id])


def test_the_front_desk_reads_the_roster_but_does_not_maintain_it(configured, sign_in_as):
    staff.add_staff(person("李娜", "A002"))
    sign_in_as(session.FRONT_DESK, "guide1")
    assert len(staff.roster()) == 1
    with pytest.raises(PermissionDeniedError):
        staff.add_staff(person("王芳", "A001"))
    with pytest.raises(PermissionDeniedError):
        staff.set_duty(DAY, [])


def test_the_duty_manager_maintains_it(configured, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    row = staff.add_staff(person("王芳", "A001"))
    assert staff.set_duty(DAY, [row.id]).ids == (row.id,)
