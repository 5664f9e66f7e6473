"""The equipment fault log: reporting, follow-up, the open list, roles, audit and the figures."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdesk.errors import ConflictError, PermissionDeniedError, ValidationError
from frontdesk.services import audit, clock, faults, lists, session
from frontdesk.services import inspections as ins
from frontdesk.services.faults import FaultFollowUp, FaultQuery

MORNING = datetime(2026, 11, 18, 8, 40)


@pytest.fixture
def morning(configured):
    with clock.pinned(MORNING):
        yield MORNING


def device(label: str) -> int:
    return next(d.id for d in faults.devices() if d.label == label)


def follow(row: faults.FaultRow, **changes) -> FaultFollowUp:
    values = {"description": row.description, "sign_posted": row.sign_posted_at is not None,
              "repairer_contacted": row.repairer_contacted_at is not None, "repairer_note": row.repairer_note,
              "fixed": row.fixed_at is not None, "fixed_note": row.fixed_note}
    return FaultFollowUp(**{**values, **changes})


def test_the_preset_gives_the_hall_its_devices(morning):
    labels = [d.label for d in faults.devices()]
    assert labels[:6] == ["叫号机", "大厅电视", "自助终端", "POS机", "饮水机", "填单台"]
    assert [e.label for e in lists.entries("device")] == labels


def test_a_fault_is_reported_followed_up_and_fixed(morning, sign_in_as):
    guide = sign_in_as(session.FRONT_DESK, "guide1", "王引导")
    row = faults.report(device("叫号机"), "  不出票  ", sign_posted=True)
    assert (row.device_label, row.description, row.reported_at, row.reported_by_name) == \
        ("叫号机", "不出票", MORNING, "王引导")
    assert row.sign_posted_at == MORNING and row.open
    assert [f.id for f in faults.faults(FaultQuery())] == [row.id]

    with clock.pinned(MORNING + timedelta(minutes=20)):
        row = faults.follow_up(row.id, row, follow(row, repairer_contacted=True, repairer_note="厂家 李工 13800000000"))
    assert row.repairer_contacted_at == MORNING + timedelta(minutes=20)
    assert row.sign_posted_at == MORNING  # a step already taken keeps its time
    with clock.pinned(MORNING + timedelta(hours=3)):
        row = faults.follow_up(row.id, row, follow(row, fixed=True, fixed_note="更换打印头"))
    assert row.fixed_at == MORNING + timedelta(hours=3) and not row.open
    assert row.open_minutes(MORNING + timedelta(days=9)) == 180
    assert faults.faults(FaultQuery()) == []
    assert [f.id for f in faults.faults(FaultQuery(open_only=False))] == [row.id]

    with session.act_as(session.command_line_actor()):
        history = audit.history("equipment_fault", row.id)
    assert [e.action for e in history] == ["create", "update", "fixed"]
    assert {e.username for e in history} == {guide.username}


def test_bad_input_is_refused_at_the_field(morning, sign_in_as):
    sign_in_as(session.FRONT_DESK, "guide1")
    with pytest.raises(ValidationError) as refused:
        faults.report(None, "")
    assert set(refused.value.fields) == {"device", "description"}
    business = lists.entries("business_type")[0].id
    with pytest.raises(ValidationError) as refused:
        faults.report(business, "坏了")
    assert set(refused.value.fields) == {"device"}
    row = faults.report(device("POS机"), "刷卡无反应")
    with pytest.raises(ValidationError) as refused:
        faults.follow_up(row.id, row, follow(row, fixed_note="已修"))
    assert set(refused.value.fields) == {"fixed_note"}
    assert faults.get_fault(row.id) == row  # nothing saved


def test_a_second_station_saving_first_is_a_conflict(morning, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    row = faults.report(device("饮水机"), "不出热水")
    faults.follow_up(row.id, row, follow(row, sign_posted=True))
    with pytest.raises(ConflictError):
        faults.follow_up(row.id, row, follow(row, fixed=True))


def test_a_fault_opened_from_a_failed_item_links_the_run(morning, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    opening = next(t for t in ins.templates() if t.key == "opening")
    run = ins.start_run(opening.id)
    named = next(i for i in opening.items if faults.device_named_in(i.text, faults.devices()) is not None)
    guessed = faults.device_named_in(named.text, faults.devices())
    row = faults.report(guessed.id, "黑屏", run_id=run.row.id, item_id=named.id)
    assert (row.run_id, row.item_id) == (run.row.id, named.id)


def test_the_device_named_in_an_item_is_the_first_one_named():
    def entry(n: int, label: str) -> lists.ListEntry:
        return lists.ListEntry(n, "device", label, None, n, True)

    devices = [entry(1, "POS机"), entry(2, "叫号机"), entry(3, "大厅电视"), entry(4, "电视")]
    assert faults.device_named_in("叫号机、大厅电视运行正常", devices).label == "叫号机"
    assert faults.device_named_in("大厅电视播放正常", devices).label == "大厅电视"  # the longest at that place
    assert faults.device_named_in("地面清洁", devices) is None
    assert faults.device_named_in("POS 机运转正常", devices).label == "POS机"  # as the opening check spells it
    assert faults.device_named_in("大厅 电视黑屏", devices).label == "大厅电视"


def test_only_users_with_the_right_see_and_report(morning):
    nobody = session.Actor(None, "x", "x", "nobody")
    with session.act_as(nobody):
        with pytest.raises(PermissionDeniedError):
            faults.faults(FaultQuery())
        with pytest.raises(PermissionDeniedError):
            faults.report(None, "x")
    assert all(session.FAULTS in session.GRANTS[role] for role in session.GRANTS)


def test_the_period_figures_count_reported_fixed_and_open(morning, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    day = datetime(2026, 11, 18)
    made = []
    for hours, fixed_after in ((-30, 2), (-20, 30), (1, 3), (2, None), (5, 40)):
        with clock.pinned(day + timedelta(hours=hours)):
            row = faults.report(device("叫号机"), f"故障{hours}")
        if fixed_after is not None:
            with clock.pinned(day + timedelta(hours=hours + fixed_after)):
                row = faults.follow_up(row.id, row, follow(row, fixed=True))
        made.append(row)
    start, end = day, day + timedelta(days=1)
    rows = faults.period_rows(start, end)
    # -30 h fixed at -28 h: gone before the day; -20 h fixed at +10 h: fixed in the day.
    assert sorted(r.description for r in rows) == ["故障-20", "故障1", "故障2", "故障5"]
    assert faults.figures(rows, start, end) == faults.FaultFigures(reported=3, fixed=2, open_at_end=2)
