"""Branch settings: name, industry preset, opening hours and the service standards."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time

from frontdesk.db.database import read_only, write_transaction
from frontdesk.db.models import Setting
from frontdesk.errors import ValidationError
from frontdesk.i18n import _
from frontdesk.services import lists
from frontdesk.services.presets import PRESETS

MAX_BRANCH_NAME = 40


@dataclass(frozen=True)
class ServiceStandards:
    """Thresholds in minutes (seeds 002, 003)."""

    water_minutes: int = 5
    wait_minutes: int = 15
    peak_wait_minutes: int = 30
    service_minutes: int = 15
    peak_periods: tuple[tuple[time, time], ...] = (
        (time(9, 0), time(11, 0)),
        (time(14, 0), time(16, 0)),
    )

    def is_peak(self, at: time) -> bool:
        return any(start <= at < end for start, end in self.peak_periods)


@dataclass(frozen=True)
class BranchSettings:
    branch_name: str = ""
    preset: str = ""
    opening_time: time = time(9, 0)
    closing_time: time = time(17, 0)
    standards: ServiceStandards = field(default_factory=ServiceStandards)

    @property
    def configured(self) -> bool:
        return bool(self.branch_name and self.preset)


def _fmt_time(t: time) -> str:
    return t.strftime("%H:%M")


def _parse_time(text: str) -> time:
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def _parse_periods(text: str) -> tuple[tuple[time, time], ...]:
    periods = []
    for chunk in text.split(","):
        if chunk.strip():
            start, end = chunk.split("-")
            periods.append((_parse_time(start), _parse_time(end)))
    return tuple(periods)


def _fmt_periods(periods: tuple[tuple[time, time], ...]) -> str:
    return ",".join(f"{_fmt_time(a)}-{_fmt_time(b)}" for a, b in periods)


def load() -> BranchSettings:
    with read_only():
        raw = {s.key: s.value for s in Setting.select()}
    defaults = BranchSettings()
    std = defaults.standards

    def get(key: str, parse, default):
        try:
            return parse(raw[key]) if key in raw else default
        except (ValueError, TypeError):
            return default

    return BranchSettings(
        branch_name=raw.get("branch_name", ""),
        preset=raw.get("preset", ""),
        opening_time=get("opening_time", _parse_time, defaults.opening_time),
        closing_time=get("closing_time", _parse_time, defaults.closing_time),
        standards=ServiceStandards(
            water_minutes=get("water_minutes", int, std.water_minutes),
            wait_minutes=get("wait_minutes", int, std.wait_minutes),
            peak_wait_minutes=get("peak_wait_minutes", int, std.peak_wait_minutes),
            service_minutes=get("service_minutes", int, std.service_minutes),
            peak_periods=get("peak_periods", _parse_periods, std.peak_periods),
        ),
    )


def _validate(s: BranchSettings) -> BranchSettings:
    errors: dict[str, str] = {}
    name = " ".join(s.branch_name.split())
    if not name:
        errors["branch_name"] = _("请填写网点名称。")
    elif len(name) > MAX_BRANCH_NAME:
        errors["branch_name"] = _("网点名称最多 {n} 个字。").format(n=MAX_BRANCH_NAME)
    if s.preset not in PRESETS:
        errors["preset"] = _("请选择行业预设。")
    if s.opening_time >= s.closing_time:
        errors["closing_time"] = _("闭厅时间必须晚于开门时间。")
    st = s.standards
    for key, value in (
        ("water_minutes", st.water_minutes),
        ("wait_minutes", st.wait_minutes),
        ("peak_wait_minutes", st.peak_wait_minutes),
        ("service_minutes", st.service_minutes),
    ):
        if not 1 <= value <= 240:
            errors[key] = _("请填写 1 到 240 之间的分钟数。")
    if "water_minutes" not in errors and "wait_minutes" not in errors and st.water_minutes > st.wait_minutes:
        errors["water_minutes"] = _("送水提醒不应晚于等候时长标准。")
    for start, end in st.peak_periods:
        if start >= end:
            errors["peak_periods"] = _("高峰时段的结束时间必须晚于开始时间。")
    if errors:
        raise ValidationError(errors)
    return replace(s, branch_name=name)


def save(new: BranchSettings) -> BranchSettings:
    """Validate and store ``new``. Switching the preset switches the active lists."""
    new = _validate(new)
    old = load()
    values = {
        "branch_name": new.branch_name,
        "preset": new.preset,
        "opening_time": _fmt_time(new.opening_time),
        "closing_time": _fmt_time(new.closing_time),
        "water_minutes": str(new.standards.water_minutes),
        "wait_minutes": str(new.standards.wait_minutes),
        "peak_wait_minutes": str(new.standards.peak_wait_minutes),
        "service_minutes": str(new.standards.service_minutes),
        "peak_periods": _fmt_periods(new.standards.peak_periods),
    }
    with write_transaction():
        for key, value in values.items():
            Setting.insert(key=key, value=value).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: value}
            ).execute()
        if new.preset != old.preset:
            lists.apply_preset(new.preset)
    return new


def first_run(branch_name: str, preset: str) -> BranchSettings:
    """The one short dialog of the first start: branch name and industry preset."""
    return save(replace(load(), branch_name=branch_name, preset=preset))
