"""Checklist inspections: scoring, the sampling rule, versioned templates, runs and actions."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest

from frontdesk.errors import ConflictError, PermissionDeniedError, ValidationError
from frontdesk.services import audit, clock, session, staff
from frontdesk.services import inspections as ins
from frontdesk.services.inspections import FAIL, NA, PASS, ScoreLine
from frontdesk.services.staff import StaffInput

WEDNESDAY = datetime(2026, 11, 18, 8, 40)
MONDAY = datetime(2026, 11, 16, 8, 40)


@pytest.fixture
def morning(configured):
    with clock.pinned(WEDNESDAY):
        yield WEDNESDAY


def template(key: str) -> ins.TemplateRow:
    return next(t for t in ins.templates() if t.key == key)


def add_people(n: int) -> list[int]:
    return [staff.add_staff(StaffInput(f"员工{i}", f"S{i:03d}", "teller")).id for i in range(n)]


# ------------------------------------------------------------------ the rules


@pytest.mark.parametrize("n", [0, 1, 4, 5, 6, 20, 21, 40])
def test_sample_size_follows_the_seed_and_rounds_up(n):
    if n < 5:
        expected = n
    elif n <= 20:
        expected = math.ceil(Fraction(n, 2))
    else:
        expected = math.ceil(Fraction(3 * n, 10))
    assert ins.sample_size(n) == expected


def test_sample_size_at_the_quoted_edges():
    assert [ins.sample_size(n) for n in (4, 5, 20, 21)] == [4, 3, 10, 7]


def test_every_size_up_to_a_hundred_is_at_least_the_share_and_less_than_one_more():
    for n in range(5, 101):
        share = Fraction(1, 2) if n <= 20 else Fraction(3, 10)
        k = ins.sample_size(n)
        assert n * share <= k < n * share + 1


def test_a_draw_is_reproducible_from_its_seed_whatever_the_order_of_the_pool():
    pool = list(range(100, 112))
    first = ins.draw(pool, 4242)
    assert first == ins.draw(list(reversed(pool)), 4242)
    assert len(first) == ins.sample_size(12) == 6
    assert set(first) <= set(pool) and len(set(first)) == len(first)
    assert any(ins.draw(pool, seed) != first for seed in range(5))


def test_the_draw_is_fair_over_many_seeds():
    pool = list(range(1, 11))  # 10 on duty: 5 drawn, each person half the time
    counts = Counter(i for seed in range(2000) for i in ins.draw(pool, seed))
    assert sum(counts.values()) == 2000 * 5
    for person in pool:
        assert 900 <= counts[person] <= 1100, (person, counts[person])


def test_score_counts_weighted_passes_over_weighted_applicable_items():
    lines = [
        ScoreLine(2, True, PASS), ScoreLine(1, True, FAIL), ScoreLine(3, True, NA),
        ScoreLine(5, False, FAIL), ScoreLine(1, True, None), ScoreLine(4, True, PASS),
    ]
    assert ins.score(lines) == pytest.approx((2 + 4) / (2 + 1 + 4))


def test_score_with_nothing_applicable_is_none():
    assert ins.score([ScoreLine(1, True, NA), ScoreLine(2, False, PASS)]) is None
    assert ins.score([]) is None


def test_score_of_random_checklists_against_a_count_made_here():
    rng = random.Random(7)
    for _round in range(300):
        lines = [ScoreLine(rng.randint(0, 5), rng.random() > 0.2, rng.choice([PASS, FAIL, NA, None]))
                 for _i in range(rng.randint(0, 15))]
        passed = sum(x.weight for x in lines if x.scored and x.result == PASS)
        applicable = sum(x.weight for x in lines if x.scored and x.result in (PASS, FAIL))
        expected = None if applicable == 0 else passed / applicable
        assert ins.score(lines) == (pytest.approx(expected) if expected is not None else None)


def test_sampling_points_score_out_of_five_per_weight():
    lines = [ScoreLine(1, True, ins.points_result(p), p) for p in (5, 4, 2, 3)]
    assert ins.score(lines) == pytest.approx((5 + 4 + 2 + 3) / 20)
    assert [x.result for x in lines] == [PASS, PASS, FAIL, PASS]


# ------------------------------------------------------------------ templates


def test_the_six_presets_of_the_seeds_come_with_the_database(configured):
    found = {t.key: t for t in ins.templates()}
    assert set(found) == {"opening", "patrol", "closing", "fire", "self_service", "sampling"}
    assert found["fire"].name == "消防器材巡检" and found["fire"].due_on(MONDAY.date())
    assert not found["fire"].due_on(WEDNESDAY.date())
    assert [i.text for i in found["sampling"].items] == ["微笑", "主动性", "规范用语", "业务熟练程度", "办理速度", "操作正确性"]
    assert all(t.revision == 1 and t.is_current for t in found.values())


def test_editing_a_template_adds_a_revision_and_past_runs_keep_theirs(morning):
    old = template("closing")
    run = ins.start_run(old.id)
    data = old.to_input()
    new = ins.revise_template(old.id, ins.TemplateInput(
        name="闭厅安全检查", items=(*data.items, ins.ItemSpec("门窗已锁好", "物品与安全", 3)),
        due_weekdays=data.due_weekdays))
    assert new.revision == 2 and new.is_current and len(new.items) == len(old.items) + 1
    assert template("closing").id == new.id
    past = ins.get_run(run.row.id)
    assert past.template.id == old.id and past.template.name == "闭厅检查"
    assert len(past.template.items) == len(old.items) and not past.template.is_current
    assert ins.start_run(new.id).template.name == "闭厅安全检查"
    assert [e.action for e in audit.history("inspection_template", new.id)] == ["revise"]


def test_revising_an_old_revision_is_a_conflict(morning):
    old = template("patrol")
    ins.revise_template(old.id, old.to_input())
    with pytest.raises(ConflictError):
        ins.revise_template(old.id, old.to_input())
    with pytest.raises(ConflictError):
        ins.start_run(old.id)


def test_a_template_needs_a_name_and_items_with_text(morning):
    old = template("patrol")
    with pytest.raises(ValidationError) as caught:
        ins.revise_template(old.id, ins.TemplateInput(name=" ", items=(ins.ItemSpec(""), ins.ItemSpec("x", weight=-1))))
    assert set(caught.value.fields) == {"name", "items.1", "items.2"}


def test_only_the_administrator_edits_templates(morning, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    old = template("patrol")
    with pytest.raises(PermissionDeniedError):
        ins.revise_template(old.id, old.to_input())


# ----------------------------------------------------------------------- runs


def walk(run: ins.RunDetail, results: dict[int, tuple[str, str]]) -> ins.RunDetail:
    """Answer each item by its position: ``results`` overrides pass."""
    for n, item in enumerate(run.template.items):
        result, note = results.get(n, (PASS, ""))
        run = ins.answer(run.row.id, item.id, result, note)
    return run


def test_a_run_scores_weighted_passes_and_turns_failures_into_actions(morning):
    opening = template("opening")
    items = opening.items
    na_at = next(n for n, i in enumerate(items) if i.allow_na)
    fails = [0, 6]  # the hall's cleanliness, the queue machine
    run = ins.start_run(opening.id)
    assert run.row.status == ins.OPEN and run.row.day == WEDNESDAY.date()
    run = walk(run, {0: (FAIL, "地面有水渍"), 6: (FAIL, "叫号机无法出票"), na_at: (NA, "")})
    passed = sum(i.weight for n, i in enumerate(items) if n not in fails and n != na_at)
    applicable = sum(i.weight for n, i in enumerate(items) if n != na_at)
    assert run.live_score == pytest.approx(passed / applicable)
    done = ins.finish_run(run.row.id, run.row)
    assert done.row.status == ins.FINISHED and done.row.failed == 2
    assert done.row.score == pytest.approx(passed / applicable)
    actions = ins.actions(ins.ActionQuery())
    assert sorted(a.what for a in actions) == sorted([
        f"{items[0].text}（地面有水渍）", f"{items[6].text}（叫号机无法出票）"])
    # Three working days after Wednesday 2026-11-18: Thursday, Friday, Monday.
    assert {a.due_on for a in actions} == {date(2026, 11, 23)}
    assert {a.status for a in actions} == {ins.ACTION_OPEN}


def test_a_failure_needs_its_note_and_na_only_where_allowed(morning):
    opening = template("opening")
    run = ins.start_run(opening.id)
    strict = next(i for i in opening.items if not i.allow_na)
    with pytest.raises(ValidationError) as caught:
        ins.answer(run.row.id, strict.id, FAIL, "  ")
    assert caught.value.fields == {"note": "不合格时须填写说明。"}
    with pytest.raises(ValidationError) as caught:
        ins.answer(run.row.id, strict.id, NA)
    assert "result" in caught.value.fields
    assert ins.get_run(run.row.id).answers == ()


def test_answering_again_replaces_the_answer(morning):
    run = ins.start_run(template("fire").id)
    first = run.template.items[0]
    ins.answer(run.row.id, first.id, FAIL, "压力不足")
    again = ins.answer(run.row.id, first.id, PASS)
    assert [(a.item_id, a.result, a.note) for a in again.answers] == [(first.id, PASS, "")]


def test_a_run_is_finished_only_when_every_item_is_answered(morning):
    run = ins.start_run(template("fire").id)
    run = ins.answer(run.row.id, run.template.items[0].id, PASS)
    with pytest.raises(ValidationError, match=f"还有 {len(run.template.items) - 1} 项未检查"):
        ins.finish_run(run.row.id, run.row)


def test_a_finished_run_is_read_only_and_signed_off_by_the_duty_manager(morning, sign_in_as):
    run = walk(ins.start_run(template("fire").id), {})
    done = ins.finish_run(run.row.id, run.row)
    assert done.row.score == 1.0 and ins.actions(ins.ActionQuery()) == []
    with pytest.raises(ConflictError):
        ins.answer(run.row.id, run.template.items[0].id, PASS)
    with pytest.raises(ConflictError):
        ins.sign_off(run.row.id, run.row)  # a stale copy
    sign_in_as(session.FRONT_DESK, "guide1")
    with pytest.raises(PermissionDeniedError):
        ins.sign_off(run.row.id, done.row)
    manager = sign_in_as(session.DUTY_MANAGER, "manager1")
    signed = ins.sign_off(run.row.id, done.row)
    assert signed.row.status == ins.SIGNED and signed.row.signed_at is not None
    assert [e.action for e in audit.history("inspection_run", run.row.id)][-1] == "sign_off"
    assert audit.history("inspection_run", run.row.id)[-1].username == manager.username


def test_the_front_desk_does_not_start_runs(morning, sign_in_as):
    sign_in_as(session.FRONT_DESK, "guide1")
    with pytest.raises(PermissionDeniedError):
        ins.start_run(template("opening").id)


# ------------------------------------------------------------------- sampling


def test_sampling_draws_from_todays_duty_list_and_records_the_draw(morning):
    people = add_people(9)
    on_duty = people[:7]
    staff.set_duty(WEDNESDAY.date(), on_duty)
    run = ins.start_run(template("sampling").id, seed=20261118)
    assert run.on_duty == tuple(sorted(on_duty)) and run.sample_seed == 20261118
    expected = ins.draw(on_duty, 20261118)
    assert len(expected) == math.ceil(Fraction(7, 2)) == 4
    assert tuple(s.id for s in run.drawn) == expected
    assert run.expected_answers == 4 * 6
    entry = audit.history("inspection_run", run.row.id)[0]
    assert "随机种子 20261118" in entry.detail and "在岗 7 人" in entry.detail


def test_sampling_scores_each_drawn_person_and_low_points_become_actions(morning):
    people = add_people(4)  # fewer than 5: everyone is drawn
    run = ins.start_run(template("sampling").id, seed=1)
    assert tuple(s.id for s in run.drawn) == tuple(people)
    outsider = staff.add_staff(StaffInput("外人", "X001", "guide")).id
    criteria = run.template.items
    with pytest.raises(ValidationError):
        ins.answer(run.row.id, criteria[0].id, staff_id=outsider, points=5)
    with pytest.raises(ValidationError):
        ins.answer(run.row.id, criteria[0].id, staff_id=people[0], points=6)
    rng = random.Random(3)
    given: dict[tuple[int, int], int] = {}
    for person in people:
        for item in criteria:
            points = rng.randint(3, 5)
            if (person, item.position) == (people[2], 1):
                points = 2
            given[(person, item.id)] = points
            note = "未主动招呼客户" if points <= 2 else ""
            run = ins.answer(run.row.id, item.id, staff_id=person, points=points, note=note)
    done = ins.finish_run(run.row.id, run.row)
    assert done.row.score == pytest.approx(sum(given.values()) / (5 * len(given)))
    assert done.row.failed == 1
    [action] = ins.actions(ins.ActionQuery())
    assert action.what == "员工2：主动性（未主动招呼客户）"
    history = ins.sampling_history(people[2])
    assert len(history) == 1
    sheet = history[0]
    assert [p for _c, p in sheet.points] == [given[(people[2], i.id)] for i in criteria]
    assert sheet.score == pytest.approx(sum(p for _c, p in sheet.points) / 30)


def test_sampling_with_nobody_on_duty_is_refused_with_a_reason(morning):
    with pytest.raises(ValidationError, match="没有在岗人员"):
        ins.start_run(template("sampling").id)


# ------------------------------------------------------------------- schedule


def test_the_fire_check_is_due_on_mondays_only_and_unrun_due_checks_come_first(configured):
    with clock.pinned(MONDAY):
        plan = ins.day_plan(MONDAY.date())
        assert next(p for p in plan if p.template.key == "fire").due
        ins.start_run(template("opening").id)
        plan = ins.day_plan(MONDAY.date())
        keys = [p.template.key for p in plan]
        assert keys[-1] == "opening" and {p.runs for p in plan if p.template.key == "opening"} == {1}
        assert all(p.due for p in plan)
    with clock.pinned(WEDNESDAY):
        plan = ins.day_plan(WEDNESDAY.date())
        assert [p.template.key for p in plan][-1] == "fire"
        assert not plan[-1].due and all(p.due for p in plan[:-1])


# ----------------------------------------------------------------- run list


def test_the_run_list_pages_and_filters_against_counts_made_here(configured):
    keys = ["opening", "fire", "closing", "opening", "patrol", "opening", "fire"]
    made = []
    for n, key in enumerate(keys):
        with clock.pinned(datetime(2026, 11, 10 + n, 9, 0)):
            run = ins.start_run(template(key).id)
            if n % 2 == 0:
                run = walk(run, {0: (FAIL, "有问题")} if n % 4 == 0 else {})
                run = ins.finish_run(run.row.id, run.row)
            made.append(run.row)
    everything = ins.RunQuery(date(2026, 11, 1), date(2026, 11, 30))
    assert ins.count_runs(everything) == len(made)
    rows = ins.fetch_runs(everything, 0, 3) + ins.fetch_runs(everything, 3, 10)
    assert [r.id for r in rows] == [r.id for r in sorted(made, key=lambda r: r.started_at, reverse=True)]
    opening = ins.RunQuery(date(2026, 11, 1), date(2026, 11, 30), template_key="opening")
    assert ins.count_runs(opening) == keys.count("opening")
    for result, wanted in ((ins.OPEN, lambda r: r.status == ins.OPEN),
                           (ins.RESULT_FAILED, lambda r: r.status != ins.OPEN and r.failed > 0),
                           (ins.RESULT_PASSED, lambda r: r.status != ins.OPEN and r.failed == 0)):
        q = ins.RunQuery(date(2026, 11, 1), date(2026, 11, 30), result=result)
        finished = [ins.get_run(r.id).row for r in made]
        assert sorted(r.id for r in ins.fetch_runs(q, 0, 50)) == sorted(r.id for r in finished if wanted(r))
    week = ins.RunQuery(date(2026, 11, 12), date(2026, 11, 14))
    assert ins.count_runs(week) == 3
    assert ins.run_position(everything, made[0].id) == len(made) - 1


# ---------------------------------------------------------- corrective actions


def failed_run_with_action(day: datetime) -> ins.ActionRow:
    with clock.pinned(day):
        run = walk(ins.start_run(template("fire").id), {0: (FAIL, "灭火器过期")})
        ins.finish_run(run.row.id, run.row)
    return ins.actions(ins.ActionQuery(date_from=day.date(), date_to=day.date()))[0]


def test_an_action_is_given_an_owner_done_and_verified(morning, sign_in_as):
    owner = add_people(1)[0]
    action = failed_run_with_action(WEDNESDAY)
    action = ins.update_action(action.id, action, owner_id=owner, due_on=date(2026, 11, 20), note="已报修")
    assert action.owner_name == "员工0" and action.due_on == date(2026, 11, 20)
    assert action.run_day == WEDNESDAY.date() and action.template_name == "消防器材巡检"
    with pytest.raises(ConflictError):
        ins.verify_action(action.id, action)  # not done yet
    action = ins.complete_action(action.id, action)
    assert action.status == ins.ACTION_DONE and action.done_at is not None
    sign_in_as(session.FRONT_DESK, "guide1")
    with pytest.raises(PermissionDeniedError):
        ins.verify_action(action.id, action)
    sign_in_as(session.DUTY_MANAGER, "manager1")
    action = ins.verify_action(action.id, action)
    assert action.status == ins.ACTION_VERIFIED
    with pytest.raises(ConflictError):
        ins.update_action(action.id, action, owner_id=None, due_on=None)
    assert [e.action for e in audit.history("corrective_action", action.id)] == ["create", "update", "done", "verified"]


def test_a_stale_action_is_refused(morning):
    action = failed_run_with_action(WEDNESDAY)
    ins.update_action(action.id, action, owner_id=None, due_on=date(2026, 11, 30))
    with pytest.raises(ConflictError):
        ins.complete_action(action.id, action)


def test_overdue_actions_are_the_open_ones_past_their_date(configured):
    early = failed_run_with_action(datetime(2026, 11, 2, 9, 0))
    late = failed_run_with_action(datetime(2026, 11, 17, 9, 0))
    with clock.pinned(WEDNESDAY):
        overdue = ins.actions(ins.ActionQuery(status=ins.OVERDUE))
        assert [a.id for a in overdue] == [early.id]
        assert early.overdue(WEDNESDAY.date()) and not late.overdue(WEDNESDAY.date())


def test_actions_are_filtered_by_owner_or_the_lack_of_one(morning):
    first, second = add_people(2)
    for _n in range(4):
        failed_run_with_action(WEDNESDAY)
    made = ins.actions(ins.ActionQuery(date_from=WEDNESDAY.date(), date_to=WEDNESDAY.date()))
    assert len(made) == 4
    owners = [first, second, first, None]
    for action, owner in zip(made, owners, strict=True):
        ins.update_action(action.id, action, owner_id=owner, due_on=action.due_on)
    for owner in (first, second):
        got = ins.actions(ins.ActionQuery(owner_id=owner))
        assert [a.id for a in got] == [a.id for a, o in zip(made, owners, strict=True) if o == owner]
    assert [a.id for a in ins.actions(ins.ActionQuery(owner_id=ins.NO_OWNER))] == [made[3].id]
    assert len(ins.actions(ins.ActionQuery())) == 4
    assert ins.actions(ins.ActionQuery(status=ins.ACTION_DONE, owner_id=first)) == []


def test_an_action_of_a_year_the_calendar_does_not_know_has_no_due_date_yet(configured):
    action = failed_run_with_action(datetime(2031, 3, 5, 9, 0))
    assert action.due_on is None and not action.overdue(date(2031, 12, 31))


def test_deadlines_follow_the_opening_hours_and_a_missed_check_is_overdue(configured):
    from frontdesk.services import settings

    branch = settings.load()  # the preset's hours
    with clock.pinned(MONDAY):  # 08:40
        plan = {p.template.key: p for p in ins.day_plan(MONDAY.date())}
    opening_at = datetime.combine(MONDAY.date(), branch.opening_time)
    closing_at = datetime.combine(MONDAY.date(), branch.closing_time)
    assert plan["opening"].deadline == opening_at
    assert plan["patrol"].deadline == opening_at + timedelta(hours=1)
    assert plan["fire"].deadline == closing_at and plan["closing"].deadline == closing_at + timedelta(hours=1)
    just_after = opening_at + timedelta(minutes=1)
    assert plan["opening"].overdue(just_after) and not plan["opening"].overdue(opening_at)
    assert not plan["patrol"].overdue(just_after)
    # The Monday fire check skipped: missed once the day is over.
    assert plan["fire"].overdue(closing_at + timedelta(seconds=1))
    with clock.pinned(MONDAY):
        ins.start_run(template("opening").id)
        done = {p.template.key: p for p in ins.day_plan(MONDAY.date())}
    assert not done["opening"].overdue(closing_at)


def test_a_signed_run_is_corrected_by_an_audited_amendment_with_its_reason(morning, sign_in_as):
    fire = template("fire")
    run = walk(ins.start_run(fire.id), {})
    done = ins.finish_run(run.row.id, run.row)
    manager = sign_in_as(session.DUTY_MANAGER, "manager1")
    signed = ins.sign_off(run.row.id, done.row)
    item = fire.items[1]
    with pytest.raises(ValidationError) as caught:
        ins.amend(run.row.id, item.id, signed.row, " ", FAIL, "消防栓被遮挡")
    assert caught.value.fields == {"reason": "请填写更正原因。"}
    with pytest.raises(ValidationError) as caught:
        ins.amend(run.row.id, item.id, signed.row, "复查发现", FAIL, "")
    assert "note" in caught.value.fields
    amended = ins.amend(run.row.id, item.id, signed.row, "复查发现遮挡", FAIL, "消防栓被遮挡")
    weights = [i.weight for i in fire.items]
    assert amended.row.score == pytest.approx((sum(weights) - item.weight) / sum(weights))
    assert amended.row.failed == 1 and amended.row.status == ins.SIGNED
    [action] = ins.actions(ins.ActionQuery())
    assert action.what == f"{item.text}（消防栓被遮挡）"
    entry = audit.history("inspection_run", run.row.id)[-1]
    assert entry.action == "amend" and "复查发现遮挡" in entry.detail and entry.username == manager.username
    with pytest.raises(ConflictError):
        ins.amend(run.row.id, item.id, signed.row, "再改", PASS)  # a stale copy
    back = ins.amend(run.row.id, item.id, amended.row, "误判，已核实", PASS)
    assert back.row.score == 1.0 and back.row.failed == 0
    assert len(ins.actions(ins.ActionQuery())) == 1  # the action stays, closed the usual way


def test_only_the_duty_manager_amends_and_an_open_run_is_not_amended(morning, sign_in_as):
    run = ins.start_run(template("fire").id)
    with pytest.raises(ConflictError):
        ins.amend(run.row.id, run.template.items[0].id, run.row, "原因", PASS)
    run = walk(run, {})
    done = ins.finish_run(run.row.id, run.row)
    sign_in_as(session.FRONT_DESK, "guide1")
    with pytest.raises(PermissionDeniedError):
        ins.amend(run.row.id, run.template.items[0].id, done.row, "原因", PASS)
