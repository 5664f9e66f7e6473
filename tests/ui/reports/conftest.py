"""The report dialog over three visits of 2026-11-18, the morning after (yesterday preselected)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.services import clock, lists, visitors
from frontdesk.services.visitors import VisitInput
from frontdesk.ui.reports.export_dialog import ReportExportDialog

NOW = datetime(2026, 11, 19, 8, 30)  # the morning after: yesterday's report is the default
DAY = date(2026, 11, 18)


@pytest.fixture
def dialog(configured, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    bt = lists.entries("business_type")[0].id
    dest = lists.entries("destination")[0].id
    for minutes in (0, 12, 40):
        arrived = datetime(2026, 11, 18, 9, 0) + timedelta(minutes=minutes)
        with clock.pinned(arrived, ticking=False):
            visitors.register(VisitInput(business_type_id=bt, destination_id=dest, arrived_at=arrived))
    widget = ReportExportDialog()
    qtbot.addWidget(widget)
    out = tmp_path / "报表"
    out.mkdir()
    widget.folder.setText(str(out))
    widget.show()
    return widget
