"""Counters opened and closed for the day: the duty manager's call, without the administrator.

A counter is a destination where customers wait to be called (``ListEntry.queues``). For each
day it is open unless closed that day; ``counter_day`` keeps one row per change (who, when, an
optional reason such as 人手不足 or 设备故障), the latest the state, so the next day every counter
is open again and the day's changes stay on record. Each change is audited.

A registration to a counter closed today is refused (``refusal``, inside ``visitors.register``):
a customer sent there would wait for a counter nobody serves. The quick entry already disables
closed counters; the refusal covers a station whose view is a few seconds old.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from frontdesk.db.models import CounterDay, ListItem
from frontdesk.errors import ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, clock, kit, session
from frontdesk.services.presets import DESTINATION, QUEUE
from frontdesk.services.validation import clean_text

MAX_REASON = 64
REASONS = (_("人手不足"), _("设备故障"), _("系统维护"), _("临时调整"))  # offered; any text will do


@dataclass(frozen=True)
class CounterState:
    entry_id: int
    label: str
    open: bool
    at: datetime | None = None  # the last change that day (None: never changed, so open)
    username: str = ""
    reason: str = ""


def _counters() -> list[ListItem]:
    """The active destinations that queue, in the list's order."""
    return list(
        ListItem.select()
        .where((ListItem.kind == DESTINATION) & (ListItem.active == True)  # noqa: E712
               & (ListItem.handling.is_null() | (ListItem.handling == QUEUE)))
        .order_by(ListItem.position, ListItem.id)
    )


def _latest(day: date, until: datetime | None = None) -> dict[int, CounterDay]:
    """The last change of each counter changed on ``day`` (up to ``until``)."""
    query = CounterDay.select().where(CounterDay.day == day)
    if until is not None:
        query = query.where(CounterDay.at <= until)
    latest: dict[int, CounterDay] = {}
    for row in query.order_by(CounterDay.at, CounterDay.id):
        latest[row.entry_id] = row
    return latest


def _state(item: ListItem, row: CounterDay | None) -> CounterState:
    if row is None:
        return CounterState(item.id, item.label, True)
    return CounterState(item.id, item.label, bool(row.open), row.at, row.username, row.reason)


def _states(day: date) -> list[CounterState]:
    latest = _latest(day)
    return [_state(item, latest.get(item.id)) for item in _counters()]


@kit.query()
def counters(day: date) -> list[CounterState]:
    """Every counter with its state on ``day`` (any signed-in user may look)."""
    return _states(day)


@kit.query()
def closed_on(day: date) -> dict[int, CounterState]:
    """The counters closed on ``day``, by list entry id."""
    return {s.entry_id: s for s in _states(day) if not s.open}


def _who(actor: session.Actor) -> str:
    return (actor.display_name or actor.username)[:64]


@kit.command(session.OPEN_COUNTERS)
def set_counters(actor: session.Actor, day: date, wanted: Mapping[int, bool], reason: str = "") -> list[CounterState]:
    """Open (True) or close (False) counters on ``day``; ``reason`` goes with the closings.

    Only counters whose state changes get a row and an audit entry. A past day is history and
    cannot be changed.
    """
    if day < clock.today():
        raise ValidationError.single("day", _("只能设置今天或以后的窗口，以前的日期不能更改。"))
    reason = clean_text("reason", reason, label=_("关闭原因"), limit=MAX_REASON, collapse_spaces=True)
    items = {item.id: item for item in _counters()}
    unknown = [entry_id for entry_id in wanted if entry_id not in items]
    if unknown:
        raise ValidationError.single("counters", _("有的窗口已停用或不再排队，请重新打开本窗口后再试。"))
    latest = _latest(day)
    now = clock.now().replace(microsecond=0)
    for entry_id, want_open in wanted.items():
        row = latest.get(entry_id)
        is_open = row is None or bool(row.open)
        if is_open == bool(want_open):
            continue
        item = items[entry_id]
        note = "" if want_open else reason
        CounterDay.create(day=day, entry=entry_id, open=bool(want_open), at=now, user_id=actor.user_id,
                          username=_who(actor), reason=note)
        detail = _("{day} {label}").format(day=day.isoformat(), label=item.label)
        if note:
            detail += _("（{reason}）").format(reason=note)
        audit.record("counter_open" if want_open else "counter_close", entity="list_item", entity_id=entry_id,
                     before={"open": is_open}, after={"open": bool(want_open)}, detail=detail)
    return _states(day)


@kit.exempt("checks one registration inside visitors.register's own command")
def refusal(entry_id: int, arrived_at: datetime) -> ValidationError | None:
    """Why a customer may not be sent to ``entry_id`` (None: they may).

    An arrival today is judged by the counter's state now (the customer would wait from now on);
    an arrival of an earlier day (a late entry) by the state at the time they arrived.
    """
    now = clock.now()
    day = arrived_at.date()
    row = _latest(day, until=None if day == now.date() else arrived_at).get(entry_id)
    if row is None or row.open:
        return None
    label = ListItem.get_by_id(entry_id).label
    when = _("今日") if day == now.date() else day.isoformat()
    why = _("（{reason}）").format(reason=row.reason) if row.reason else ""
    return ValidationError.single("destination", _("窗口“{label}”{when}已关闭{why}，请另选分流去向。").format(
        label=label, when=when, why=why))
