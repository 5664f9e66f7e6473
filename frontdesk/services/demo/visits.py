"""Demo visits (来访登记): a small queue simulation per day, written fast.

Why a simulation instead of independent random numbers: waits, walk-outs and counter staff then
agree with each other the way they do in a real hall. No counter serves two customers at once,
queues build up at the morning and afternoon peaks, customers who would wait too long leave
without being served, and lunch rotation shows in the afternoon figures. Every report built on
top therefore looks like one from a real branch.

Rows are built in Python as :class:`VisitRow` and written with one multi-row INSERT per batch,
one transaction per chunk of whole days (see ``frontdesk.services.demo.generate``). Each day has
its own generator seeded from the seed, the preset and the date, so a seed always gives the same
data.
"""

from __future__ import annotations

import itertools
import math
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import peewee

from frontdesk.db.database import current_database
from frontdesk.db.models import Visit
from frontdesk.errors import ValidationError
from frontdesk.i18n import _
from frontdesk.services import audit, kit, lists, session, settings, workdays
from frontdesk.services.demo.profiles import (
    COMPLAINT,
    COMPLAINT_NOTES,
    CONSULT,
    DOW_FACTOR,
    GUIDES,
    MANAGERS,
    MOBILE_PREFIXES,
    NEEDS_WEIGHTS,
    OTHER_NOTES,
    PROFILES,
    RETAINED_NOTES,
    STAFF,
    SURNAMES,
    SURRENDER,
    UNKNOWN,
    VIP_STAFF,
    VOID_REASONS,
    Business,
)
from frontdesk.services.presets import BUSINESS_TYPE, DEFAULT_PRESET, DESTINATION, DOCUMENT, QUEUE
from frontdesk.services.visitors import (
    FINISHED,
    LEFT,
    OUTCOME_OF_HANDLING,
    SERVING,
    SPECIAL_NEEDS,
    SURRENDER_REASONS,
    WAITING,
)

BATCH_ROWS = 400  # rows per INSERT statement: well under SQLite's and PostgreSQL's parameter limits
TICKETS_STOP_MINUTES = 10  # the ticket machine stops this long before closing

# Queue groups: which destination tags share servers, and who stands behind them.
QUEUED_GROUPS = ("counter", "priority", "vip", "consult", "reception", "self_service")
_TICKET_PREFIX = {"counter": "A", "priority": "A", "vip": "V"}

class VisitRow(NamedTuple):
    """One visit as it is inserted: the ``visit`` table's columns, by name (the registering user
    is added when written)."""

    arrived_at: datetime
    ticket_no: str
    customer_name: str
    phone: str
    business_type: int
    destination: int
    special_needs: int
    vip: bool
    documents_complete: bool
    missing_documents: str
    surrender_reason: str | None
    retention: str | None
    status: str
    called_at: datetime | None
    finished_at: datetime | None
    outcome: str | None
    served_by: str
    notes: str
    voided_at: datetime | None
    void_reason: str
    created_at: datetime
    updated_at: datetime
    version: int


_FIELDS = (*(getattr(Visit, name) for name in VisitRow._fields), Visit.created_by)


def _day_kind(day: date) -> str:
    """``workday``, ``saturday``, ``sunday`` or ``holiday``, per China's official calendar.

    Demo data is no deadline: for a year the calendar does not know yet, the plain weekday
    rule is good enough.
    """
    try:
        return workdays.day_kind(day)
    except workdays.CalendarUnknownError:
        if day.weekday() < 5:
            return workdays.WORKDAY
        return workdays.SATURDAY if day.weekday() == 5 else workdays.SUNDAY


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _arrival_weights(
    opening: time, closing: time, peaks: Sequence[tuple[time, time]]
) -> tuple[list[int], list[float]]:
    """Arrival minutes of the day and their cumulative weights: peaks, lunch dip, quiet end."""
    start, end = _minutes(opening), _minutes(closing) - TICKETS_STOP_MINUTES
    minutes = list(range(start, max(start, end)))
    cumulative: list[float] = []
    total = 0.0
    for m in minutes:
        weight = 1.0
        if m < start + 20:
            weight = 1.5  # people waiting at the door
        for index, (p_start, p_end) in enumerate(peaks):
            if _minutes(p_start) <= m < _minutes(p_end):
                weight = 2.3 if index == 0 else 1.9
                break
        else:
            if 11 * 60 + 45 <= m < 13 * 60 + 30:
                weight = 0.6
            elif m >= _minutes(closing) - 45:
                weight = 0.5
        total += weight
        cumulative.append(total)
    return minutes, cumulative


