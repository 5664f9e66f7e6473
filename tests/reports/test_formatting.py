"""Values in Chinese: what a duty manager reads on paper must match what the app shows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from frontdesk.reports import Kind, Standard
from frontdesk.reports.formatting import (
    display_width,
    format_figure,
    format_standard,
    format_value,
)


@pytest.mark.parametrize(
    ("duration", "shown"),
    [
        (timedelta(minutes=12, seconds=18), "12.3"),
        (timedelta(minutes=12, seconds=15), "12.3"),  # 12.25 rounds half up, as by hand
        (timedelta(minutes=12, seconds=9), "12.2"),  # 12.15
        (timedelta(seconds=0), "0.0"),
        (timedelta(hours=1, minutes=30), "90.0"),
    ],
)
def test_minutes_have_one_decimal(duration: timedelta, shown: str) -> None:
    assert format_value(duration, Kind.MINUTES) == shown
    assert format_figure(duration, Kind.MINUTES) == f"{shown} 分钟"


def test_percents_dates_times_and_weekdays() -> None:
    assert format_value(0.235, Kind.PERCENT) == "23.5%"
    assert format_value(1.0, Kind.PERCENT) == "100.0%"
    assert format_value(0.0005, Kind.PERCENT) == "0.1%"
    assert format_value(date(2026, 11, 20), Kind.DATE) == "2026-11-20"
    assert format_value(date(2026, 11, 20), Kind.WEEKDAY) == "星期五"
    assert format_value(date(2026, 11, 22), Kind.WEEKDAY) == "星期日"
    assert format_value(date(2026, 11, 16), Kind.WEEKDAY) == "星期一"
    assert format_value(time(9, 5), Kind.TIME) == "09:05"
    assert format_value(datetime(2026, 11, 20, 9, 5, 59), Kind.DATETIME) == "2026-11-20 09:05"
    assert format_figure(312, Kind.INTEGER, "人") == "312 人"


@pytest.mark.parametrize("kind", list(Kind))
def test_no_value_is_a_dash_in_every_kind(kind: Kind) -> None:
    assert format_value(None, kind) == "—"
    assert format_figure(None, kind, "人") == "—"


def test_a_duration_must_be_a_timedelta() -> None:
    with pytest.raises(TypeError, match="timedelta"):
        format_value(12.3, Kind.MINUTES)


def test_standards_read_without_a_trailing_zero() -> None:
    assert format_standard(Standard(timedelta(minutes=15)), Kind.MINUTES) == "≤ 15 分钟"
    assert format_standard(Standard(timedelta(minutes=7.5)), Kind.MINUTES) == "≤ 7.5 分钟"
    assert format_standard(Standard(0.9, ">="), Kind.PERCENT) == "≥ 90%"
    assert format_standard(Standard(0, "<="), Kind.INTEGER, "件") == "≤ 0 件"


def test_chinese_characters_count_double_in_a_column_width() -> None:
    assert display_width("A001") == 4
    assert display_width("等候（分钟）") == 12
    assert display_width("138****1234 张三") == 16
