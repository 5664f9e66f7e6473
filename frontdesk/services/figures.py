"""The figures of PRODUCT.md ("Figure definitions"), computed one way for every screen and report.

Why it looks like this: the status bar, the morning meeting's "yesterday in numbers" and the
daily and monthly reports must never disagree about what "average wait" means. The figures are
pure functions over plain ``VisitFacts`` rows, so they are tested against hand-worked examples
without a database; ``visits_between`` loads the rows of a day or a range in one indexed read
of just the columns they need.

The definitions, in short: voided visits count nowhere. Wait = called − arrival, for visits that
were called; service = finished − called, for visits that were finished. A visit that left
before being called (未办理离开) is counted as such and is in neither average, nor is a visit
not yet called. A visit sent elsewhere at registration (已分流) or answered on the spot
(现场解答) never waited for a counter: it is counted as such and is in neither average. "Over 15 minutes" means strictly more: a wait of exactly 15:00 is within the
standard. Priority means any special-needs flag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from frontdesk.db.models import Visit
from frontdesk.services import kit, settings

# The register's status codes (``visitors`` owns their labels).
WAITING, SERVING, FINISHED, LEFT = "waiting", "serving", "finished", "left"
# The outcomes of a visit finished as it was registered (a destination that is no queue): never
# called, so in no wait or service figure; counted on their own.
DIVERTED, ANSWERED = "diverted", "answered"

DEFAULT_PEAK_PERIODS: tuple[tuple[time, time], ...] = ((time(9, 0), time(11, 0)), (time(14, 0), time(16, 0)))


@dataclass(frozen=True)
class VisitFacts:
    """What the figures need of one visit: times, status, list ids and flags."""

    id: int
    arrived_at: datetime
    status: str
    called_at: datetime | None = None
    finished_at: datetime | None = None
    business_type_id: int = 0
    destination_id: int = 0
    special_needs: int = 0  # bits; any flag means priority
    voided: bool = False
    outcome: str | None = None

    @property
    def diverted(self) -> bool:
        return not self.voided and self.status == FINISHED and self.outcome == DIVERTED

    @property
    def answered_on_spot(self) -> bool:
        return not self.voided and self.status == FINISHED and self.outcome == ANSWERED

    @property
    def called(self) -> bool:
        return not self.voided and self.status != LEFT and self.called_at is not None

    @property
    def finished(self) -> bool:
        return self.called and self.status == FINISHED and self.finished_at is not None

    @property
    def left_before_called(self) -> bool:
        return not self.voided and self.status == LEFT

    @property
    def priority(self) -> bool:
        return self.special_needs != 0

    @property
    def wait_minutes(self) -> float | None:
        if not self.called:
            return None
        return (self.called_at - self.arrived_at).total_seconds() / 60  # type: ignore[operator]

    @property
    def service_minutes(self) -> float | None:
        if not self.finished:
            return None
        return (self.finished_at - self.called_at).total_seconds() / 60  # type: ignore[operator]


def live(visits: Iterable[VisitFacts]) -> list[VisitFacts]:
    """The visits that count: voided ones count nowhere."""
    return [v for v in visits if not v.voided]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def waits(visits: Iterable[VisitFacts]) -> list[float]:
    return [w for v in visits if (w := v.wait_minutes) is not None]


def service_times(visits: Iterable[VisitFacts]) -> list[float]:
    return [s for v in visits if (s := v.service_minutes) is not None]


def average_wait(visits: Iterable[VisitFacts]) -> float | None:
    """Minutes, over the called visits; ``None`` when nobody was called."""
    return _mean(waits(visits))


def worst_wait(visits: Iterable[VisitFacts]) -> float | None:
    return max(waits(visits), default=None)


def is_peak(at: datetime, peak_periods: Sequence[tuple[time, time]] = DEFAULT_PEAK_PERIODS) -> bool:
    return any(start <= at.time() < end for start, end in peak_periods)


def peak_average_wait(visits: Iterable[VisitFacts],
                      peak_periods: Sequence[tuple[time, time]] = DEFAULT_PEAK_PERIODS) -> float | None:
    """Average wait of the called visits that arrived in a peak period (a setting)."""
    return average_wait(v for v in visits if is_peak(v.arrived_at, peak_periods))


def share_waiting_over(visits: Iterable[VisitFacts], minutes: float) -> float | None:
    """Of the called visits, the share whose wait exceeded ``minutes`` (exactly ``minutes``: not)."""
    all_waits = waits(visits)
    return _share(sum(1 for w in all_waits if w > minutes), len(all_waits))


def waited_for_water(visits: Iterable[VisitFacts], minutes: float) -> list[VisitFacts]:
    """The visits that waited at least ``minutes`` (the water standard, seed 003): until called,
    or until they left uncalled. Those still waiting are not judged yet."""
    found = []
    for v in visits:
        end = v.called_at if v.called_at is not None else (v.finished_at if v.left_before_called else None)
        if end is not None and (end - v.arrived_at).total_seconds() >= minutes * 60:
            found.append(v)
    return found


def care_delays(visits: Iterable[VisitFacts], first_care: Mapping[int, datetime], minutes: float) -> list[float]:
    """Of the visits that waited at least ``minutes`` and got a care action: the minutes from
    crossing ``minutes`` to the first action (0 for one looked after before crossing it)."""
    return [max(0.0, (first_care[v.id] - v.arrived_at).total_seconds() / 60 - minutes)
            for v in waited_for_water(visits, minutes) if v.id in first_care]


def average_service(visits: Iterable[VisitFacts]) -> float | None:
    return _mean(service_times(visits))


def service_compliance(visits: Iterable[VisitFacts], minutes: float = 15) -> float | None:
    """Of the finished visits, the share served within ``minutes``."""
    times = service_times(visits)
    return _share(sum(1 for s in times if s <= minutes), len(times))


def by_hour(visits: Iterable[VisitFacts]) -> dict[int, int]:
    """Visits by their arrival hour (0–23), hours without visits left out."""
    return dict(sorted(Counter(v.arrived_at.hour for v in live(visits)).items()))


def by_business_type(visits: Iterable[VisitFacts]) -> dict[int, int]:
    return dict(Counter(v.business_type_id for v in live(visits)).most_common())


def by_destination(visits: Iterable[VisitFacts]) -> dict[int, int]:
    return dict(Counter(v.destination_id for v in live(visits)).most_common())


def priority_count(visits: Iterable[VisitFacts]) -> int:
    return sum(1 for v in live(visits) if v.priority)


def left_before_called(visits: Iterable[VisitFacts]) -> int:
    return sum(1 for v in visits if v.left_before_called)


@dataclass(frozen=True)
class StatusCounts:
    """How many visits are in each state (the status bar's line)."""

    registered: int
    waiting: int
    serving: int
    finished: int  # all finished visits, those finished at registration included
    left: int
    diverted: int = 0  # of ``finished``: sent elsewhere at registration
    answered_on_spot: int = 0  # of ``finished``: answered on the spot at registration


def diverted(visits: Iterable[VisitFacts]) -> int:
    return sum(1 for v in visits if v.diverted)


def answered_on_spot(visits: Iterable[VisitFacts]) -> int:
    return sum(1 for v in visits if v.answered_on_spot)


def status_counts(visits: Iterable[VisitFacts]) -> StatusCounts:
    rows = live(visits)
    counts = Counter(v.status for v in rows)
    return StatusCounts(
        registered=sum(counts.values()),
        waiting=counts[WAITING],
        serving=counts[SERVING],
        finished=counts[FINISHED],
        left=counts[LEFT],
        diverted=diverted(rows),
        answered_on_spot=answered_on_spot(rows),
    )


@dataclass(frozen=True)
class Standards:
    """The thresholds the figures are measured against (``settings.ServiceStandards``' numbers)."""

    wait_minutes: float = 15
    peak_wait_minutes: float = 30
    service_minutes: float = 15
    peak_periods: tuple[tuple[time, time], ...] = DEFAULT_PEAK_PERIODS


@dataclass(frozen=True)
class VisitFigures:
    """Every visit figure of a day or a range. Minutes as floats; shares from 0 to 1; ``None``
    where there was nothing to measure (no visit called, none finished)."""

    visits: int
    called: int
    finished: int
    left_before_called: int
    priority: int
    diverted: int  # sent elsewhere at registration (已分流)
    answered_on_spot: int  # answered on the spot at registration (现场解答)
    average_wait: float | None
    worst_wait: float | None
    peak_average_wait: float | None
    share_over_wait: float | None  # over ``Standards.wait_minutes`` (15)
    share_over_peak_wait: float | None  # over ``Standards.peak_wait_minutes`` (30)
    average_service: float | None
    service_compliance: float | None
    status: StatusCounts
    by_hour: dict[int, int] = field(default_factory=dict)
    by_business_type: dict[int, int] = field(default_factory=dict)
    by_destination: dict[int, int] = field(default_factory=dict)


def summarize(visits: Iterable[VisitFacts], standards: Standards | None = None) -> VisitFigures:
    s = standards or Standards()
    rows = live(visits)
    return VisitFigures(
        visits=len(rows),
        called=len(waits(rows)),
        finished=len(service_times(rows)),
        left_before_called=left_before_called(rows),
        priority=priority_count(rows),
        diverted=diverted(rows),
        answered_on_spot=answered_on_spot(rows),
        average_wait=average_wait(rows),
        worst_wait=worst_wait(rows),
        peak_average_wait=peak_average_wait(rows, s.peak_periods),
        share_over_wait=share_waiting_over(rows, s.wait_minutes),
        share_over_peak_wait=share_waiting_over(rows, s.peak_wait_minutes),
        average_service=average_service(rows),
        service_compliance=service_compliance(rows, s.service_minutes),
        status=status_counts(rows),
        by_hour=by_hour(rows),
        by_business_type=by_business_type(rows),
        by_destination=by_destination(rows),
    )


# ------------------------------------------------------------------ loading


def _facts(row: tuple) -> VisitFacts:
    (visit_id, arrived_at, status, called_at, finished_at, business_type_id, destination_id,
     special_needs, voided_at, outcome) = row
    return VisitFacts(visit_id, arrived_at, status, called_at, finished_at, business_type_id,
                      destination_id, int(special_needs or 0), voided_at is not None, outcome)


def _load(date_from: date, date_to: date) -> list[VisitFacts]:
    start = datetime.combine(date_from, time.min)
    end = datetime.combine(date_to, time.min) + timedelta(days=1)
    query = (
        Visit.select(Visit.id, Visit.arrived_at, Visit.status, Visit.called_at, Visit.finished_at,
                     Visit.business_type, Visit.destination, Visit.special_needs, Visit.voided_at,
                     Visit.outcome)
        .where((Visit.arrived_at >= start) & (Visit.arrived_at < end) & Visit.voided_at.is_null())
        .order_by(Visit.arrived_at, Visit.id)
        .tuples()
    )
    return [_facts(row) for row in query]


@kit.query()
def visits_between(date_from: date, date_to: date) -> list[VisitFacts]:
    """The visits that arrived from ``date_from`` to ``date_to`` (both included), voided ones
    left out: one read along the arrival index, only the columns the figures use."""
    return _load(date_from, date_to)


@kit.query()
def figures_between(date_from: date, date_to: date, standards: Standards | None = None) -> VisitFigures:
    """``summarize`` of a day or a range (``standards`` default: the branch's settings)."""
    if standards is None:
        st = settings.load().standards
        standards = Standards(st.wait_minutes, st.peak_wait_minutes, st.service_minutes, st.peak_periods)
    return summarize(_load(date_from, date_to), standards)
