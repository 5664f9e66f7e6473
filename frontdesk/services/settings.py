"""Branch settings: name, industry preset, opening hours and the service standards."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time

from frontdesk.db.database import SETUP_LOCK, lock_for_this_transaction, read_only
from frontdesk.db.models import Setting
from frontdesk.i18n import _
from frontdesk.services import audit, fields, kit, lists, session
from frontdesk.services.presets import PRESETS
from frontdesk.services.validation import Errors

MAX_BRANCH_NAME = 40
MAX_BRANCH_PHONE = 30
IDLE_LOCK_RANGE = (1, 120)
RETENTION_RANGE = (1, 120)  # calendar months (ten years at most)
KEEP_FOREVER = 0  # the retention chosen explicitly as "never delete"
DEFAULT_RETENTION_MONTHS = 12  # the shortest that still answers a complaint a year on


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
    # The number the customer calls (printed on the 一次性告知 slip); "" if none is given.
    branch_phone: str = ""
    opening_time: time = time(9, 0)
    closing_time: time = time(17, 0)
    standards: ServiceStandards = field(default_factory=ServiceStandards)
    # The window locks itself after this many minutes without input (the desk faces the public).
    idle_lock_minutes: int = 5
    # Names, phones and notes of visits older than this many calendar months are cleared (PIPL
    # art. 19; services/privacy.cutoff says what "older" means); KEEP_FOREVER (0): kept for ever,
    # a choice the administrator makes explicitly.
    retention_months: int = DEFAULT_RETENTION_MONTHS
    # The weekdays the hall opens (bit 0 Monday … bit 6 Sunday); statutory holidays are closed
    # and make-up working days (调休) open whatever this says (services/inspections' schedule).
    open_weekdays: int = 0b0011111

    @property
    def configured(self) -> bool:
        return bool(self.branch_name and self.preset)


def _preset(value: object, lookup: fields.Lookup = str) -> str:
    if fields.is_empty(value):
        return fields.EMPTY
    preset = PRESETS.get(str(value))
    return preset.label if preset is not None else str(value)


def _periods(value: object, lookup: fields.Lookup = str) -> str:
    if fields.is_empty(value):
        return fields.EMPTY
    return "，".join(p for p in str(value).split(",") if p) or fields.EMPTY


def _weekdays(value: object, lookup: fields.Lookup = str) -> str:
    """A weekday mask (bit 0 Monday) as the audit log shows it: 周一、周二…"""
    if fields.is_empty(value):
        return fields.EMPTY
    try:
        mask = int(str(value))
    except ValueError:
        return str(value)
    names = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
    return "、".join(name for n, name in enumerate(names) if mask & (1 << n)) or _("无")


def _retention(value: object, lookup: fields.Lookup = str) -> str:
    """A retention as the audit log shows it: 12 个月, or 永久保留."""
    if fields.is_empty(value):
        return fields.EMPTY
    return _("永久保留") if str(value) == str(KEEP_FOREVER) else _("{months} 个月").format(months=value)


SETTINGS_FIELDS = fields.register(fields.EntityFields("settings", (
    fields.Field("branch_name", _("网点名称")),
    fields.Field("preset", _("行业预设"), _preset),
    fields.Field("branch_phone", _("网点电话")),
    fields.Field("opening_time", _("开门时间")),
    fields.Field("closing_time", _("闭厅时间")),
    fields.Field("water_minutes", _("送水提醒"), fields.minutes),
    fields.Field("wait_minutes", _("等候标准"), fields.minutes),
    fields.Field("peak_wait_minutes", _("高峰等候标准"), fields.minutes),
    fields.Field("service_minutes", _("办理时长标准"), fields.minutes),
    fields.Field("peak_periods", _("高峰时段"), _periods),
    fields.Field("idle_lock_minutes", _("自动锁屏"), fields.minutes),
    fields.Field("retention_days", _("姓名和电话保留天数")),  # before version 15: old audit entries
    fields.Field("retention_months", _("姓名和电话保留月数"), _retention),
    fields.Field("open_weekdays", _("营业日"), _weekdays),
)))


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


@kit.exempt("the sign-in screen shows the branch, and the idle lock applies, before anyone signs in")
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
        branch_phone=raw.get("branch_phone", ""),
        opening_time=get("opening_time", _parse_time, defaults.opening_time),
        closing_time=get("closing_time", _parse_time, defaults.closing_time),
        standards=ServiceStandards(
            water_minutes=get("water_minutes", int, std.water_minutes),
            wait_minutes=get("wait_minutes", int, std.wait_minutes),
            peak_wait_minutes=get("peak_wait_minutes", int, std.peak_wait_minutes),
            service_minutes=get("service_minutes", int, std.service_minutes),
            peak_periods=get("peak_periods", _parse_periods, std.peak_periods),
        ),
        idle_lock_minutes=get("idle_lock_minutes", int, defaults.idle_lock_minutes),
        retention_months=get("retention_months", int, defaults.retention_months),
        open_weekdays=get("open_weekdays", int, defaults.open_weekdays),
    )


def _validate(s: BranchSettings) -> BranchSettings:
    errors = Errors()
    name = errors.text("branch_name", s.branch_name, label=_("网点名称"), limit=MAX_BRANCH_NAME,
                       collapse_spaces=True, required=_("请填写网点名称。"))
    phone = errors.text("branch_phone", s.branch_phone, label=_("网点电话"), limit=MAX_BRANCH_PHONE,
                        collapse_spaces=True)
    if "branch_phone" not in errors and not all(c.isdigit() or c in "-－ ()（）转+" for c in phone):
        errors.add("branch_phone", _("网点电话只能包含数字、空格、“-”、括号和“转”。"))
    if s.preset not in PRESETS:
        errors.add("preset", _("请选择行业预设。"))
    if s.opening_time >= s.closing_time:
        errors.add("closing_time", _("闭厅时间必须晚于开门时间。"))
    st = s.standards
    for key, value in (
        ("water_minutes", st.water_minutes),
        ("wait_minutes", st.wait_minutes),
        ("peak_wait_minutes", st.peak_wait_minutes),
        ("service_minutes", st.service_minutes),
    ):
        if not 1 <= value <= 240:
            errors.add(key, _("请填写 1 到 240 之间的分钟数。"))
    if "water_minutes" not in errors and "wait_minutes" not in errors and st.water_minutes > st.wait_minutes:
        errors.add("water_minutes", _("送水提醒不应晚于等候时长标准。"))
    low, high = IDLE_LOCK_RANGE
    if not low <= s.idle_lock_minutes <= high:
        errors.add("idle_lock_minutes", _("请填写 {low} 到 {high} 之间的分钟数。").format(low=low, high=high))
    low, high = RETENTION_RANGE
    if s.retention_months != KEEP_FOREVER and not low <= s.retention_months <= high:
        errors.add("retention_months", _("请填写 {low} 到 {high} 之间的月数，或选择永久保留。").format(
            low=low, high=high))
    if not 0 <= s.open_weekdays <= 0b1111111:
        errors.add("open_weekdays", _("营业日无效。"))
    for start, end in st.peak_periods:
        if start >= end:
            errors.add("peak_periods", _("高峰时段的结束时间必须晚于开始时间。"))
    errors.raise_if_any()
    return replace(s, branch_name=name, branch_phone=phone)


def _values(s: BranchSettings) -> dict[str, str]:
    return {
        "branch_name": s.branch_name,
        "preset": s.preset,
        "branch_phone": s.branch_phone,
        "opening_time": _fmt_time(s.opening_time),
        "closing_time": _fmt_time(s.closing_time),
        "water_minutes": str(s.standards.water_minutes),
        "wait_minutes": str(s.standards.wait_minutes),
        "peak_wait_minutes": str(s.standards.peak_wait_minutes),
        "service_minutes": str(s.standards.service_minutes),
        "peak_periods": _fmt_periods(s.standards.peak_periods),
        "idle_lock_minutes": str(s.idle_lock_minutes),
        "retention_months": str(s.retention_months),
        "open_weekdays": str(s.open_weekdays),
    }


@kit.command(session.MANAGE_SETTINGS)
def save(new: BranchSettings) -> BranchSettings:
    """Validate and store ``new`` (administrator only). Switching the preset switches the lists."""
    return _store(new)


def _store(new: BranchSettings) -> BranchSettings:
    """Inside a write transaction that has authorized the settings' change."""
    new = _validate(new)
    old = load()
    values = _values(new)
    for key, value in values.items():
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}
        ).execute()
    if new.preset != old.preset:
        lists.apply_preset(new.preset)
    before, after = audit.diff(_values(old) if old.configured else {}, values)
    if after:
        audit.record("settings", entity="settings", before=before, after=after)
    return new


@kit.exempt("the first start, before any user exists; once configured it is an ordinary save")
def first_run(branch_name: str, preset: str) -> BranchSettings:
    """The one short dialog of the first start: branch name and industry preset.

    Before the branch is configured there is no user yet, so this first setting needs none; once
    it is, it is an ordinary change of the settings (administrator only).
    """
    current = load()
    if current.configured:
        if session.current() is None:
            # Set up by another station meanwhile (two first starts at once): keep its answers.
            return current
        return save(replace(current, branch_name=branch_name, preset=preset))
    with session.act_as(session.current() or session.SYSTEM), kit.writing(session.MANAGE_SETTINGS):
        # Two stations starting for the first time together: the second waits here, then finds
        # the branch set up by the first and leaves it as it is.
        lock_for_this_transaction(SETUP_LOCK)
        current = load()
        if current.configured:
            return current
        return _store(replace(current, branch_name=branch_name, preset=preset))
