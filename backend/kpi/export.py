"""CSV exports: the figures of a period, and its complaints without personal data."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.agencies.models import Unit
from backend.complaints.models import Complaint, Status
from backend.kpi import service as kpi
from backend.kpi.period import JAKARTA, Period
from backend.kpi.service import Compliance, Figures
from backend.kpi.stats import Durations
from backend.sla import service as sla

FIGURE_COLUMNS = ("metric", "group", "key", "value")
COMPLAINT_COLUMNS = (
    "ticket",
    "category",
    "status",
    "channel",
    "kota",
    "kecamatan",
    "kelurahan",
    "unit",
    "created",
    "resolved",
    "due",
    "overdue",
)


def _lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}" if isinstance(value, float) else str(value)


def _durations(metric: str, durations: Durations) -> list[tuple[str, str, str, str]]:
    return [
        (metric, "", "count", str(durations.count)),
        (metric, "", "median_hours", _number(durations.median_hours)),
        (metric, "", "p90_hours", _number(durations.p90_hours)),
    ]


def _compliance(metric: str, rows: list[Compliance]) -> Iterator[tuple[str, str, str, str]]:
    for row in rows:
        yield (metric, row.label, "resolved", str(row.resolved))
        yield (metric, row.label, "within_target", str(row.within_target))
        yield (metric, row.label, "compliance", _number(row.rate))
        yield (metric, row.label, "open_overdue", str(row.open_overdue))


def figure_rows(figures: Figures) -> Iterator[tuple[str, str, str, str]]:
    yield ("period", "", "from", figures.period.start.isoformat())
    yield ("period", "", "to", figures.period.end.isoformat())
    yield ("complaints", "", "total", str(figures.total))
    for metric, per_day in (
        ("complaints_per_day_channel", figures.per_day_channel),
        ("complaints_per_day_category", figures.per_day_category),
    ):
        for day, counts in sorted(per_day.items()):
            for key, n in sorted(counts.items()):
                yield (metric, day.isoformat(), key, str(n))
    yield from _durations("first_action_hours", figures.first_action)
    yield from _durations("resolution_hours", figures.resolution)
    yield from _compliance("sla_unit", figures.by_unit)
    yield from _compliance("sla_kota", figures.by_kota)
    satisfaction = figures.satisfaction
    yield ("satisfaction", "", "count", str(satisfaction.count))
    yield ("satisfaction", "", "mean", _number(satisfaction.mean))
    for rating, n in satisfaction.distribution.items():
        yield ("satisfaction_rating", "", str(rating), str(n))
    reopening = figures.reopening
    yield ("reopen", "", "reopened", str(reopening.reopened))
    yield ("reopen", "", "reached_selesai", str(reopening.reached_selesai))
    yield ("reopen", "", "rate", _number(reopening.rate))


def figures_csv(figures: Figures) -> Iterator[str]:
    return _lines(chain([FIGURE_COLUMNS], figure_rows(figures)))


def _jakarta(value: datetime | None) -> str:
    return value.astimezone(JAKARTA).isoformat(timespec="seconds") if value else ""


def complaint_rows(
    session: Session, period: Period, now: datetime, unit_id: int | None = None
) -> Iterator[tuple[str, ...]]:
    """One row per complaint filed in the period, oldest first: no description, no reporter."""
    targets = sla.load_targets(session)
    query = (
        select(
            Complaint.ticket_id,
            Complaint.category_code,
            Complaint.status,
            Complaint.channel,
            Complaint.kota,
            Complaint.kecamatan,
            Complaint.kelurahan,
            Unit.name,
            Complaint.created_at,
            kpi.resolved_at(),
            sla.stage_entered_at(),
        )
        .join(Unit, Unit.id == Complaint.unit_id)
        .where(kpi.in_period(period, unit_id))
        .order_by(Complaint.created_at, Complaint.id)
        .execution_options(yield_per=1000)
    )
    for (
        ticket,
        category,
        status,
        channel,
        kota,
        kecamatan,
        kelurahan,
        unit,
        created,
        done,
        entered,
    ) in session.execute(query):
        status = Status(status)
        due = targets.due(category, status, created, entered)
        late = sla.is_overdue(status, due, now)
        yield (
            ticket,
            category,
            status.value,
            str(channel),
            kota or "",
            kecamatan or "",
            kelurahan or "",
            unit,
            _jakarta(created),
            _jakarta(done if status is Status.SELESAI else None),
            _jakarta(due),
            "1" if late else "0",
        )


def complaints_csv(
    session: Session, period: Period, now: datetime, unit_id: int | None = None
) -> Iterator[str]:
    return _lines(chain([COMPLAINT_COLUMNS], complaint_rows(session, period, now, unit_id)))
