"""The monthly report's reminder: from the 1st until last month's report is exported or printed,
overdue after the 3rd, never for a month without visits, never for the front desk."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from frontdesk.errors import PermissionDeniedError
from frontdesk.services import clock, reporting, session, visitors
from frontdesk.services.visitors import VisitInput


@pytest.fixture
def november_visit(configured, kinds):
    bts, dests = kinds
    arrived = datetime(2026, 11, 30, 16, 50)  # the last hour of the month
    with clock.pinned(arrived, ticking=False):
        visitors.register(VisitInput(business_type_id=bts["理赔"], destination_id=dests["1号窗口"],
                                     arrived_at=arrived))


@pytest.mark.parametrize(("today", "overdue"), [(date(2026, 12, 1), False), (date(2026, 12, 3), False),
                                                  (date(2026, 12, 4), True), (date(2026, 12, 31), True)])
def test_last_month_is_owed_from_the_first_and_overdue_after_the_third(november_visit, today, overdue):
    with clock.pinned(datetime.combine(today, datetime.min.time()).replace(hour=8)):
        due = reporting.monthly_reminder()
    assert due == reporting.MonthlyReminder(2026, 11, date(2026, 12, 3), overdue)


def test_the_last_day_of_the_month_owes_the_month_before(november_visit):
    with clock.pinned(datetime(2026, 11, 30, 23, 59)):
        assert reporting.monthly_reminder() is None  # October had no visits here


@pytest.mark.parametrize("way", ["export", "print"])
def test_exporting_or_printing_the_monthly_report_ends_it_a_daily_one_does_not(november_visit, way):
    with clock.pinned(datetime(2026, 12, 2, 9, 0)):
        reporting.record_export(reporting.daily_report(date(2026, 11, 30)), ["/tmp/日报.pdf"])
        assert reporting.monthly_reminder() is not None
        october = reporting.monthly_report(2026, 10)
        reporting.record_export(october, ["/tmp/月报-10.pdf"])
        assert reporting.monthly_reminder() is not None  # another month's report
        november = reporting.monthly_report(2026, 11)
        if way == "export":
            reporting.record_export(november, ["/tmp/月报.xlsx"])
        else:
            reporting.record_print(november, "柜台打印机", 3)
        assert reporting.monthly_reminder() is None


def test_a_hall_without_visits_last_month_owes_nothing(configured):
    with clock.pinned(datetime(2026, 12, 2, 9, 0)):
        assert reporting.monthly_reminder() is None


def test_only_who_may_export_is_reminded(november_visit, sign_in_as):
    sign_in_as(session.FRONT_DESK)
    with clock.pinned(datetime(2026, 12, 2, 9, 0)), pytest.raises(PermissionDeniedError):
        reporting.monthly_reminder()