def _lognormal(rng: random.Random, mean: float, sigma: float = 0.5) -> float:
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _name(rng: random.Random, elderly: bool) -> str:
    surname = rng.choice(SURNAMES)
    if elderly and rng.random() < 0.4:
        return surname + rng.choice(("阿姨", "大爷", "老先生"))
    return surname + rng.choice(("先生", "女士"))


class _Server:
    """One counter, desk or machine: who works it and when it is next free (seconds of the day)."""

    __slots__ = ("free_at", "destination", "staff", "break_start", "break_end")

    def __init__(self, free_at: float, destination: int, staff: str) -> None:
        self.free_at = free_at
        self.destination = destination
        self.staff = staff
        self.break_start = self.break_end = -1.0

    def available(self, earliest: float) -> float:
        at = max(self.free_at, earliest)
        if self.break_start <= at < self.break_end:
            at = self.break_end
        return at


@dataclass
class _Customer:
    arrival: float
    business: int  # list_item id
    business_label: str
    business_tag: str | None
    spec: Business
    group: str  # destination tag
    destination: int
    needs: int = 0
    elderly: bool = False
    vip: bool = False
    ticket: str = ""
    called: float | None = None
    finished: float | None = None
    outcome: str | None = None
    staff: str = ""
    missing: tuple[str, ...] = ()
    surrender_reason: str | None = None
    retention: str | None = None
    notes: str = ""




