"""Meeting notes: made from the template and the duty list, yesterday's figures counted here,
attendance counts, finalise / re-open, action items carried over across kinds, a weekend and a
holiday, the teaching-case book, and who may do what — on both back ends."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.db import migrations
from frontdesk.errors import ConflictError, PermissionDeniedError, ValidationError
from frontdesk.services import audit, clock, session, staff, visitors
from frontdesk.services import meetings as mt
from frontdesk.services.staff import StaffInput
from frontdesk.services.visitors import VisitInput

WEDNESDAY = datetime(2026, 11, 18, 8, 40)
TUESDAY = date(2026, 11, 17)
FRIDAY = date(2026, 11, 13)
MONDAY = datetime(2026, 11, 16, 8, 40)
AFTER_NATIONAL_DAY = datetime(2026, 10, 8, 8, 40)  # 10-01…10-07 off; the last working day was 09-30


@pytest.fixture
def people(configured):
    return [staff.add_staff(StaffInput(f"员工{i}", f"M{i:03d}", "teller")).id for i in range(4)]


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm)


def morning_meeting(when: datetime) -> mt.MeetingDetail:
    with clock.pinned(when):
        return mt.open_today()


# ------------------------------------------------------------------ the rules


@pytest.mark.parametrize(("today", "looked_back_on"), [
    (date(2026, 11, 18), date(2026, 11, 17)),  # Wednesday: Tuesday
    (date(2026, 11, 16), date(2026, 11, 13)),  # Monday: Friday
    (date(2026, 10, 8), date(2026, 9, 30)),  # after the National Day week
    (date(2026, 10, 10), date(2026, 10, 9)),  # a make-up Saturday: the Friday before
    (date(2026, 10, 12), date(2026, 10, 10)),  # the Monday after it: that Saturday
])
def test_the_figures_look_back_on_the_last_working_day(today, looked_back_on):
    assert mt.last_working_day_before(today) == looked_back_on


def _row(kind: str, start: time | None, end: time | None, planned: int = 20) -> mt.MeetingRow:
    return mt.MeetingRow(1, kind, WEDNESDAY.date(), None, planned, start, end, None, "", mt.DRAFT, 0, 0, None, 1)


@pytest.mark.parametrize(("start", "late"), [(time(8, 30), False), (time(8, 45), False), (time(8, 46), True)])
def test_a_morning_meeting_starting_later_than_the_setting_before_opening_is_warned(start, late):
    cfg = mt.MeetingConfigRow(lead_minutes=15)
    found = mt.warnings(_row(mt.MORNING, start, None), time(9, 0), cfg)
    assert bool(found) is late
    assert not mt.warnings(_row(mt.AFTER_SHIFT, start, None), time(9, 0), cfg)


def test_a_meeting_running_longer_than_planned_is_warned():
    cfg = mt.MeetingConfigRow()
    assert not mt.warnings(_row(mt.MORNING, time(8, 30), time(8, 50), planned=20), time(9, 0), cfg)
    [found] = mt.warnings(_row(mt.MORNING, time(8, 30), time(8, 51), planned=20), time(9, 0), cfg)
    assert "21" in found and "20" in found


def test_attendance_counts():
    rows = [mt.AttendanceRow(1, "a"), mt.AttendanceRow(2, "b", mt.LATE, 5), mt.AttendanceRow(3, "c", mt.ABSENT),
            mt.AttendanceRow(4, "d", mt.LEAVE, leave_kind="sick"), mt.AttendanceRow(5, "e")]
    counts = mt.count_attendance(rows)
    assert (counts.expected, counts.present, counts.late, counts.absent, counts.leave) == (5, 2, 1, 1, 1)
    assert counts.attended == 3 and counts.rate == pytest.approx(3 / 5)
    assert mt.count_attendance([]).rate is None


# ------------------------------------------------------------------ a meeting


def test_todays_morning_meeting_comes_from_the_template_and_the_duty_list(people, db_location):
    staff.set_duty(WEDNESDAY.date(), people[:3])
    meeting = morning_meeting(WEDNESDAY)
    step = next(m for m in migrations.MIGRATIONS if hasattr(m, "PRESET_SECTIONS"))  # numbered at merge
    titles = [title for _key, title in dict(step.PRESET_SECTIONS)[mt.MORNING]]
    assert [s.title for s in meeting.sections] == titles
    assert meeting.sections[0].title == "表扬"  # praise first
    assert [a.staff_id for a in meeting.attendance] == people[:3]
    assert meeting.counts.attended == 3 and meeting.row.status == mt.DRAFT
    assert meeting.row.planned_start == time(8, 45)  # opening 9:00 less the default 15 minutes
    again = morning_meeting(WEDNESDAY + timedelta(minutes=5))
    assert again.row.id == meeting.row.id  # one key away: the same meeting, not a second one
    assert mt.count_meetings(mt.MeetingQuery(WEDNESDAY.date(), WEDNESDAY.date())) == 1


def _visit(kinds, arrived: datetime, wait: int | None, service: int = 5, needs=frozenset()):
    bts, dests = kinds
    with clock.pinned(arrived, ticking=False):
        row = visitors.register(VisitInput(business_type_id=bts["理赔"], destination_id=dests["1号窗口"],
                                           arrived_at=arrived, special_needs=needs))
    if wait is None:
        with clock.pinned(arrived + timedelta(minutes=40), ticking=False):
            visitors.mark_left(row.id)
        return
    with clock.pinned(arrived + timedelta(minutes=wait), ticking=False):
        visitors.call(row.id, served_by="王芳")
    with clock.pinned(arrived + timedelta(minutes=wait + service), ticking=False):
        visitors.finish(row.id, outcome="done")


def test_monday_pre_fills_fridays_figures_counted_here(people, kinds):
    waits = [4, 16, 31, None]  # one over 15, one over 30 (of the three called), one left
    for n, wait in enumerate(waits):
        _visit(kinds, at(FRIDAY, 9, 10 * n), wait, needs=frozenset({"elderly"}) if n == 0 else frozenset())
    _visit(kinds, at(date(2026, 11, 14), 10), 3)  # Saturday: not Friday's, not Monday's
    meeting = morning_meeting(MONDAY)
    assert meeting.numbers_day == FRIDAY
    shown = dict(meeting.numbers)
    called = [w for w in waits if w is not None]
    assert shown["来访人数"] == str(len(waits))
    assert shown["平均等候"] == f"{sum(called) / len(called):.0f} 分钟"
    assert shown["最长等候"] == f"{max(called)} 分钟"
    assert shown["等候超过 15 分钟"] == f"{sum(1 for w in called if w > 15) * 100 / len(called):.0f}%"
    assert shown["等候超过 30 分钟"] == f"{sum(1 for w in called if w > 30) * 100 / len(called):.0f}%"
    assert shown["特殊客户"] == "1" and shown["未办理离开"] == "1"
    assert shown["应做检查 / 已做"].endswith("/ 0")


def test_monday_pre_fills_fridays_tickets_and_open_faults_counted_here(people):
    from frontdesk.services import complaints as cs
    from frontdesk.services import faults

    def ticket(kind: str, received: datetime) -> None:
        with clock.pinned(received, ticking=False):
            cs.create(cs.ComplaintInput(kind=kind, channel=cs.ON_SITE, category="服务态度及服务质量",
                                        customer_name="张先生", phone="13812345678", description="柜员态度生硬"))

    ticket(cs.COMPLAINT, at(date(2026, 11, 2), 10))  # 7 working days: due 11-11, overdue on Friday
    ticket(cs.CONSULTATION, at(date(2026, 11, 12), 10))  # 2 working days: due Monday, the next working day
    ticket(cs.COMPLAINT, at(FRIDAY, 11))  # Friday's new one, due the week after
    ticket(cs.COMPLAINT, at(MONDAY.date(), 8))  # Monday's: not Friday's
    device = faults.devices()[0].id
    with clock.pinned(at(date(2026, 11, 12), 9), ticking=False):
        fixed = faults.report(device, "出票口卡纸")
        faults.report(device, "屏幕无显示")
    with clock.pinned(at(FRIDAY, 9), ticking=False):
        faults.follow_up(fixed.id, fixed, faults.FaultFollowUp("出票口卡纸", False, False, "", True, "已清理"))
    shown = dict(morning_meeting(MONDAY).numbers)
    assert shown["投诉工单 新收 / 将到期 / 逾期"] == "1 / 1 / 1"
    assert shown["未修复设备故障"] == "1"


def test_the_figures_are_stored_as_shown_and_editable_in_a_draft(people, kinds):
    _visit(kinds, at(TUESDAY, 10), 5)
    meeting = morning_meeting(WEDNESDAY)
    assert dict(meeting.numbers)["来访人数"] == "1"
    _visit(kinds, at(TUESDAY, 11), 5)  # entered late: the meeting keeps what it showed
    assert dict(mt.get_meeting(meeting.row.id).numbers)["来访人数"] == "1"
    edited = tuple((k, "2" if k == "来访人数" else v) for k, v in meeting.numbers)
    with clock.pinned(WEDNESDAY):
        saved = mt.update_meeting(meeting.row.id, meeting.row.version,
                                  mt.MeetingInput(sections=meeting.sections, attendance=meeting.attendance,
                                                  numbers=edited))
    assert dict(saved.numbers)["来访人数"] == "2"


def _input(meeting: mt.MeetingDetail, **changes) -> mt.MeetingInput:
    base = {"started_at": time(8, 30), "ended_at": time(8, 50), "host_id": None,
            "sections": meeting.sections, "attendance": meeting.attendance, "numbers": meeting.numbers}
    return mt.MeetingInput(**{**base, **changes})


def test_attendance_late_leave_and_grooming_are_saved_and_counted(people):
    meeting = morning_meeting(WEDNESDAY)
    a = meeting.attendance
    marked = (a[0], mt.AttendanceRow(a[1].staff_id, a[1].staff_name, mt.LATE, 7),
              mt.AttendanceRow(a[2].staff_id, a[2].staff_name, mt.LEAVE, leave_kind="in_lieu"),
              mt.AttendanceRow(a[3].staff_id, a[3].staff_name, mt.ABSENT, grooming=mt.GROOMING_ATTENTION,
                               grooming_note="胸牌未佩戴"))
    praise = (mt.SectionRow("praise", "表扬", "员工0 耐心安抚客户"), *meeting.sections[1:])
    with clock.pinned(WEDNESDAY):
        saved = mt.update_meeting(meeting.row.id, meeting.row.version,
                                  _input(meeting, attendance=marked, sections=praise, host_id=people[0]))
    c = saved.counts
    assert (c.present, c.late, c.absent, c.leave, c.attended) == (1, 1, 1, 1, 2)
    assert saved.row.expected == 4 and saved.row.attended == 2
    assert saved.attendance[1].status_label == "迟到 7 分钟"
    assert saved.attendance[2].status_label == "请假（调休）"
    assert saved.attendance[3].grooming_note == "胸牌未佩戴"
    assert saved.sections[0].text == "员工0 耐心安抚客户" and saved.row.host_name == "员工0"
    assert saved.row.minutes == 20 and saved.row.version == meeting.row.version + 1


@pytest.mark.parametrize(("row", "field"), [
    (lambda a: mt.AttendanceRow(a.staff_id, a.staff_name, mt.LATE), "attendance_{id}"),  # minutes missing
    (lambda a: mt.AttendanceRow(a.staff_id, a.staff_name, mt.LEAVE), "attendance_{id}"),  # kind missing
    (lambda a: mt.AttendanceRow(a.staff_id, a.staff_name, "asleep"), "attendance_{id}"),
])
def test_bad_attendance_is_refused_at_the_person(people, row, field):
    meeting = morning_meeting(WEDNESDAY)
    first = meeting.attendance[0]
    with clock.pinned(WEDNESDAY), pytest.raises(ValidationError) as caught:
        mt.update_meeting(meeting.row.id, meeting.row.version,
                          _input(meeting, attendance=(row(first), *meeting.attendance[1:])))
    assert field.format(id=first.staff_id) in caught.value.fields
    assert mt.get_meeting(meeting.row.id).attendance == meeting.attendance  # nothing half-saved


def test_an_end_before_the_start_and_a_control_character_are_refused(people):
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        with pytest.raises(ValidationError) as caught:
            mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting, ended_at=time(8, 0)))
        assert "ended_at" in caught.value.fields
        bad = (mt.SectionRow("praise", "表扬", "好\x07"), *meeting.sections[1:])
        with pytest.raises(ValidationError) as caught:
            mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting, sections=bad))
        assert "section_0" in caught.value.fields


def test_a_stale_version_is_a_conflict(people):
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting))
        with pytest.raises(ConflictError):
            mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting, ended_at=time(8, 55)))


def test_finalise_then_reopen_with_a_reason_both_audited(people):
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        with pytest.raises(ValidationError) as caught:
            mt.finalise(meeting.row.id, meeting.row.version)
        assert {"started_at", "ended_at"} <= set(caught.value.fields)
        saved = mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting))
        final = mt.finalise(saved.row.id, saved.row.version)
        assert final.row.status == mt.FINAL and final.row.finalised_at is not None
        with pytest.raises(ConflictError):
            mt.update_meeting(final.row.id, final.row.version, _input(final, ended_at=time(8, 55)))
        with pytest.raises(ConflictError):
            mt.add_action(final.row.id, "补充")
        with pytest.raises(ValidationError):
            mt.reopen(final.row.id, final.row.version, "  ")
        draft = mt.reopen(final.row.id, final.row.version, "补记迟到人员")
    assert draft.row.status == mt.DRAFT and draft.row.finalised_at is None
    history = audit.history("meeting", meeting.row.id)
    assert [h.action for h in history][-3:] == ["update", "finalise", "reopen"]
    assert history[-1].detail == "补记迟到人员"
    assert (history[-1].action_label, history[-1].entity_label) == ("重新打开", "会议记录")
    assert history[-2].action_label == "定稿"


def test_a_reopened_meeting_shows_its_amendments_in_the_record_and_on_the_protocol(people, tmp_path):
    from frontdesk.reports import write_pdf
    from tests.reports.conftest import pdf_text, squeeze

    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        saved = mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting))
        final = mt.finalise(saved.row.id, saved.row.version)
        assert final.amendments == ()
    with clock.pinned(WEDNESDAY + timedelta(hours=2)):
        draft = mt.reopen(final.row.id, final.row.version, "补记迟到人员")
        again = mt.finalise(draft.row.id, draft.row.version)
    [amended] = again.amendments
    assert (amended.at, amended.reason) == (WEDNESDAY + timedelta(hours=2), "补记迟到人员") and amended.who
    path = tmp_path / "p.pdf"
    write_pdf(mt.protocol(again.row.id), path)
    assert "修订1次" in squeeze(pdf_text(path)) and "补记迟到人员" in squeeze(pdf_text(path))


def test_the_front_desk_reads_but_does_not_write(people, sign_in_as):
    meeting = morning_meeting(WEDNESDAY)
    sign_in_as(session.FRONT_DESK, "guide1")
    assert mt.get_meeting(meeting.row.id).row.id == meeting.row.id
    assert mt.open_actions(WEDNESDAY.date()) == []
    with clock.pinned(WEDNESDAY):
        for attempt in (lambda: mt.open_today(), lambda: mt.finalise(meeting.row.id, meeting.row.version),
                        lambda: mt.add_action(meeting.row.id, "x"), lambda: mt.add_case(mt.CaseInput("t", "", "x"))):
            with pytest.raises(PermissionDeniedError):
                attempt()


def test_the_duty_manager_holds_meetings_but_only_the_administrator_edits_templates(people, sign_in_as):
    sign_in_as(session.DUTY_MANAGER, "manager1")
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        saved = mt.update_meeting(meeting.row.id, meeting.row.version, _input(meeting))
        assert mt.finalise(saved.row.id, saved.row.version).row.status == mt.FINAL
        with pytest.raises(PermissionDeniedError):
            mt.save_template(mt.MORNING, ["表扬"])
        with pytest.raises(PermissionDeniedError):
            mt.save_config(mt.MeetingConfigRow(lead_minutes=30), mt.config())


def test_an_edited_template_shapes_new_meetings_only(people):
    old = morning_meeting(WEDNESDAY)
    titles = ["表扬", "今日重点", "安全提示"]
    saved = mt.save_template(mt.MORNING, titles)
    assert [s.title for s in saved] == titles
    assert saved[0].key == "praise" and saved[1].key == "today"  # kept titles keep their keys
    with clock.pinned(WEDNESDAY):
        new = mt.create_meeting(mt.MORNING, WEDNESDAY.date())
    assert [s.title for s in new.sections] == titles
    assert [s.title for s in mt.get_meeting(old.row.id).sections] != titles
    with pytest.raises(ValidationError):
        mt.save_template(mt.MORNING, ["表扬", "表扬"])
    with pytest.raises(ValidationError):
        mt.save_template(mt.MORNING, ["", " "])


def test_the_lead_time_setting_moves_the_planned_start(people):
    cfg = mt.save_config(mt.MeetingConfigRow(lead_minutes=30, planned_minutes=25), mt.config())
    assert (cfg.lead_minutes, cfg.planned_minutes) == (30, 25)
    meeting = morning_meeting(WEDNESDAY)
    assert meeting.row.planned_start == time(8, 30) and meeting.row.planned_minutes == 25
    with pytest.raises(ValidationError) as caught:
        mt.save_config(mt.MeetingConfigRow(lead_minutes=-1), mt.config())
    assert "lead_minutes" in caught.value.fields
    with pytest.raises(ConflictError):
        mt.save_config(mt.MeetingConfigRow(lead_minutes=20), mt.MeetingConfigRow(version=cfg.version - 1))


def _template_entries() -> list:
    from frontdesk.db.models import AuditEntry

    return list(AuditEntry.select().where(AuditEntry.entity.in_(("meeting_template", "meeting_config")))
                .order_by(AuditEntry.seq))


def test_the_template_and_the_settings_are_saved_together_in_one_entry_or_not_at_all(people):
    before = len(_template_entries())
    titles = ["表扬", "今日重点", "安全提示"]
    sections, cfg = mt.save_template_and_config(mt.MORNING, titles, mt.MeetingConfigRow(lead_minutes=30),
                                                mt.config())
    assert [s.title for s in sections] == titles and cfg.lead_minutes == 30
    [entry] = _template_entries()[before:]
    assert entry.entity == "meeting_template" and "安全提示" in entry.after and "lead_minutes" in entry.after
    # a stale setting: the template is not written either
    with pytest.raises(ConflictError):
        mt.save_template_and_config(mt.MORNING, ["表扬"], mt.MeetingConfigRow(lead_minutes=20),
                                    mt.MeetingConfigRow(version=cfg.version - 1))
    assert [s.title for s in mt.template(mt.MORNING)] == titles
    # bad titles and a bad setting: every message at once, each title's on the text box
    with pytest.raises(ValidationError) as caught:
        mt.save_template_and_config(mt.MORNING, ["表扬", "表扬", "a\x07"], mt.MeetingConfigRow(lead_minutes=-1),
                                    mt.config())
    assert set(caught.value.fields) == {"titles", "lead_minutes"}
    assert "栏目名称不能重复。" in caught.value.fields["titles"]
    assert len(_template_entries()) == before + 1
    # nothing changed: nothing recorded
    mt.save_template_and_config(mt.MORNING, titles, mt.config(), mt.config())
    assert len(_template_entries()) == before + 1


# ------------------------------------------------------------------ action items


def test_open_items_are_carried_across_kinds_a_weekend_and_a_holiday_until_done(people):
    friday = morning_meeting(at(FRIDAY, 8, 40))
    with clock.pinned(at(FRIDAY, 8, 45)):
        late = mt.add_action(friday.row.id, "更换过期宣传资料", people[0], FRIDAY)
        soon = mt.add_action(friday.row.id, "补充饮水机水桶", people[1], MONDAY.date())
        done = mt.add_action(friday.row.id, "修好叫号机", None, None)
        mt.close_action(done.id, done)
    with clock.pinned(at(FRIDAY, 17, 30)):
        after = mt.create_meeting(mt.AFTER_SHIFT, FRIDAY)
    assert {a.id for a in after.carried} == {late.id, soon.id}  # the morning's, at the after-shift
    monday = morning_meeting(MONDAY)
    carried = {a.id: a for a in monday.carried}
    assert set(carried) == {late.id, soon.id}
    today = MONDAY.date()
    assert carried[late.id].overdue(today) and not carried[late.id].due_today(today)
    assert carried[soon.id].due_today(today) and not carried[soon.id].overdue(today)
    assert carried[late.id].age_days(today) == 3
    with clock.pinned(MONDAY + timedelta(minutes=10)):
        mt.close_action(late.id, carried[late.id])
    with clock.pinned(at(date(2026, 11, 17), 8, 40)):
        tuesday = mt.open_today(mt.MORNING)
    assert [a.id for a in tuesday.carried] == [soon.id]
    # Monday's meeting, read again, still shows what was open on its day
    assert {a.id for a in mt.get_meeting(monday.row.id).carried} == {late.id, soon.id}


def test_an_item_stays_open_over_the_national_day_week(people):
    before = morning_meeting(datetime(2026, 9, 30, 8, 40))
    with clock.pinned(datetime(2026, 9, 30, 8, 45)):
        item = mt.add_action(before.row.id, "节后检查自助设备", people[2], date(2026, 10, 8))
    after = morning_meeting(AFTER_NATIONAL_DAY)
    assert after.numbers_day == date(2026, 9, 30)
    [carried] = after.carried
    assert carried.id == item.id and carried.due_today(date(2026, 10, 8)) and carried.age_days(date(2026, 10, 8)) == 8
    assert [a.id for a in mt.open_actions(date(2026, 10, 8))] == [item.id]


def test_closing_an_item_records_who_and_when_and_cannot_happen_twice(people, sign_in_as):
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        item = mt.add_action(meeting.row.id, "整理意见簿", people[0], None)
    manager = sign_in_as(session.DUTY_MANAGER, "manager1", "李经理")
    with clock.pinned(WEDNESDAY + timedelta(hours=2), ticking=False):
        closed = mt.close_action(item.id, item)
        assert closed.done_at == WEDNESDAY + timedelta(hours=2)
        with pytest.raises(ConflictError):
            mt.close_action(closed.id, closed)
    assert closed.done_by_name == manager.display_name
    assert audit.history("meeting_action", item.id)[-1].action == "done"


def test_an_item_needs_its_text_and_a_known_owner(people):
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY), pytest.raises(ValidationError) as caught:
        mt.add_action(meeting.row.id, "  ", 99999, None)
    assert {"text", "owner"} <= set(caught.value.fields)


# ------------------------------------------------------------------ cases, paging


def test_the_case_book_finds_a_case_in_any_field_and_tag(people):
    meeting = morning_meeting(WEDNESDAY)
    with clock.pinned(WEDNESDAY):
        first = mt.add_case(mt.CaseInput("老人退保挽留", "老人要求当场退保", "耐心讲解保单利益", "先倾听再讲解",
                                         "退保，老年客户 退保", meeting.row.id))
        mt.add_case(mt.CaseInput("叫号机故障", "叫号机无法出票。", tags="设备"))
        with pytest.raises(ValidationError) as caught:
            mt.add_case(mt.CaseInput("", "", lesson="a\x07"))
    assert set(caught.value.fields) == {"title", "situation", "lesson"}
    assert first.tags == ("退保", "老年客户") and first.meeting_day == WEDNESDAY.date()
    for word in ("退保挽留", "当场", "保单利益", "倾听", "老年客户"):
        assert [c.id for c in mt.cases(word)] == [first.id], word
    assert len(mt.cases()) == 2 and len(mt.cases("设备")) == 1
    with clock.pinned(WEDNESDAY):
        updated = mt.update_case(first.id, first, mt.CaseInput("老人退保挽留成功", first.situation, first.handling,
                                                                first.lesson, first.tags_text, meeting.row.id))
        with pytest.raises(ConflictError):
            mt.update_case(first.id, first, mt.CaseInput("旧版本", "x"))
    assert updated.title == "老人退保挽留成功" and updated.version == first.version + 1
    [entry] = [h for h in audit.history("teaching_case", first.id) if h.action == "update"]
    assert "老人退保挽留成功" in str(entry.after)


def test_the_case_book_pdf_shows_the_fields(people, tmp_path):
    from frontdesk.reports import write_pdf
    from tests.reports.conftest import pdf_text, squeeze

    with clock.pinned(WEDNESDAY):
        mt.add_case(mt.CaseInput("老人久等", "等候四十分钟后抱怨", "送水致歉，优先办理", "先处理情绪", "等候 老年客户"))
        report = mt.case_book()
    target = tmp_path / "cases.pdf"
    write_pdf(report, target)
    text = squeeze(pdf_text(target))
    assert "典型案例汇编" in text and "【老人久等】（标签：等候、老年客户）" in text
    assert "情况：等候四十分钟后抱怨" in text and "处理：送水致歉，优先办理" in text and "启示：先处理情绪" in text


def test_the_list_pages_and_filters_by_kind(people):
    days = [WEDNESDAY.date() - timedelta(days=n) for n in range(5)]
    with clock.pinned(WEDNESDAY):
        for d in days:
            mt.create_meeting(mt.MORNING, d)
        mt.create_meeting(mt.AFTER_SHIFT, days[0])
    q = mt.MeetingQuery(days[-1], days[0])
    assert mt.count_meetings(q) == 6
    mornings = mt.MeetingQuery(days[-1], days[0], kind=mt.MORNING)
    assert mt.count_meetings(mornings) == 5
    page = mt.fetch_meetings(mornings, 0, 3)
    assert [r.day for r in page] == days[:3]
    rest = mt.fetch_meetings(mornings, 3, 3)
    assert [r.day for r in rest] == days[3:]
    assert mt.meeting_position(mornings, rest[0].id) == 3
    stamp = mt.meetings_change_stamp(q)
    with clock.pinned(WEDNESDAY):
        mt.create_meeting(mt.MONTHLY, days[1])
    assert mt.meetings_change_stamp(q) != stamp


# ------------------------------------------------------------------ the protocol


@pytest.mark.parametrize("praise_only", [True, False])
def test_the_protocol_pdf_has_attendance_sections_and_actions_and_honours_praise_only(people, tmp_path, praise_only):
    from frontdesk.reports import write_pdf
    from tests.reports.conftest import page_count, pdf_text, squeeze

    mt.save_config(mt.MeetingConfigRow(praise_only=praise_only), mt.config())
    meeting = morning_meeting(WEDNESDAY)
    a = meeting.attendance
    marked = (mt.AttendanceRow(a[0].staff_id, a[0].staff_name, grooming=mt.GROOMING_ATTENTION,
                               grooming_note="工牌歪斜"),
              mt.AttendanceRow(a[1].staff_id, a[1].staff_name, mt.LATE, 6), *a[2:])
    praise = (mt.SectionRow("praise", "表扬", "员工2 获客户书面表扬"), *meeting.sections[1:])
    with clock.pinned(WEDNESDAY):
        saved = mt.update_meeting(meeting.row.id, meeting.row.version,
                                  _input(meeting, attendance=marked, sections=praise, host_id=people[3]))
        mt.add_action(saved.row.id, "更新利率公告", people[0], WEDNESDAY.date())
        mt.finalise(saved.row.id, saved.row.version)
        report = mt.protocol(saved.row.id)
    target = tmp_path / "protocol.pdf"
    write_pdf(report, target)
    text = squeeze(pdf_text(target))
    assert page_count(target) == 1
    assert "晨会纪要" in text and "2026年11月18日" in text and "08:30–08:50" in text
    assert "主持人：员工3" in text
    assert "【迟到】员工1（6分钟）" in text and "【表扬】员工2获客户书面表扬" in text
    assert "更新利率公告" in text and "今日到期" in text
    counts = saved.counts
    # the key figures, four a row: the labels, then their values
    assert (f"应到出席迟到缺席{counts.expected}人{counts.present}人{counts.late}人{counts.absent}人"
            f"请假{counts.leave}人") in text
    assert ("工牌歪斜" in text) is (not praise_only)
    assert ("需注意" in text) is (not praise_only)


BUSY_STAFF = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐明", "孙丽", "马超",
              "朱琳", "胡军", "郭晓", "何平", "林涛")


def busy_meeting() -> mt.MeetingDetail:
    """A full hall's morning meeting: 18 on duty, every kind of attendance, long sections, a dozen
    figures and a dozen action items (most carried over from earlier meetings)."""
    ids = [staff.add_staff(StaffInput(name, f"B{n:03d}", "teller")).id for n, name in enumerate(BUSY_STAFF)]
    for back in range(8, 0, -1):
        with clock.pinned(WEDNESDAY - timedelta(days=back)):
            earlier = mt.create_meeting(mt.MORNING, WEDNESDAY.date() - timedelta(days=back))
            mt.add_action(earlier.row.id, f"第{back}项：整改宣传资料架并补充最新的利率公告和产品说明书", ids[back],
                          WEDNESDAY.date() - timedelta(days=back - 2))
    meeting = morning_meeting(WEDNESDAY)
    a = meeting.attendance
    marked = [*a]
    marked[1] = mt.AttendanceRow(a[1].staff_id, a[1].staff_name, mt.LATE, 12)
    marked[2] = mt.AttendanceRow(a[2].staff_id, a[2].staff_name, mt.LEAVE, leave_kind="sick")
    marked[3] = mt.AttendanceRow(a[3].staff_id, a[3].staff_name, mt.ABSENT)
    marked[4] = mt.AttendanceRow(a[4].staff_id, a[4].staff_name, grooming=mt.GROOMING_ATTENTION,
                                 grooming_note="胸牌未佩戴，已当面提醒")
    long_text = "昨日高峰时段等候较长，两名老年客户由引导员陪同办理，客户当面致谢；请各位继续保持。" * 2
    sections = tuple(mt.SectionRow(s.key, s.title, long_text) for s in meeting.sections)
    numbers = tuple((f"指标{n}", f"{n * 7} / {n}") for n in range(13))  # every figure numbers_of can give
    with clock.pinned(WEDNESDAY):
        saved = mt.update_meeting(meeting.row.id, meeting.row.version,
                                  _input(meeting, attendance=tuple(marked), sections=sections, numbers=numbers,
                                         host_id=ids[0]))
        for n in range(4):
            mt.add_action(saved.row.id, f"今日新增第{n}项：检查自助设备并登记故障", ids[n], WEDNESDAY.date())
        return mt.finalise(saved.row.id, saved.row.version)


@pytest.mark.parametrize("praise_only", [True, False])
def test_a_busy_meetings_protocol_fits_one_page_and_renders(configured, tmp_path, praise_only):
    from frontdesk.reports import write_pdf
    from tests.reports.conftest import page_count, pdf_text, poppler, squeeze

    mt.save_config(mt.MeetingConfigRow(praise_only=praise_only), mt.config())
    final = busy_meeting()
    with clock.pinned(WEDNESDAY):
        report = mt.protocol(final.row.id)
    target = tmp_path / "纪要.pdf"
    write_pdf(report, target)
    assert page_count(target) == 1
    text = squeeze(pdf_text(target))
    assert all(name in text for name in BUSY_STAFF)
    assert "李娜（12分钟）" in text and "张伟（病假）" in text and "第8项" in text and "今日新增第3项" in text
    assert ("胸牌未佩戴" in text) is (not praise_only)
    poppler("pdftoppm", "-r", "50", "-png", str(target), str(tmp_path / "page"))
    [image] = tmp_path.glob("page*.png")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size > 10_000


# ------------------------------------------------------------------ a closed complaint as a case


def closed_complaint(replied: bool = True, close: bool = True):
    from frontdesk.services import complaints as cs

    with clock.pinned(WEDNESDAY - timedelta(days=3)):
        row = cs.create(cs.ComplaintInput(kind=cs.COMPLAINT, channel=cs.ON_SITE, category="服务态度及服务质量",
                                          customer_name="张先生", phone="13812345678", about="等候超时",
                                          description="客户在窗口前等候四十分钟，无人解释", request="要求道歉"))
    if replied:
        with clock.pinned(WEDNESDAY - timedelta(days=2)):
            row = cs.reply(row.id, "当面致歉，说明高峰原因，增开窗口", "in_person", "", row)
    if close:
        with clock.pinned(WEDNESDAY - timedelta(days=1)):
            row = cs.close(row.id, "satisfied", "valid", "", row)
    return row


def test_a_closed_complaint_becomes_a_case_once(people):
    ticket = closed_complaint()
    draft = mt.case_from_complaint(ticket.id)
    assert draft.complaint_id == ticket.id and draft.title == "等候超时"
    assert draft.situation.startswith("客户在窗口前等候四十分钟，无人解释") and "要求道歉" in draft.situation
    assert draft.handling == "当面致歉，说明高峰原因，增开窗口" and draft.tags == "投诉 服务态度及服务质量"
    with clock.pinned(WEDNESDAY):
        case = mt.add_case(mt.CaseInput(draft.title, draft.situation, draft.handling, "高峰前增开窗口", draft.tags,
                                        complaint_id=draft.complaint_id))
        assert case.complaint_id == ticket.id and case.tags == ("投诉", "服务态度及服务质量")
        with pytest.raises(ValidationError) as caught:  # a second case of the same ticket
            mt.add_case(draft)
    assert "已设为典型案例" in caught.value.fields["complaint"]
    [entry] = [h for h in audit.history("teaching_case", case.id) if h.action == "create"]
    assert str(ticket.id) in str(entry.after)


def test_only_a_closed_complaint_becomes_a_case_and_only_for_who_holds_meetings(people, sign_in_as):
    open_ticket = closed_complaint(close=False)
    with pytest.raises(ConflictError):
        mt.case_from_complaint(open_ticket.id)
    with clock.pinned(WEDNESDAY), pytest.raises(ValidationError) as caught:
        mt.add_case(mt.CaseInput("t", "x", complaint_id=open_ticket.id))
    assert caught.value.fields["complaint"] == "只有已办结的工单才能设为典型案例。"
    closed = closed_complaint()
    sign_in_as(session.FRONT_DESK, "guide1")
    with pytest.raises(PermissionDeniedError):
        mt.case_from_complaint(closed.id)
    with clock.pinned(WEDNESDAY), pytest.raises(PermissionDeniedError):
        mt.add_case(mt.CaseInput("t", "x", complaint_id=closed.id))
