"""When a complaint is due and whether it is overdue: the one definition (docs/kpi.md).

Two kinds of target, both rows an admin edits:
- the **resolution** target (`sla_targets`): hours from filing to `selesai`, per
  category (72 by default, the Jakarta Selatan desk's three-day promise). This
  is the date citizens are told (status view, Open311 `expected_datetime`).
- the **stage** targets (`sla_stage_targets`): hours a complaint of a category
  may stay in each open status (`STAGE_DEFAULT_HOURS` when there is no row).

An open complaint is due at the earlier of (filed + resolution target) and
(entered its current status + that status's target). A stage starts with the
complaint's latest `StatusChange`: every move writes one, filing included, so
it is the record of when the current status began (`updated_at` is only a copy).
A `selesai` complaint keeps its resolution due time (for compliance); a
`ditolak` one has none. Overdue = still open and past due: `overdue_clause` in
SQL and `Targets.due` + `is_overdue` in Python say the same thing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, false, func, or_, select
from sqlalchemy.orm import Session

from backend.agencies import service as agencies
from backend.complaints.models import Complaint, Status, StatusChange
from backend.db import utcnow
from backend.errors import Unprocessable
from backend.sla.models import SlaStageTarget, SlaTarget

# The Jakarta Selatan complaint desk promises a solution within three days.
DEFAULT_HOURS = 72
# Triage (read, check, route) within a day, coordination within a day, the unit
# starts work within two days, and work in hand ends within the three days.
STAGE_DEFAULT_HOURS: dict[Status, int] = {
    Status.MENUNGGU: 24,
    Status.KOORDINASI: 24,
    Status.DISPOSISI: 48,
    Status.PROSES: 72,
}
OPEN = tuple(STAGE_DEFAULT_HOURS)
CLOSED = (Status.SELESAI, Status.DITOLAK)
MAX_HOURS = 365 * 24


@dataclass(frozen=True)
class Targets:
    """Every target hour, read once: resolution per category, stage per (category, status)."""

    resolution: Mapping[str, int]
    stages: Mapping[tuple[str, Status], int]

    def resolution_hours(self, category: str) -> int:
        return self.resolution.get(category, DEFAULT_HOURS)

    def stage_hours(self, category: str, status: Status) -> int:
        return self.stages.get((category, status), STAGE_DEFAULT_HOURS[status])

    def resolution_due(self, category: str, filed_at: datetime) -> datetime:
        """When the complaint should be `selesai`: what citizens are told."""
        return filed_at + timedelta(hours=self.resolution_hours(category))

    def stage_due(self, category: str, status: Status, entered_at: datetime) -> datetime:
        return entered_at + timedelta(hours=self.stage_hours(category, status))

    def due(
        self, category: str, status: Status, filed_at: datetime, entered_at: datetime
    ) -> datetime | None:
        """The due time officers work to (see the module's docstring)."""
        if status is Status.DITOLAK:
            return None
        resolution = self.resolution_due(category, filed_at)
        if status is Status.SELESAI:
            return resolution
        return min(resolution, self.stage_due(category, status, entered_at))


def targets(session: Session) -> dict[str, int]:
    """Resolution target hours by category code (only the categories that have a row)."""
    return {row.category_code: row.hours for row in session.scalars(select(SlaTarget))}


def stage_targets(session: Session) -> dict[tuple[str, Status], int]:
    """Stage target hours by (category code, status) (only the pairs that have a row)."""
    rows = session.scalars(select(SlaStageTarget))
    return {(row.category_code, Status(row.status)): row.hours for row in rows}


def load_targets(session: Session) -> Targets:
    """Every category's targets: its rows, else the defaults."""
    codes = [c.code for c in agencies.list_categories(session)]
    resolution, stages = targets(session), stage_targets(session)
    return Targets(
        resolution={code: resolution.get(code, DEFAULT_HOURS) for code in codes},
        stages={
            (code, status): stages.get((code, status), STAGE_DEFAULT_HOURS[status])
            for code in codes
            for status in OPEN
        },
    )


def target_hours(session: Session, category_code: str) -> int:
    row = session.get(SlaTarget, category_code)
    return row.hours if row is not None else DEFAULT_HOURS


def stage_hours(session: Session, category_code: str, status: Status) -> int:
    row = session.get(SlaStageTarget, (category_code, status))
    return row.hours if row is not None else STAGE_DEFAULT_HOURS[status]


def _check_hours(hours: int) -> None:
    if not 1 <= hours <= MAX_HOURS:
        raise Unprocessable(f"target hours must be between 1 and {MAX_HOURS}")


def set_target(session: Session, category_code: str, hours: int) -> SlaTarget:
    """Change (or create) a category's resolution target; for the admin screens."""
    _check_hours(hours)
    category = agencies.get_category(session, category_code)
    row = session.get(SlaTarget, category.code)
    if row is None:
        row = SlaTarget(category_code=category.code, hours=hours)
        session.add(row)
    else:
        row.hours = hours
        row.updated_at = utcnow()
    session.flush()
    return row


def set_stage_target(
    session: Session, category_code: str, status: Status, hours: int
) -> SlaStageTarget:
    """Change (or create) how long a category's complaints may stay in an open status."""
    _check_hours(hours)
    if status not in OPEN:
        raise Unprocessable(f"{status.value} is not an open status")
    category = agencies.get_category(session, category_code)
    row = session.get(SlaStageTarget, (category.code, status))
    if row is None:
        row = SlaStageTarget(category_code=category.code, status=status, hours=hours)
        session.add(row)
    else:
        row.hours = hours
        row.updated_at = utcnow()
    session.flush()
    return row


def stage_entered_at() -> ScalarSelect[Any]:
    """SQL: when the complaint entered its current status (its latest move's time)."""
    return (
        select(StatusChange.created_at)
        .where(StatusChange.complaint_id == Complaint.id)
        .order_by(StatusChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def stage_change_id() -> ScalarSelect[Any]:
    """SQL: the id of the move that started the current stage (its identity)."""
    return (
        select(func.max(StatusChange.id))
        .where(StatusChange.complaint_id == Complaint.id)
        .scalar_subquery()
    )


def entered_at(session: Session, complaint_ids: Iterable[int]) -> dict[int, datetime]:
    """When each complaint entered its current status (Python twin of `stage_entered_at`)."""
    ids = list(complaint_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(StatusChange.id))
        .where(StatusChange.complaint_id.in_(ids))
        .group_by(StatusChange.complaint_id)
    )
    rows = session.execute(
        select(StatusChange.complaint_id, StatusChange.created_at).where(
            StatusChange.id.in_(latest)
        )
    )
    return {complaint_id: at for complaint_id, at in rows}


def due_times(
    session: Session, complaints: Iterable[Complaint], targets: Targets
) -> dict[int, datetime | None]:
    """The due time of each complaint (a page of the queue, one complaint's page)."""
    listed = list(complaints)
    entered = entered_at(session, (c.id for c in listed))
    return {
        c.id: targets.due(c.category_code, c.status, c.created_at, entered.get(c.id, c.created_at))
        for c in listed
    }


def due(session: Session, complaint: Complaint) -> datetime | None:
    """The due time officers see for one complaint."""
    return due_times(session, [complaint], load_targets(session))[complaint.id]


def due_at(session: Session, complaint: Complaint) -> datetime:
    """When `complaint` should be resolved (`selesai`): the date citizens are told."""
    # One primary-key read: this is on every status lookup, so not `load_targets`.
    return complaint.created_at + timedelta(hours=target_hours(session, complaint.category_code))


def is_overdue(status: Status, due: datetime | None, now: datetime) -> bool:
    """Still open and past `due` (a complaint without a due time is never overdue)."""
    return status not in CLOSED and due is not None and due < now


def _by_hours(hours: Mapping[str, int]) -> dict[int, list[str]]:
    """Category codes grouped by their hours (a few SQL terms instead of one per category)."""
    groups: dict[int, list[str]] = defaultdict(list)
    for code, value in sorted(hours.items()):
        groups[value].append(code)
    return groups


def overdue_clause(targets: Targets, now: datetime) -> ColumnElement[bool]:
    """SQL: still open and past the resolution target or the current stage's target."""
    entered = stage_entered_at()
    late = [
        and_(Complaint.category_code.in_(codes), Complaint.created_at < now - timedelta(hours=h))
        for h, codes in _by_hours(targets.resolution).items()
    ]
    for status in OPEN:
        per_category = {code: targets.stage_hours(code, status) for code in targets.resolution}
        late += [
            and_(
                Complaint.status == status,
                Complaint.category_code.in_(codes),
                entered < now - timedelta(hours=h),
            )
            for h, codes in _by_hours(per_category).items()
        ]
    return and_(Complaint.status.not_in(CLOSED), or_(false(), *late))
