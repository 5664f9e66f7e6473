"""The visitor register's rules, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from frontdesk.db.models import Visit
from frontdesk.errors import ConflictError, NotFoundError, ValidationError
from frontdesk.services import clock, lists
from frontdesk.services import visitors as v

NOW = datetime(2026, 11, 25, 10, 30, 0)


@pytest.fixture
def frozen(monkeypatch):
    """Pin the clock so waits and 'not in the future' are exact."""
    state = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


def visit(kinds, *, business="咨询", dest="1号窗口", **kw) -> v.VisitInput:
    bts, dests = kinds
    return v.VisitInput(business_type_id=bts[business], destination_id=dests[dest], **kw)


def test_register_starts_waiting_with_now_as_arrival(kinds, frozen):
    row = v.register(visit(kinds, phone="138-1234-5678", ticket_no=" A012 "))
    assert row.status == v.WAITING
    assert row.arrived_at == NOW
    assert row.ticket_no == "A012"
    assert row.phone_masked == "138****5678"
    assert v.reveal_phone(row.id) == "13812345678"
    assert row.wait_minutes is None and row.service_minutes is None


def test_wait_and_service_times_are_derived(kinds, frozen):
    row = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=18)))
    v.call(row.id, served_by="王芳")
    frozen["now"] = NOW + timedelta(minutes=7, seconds=30)
    done = v.finish(row.id)
    assert done.status == v.FINISHED and done.outcome == "done"
    assert done.wait_minutes == pytest.approx(18.0)
    assert done.service_minutes == pytest.approx(7.5)
    assert done.served_by == "王芳"
    columns = {c.name for c in Visit._meta.database.get_columns("visit")}
    assert not {"wait_minutes", "service_minutes", "wait", "service"} & columns


def test_left_without_service_has_no_wait_or_service_time(kinds, frozen):
    row = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=40)))
    left = v.mark_left(row.id)
    assert left.status == v.LEFT and left.outcome == "left"
    assert left.called_at is None and left.finished_at == NOW
    assert left.wait_minutes is None and left.service_minutes is None


def test_state_changes_follow_the_order_of_service(kinds, frozen):
    row = v.register(visit(kinds))
    with pytest.raises(ConflictError, match="办理中"):
        v.finish(row.id)
    v.call(row.id)
    with pytest.raises(ConflictError, match="等候中"):
        v.call(row.id)
    with pytest.raises(ConflictError):
        v.mark_left(row.id)
    with pytest.raises(ValidationError):
        v.finish(row.id, outcome="left")
    v.finish(row.id, outcome="referred")
    with pytest.raises(NotFoundError):
        v.call(999_999)


def test_waiting_now_puts_priority_customers_first_then_arrival(kinds, frozen):
    plain_early = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=30)))
    elderly = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=5), special_needs=frozenset({"elderly"})))
    plain_late = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=2)))
    vip = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=10), vip=True))
    called = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=50)))
    v.call(called.id)
    voided = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=60), vip=True))
    v.void(voided.id, "重复登记")
    assert [r.id for r in v.waiting_now()] == [vip.id, elderly.id, plain_early.id, plain_late.id]
    assert [r.id for r in v.serving_now()] == [called.id]
    assert elderly.priority and vip.priority and not plain_late.priority


def test_validation_names_each_bad_field(kinds, frozen):
    with pytest.raises(ValidationError) as err:
        v.register(v.VisitInput(phone="12345", customer_name="张" * 41))
    assert set(err.value.fields) == {"business_type", "destination", "phone", "customer_name"}
    assert all(err.value.fields.values())
    assert Visit.select().count() == 0


@pytest.mark.parametrize(
    "phone, ok",
    [("13800138000", "13800138000"), ("010-6552 1234", "01065521234"), ("8765432", "8765432"),
     ("12800138000", None), ("1380013800a", None), ("123", None)],
)
def test_phone_numbers(kinds, frozen, phone, ok):
    if ok is None:
        with pytest.raises(ValidationError) as err:
            v.register(visit(kinds, phone=phone))
        assert "phone" in err.value.fields
    else:
        assert v.reveal_phone(v.register(visit(kinds, phone=phone)).id) == ok


def test_arrival_in_the_future_is_refused(kinds, frozen):
    with pytest.raises(ValidationError) as err:
        v.register(visit(kinds, arrived_at=NOW + timedelta(minutes=10)))
    assert "arrived_at" in err.value.fields


def test_missing_documents_must_be_named_when_incomplete(kinds, frozen):
    with pytest.raises(ValidationError) as err:
        v.register(visit(kinds, documents_complete=False))
    assert "一次性告知" in err.value.fields["missing_documents"]
    row = v.register(visit(kinds, documents_complete=False, missing_documents=("保单原件", " 银行卡/存折 ")))
    assert row.missing_documents == ("保单原件", "银行卡/存折")
    complete = v.register(visit(kinds, documents_complete=True, missing_documents=("保单原件",)))
    assert complete.missing_documents == ()


def test_surrender_reason_is_kept_only_for_surrender_visits(kinds, frozen):
    s = v.register(visit(kinds, business="退保", surrender_reason="hardship", retention="retained"))
    assert (s.surrender_reason, s.retention) == ("hardship", "retained")
    other = v.register(visit(kinds, business="缴费", surrender_reason="hardship"))
    assert other.surrender_reason is None
    with pytest.raises(ValidationError) as err:
        v.register(visit(kinds, business="退保", surrender_reason="bored"))
    assert "surrender_reason" in err.value.fields


def test_inactive_list_entries_cannot_be_chosen_for_new_visits(kinds, frozen):
    bts, _ = kinds
    lists.update_entry(bts["查询"], active=False)
    with pytest.raises(ValidationError) as err:
        v.register(visit(kinds, business="查询"))
    assert "已停用" in err.value.fields["business_type"]


def test_edit_checks_time_order_and_derives_status(kinds, frozen):
    row = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=30)))
    detail = v.get_visit(row.id)
    bad = detail.to_input().__class__(**{**detail.to_input().__dict__, "called_at": NOW - timedelta(minutes=40)})
    with pytest.raises(ValidationError) as err:
        v.update(row.id, bad, detail.row.version)
    assert "called_at" in err.value.fields
    finished = detail.to_input().__class__(
        **{**detail.to_input().__dict__, "called_at": NOW - timedelta(minutes=20),
           "finished_at": NOW - timedelta(minutes=5), "outcome": "done", "notes": "补登"}
    )
    saved = v.update(row.id, finished, detail.row.version)
    assert saved.status == v.FINISHED
    assert saved.wait_minutes == pytest.approx(10) and saved.service_minutes == pytest.approx(15)
    assert saved.version == detail.row.version + 1


def test_a_stale_edit_is_refused_and_changes_nothing(kinds, frozen):
    row = v.register(visit(kinds, notes="原始"))
    first = v.get_visit(row.id)
    second = v.get_visit(row.id)
    v.update(row.id, v.VisitInput(**{**first.to_input().__dict__, "notes": "前台改的"}), first.row.version)
    with pytest.raises(ConflictError, match="其他工作站"):
        v.update(row.id, v.VisitInput(**{**second.to_input().__dict__, "notes": "经理改的"}), second.row.version)
    assert v.get_visit(row.id).row.notes == "前台改的"


def test_a_stale_edit_lists_what_the_other_station_changed(kinds, frozen):
    row = v.register(visit(kinds, notes="原始", phone="13812345678"))
    mine = v.get_visit(row.id)  # the edit dialog on this station opens
    theirs = v.get_visit(row.id)
    v.update(row.id, v.VisitInput(**{**theirs.to_input().__dict__, "notes": "前台改的",
                                     "phone": "13900001111"}), theirs)
    v.call(row.id, served_by="李娜")
    with pytest.raises(ConflictError) as err:
        v.update(row.id, v.VisitInput(**{**mine.to_input().__dict__, "notes": "经理改的"}), mine)
    assert [(c.field, c.label, c.old, c.new) for c in err.value.changes] == [
        ("status", "状态", "等候中", "办理中"),
        ("phone", "电话", "138****5678", "139****1111"),
        ("called_at", "叫号时间", "（空）", "10:30"),
        ("served_by", "经办人", "（空）", "李娜"),
        ("notes", "备注", "原始", "前台改的"),
    ]
    assert err.value.message == (
        "这条来访记录已被其他工作站修改：状态 等候中 → 办理中；电话 138****5678 → 139****1111；"
        "叫号时间 （空） → 10:30；经办人 （空） → 李娜；备注 原始 → 前台改的。您的输入未保存，也未丢失。"
    )
    assert "13900001111" not in err.value.message
    saved = v.get_visit(row.id)
    assert (saved.row.notes, v.reveal_phone(row.id), saved.row.status) == ("前台改的", "13900001111", v.SERVING)


def test_a_conflict_message_clips_long_values_but_the_change_keeps_them(kinds, frozen):
    row = v.register(visit(kinds))
    mine = v.get_visit(row.id)
    long_note = "客户反映上次办理时等候时间过长，希望网点增加窗口，已记录并答复会向上级反映"
    v.update(row.id, v.VisitInput(**{**mine.to_input().__dict__, "notes": long_note}), mine)
    with pytest.raises(ConflictError) as err:
        v.update(row.id, mine.to_input(), mine)
    (change,) = err.value.changes
    assert change.new == long_note
    assert long_note not in err.value.message and "…" in err.value.message


def test_only_a_version_number_gives_a_plain_refusal(kinds, frozen):
    row = v.register(visit(kinds))
    first = v.get_visit(row.id)
    v.update(row.id, first.to_input(), first.row.version)
    with pytest.raises(ConflictError, match="载入最新记录") as err:
        v.update(row.id, first.to_input(), first.row.version)
    assert err.value.changes == ()


def test_a_save_elsewhere_that_changed_nothing_does_not_block(kinds, frozen):
    row = v.register(visit(kinds, notes="原始"))
    mine = v.get_visit(row.id)
    v.update(row.id, mine.to_input(), v.get_visit(row.id))  # the same values, saved again
    saved = v.update(row.id, v.VisitInput(**{**mine.to_input().__dict__, "notes": "补充"}), mine)
    assert saved.notes == "补充" and saved.version == mine.row.version + 2
    # A list row carries the phone masked only: a change hidden by the mask cannot be ruled out.
    with pytest.raises(ConflictError):
        v.update(row.id, mine.to_input(), mine.row)


def test_an_edit_of_a_visit_voided_elsewhere_says_so(kinds, frozen):
    row = v.register(visit(kinds))
    mine = v.get_visit(row.id)
    v.void(row.id, "重复登记")
    with pytest.raises(ConflictError) as err:
        v.update(row.id, mine.to_input(), mine)
    assert err.value.message.startswith("这条来访记录已被其他工作站作废：状态 等候中 → 已作废；作废原因")
    assert [c.field for c in err.value.changes] == ["status", "void_reason"]


def test_a_void_of_a_visit_changed_meanwhile_is_refused_with_the_changes(kinds, frozen):
    row = v.register(visit(kinds))
    seen = v.get_visit(row.id).row  # the void dialog shows this row
    v.call(row.id, served_by="王芳")
    with pytest.raises(ConflictError, match="尚未作废") as err:
        v.void(row.id, "重复登记", expected=seen)
    assert [c.field for c in err.value.changes] == ["status", "called_at", "served_by"]
    assert v.get_visit(row.id).row.status == v.SERVING
    # Voided by the other station first: this one is told, with what that station did.
    again = v.get_visit(row.id).row
    v.void(row.id, "登记错误")
    with pytest.raises(ConflictError, match="其他工作站作废") as err:
        v.void(row.id, "重复登记", expected=again)
    assert v.get_visit(row.id).row.void_reason == "登记错误"
    # Saved elsewhere without a visible change: the void goes ahead.
    other = v.register(visit(kinds))
    seen = v.get_visit(other.id).row
    v.update(other.id, v.get_visit(other.id).to_input(), v.get_visit(other.id))
    assert v.void(other.id, "重复登记", expected=seen).status == v.VOIDED


def test_a_call_another_station_made_first_is_refused_with_its_changes(kinds, frozen):
    row = v.register(visit(kinds))
    seen = v.get_visit(row.id).row  # both waiting panels show the visitor
    v.call(row.id, served_by="李娜", expected=seen)
    with pytest.raises(ConflictError) as err:
        v.call(row.id, expected=seen)
    assert err.value.message == (
        "只能为等候中的客户叫号（当前：办理中）。"
        "其他工作站的修改：状态 等候中 → 办理中；叫号时间 （空） → 10:30；经办人 （空） → 李娜。"
    )
    # A change that does not stand in the way (a corrected note) does not refuse a transition.
    other = v.register(visit(kinds))
    seen = v.get_visit(other.id).row
    v.update(other.id, v.VisitInput(**{**v.get_visit(other.id).to_input().__dict__, "notes": "改"}),
             other.version)
    assert v.mark_left(other.id, expected=seen).status == v.LEFT
    with pytest.raises(ConflictError, match="只能结束办理中的来访") as err:
        v.finish(other.id, expected=seen)
    assert [c.field for c in err.value.changes] == ["status", "finished_at", "outcome", "notes"]


def test_the_change_stamp_moves_with_every_registration_save_and_void(kinds, frozen):
    today = v.VisitQuery(NOW.date(), NOW.date())
    empty = v.change_stamp(today)
    assert empty == v.ChangeStamp(0, 0, None)
    row = v.register(visit(kinds))
    stamps = [empty, v.change_stamp(today)]
    assert stamps[-1] != stamps[-2] and stamps[-1].visits == 1
    assert v.change_stamp(today) == stamps[-1]  # nothing changed: the same stamp
    # Two saves within one second (the clock is frozen) still move it each time.
    for step in (
        lambda: v.update(row.id, v.get_visit(row.id).to_input(), v.get_visit(row.id).row.version),
        lambda: v.call(row.id),
        lambda: v.finish(row.id),
        lambda: v.void(row.id, "重复登记"),
    ):
        step()
        stamps.append(v.change_stamp(today))
        assert stamps[-1] != stamps[-2]
    assert stamps[-1].last_update == NOW
    # Only the view's days count: yesterday's visits leave today's stamp alone.
    v.register(visit(kinds, arrived_at=NOW - timedelta(days=1)))
    assert v.change_stamp(today) == stamps[-1]
    # Days long past are not watched (they would cost a scan of years of visits).
    old = v.VisitQuery(NOW.date() - timedelta(days=400), NOW.date() - timedelta(days=300))
    assert v.change_stamp(old) == v.ChangeStamp(0, 0, None)


def test_void_needs_a_reason_and_the_record_stays(kinds, frozen):
    row = v.register(visit(kinds))
    with pytest.raises(ValidationError) as err:
        v.void(row.id, " ")
    assert "void_reason" in err.value.fields
    voided = v.void(row.id, "误登记，客户未到场")
    assert voided.status == v.VOIDED and voided.void_reason == "误登记，客户未到场"
    assert Visit.select().count() == 1
    with pytest.raises(ConflictError):
        v.void(row.id, "再次作废")
    with pytest.raises(ConflictError):
        v.call(row.id)
    counts = v.day_counts(NOW.date())
    assert counts.registered == 0


def test_day_counts(kinds, frozen):
    a = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=50)))
    b = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=40)))
    c = v.register(visit(kinds, arrived_at=NOW - timedelta(minutes=30)))
    v.register(visit(kinds, arrived_at=NOW - timedelta(days=1)))
    v.call(a.id)
    v.finish(a.id)
    v.call(b.id)
    assert c.status == v.WAITING
    counts = v.day_counts(NOW.date())
    assert (counts.registered, counts.waiting, counts.serving, counts.finished) == (3, 1, 1, 1)


# ------------------------------------------------------------ register table queries


@pytest.fixture
def register_rows(kinds, frozen):
    """Twelve visits over two days with varied fields."""
    rows = []
    for i in range(12):
        day_shift = timedelta(days=1) if i < 4 else timedelta(0)
        data = visit(
            kinds,
            business="缴费" if i % 3 == 0 else "咨询",
            arrived_at=NOW - day_shift - timedelta(minutes=60 - i * 4),
            customer_name=f"客户{i:02d}",
            phone=f"1380000{i:04d}",
            vip=(i == 7),
        )
        rows.append(v.register(data))
    for r in rows[:6]:
        v.call(r.id, at=r.arrived_at + timedelta(minutes=(r.id * 7) % 23))
    return rows


def test_query_filters_by_day_type_status_and_text(register_rows):
    today = NOW.date()
    both = v.VisitQuery(today - timedelta(days=1), today)
    assert v.count_visits(both) == 12
    assert v.count_visits(v.VisitQuery(today, today)) == 8
    bts = {e.label: e.id for e in lists.entries("business_type")}
    assert v.count_visits(v.VisitQuery(today - timedelta(days=1), today, business_type_id=bts["缴费"])) == 4
    assert v.count_visits(v.VisitQuery(today - timedelta(days=1), today, status=v.SERVING)) == 6
    found = v.fetch_rows(v.VisitQuery(today - timedelta(days=1), today, text="0009"), 0, 50)
    assert [r.customer_name for r in found] == ["客户09"]
    assert v.count_visits(v.VisitQuery(today - timedelta(days=1), today, text="客户1")) == 2
    assert v.count_visits(v.VisitQuery(today - timedelta(days=1), today, priority_only=True)) == 1
    v.void(register_rows[0].id, "测试作废")
    assert v.count_visits(both) == 11
    assert v.count_visits(v.VisitQuery(today - timedelta(days=1), today, status=v.VOIDED)) == 1


@pytest.mark.parametrize("key", v.SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_from_either_end_agree_with_one_big_page(register_rows, key, descending):
    q = v.VisitQuery(NOW.date() - timedelta(days=1), NOW.date(), sort_key=key, descending=descending)
    whole = [r.id for r in v.fetch_rows(q, 0, 100)]
    assert sorted(whole) == sorted(r.id for r in register_rows)
    paged = []
    for offset in range(0, 12, 5):
        paged += [r.id for r in v.fetch_rows(q, offset, 5, total=12)]
    assert paged == whole
    for position, visit_id in enumerate(whole):
        assert v.position_of(q, visit_id) == position


def test_sort_by_wait_orders_by_the_derived_minutes(register_rows):
    q = v.VisitQuery(NOW.date() - timedelta(days=1), NOW.date(), sort_key="wait")
    waits = [r.wait_minutes for r in v.fetch_rows(q, 0, 100)]
    known = [w for w in waits if w is not None]
    assert known == sorted(known) and len(known) == 6
    assert waits[len(known):] == [None] * 6  # not called yet: last


def test_a_hidden_row_has_no_position(register_rows):
    q = v.VisitQuery(NOW.date(), NOW.date())
    assert v.position_of(q, register_rows[0].id) is None


# ------------------------------------------------------------------- fuzzing

# Any text, and often text with the control characters a database may refuse (NUL on PostgreSQL).
_text = st.text(max_size=60) | st.text(alphabet=st.sampled_from("a中 \x00\x07\x1b\n\t\x85"), max_size=10)
_maybe_time = st.none() | st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1))


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bt=st.none() | st.integers(-5, 40),
    dest=st.none() | st.integers(-5, 40),
    arrived=_maybe_time,
    ticket=_text,
    name=_text,
    phone=_text,
    needs=st.frozensets(st.sampled_from([*v.SPECIAL_NEEDS, "bogus"]), max_size=3),
    complete=st.booleans(),
    missing=st.lists(_text, max_size=3).map(tuple),
    reason=st.none() | st.sampled_from([*v.SURRENDER_REASONS, "bogus"]),
    notes=st.text(max_size=600) | _text,
)
def test_register_raises_only_validation_errors(kinds, frozen, bt, dest, arrived, ticket, name, phone,
                                                needs, complete, missing, reason, notes):
    data = v.VisitInput(
        business_type_id=bt, destination_id=dest, arrived_at=arrived, ticket_no=ticket,
        customer_name=name, phone=phone, special_needs=needs, documents_complete=complete,
        missing_documents=missing, surrender_reason=reason, notes=notes,
    )
    before = Visit.select().count()
    try:
        row = v.register(data)
    except ValidationError as err:
        assert err.fields and all(err.fields.values())
        assert Visit.select().count() == before
    else:
        assert v.get_visit(row.id).row == row
        assert row.arrived_at <= NOW + timedelta(minutes=1)


@pytest.mark.parametrize(
    "filters",
    [dict(text="客户1"), dict(status=v.SERVING), dict(priority_only=True), dict(text="无此客户"), {}],
)
@pytest.mark.parametrize("sort_key", ["arrived_at", "customer_name", "wait"])
def test_first_page_agrees_with_count_and_pages(register_rows, monkeypatch, filters, sort_key):
    q = v.VisitQuery(NOW.date() - timedelta(days=1), NOW.date(), sort_key=sort_key, **filters)
    expected = (v.count_visits(q), [r.id for r in v.fetch_rows(q, 0, 3)])
    total, rows = v.first_page(q, 3)
    assert (total, [r.id for r in rows]) == expected
    monkeypatch.setattr(v, "SINGLE_SCAN_LIMIT", 1)  # too many for one read: counted instead
    total, rows = v.first_page(q, 3)
    assert (total, [r.id for r in rows]) == expected


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_text, status=st.none() | st.sampled_from([*v.STATUSES, "bogus"]))
def test_any_search_text_is_a_query_never_an_error(kinds, frozen, text, status):
    q = v.VisitQuery(NOW.date(), NOW.date(), text=text, status=status)
    total, rows = v.first_page(q, 50)
    assert total == v.count_visits(q) and len(rows) <= total


# ------------------------------------------------------------------ destinations elsewhere


@pytest.mark.parametrize(("dest", "outcome"), [("自助服务区", v.DIVERTED), ("其他部门", v.DIVERTED),
                                               ("咨询台", v.ANSWERED)])
def test_a_registration_elsewhere_is_finished_at_once_and_stays_editable(kinds, frozen, dest, outcome):
    row = v.register(visit(kinds, dest=dest, arrived_at=NOW - timedelta(minutes=2)))
    assert (row.status, row.outcome, row.called_at, row.finished_at) == (v.FINISHED, outcome, None, NOW)
    assert row.wait_minutes is None and row.service_minutes is None
    assert v.waiting_now() == [] and v.serving_now() == []
    # The visit dialog saves it back unchanged, or with a note: its outcome needs no call.
    detail = v.get_visit(row.id)
    saved = v.update(row.id, replace(detail.to_input(), notes="已指引"), detail)
    assert (saved.status, saved.outcome, saved.notes) == (v.FINISHED, outcome, "已指引")
    # F3 and the 其他结果 menu never offer these outcomes.
    assert outcome not in v.SERVICE_OUTCOMES
    queued = v.register(visit(kinds))
    v.call(queued.id)
    with pytest.raises(ValidationError):
        v.finish(queued.id, outcome)


def test_finish_records_who_served_unless_named_at_the_call(kinds, frozen):
    a, b = v.register(visit(kinds)), v.register(visit(kinds))
    v.call(a.id)
    v.call(b.id, served_by="李娜")
    assert v.finish(a.id).served_by == "管理员"  # the signed-in user's display name
    assert v.finish(b.id).served_by == "李娜"


def test_undo_takes_back_exactly_one_step_and_is_audited(kinds, frozen):
    from frontdesk.db.models import AuditEntry

    before = v.register(visit(kinds))
    called = v.call(before.id)
    back = v.undo(before.id, "call", called, before)
    assert (back.status, back.called_at, back.served_by) == (v.WAITING, None, "")
    # A second undo of the same step finds the visit changed since: refused.
    with pytest.raises(ConflictError, match="不能撤销"):
        v.undo(before.id, "call", called, before)
    called = v.call(back.id)
    finished = v.finish(called.id)
    undone = v.undo(called.id, "finish", finished, called)
    assert (undone.status, undone.finished_at, undone.outcome, undone.served_by) == (v.SERVING, None, None, "")
    frozen["now"] = NOW + v.UNDO_WINDOW + timedelta(seconds=1)
    finished = v.finish(called.id)
    frozen["now"] += v.UNDO_WINDOW + timedelta(seconds=1)
    with pytest.raises(ConflictError, match="不能撤销"):
        v.undo(called.id, "finish", finished, called)
    assert v.get_visit(called.id).row.status == v.FINISHED
    entry = AuditEntry.select().where(AuditEntry.action == "undo_finish").get()
    assert entry.entity_id == called.id and "finished" in entry.before


def test_undo_needs_a_signed_in_user_who_serves(kinds, frozen):
    from frontdesk.errors import NotSignedInError
    from frontdesk.services import session

    before = v.register(visit(kinds))
    called = v.call(before.id)
    session.set_current(None)
    with pytest.raises(NotSignedInError):
        v.undo(before.id, "call", called, before)
