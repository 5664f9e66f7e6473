"""The demo's equipment faults: reported in opening hours, followed up in order, recent ones open."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdesk.services import demo, faults, lists, session
from frontdesk.services.faults import FaultQuery

NOW = datetime(2026, 11, 18, 15, 40, 0)


@pytest.fixture(autouse=True)
def _command_line():
    with session.act_as(session.command_line_actor()):
        yield


def test_a_season_of_faults_is_followed_up_in_order(database):
    summary = demo.generate(150, seed=3, now=NOW)
    rows = faults.faults(FaultQuery(open_only=False))
    assert len(rows) >= 3 and summary.faults == len(rows)  # the summary line counts them
    devices = {d.label for d in lists.entries("device")}
    for f in rows:
        assert f.device_label in devices and f.description and f.reported_at <= NOW
        steps = [t for t in (f.reported_at, f.repairer_contacted_at, f.fixed_at) if t is not None]
        assert steps == sorted(steps) and all(t <= NOW for t in steps)
        if f.fixed_at is None:
            assert NOW - f.reported_at < timedelta(days=4)  # only the last days' faults are still open
        else:
            assert f.repairer_contacted_at is not None and f.fixed_note