class VisitGenerator:
    """Holds what every day needs: the lists, the profile, the hours."""

    def __init__(self, preset: str, seed: int, branch: settings.BranchSettings) -> None:
        self.preset = preset
        self.seed = seed
        self.profile = PROFILES.get(preset, PROFILES[DEFAULT_PRESET])
        self.opening = branch.opening_time
        self.closing = branch.closing_time
        self.minutes, self.cumulative = _arrival_weights(
            self.opening, self.closing, branch.standards.peak_periods
        )
        self.businesses = lists.entries(BUSINESS_TYPE)
        destinations = lists.entries(DESTINATION)
        self.documents = [e.label for e in lists.entries(DOCUMENT)]
        if not self.businesses or not destinations:
            raise ValidationError.single("preset", _("业务类型或分流去向列表为空，无法生成示范数据。"))
        self.by_tag: dict[str, list[int]] = {}
        for entry in destinations:
            self.by_tag.setdefault(entry.tag or "other", []).append(entry.id)
        # A destination that is no queue finishes its visits as they are registered.
        self.outcome_at_registration = {e.id: OUTCOME_OF_HANDLING[e.handling] for e in destinations
                                        if e.handling not in (None, QUEUE)}
        self.any_destination = destinations[0].id
        self.specs = [self._spec(e.label, e.tag) for e in self.businesses]
        self.business_cumulative = list(itertools.accumulate(s.weight for s in self.specs))
        self.business_indexes = range(len(self.specs))
        self.needs_codes = list(NEEDS_WEIGHTS)
        self.needs_cumulative = list(itertools.accumulate(NEEDS_WEIGHTS.values()))
        self.needs_bits = {code: SPECIAL_NEEDS[code][0] for code in NEEDS_WEIGHTS}

    def _spec(self, label: str, tag: str | None) -> Business:
        spec = self.profile.businesses.get(label)
        if spec is not None:
            return spec
        if tag == "consult":
            return CONSULT
        if tag == "complaint":
            return COMPLAINT
        if tag == "surrender":
            return PROFILES["insurance"].businesses["退保"]
        return UNKNOWN

    # ---- one day

    def day_factor(self, day: date) -> float:
        kind = _day_kind(day)
        p = self.profile
        if kind == "workday":
            return DOW_FACTOR[day.weekday()] if day.weekday() < 5 else 1.0
        return {"saturday": p.saturday, "sunday": p.sunday, "holiday": p.holiday}[kind]

    def day_rows(self, day: date, now: datetime) -> list[VisitRow]:
        """Every visit of ``day`` as insert rows; for today only what happened up to ``now``."""
        factor = self.day_factor(day)
        if factor <= 0 or not self.minutes:
            return []
        rng = random.Random(f"frontdesk-demo:{self.seed}:{self.preset}:{day.isoformat()}")
        weekday = _day_kind(day) == "workday"
        noise = min(1.3, max(0.75, rng.gauss(1.0, 0.1)))
        count = max(1, round(self.profile.weekday_visits * factor * noise))
        arrivals = sorted(
            m * 60 + rng.randrange(60)
            for m in rng.choices(self.minutes, cum_weights=self.cumulative, k=count)
        )
        customers = [self._customer(rng, arrival) for arrival in arrivals]
        self._tickets(rng, customers)
        servers = self._servers(rng, weekday)
        for group in QUEUED_GROUPS:
            queue = [c for c in customers if c.group == group]
            if queue:
                self._serve_queue(rng, queue, servers[group], group)
        guide = servers["consult"][0].staff
        for c in customers:
            if c.group not in QUEUED_GROUPS:
                self._refer(rng, c, guide)
        for c in customers:
            if c.called is not None:
                self._close(rng, c)
        return self._rows(rng, day, customers, now)

    def _customer(self, rng: random.Random, arrival: float) -> _Customer:
        index = rng.choices(self.business_indexes, cum_weights=self.business_cumulative)[0]
        entry, spec = self.businesses[index], self.specs[index]
        c = _Customer(arrival, entry.id, entry.label, entry.tag, spec, "counter", 0)
        if rng.random() < self.profile.special_needs_rate or spec.routes[0][0] == "priority":
            codes = {rng.choices(self.needs_codes, cum_weights=self.needs_cumulative)[0]}
            if "elderly" in codes and rng.random() < 0.2:
                codes.add(rng.choice(("walking", "hearing", "visual")))
            c.needs = sum(self.needs_bits[code] for code in codes)
            c.elderly = "elderly" in codes
        c.vip = rng.random() < self.profile.vip_rate
        routes = {tag: p for tag, p in spec.routes if tag in self.by_tag}
        group = _weighted(rng, routes) if routes else "counter"
        if group == "counter" and c.needs and "priority" in self.by_tag:
            group = "priority"
        elif group == "counter" and c.vip and "vip" in self.by_tag and rng.random() < 0.7:
            group = "vip"
        if group not in self.by_tag:
            group = "counter" if "counter" in self.by_tag else next(iter(self.by_tag))
        c.group = group
        c.destination = rng.choice(self.by_tag[group])
        return c

    def _tickets(self, rng: random.Random, customers: list[_Customer]) -> None:
        """Queue tickets in arrival order per prefix (A023, V005); a few are not written down."""
        numbers: dict[str, int] = {}
        for c in customers:
            prefix = _TICKET_PREFIX.get(c.group)
            if prefix is None:
                continue
            numbers[prefix] = numbers.get(prefix, 0) + 1
            if rng.random() < 0.92:
                c.ticket = f"{prefix}{numbers[prefix]:03d}"

    def _servers(self, rng: random.Random, weekday: bool) -> dict[str, list[_Server]]:
        """Today's staffing: counters (with lunch rotation on weekdays), desks and machines."""
        p = self.profile
        opening = _minutes(self.opening) * 60.0
        staff = rng.sample(STAFF, len(STAFF))
        guides = rng.sample(GUIDES, len(GUIDES))
        counters = self.by_tag.get("counter", [self.any_destination])
        staffed = max(1, min(len(counters), p.counters_weekday if weekday else p.counters_weekend))
        servers: dict[str, list[_Server]] = {
            "counter": [_Server(opening, counters[i], staff[i]) for i in range(staffed)],
        }
        if weekday and staffed >= 3:
            for server, start in zip(servers["counter"], (11 * 60 + 45, 12 * 60 + 30), strict=False):
                server.break_start, server.break_end = start * 60.0, (start + 45) * 60.0

        def desk(tag: str, person: str, count: int = 1) -> list[_Server]:
            dest = self.by_tag.get(tag, [self.any_destination])
            return [_Server(opening, dest[i % len(dest)], person) for i in range(count)]

        servers["priority"] = desk("priority", staff[staffed])
        servers["vip"] = desk("vip", rng.choice(VIP_STAFF))
        servers["consult"] = desk("consult", guides[0])
        servers["reception"] = desk("reception", rng.choice(MANAGERS))
        servers["self_service"] = desk("self_service", guides[1], count=3)
        return servers

    def _serve_queue(self, rng: random.Random, queue: list[_Customer], servers: list[_Server],
                     group: str) -> None:
        """First come, first served on the group's servers; the impatient leave (未办理离开)."""
        # Ticket called, customer walks over: a few minutes even when a counter is free.
        call_delay = {"reception": (60, 300), "counter": (45, 330), "priority": (30, 240),
                      "vip": (30, 240)}.get(group, (15, 120))
        for c in queue:
            earliest = c.arrival + rng.uniform(*call_delay)
            server, called = servers[0], servers[0].available(earliest)
            for other in servers[1:]:
                at = other.available(earliest)
                if at < called:
                    server, called = other, at
            patience = _lognormal(rng, 50.0, 0.5) * 60 if rng.random() > 0.01 else rng.uniform(60, 600)
            if c.needs or c.vip:
                patience *= 1.5  # looked after by the guide, they wait longer
            if called - c.arrival > patience:
                c.finished, c.outcome = c.arrival + patience, LEFT
                continue
            c.called, c.staff = called, server.staff
            c.destination = server.destination
            c.missing = self._missing_papers(rng, c)
            minutes = rng.uniform(2, 5) if c.missing else _lognormal(rng, c.spec.service)
            c.finished = called + max(60.0, minutes * 60)
            server.free_at = c.finished

    def _refer(self, rng: random.Random, c: _Customer, guide: str) -> None:
        """Sent to another department or an online channel: the guide explains and sees them off."""
        c.called = c.arrival + rng.uniform(10, 90)
        c.finished = c.called + rng.uniform(60, 300)
        c.staff = guide
        consult = c.business_tag == "consult"
        c.outcome = ("done" if rng.random() < 0.85 else "referred") if consult else (
            "referred" if rng.random() < 0.9 else "done"
        )

    def _missing_papers(self, rng: random.Random, c: _Customer) -> tuple[str, ...]:
        if rng.random() >= c.spec.papers:
            return ()
        known = [d for d in c.spec.documents if d in self.documents] or self.documents
        if not known:
            return ()
        count = min(len(known), rng.choices((1, 2, 3), weights=(65, 28, 7))[0])
        return tuple(rng.sample(known, count))

    def _close(self, rng: random.Random, c: _Customer) -> None:
        """Outcome, surrender details and notes of a served visit."""
        if c.outcome is None:
            r = rng.random()
            if c.missing:
                c.outcome = "incomplete"
            elif c.group == "reception":
                c.outcome = "done" if r < 0.85 else ("referred" if r < 0.95 else "other")
            else:
                c.outcome = "referred" if r < 0.02 else ("other" if r < 0.03 else "done")
        if c.business_tag == "surrender" and c.outcome in ("done", "incomplete"):
            weights = {k: w for k, (w, _p) in SURRENDER.items() if k in SURRENDER_REASONS}
            c.surrender_reason = _weighted(rng, weights)
            if c.outcome == "done":
                retained = rng.random() < SURRENDER[c.surrender_reason][1]
                c.retention = "retained" if retained else "lost"
                c.notes = (
                    RETAINED_NOTES.get(c.surrender_reason, "讲解条款与保障后，客户同意继续持有保单")
                    if retained else "已受理退保申请，已告知退保损失"
                )
        if c.business_tag == "complaint" or c.group == "reception":
            c.notes = rng.choice(COMPLAINT_NOTES)
        elif c.outcome == "other":
            c.notes = rng.choice(OTHER_NOTES)
        elif c.missing:
            c.notes = "已一次性告知所缺资料"
        wait = (c.called or c.arrival) - c.arrival
        if not c.notes and wait > 30 * 60 and rng.random() < 0.6:
            c.notes = "等候较久，已致歉并安抚"
        elif not c.notes and wait > 5 * 60 and rng.random() < 0.1:
            c.notes = "已送水"

    # ---- rows

    def _rows(self, rng: random.Random, day: date, customers: list[_Customer], now: datetime) -> list[VisitRow]:
        midnight = datetime.combine(day, time())
        limit = (now - midnight).total_seconds() if day == now.date() else math.inf

        def at(seconds: float | None) -> datetime | None:
            return None if seconds is None else midnight + timedelta(seconds=int(seconds))

        rows: list[VisitRow] = []
        for c in customers:
            if c.arrival > limit:
                break  # arrivals are in order: nobody after now
            called, finished, outcome, status = c.called, c.finished, c.outcome, FINISHED
            at_once = c.destination in self.outcome_at_registration
            if at_once:  # the guide who sent them on is the one who served them (as the register does)
                called, finished, outcome = None, c.arrival, self.outcome_at_registration[c.destination]
            if outcome == LEFT:
                status = LEFT
                if finished is not None and finished > limit:
                    finished, outcome, status = None, None, WAITING
            elif called is not None and called > limit:
                called = finished = outcome = None
                status = WAITING
            elif finished is not None and finished > limit:
                finished, outcome, status = None, None, SERVING
            closed = status in (FINISHED, LEFT)
            done = outcome if closed else None
            needs_phone = c.vip or c.missing or c.business_tag in ("complaint", "surrender")
            phone = _phone(rng) if rng.random() < (0.8 if needs_phone else 0.3) else ""
            name = _name(rng, c.elderly) if phone or rng.random() < 0.2 else ""
            arrived = at(c.arrival)
            called_at, finished_at = at(called), at(finished)
            version = {WAITING: 1, SERVING: 2, LEFT: 2, FINISHED: 3}[status]
            if at_once:
                version = 1  # finished as it was registered: one write
            last_change = finished_at or called_at or arrived
            rows.append(VisitRow(
                arrived_at=arrived,
                ticket_no=c.ticket,
                customer_name=name,
                phone=phone,
                business_type=c.business,
                destination=c.destination,
                special_needs=c.needs,
                vip=c.vip,
                documents_complete=not (c.missing and done == "incomplete"),
                missing_documents="\n".join(c.missing) if done == "incomplete" else "",
                surrender_reason=c.surrender_reason if closed else None,
                retention=c.retention if closed else None,
                status=status,
                called_at=called_at,
                finished_at=finished_at,
                outcome=done,
                served_by=(c.staff or GUIDES[0]) if at_once else (c.staff if called_at is not None else ""),
                notes=c.notes if closed else "",
                voided_at=None,
                void_reason="",
                created_at=arrived,
                updated_at=last_change,
                version=version,
            ))
            if limit == math.inf and rng.random() < 0.004:
                rows.append(self._voided_duplicate(rng, rows[-1]))
        return rows

    def _voided_duplicate(self, rng: random.Random, row: VisitRow) -> VisitRow:
        """The same customer registered twice by mistake; the guide voids the copy at once."""
        arrived = row.arrived_at + timedelta(seconds=rng.randrange(20, 120))
        voided = arrived + timedelta(seconds=rng.randrange(30, 300))
        return row._replace(
            arrived_at=arrived, ticket_no="", documents_complete=True, missing_documents="",
            surrender_reason=None, retention=None, status=WAITING, called_at=None,
            finished_at=None, outcome=None, served_by="", notes="", voided_at=voided,
            void_reason=rng.choice(VOID_REASONS), created_at=arrived, updated_at=voided, version=2,
        )


