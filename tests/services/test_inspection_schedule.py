"""The inspections' schedule: what is due on a day, what is overdue and what was missed.

The hall is closed on statutory holidays and opens on make-up working days (调休); other days
follow the weekdays it opens (a setting). Dates from the 2026 State Council notice.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.errors import ConflictError, PermissionDeniedError, ValidationError
from frontdesk.services import audit, clock, holidays, session, settings
from frontdesk.services import inspections as ins

MONDAY = datetime(2026, 11, 16, 8, 40)
NATIONAL_DAY_MONDAY = datetime(2026, 10, 5, 8, 40)  # the National Day week: closed
MAKE_UP_SATURDAY = datetime(2026, 10, 10, 8, 40)  # 调休上班
PLAIN_SATURDAY = datetime(2026, 11, 21, 8, 40)


def template(key: str) -> ins.TemplateRow:
    return next(t for t in ins.templates() if t.key == key)


def due_keys(plan: list[ins.DueTemplate]) -> set[str]:
    return {p.template.key for p in plan if p.due}


def hours(opening: time, closing: time) -> None:
    settings.save(replace(settings.load(), opening_time=opening, closing_time=closing))


def test_on_a_monday_every_check_is_due_the_patrol_twice(configured):
    hours(time(9, 0), time(17, 0))
    with clock.pinned(MONDAY):
        plan = {p.template.key: p for p in ins.day_plan(MONDAY.date())}
    assert due_keys(list(plan.values())) == {"opening", "patrol", "closing", "fire", "self_service", "sampling"}
    day = MONDAY.date()
    assert [(s.label, s.deadline) for s in plan["patrol"].slots] == [
        ("首次巡视", datetime.combine(day, time(10, 0))), ("午间巡视", datetime.combine(day, time(14, 0)))]
    assert plan["opening"].slots[0].deadline == datetime.combine(day, time(9, 0))
    assert plan["closing"].slots[0].deadline == datetime.combine(day, time(18, 0))
    assert plan["fire"].slots[0].deadline == datetime.combine(day, time(17, 0))


def test_on_a_holiday_nothing_is_due_and_the_hall_says_why(configured):
    with clock.pinned(NATIONAL_DAY_MONDAY):
        plan = ins.day_plan(NATIONAL_DAY_MONDAY.date())
        got = ins.schedule(NATIONAL_DAY_MONDAY + timedelta(hours=10))
    assert due_keys(plan) == set() and all(not p.slots for p in plan)
    assert not got.hall.open and got.hall.reason == "法定节假日"
    assert (got.todo, got.overdue) == (0, 0)


def test_on_a_make_up_saturday_the_daily_checks_are_due_but_not_the_monday_fire_check(configured):
    with clock.pinned(MAKE_UP_SATURDAY):
        plan = ins.day_plan(MAKE_UP_SATURDAY.date())
        hall = ins.hall_day(MAKE_UP_SATURDAY.date())
    assert hall.open and hall.reason == "调休上班"
    assert due_keys(plan) == {"opening", "patrol", "closing", "self_service", "sampling"}


def test_a_plain_saturday_is_closed_unless_the_hall_opens_at_weekends(configured):
    with clock.pinned(PLAIN_SATURDAY):
        assert due_keys(ins.day_plan(PLAIN_SATURDAY.date())) == set()
        settings.save(replace(settings.load(), open_weekdays=0b1111111))
        assert due_keys(ins.day_plan(PLAIN_SATURDAY.date())) == {
            "opening", "patrol", "closing", "self_service", "sampling"}
        # A statutory holiday stays closed even for a hall open every day of the week.
        assert due_keys(ins.day_plan(NATIONAL_DAY_MONDAY.date())) == set()


def test_a_day_the_administrator_typed_in_as_a_holiday_is_closed(configured):
    holidays.import_days("2026-11-16 休 网点停业")
    with clock.pinned(MONDAY):
        assert due_keys(ins.day_plan(MONDAY.date())) == set()


def test_a_year_the_calendar_does_not_know_follows_the_weekdays(configured):
    day = date(2040, 1, 2)  # a Monday
    with clock.pinned(datetime.combine(day, time(8, 0))):
        hall = ins.hall_day(day)
        assert hall.open and not hall.calendar_known
        assert "fire" in due_keys(ins.day_plan(day))


def test_overdue_today_and_missed_the_days_before_with_the_clock_pinned(configured):
    hours(time(9, 0), time(17, 0))
    day = MONDAY.date()
    with clock.pinned(datetime.combine(day, time(8, 30))):
        ins.start_run(template("opening").id)  # on time
    with clock.pinned(datetime.combine(day, time(10, 30))):
        ins.start_run(template("patrol").id)  # the first patrol, late
        got = ins.schedule(clock.now())
    slots = {(p.template.key, s.label): s for p in got.plan for s in p.slots}
    now = datetime.combine(day, time(10, 30))
    assert slots[("opening", "")].state(now) == ins.SLOT_DONE
    assert slots[("patrol", "首次巡视")].state(now) == ins.SLOT_LATE
    assert slots[("patrol", "午间巡视")].state(now) == ins.SLOT_TODO
    assert slots[("self_service", "")].state(now) == ins.SLOT_OVERDUE  # due by opening, not done
    # todo: midday patrol, fire, sampling, closing; overdue: the self-service check.
    assert (got.todo, got.overdue) == (4, 1)
    # The next day (a Tuesday) the Monday's undone checks are missed; the holiday week is not.
    tuesday = datetime.combine(day + timedelta(days=1), time(8, 0))
    with clock.pinned(tuesday):
        later = ins.schedule(clock.now())
    missed = {(m.day, m.template_name, m.label) for m in later.missed}
    assert (day, "消防器材巡检", "") in missed and (day, "现场巡视", "午间巡视") in missed
    assert not any(m.template_name == "班前检查" and m.day == day for m in later.missed)
    assert all(m.day < tuesday.date() for m in later.missed)
    assert later.todo == 6 and later.overdue == 0  # Tuesday 08:00: nothing late yet
    # The days before the first run ever made are not missed (the hall began using the checks).
    assert min(m.day for m in later.missed) == day


def test_the_midday_patrol_counts_only_a_run_from_noon(configured):
    hours(time(9, 0), time(17, 0))
    day = MONDAY.date()
    for at in (time(9, 30), time(11, 0)):
        with clock.pinned(datetime.combine(day, at)):
            ins.start_run(template("patrol").id)
    with clock.pinned(datetime.combine(day, time(12, 30))):
        patrol = next(p for p in ins.day_plan(day) if p.template.key == "patrol")
        assert patrol.runs == 2 and [s.done_at is not None for s in patrol.slots] == [True, False]
        ins.start_run(template("patrol").id)
        patrol = next(p for p in ins.day_plan(day) if p.template.key == "patrol")
    assert patrol.finished and patrol.slots[1].state(clock.now()) == ins.SLOT_DONE


# ------------------------------------------------------------ new and deactivated templates


def test_a_new_template_from_scratch_is_custom_due_by_closing_and_audited(configured):
    hours(time(9, 0), time(17, 0))
    made = ins.create_template(ins.TemplateInput("雨天防滑检查", (ins.ItemSpec("防滑标识已摆放", "安全"),
                                                                 ins.ItemSpec("地垫已铺好", "安全", 2)),
                                                 due_weekdays=0b0000001))
    assert (made.kind, made.revision, made.is_current, made.active) == ("custom", 1, True, True)
    assert [i.text for i in made.items] == ["防滑标识已摆放", "地垫已铺好"]
    with clock.pinned(MONDAY):
        entry = next(p for p in ins.day_plan(MONDAY.date()) if p.template.id == made.id)
    assert entry.due and entry.deadline == datetime.combine(MONDAY.date(), time(17, 0))
    assert [e.action for e in audit.history("inspection_template", made.id)] == ["create"]
    with pytest.raises(ValidationError) as caught:
        ins.create_template(ins.TemplateInput("雨天防滑检查", (ins.ItemSpec("x"),)))
    assert caught.value.fields == {"name": "已有名为“雨天防滑检查”的模板。"}


def test_a_copy_keeps_the_kind_and_the_source_is_untouched(configured):
    opening = template("opening")
    copy = ins.create_template(ins.TemplateInput("班前检查（二楼）", opening.to_input().items), copy_of=opening.id)
    assert copy.kind == "opening" and copy.key != opening.key and len(copy.items) == len(opening.items)
    assert template("opening") == opening


def test_a_deactivated_template_is_neither_offered_nor_scheduled_and_its_runs_stay(configured):
    fire = template("fire")
    with clock.pinned(MONDAY):
        run = ins.start_run(fire.id)
        off = ins.set_template_active(fire.id, False)
        assert not off.active and off.revision == 2
        assert "fire" not in {p.template.key for p in ins.day_plan(MONDAY.date())}
        assert "fire" not in {t.key for t in ins.templates()}
        assert "fire" in {t.key for t in ins.templates(include_inactive=True)}
        with pytest.raises(ConflictError):
            ins.start_run(off.id)
        assert ins.get_run(run.row.id).template.id == fire.id  # the past run keeps its revision
        on = ins.set_template_active(off.id, True)
        assert on.active and on.revision == 3 and "fire" in due_keys(ins.day_plan(MONDAY.date()))
    assert "deactivate" in [e.action for e in audit.history("inspection_template", off.id)]
    assert "reactivate" in [e.action for e in audit.history("inspection_template", on.id)]


def test_only_who_manages_templates_creates_or_deactivates_them(configured, sign_in_as):
    fire = template("fire")
    sign_in_as(session.FRONT_DESK, "desk1")
    with pytest.raises(PermissionDeniedError):
        ins.create_template(ins.TemplateInput("自定义", (ins.ItemSpec("x"),)))
    with pytest.raises(PermissionDeniedError):
        ins.set_template_active(fire.id, False)


def test_the_weekdays_the_hall_opens_are_saved_audited_and_shown_by_name(configured):
    settings.save(replace(settings.load(), open_weekdays=0b0111111))
    assert settings.load().open_weekdays == 0b0111111
    assert settings.SETTINGS_FIELDS.show("open_weekdays", "63") == "周一、周二、周三、周四、周五、周六"
    assert settings.SETTINGS_FIELDS.label("open_weekdays") == "营业日"
    with pytest.raises(ValidationError):
        settings.save(replace(settings.load(), open_weekdays=256))
