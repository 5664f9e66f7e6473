"""The branch clock: whole seconds, and pinned at a moment for tests (ticking on, or standing)."""

from __future__ import annotations

import time
from datetime import datetime

from frontdesk.services import clock


def test_the_real_clock_gives_whole_seconds_of_the_computer_time() -> None:
    clock.unpin()
    before = datetime.now().replace(microsecond=0)
    now = clock.now()
    after = datetime.now()
    assert now.microsecond == 0 and before <= now <= after
    assert clock.today() == now.date() or clock.today() == after.date()


def test_a_pinned_clock_stands_still_or_runs_on_from_its_moment() -> None:
    moment = datetime(2026, 12, 31, 23, 59, 59, 500_000)
    with clock.pinned(moment, ticking=False):
        assert clock.now() == datetime(2026, 12, 31, 23, 59, 59)
        time.sleep(1.1)
        assert clock.now() == datetime(2026, 12, 31, 23, 59, 59)
    with clock.pinned(moment):
        time.sleep(1.1)
        # One second on from the pin: the new year has begun.
        assert clock.now() >= datetime(2027, 1, 1, 0, 0, 0)
        assert clock.today() == datetime(2027, 1, 1).date()


def test_pinning_inside_a_pin_restores_the_outer_moment() -> None:
    outer = datetime(2028, 2, 29, 12, 0)
    with clock.pinned(outer, ticking=False):
        with clock.pinned(datetime(2026, 10, 8, 8, 0), ticking=False):
            assert clock.today() == datetime(2026, 10, 8).date()
        assert clock.now() == outer
        assert clock.is_pinned()


def test_moments_are_read_as_naive_local_times() -> None:
    assert clock.parse_moment(" 2026-12-03T03:00:00 ") == datetime(2026, 12, 3, 3, 0)
    assert clock.parse_moment("2027-12-31 23:59:30.25+08:00") == datetime(2027, 12, 31, 23, 59, 30)