def _insert_sql(db: peewee.Database, rows: int) -> str:
    """A multi-row INSERT for ``rows`` rows, with the backend's placeholders.

    Built by hand because peewee's query builder spends most of a demo run rendering a node
    per value; the values themselves are the plain Python types peewee would hand the driver.
    """
    columns = ", ".join(f'"{f.column_name}"' for f in _FIELDS)
    one = "(" + ", ".join([db.param] * len(_FIELDS)) + ")"
    return f'INSERT INTO "{Visit._meta.table_name}" ({columns}) VALUES ' + ", ".join([one] * rows)


def _batch_rows(db: peewee.Database) -> int:
    """Rows per statement, within the driver's limit on parameters (999 on old SQLite)."""
    if isinstance(db, peewee.SqliteDatabase) and sqlite3.sqlite_version_info < (3, 32):
        return 999 // len(_FIELDS)
    return BATCH_ROWS


@kit.command(session.MANAGE_SETTINGS)
def write_visits(rows: list[VisitRow], registered_by: int | None) -> None:
    """One transaction: these whole days are all written, with their audit entry, or none of them."""
    db = current_database()
    batch = _batch_rows(db)
    full_sql = _insert_sql(db, batch)
    for start in range(0, len(rows), batch):
        part = rows[start:start + batch]
        sql = full_sql if len(part) == batch else _insert_sql(db, len(part))
        db.execute_sql(sql, [value for row in part for value in (*row, registered_by)])
    first, last = min(r.arrived_at for r in rows), max(r.arrived_at for r in rows)
    audit.record("demo", entity="database", detail=_(
        "示范数据：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 的来访 {n} 条").format(first=first, last=last, n=len(rows)))


@kit.command(session.MANAGE_SETTINGS)
def note_empty_run(first: date, last: date) -> None:
    """The audit entry of a run that generated no visit (a closed day, or before opening)."""
    audit.record("demo", entity="database", detail=_(
        "示范数据：{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 没有营业时段，未生成来访").format(first=first, last=last))
