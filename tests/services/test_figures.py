"""The figure definitions of PRODUCT.md, checked against examples worked by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.services import figures, visitors
from frontdesk.services.figures import FINISHED, LEFT, SERVING, WAITING, Standards, VisitFacts

DAY = date(2026, 11, 25)


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(DAY, time(hh, mm, ss))


def facts(n: int, arrived: datetime, status: str, wait: float | None = None,
          service: float | None = None, **kw) -> VisitFacts:
    called = arrived + timedelta(minutes=wait) if wait is not None else None
    finished = called + timedelta(minutes=service) if called is not None and service is not None else None
    if status == LEFT:
        finished = arrived + timedelta(minutes=20)
    return VisitFacts(n, arrived, status, called, finished, **kw)


# A morning worked by hand (peak 09:00–11:00 and 14:00–16:00):
#  1  09:10 waited 10.0, served 12.0         finished   business 1, counter 1, elderly
#  2  09:20 waited 15.0 exactly, served 15.0 finished   business 1, counter 2
#  3  10:30 waited 31.0, served 20.0         finished   business 2, counter 1
#  4  11:30 waited 4.0, in service           serving    business 2, counter 1, pregnant
#  5  11:40 waiting                          waiting    business 1, counter 1
#  6  12:00 left before being called         left       business 1, counter 2
#  7  09:15 waited 60.0, served 1.0, VOIDED            business 3, counter 3, elderly
MORNING = [
    facts(1, at(9, 10), FINISHED, 10, 12, business_type_id=1, destination_id=1, special_needs=1),
    facts(2, at(9, 20), FINISHED, 15, 15, business_type_id=1, destination_id=2),
    facts(3, at(10, 30), FINISHED, 31, 20, business_type_id=2, destination_id=1),
    facts(4, at(11, 30), SERVING, 4, business_type_id=2, destination_id=1, special_needs=64),
    facts(5, at(11, 40), WAITING, business_type_id=1, destination_id=1),
    facts(6, at(12, 0), LEFT, business_type_id=1, destination_id=2),
    facts(7, at(9, 15), FINISHED, 60, 1, business_type_id=3, destination_id=3, special_needs=1, voided=True),
]


def test_waits_count_only_called_visits_never_the_voided_the_left_or_the_waiting():
    assert figures.waits(MORNING) == [10, 15, 31, 4]
    assert figures.average_wait(MORNING) == pytest.approx(15.0)  # (10 + 15 + 31 + 4) / 4
    assert figures.worst_wait(MORNING) == pytest.approx(31.0)


def test_peak_average_wait_takes_the_called_visits_that_arrived_in_a_peak_period():
    assert figures.peak_average_wait(MORNING) == pytest.approx((10 + 15 + 31) / 3)
    only_morning = ((time(9, 0), time(10, 0)),)
    assert figures.peak_average_wait(MORNING, only_morning) == pytest.approx(12.5)
    assert figures.peak_average_wait(MORNING, ()) is None


def test_exactly_fifteen_minutes_is_not_over_fifteen():
    assert figures.share_waiting_over(MORNING, 15) == pytest.approx(1 / 4)  # only the 31
    assert figures.share_waiting_over(MORNING, 30) == pytest.approx(1 / 4)
    assert figures.share_waiting_over(MORNING, 31) == 0
    just_over = [facts(1, at(9, 0), SERVING, 15 + 1 / 60)]
    assert figures.share_waiting_over(just_over, 15) == 1


def test_service_time_and_compliance_count_the_finished_visits():
    assert figures.service_times(MORNING) == [12, 15, 20]
    assert figures.average_service(MORNING) == pytest.approx(47 / 3)
    assert figures.service_compliance(MORNING, 15) == pytest.approx(2 / 3)  # 15.0 is within


def test_counts_by_hour_type_destination_priority_and_left():
    assert figures.by_hour(MORNING) == {9: 2, 10: 1, 11: 2, 12: 1}
    assert figures.by_business_type(MORNING) == {1: 4, 2: 2}
    assert figures.by_destination(MORNING) == {1: 4, 2: 2}
    assert figures.priority_count(MORNING) == 2  # the voided elderly customer does not count
    assert figures.left_before_called(MORNING) == 1
    assert figures.status_counts(MORNING) == figures.StatusCounts(6, 1, 1, 3, 1)


def test_a_summary_of_nothing_measures_nothing():
    summary = figures.summarize([])
    assert summary.visits == 0 and summary.average_wait is None and summary.share_over_wait is None
    assert summary.service_compliance is None and summary.by_hour == {}


def test_the_summary_uses_the_standards():
    summary = figures.summarize(MORNING, Standards(wait_minutes=10, peak_wait_minutes=14,
                                                   service_minutes=12))
    assert (summary.visits, summary.called, summary.finished) == (6, 4, 3)
    assert summary.left_before_called == 1 and summary.priority == 2
    assert summary.share_over_wait == pytest.approx(2 / 4)  # 15 and 31; 10.0 is not over 10
    assert summary.share_over_peak_wait == pytest.approx(2 / 4)
    assert summary.service_compliance == pytest.approx(1 / 3)


# ------------------------------------------------------------------ from the database


@pytest.fixture
def frozen(monkeypatch):
    from frontdesk.services import clock

    monkeypatch.setattr(clock, "now", lambda: at(16, 0))


def test_the_day_loaded_from_the_register_gives_the_same_figures(kinds, frozen):
    bts, dests = kinds
    bt, dest = next(iter(bts.values())), next(iter(dests.values()))

    def register(arrived: datetime) -> visitors.VisitRow:
        return visitors.register(visitors.VisitInput(business_type_id=bt, destination_id=dest,
                                                     arrived_at=arrived))

    a = register(at(9, 10))
    visitors.call(a.id, at=at(9, 20))
    visitors.finish(a.id, at=at(9, 32))
    b = register(at(10, 30))
    visitors.call(b.id, at=at(11, 1))
    c = register(at(11, 40))
    visitors.mark_left(c.id, at=at(12, 0))
    d = register(at(12, 5))
    visitors.void(d.id, "重复登记")
    register(at(15, 0))
    register(at(9, 0) - timedelta(days=1))

    loaded = figures.visits_between(DAY, DAY)
    assert [v.id for v in loaded] == [a.id, b.id, c.id, d.id + 1]
    summary = figures.figures_between(DAY, DAY)
    assert summary.average_wait == pytest.approx((10 + 31) / 2)
    assert summary.share_over_wait == pytest.approx(1 / 2)
    assert summary.service_compliance == 1
    assert summary.left_before_called == 1 and summary.visits == 4
    assert summary.by_business_type == {bt: 4}
    assert visitors.day_counts(DAY) == figures.StatusCounts(4, 1, 1, 1, 1)
    assert figures.visits_between(DAY - timedelta(days=1), DAY)[0].arrived_at.date() == DAY - timedelta(days=1)
