"""The KPIs, as pure functions over the database for one period (and optionally one unit).

A complaint counts in a period when it was filed in it (a cohort): its later
moves, resolution and ratings count with it. Counts are grouped in SQL; the
durations and the SLA verdicts are computed in Python over one row per
complaint, because SQLite and PostgreSQL share no percentile or interval
arithmetic.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from backend.agencies.models import Unit
from backend.complaints.models import Complaint, Status, StatusChange
from backend.feedback.models import Feedback
from backend.kpi.period import Period
from backend.kpi.stats import Durations, ratio
from backend.sla import service as sla

NO_PLACE = "Tanpa lokasi"


@dataclass(frozen=True)
class Compliance:
    """SLA compliance of one unit or kota: resolved within target / resolved."""

    key: str
    label: str
    resolved: int = 0
    within_target: int = 0
    open_overdue: int = 0

    @property
    def rate(self) -> float | None:
        return ratio(self.within_target, self.resolved)


@dataclass(frozen=True)
class Satisfaction:
    """The latest rating each complaint got (1-5)."""

    distribution: dict[int, int]

    @property
    def count(self) -> int:
        return sum(self.distribution.values())

    @property
    def mean(self) -> float | None:
        total = sum(rating * n for rating, n in self.distribution.items())
        return total / self.count if self.count else None


@dataclass(frozen=True)
class Reopening:
    reopened: int  # complaints moved selesai → proses at least once
    reached_selesai: int  # complaints that were selesai at least once

    @property
    def rate(self) -> float | None:
        return ratio(self.reopened, self.reached_selesai)


@dataclass(frozen=True)
class Figures:
    period: Period
    total: int
    per_day_channel: dict[date, dict[str, int]]
    per_day_category: dict[date, dict[str, int]]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    first_action: Durations
    resolution: Durations
    by_unit: list[Compliance]
    by_kota: list[Compliance]
    satisfaction: Satisfaction
    reopening: Reopening


def in_period(period: Period, unit_id: int | None = None) -> ColumnElement[bool]:
    """SQL: filed in `period` (and, with `unit_id`, that unit's)."""
    first, after = period.bounds()
    clause = and_(Complaint.created_at >= first, Complaint.created_at < after)
    return and_(clause, Complaint.unit_id == unit_id) if unit_id is not None else clause


def _jakarta_day(session: Session) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Jakarta", Complaint.created_at))
    return func.date(Complaint.created_at, "+7 hours")  # SQLite stores UTC text


def per_day(
    session: Session, period: Period, by: QueryableAttribute[Any], unit_id: int | None = None
) -> dict[date, dict[str, int]]:
    """Complaints filed per Jakarta day and value of `by` (channel, category code)."""
    day = _jakarta_day(session).label("day")
    query = (
        select(day, by, func.count(Complaint.id))
        .where(in_period(period, unit_id))
        .group_by(day, by)
    )
    counts: dict[date, dict[str, int]] = {d: {} for d in period.each_day()}
    for value, key, n in session.execute(query):
        counts[date.fromisoformat(str(value))][str(key)] = n
    return counts


def totals(per_day_counts: dict[date, dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for counts in per_day_counts.values():
        total.update(counts)
    return dict(total.most_common())


@dataclass(frozen=True)
class _Fact:
    created_at: datetime
    category: str
    status: Status
    unit_code: str
    unit_name: str
    kota_code: str | None
    kota: str | None
    first_action_at: datetime | None
    resolved_at: datetime | None
    entered_at: datetime  # of the current status

    def due(self, targets: sla.Targets) -> datetime | None:
        return targets.due(self.category, self.status, self.created_at, self.entered_at)


def first_action_at() -> ScalarSelect[Any]:
    """SQL: when a complaint was first moved on from `menunggu`."""
    return (
        select(func.min(StatusChange.created_at))
        .where(
            StatusChange.complaint_id == Complaint.id,
            StatusChange.from_status == Status.MENUNGGU,
        )
        .scalar_subquery()
    )


def resolved_at() -> ScalarSelect[Any]:
    """SQL: the last move to `selesai` (meaningful while the complaint is selesai)."""
    return (
        select(func.max(StatusChange.created_at))
        .where(
            StatusChange.complaint_id == Complaint.id,
            StatusChange.to_status == Status.SELESAI,
        )
        .scalar_subquery()
    )


def _facts(session: Session, period: Period, unit_id: int | None) -> list[_Fact]:
    """One row per complaint of the period, with its first action and its resolution."""
    query: Select[Any] = (
        select(
            Complaint.created_at,
            Complaint.category_code,
            Complaint.status,
            Unit.code,
            Unit.name,
            Complaint.kota_code,
            Complaint.kota,
            first_action_at(),
            resolved_at(),
            sla.stage_entered_at(),
        )
        .join(Unit, Unit.id == Complaint.unit_id)
        .where(in_period(period, unit_id))
    )
    return [_Fact(*row) for row in session.execute(query)]


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def _compliance(
    facts: list[_Fact],
    key_of: Callable[[_Fact], tuple[str, str]],
    targets: sla.Targets,
    now: datetime,
) -> list[Compliance]:
    """Resolved within the resolution target; open and overdue now (stage targets count)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for fact in facts:
        tally = groups[key_of(fact)]
        if fact.status is Status.SELESAI and fact.resolved_at is not None:
            tally[0] += 1
            tally[1] += fact.resolved_at <= targets.resolution_due(fact.category, fact.created_at)
        elif sla.is_overdue(fact.status, fact.due(targets), now):
            tally[2] += 1
    return sorted(
        (Compliance(key, label, *tally) for (key, label), tally in groups.items()),
        key=lambda c: c.label,
    )


def satisfaction(session: Session, period: Period, unit_id: int | None = None) -> Satisfaction:
    """Ratings: the latest rated answer of each complaint of the period."""
    latest = (
        select(func.max(Feedback.id).label("id"))
        .join(Complaint, Complaint.id == Feedback.complaint_id)
        .where(Feedback.rating.is_not(None), in_period(period, unit_id))
        .group_by(Feedback.complaint_id)
        .subquery()
    )
    rows = session.execute(
        select(Feedback.rating, func.count())
        .join(latest, latest.c.id == Feedback.id)
        .group_by(Feedback.rating)
    )
    distribution = dict.fromkeys(range(1, 6), 0)
    for rating, n in rows:
        distribution[int(rating)] = n
    return Satisfaction(distribution)


def reopening(session: Session, period: Period, unit_id: int | None = None) -> Reopening:
    def complaints_with(*conditions: ColumnElement[bool]) -> int:
        query = (
            select(func.count(func.distinct(StatusChange.complaint_id)))
            .join(Complaint, Complaint.id == StatusChange.complaint_id)
            .where(in_period(period, unit_id), *conditions)
        )
        return session.scalar(query) or 0

    return Reopening(
        reopened=complaints_with(
            StatusChange.from_status == Status.SELESAI, StatusChange.to_status == Status.PROSES
        ),
        reached_selesai=complaints_with(StatusChange.to_status == Status.SELESAI),
    )


def by_kelurahan(session: Session, period: Period) -> dict[str, int]:
    """Complaints per kelurahan code (those with a place only)."""
    query = (
        select(Complaint.kelurahan_code, func.count(Complaint.id))
        .where(in_period(period, None), Complaint.kelurahan_code.is_not(None))
        .group_by(Complaint.kelurahan_code)
    )
    return {code: n for code, n in session.execute(query)}


def figures(session: Session, period: Period, now: datetime, unit_id: int | None = None) -> Figures:
    """Every KPI of `period`; `unit_id` limits them to one unit's complaints."""
    channels = per_day(session, period, Complaint.channel, unit_id)
    categories = per_day(session, period, Complaint.category_code, unit_id)
    facts = _facts(session, period, unit_id)
    targets = sla.load_targets(session)
    return Figures(
        period=period,
        total=len(facts),
        per_day_channel=channels,
        per_day_category=categories,
        by_channel=totals(channels),
        by_category=totals(categories),
        first_action=Durations.of(
            [_hours(f.created_at, f.first_action_at) for f in facts if f.first_action_at]
        ),
        resolution=Durations.of(
            [
                _hours(f.created_at, f.resolved_at)
                for f in facts
                if f.status is Status.SELESAI and f.resolved_at
            ]
        ),
        by_unit=_compliance(facts, lambda f: (f.unit_code, f.unit_name), targets, now),
        by_kota=_compliance(
            facts, lambda f: (f.kota_code or "-", f.kota or NO_PLACE), targets, now
        ),
        satisfaction=satisfaction(session, period, unit_id),
        reopening=reopening(session, period, unit_id),
    )
