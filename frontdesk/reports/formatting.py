"""Values as Chinese readers expect them, shared by the PDF and the Excel summary.

One place decides that minutes have one decimal ("12.3 分钟"), percents one decimal ("23.5%"),
dates are ISO ("2026-11-20") and "no value" is a dash, so every report agrees with the app.
Rounding is half-up, as people round by hand (12.25 → 12.3), not binary float rounding.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from frontdesk.i18n import _

from .model import Kind, Standard

NO_VALUE = "—"
MINUTES_UNIT = "分钟"
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_TENTH = Decimal("0.1")


def one_decimal(number: float) -> str:
    """``number`` with exactly one decimal, rounded half-up."""
    return str(Decimal(repr(float(number))).quantize(_TENTH, rounding=ROUND_HALF_UP))


def compact_decimal(number: float) -> str:
    """One decimal, without a trailing ``.0``: standards read "≤ 15 分钟", not "≤ 15.0 分钟"."""
    text = one_decimal(number)
    return text[:-2] if text.endswith(".0") else text


def minutes(duration: timedelta) -> float:
    return duration.total_seconds() / 60


def format_minutes(duration: timedelta | None, *, unit: bool = True) -> str:
    if duration is None:
        return NO_VALUE
    text = one_decimal(minutes(duration))
    return f"{text} {MINUTES_UNIT}" if unit else text


def format_percent(fraction: float | None) -> str:
    if fraction is None:
        return NO_VALUE
    return f"{one_decimal(fraction * 100)}%"


def format_date(day: date | None) -> str:
    return NO_VALUE if day is None else f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def format_weekday(day: date | None) -> str:
    return NO_VALUE if day is None else WEEKDAYS[day.weekday()]


def format_time(moment: time | datetime | None) -> str:
    return NO_VALUE if moment is None else f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime | None) -> str:
    return NO_VALUE if moment is None else f"{format_date(moment)} {format_time(moment)}"


def format_value(value: Any, kind: Kind, *, unit: bool = False) -> str:
    """``value`` as text. ``unit`` adds "分钟" to durations (key figures); table cells leave it to
    the header."""
    if value is None:
        return NO_VALUE
    if kind is Kind.TEXT or isinstance(value, str):
        # Text in a column of another kind: a label such as 合计 in a totals row.
        return str(value)
    if kind is Kind.INTEGER:
        return str(int(value))
    if kind is Kind.NUMBER:
        return one_decimal(value)
    if kind is Kind.MINUTES:
        if not isinstance(value, timedelta):
            raise TypeError(f"a duration must be a timedelta, not {type(value).__name__}")
        return format_minutes(value, unit=unit)
    if kind is Kind.PERCENT:
        return format_percent(value)
    if kind is Kind.DATE:
        return format_date(value)
    if kind is Kind.WEEKDAY:
        return format_weekday(value)
    if kind is Kind.TIME:
        return format_time(value)
    if kind is Kind.DATETIME:
        return format_datetime(value)
    raise ValueError(f"unknown value kind {kind!r}")


def format_figure(value: Any, kind: Kind, unit: str = "") -> str:
    """A key figure's value with its unit: "12.3 分钟", "312 人", "23.5%"."""
    text = format_value(value, kind, unit=True)
    return f"{text} {unit}" if unit and value is not None else text


def format_standard(standard: Standard, kind: Kind, unit: str = "") -> str:
    """"≤ 15 分钟", "≥ 95%", "≤ 3 件"."""
    sign = "≤" if standard.comparison == "<=" else "≥"
    value = standard.value
    if value is None:
        text = NO_VALUE
    elif kind is Kind.MINUTES:
        text = f"{compact_decimal(minutes(value))} {MINUTES_UNIT}"
    elif kind is Kind.PERCENT:
        text = f"{compact_decimal(value * 100)}%"
    elif kind is Kind.NUMBER:
        text = compact_decimal(value)
    else:
        text = format_value(value, kind)
    if unit and kind not in (Kind.MINUTES, Kind.PERCENT):
        text = f"{text} {unit}"
    return f"{sign} {text}"


def signature_line() -> str:
    """The duty manager signs the printed daily report (PRODUCT.md, "Reports")."""
    return _("值班经理签字：＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿＿＿＿＿")


def generated_line(who: str, when: datetime) -> str:
    return _("生成：{who} {when}").format(who=who, when=format_datetime(when))


def met_word(met: bool) -> str:
    return _("达标") if met else _("未达标")


def display_width(text: str) -> int:
    """Width in columns of a fixed-width font: Chinese characters count double."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def is_numeric(kind: Kind) -> bool:
    """Right-aligned in tables."""
    return kind in (Kind.INTEGER, Kind.NUMBER, Kind.MINUTES, Kind.PERCENT)
