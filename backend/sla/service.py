"""When a complaint is due: its filing time plus its category's target hours.

The targets are rows of `sla_targets` (seeded with `DEFAULT_HOURS` for every
category by migration 0003); a category without a row falls back to the
default, so a category an admin adds later is never without a due time.
"""

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from backend.agencies import service as agencies
from backend.complaints.models import Complaint, Status
from backend.db import utcnow
from backend.errors import Unprocessable
from backend.sla.models import SlaTarget

# The Jakarta Selatan complaint desk promises a solution within three days.
DEFAULT_HOURS = 72
MAX_HOURS = 365 * 24
CLOSED = (Status.SELESAI, Status.DITOLAK)


def targets(session: Session) -> dict[str, int]:
    """Target hours by category code (only the categories that have a row)."""
    return {row.category_code: row.hours for row in session.scalars(select(SlaTarget))}


def all_targets(session: Session) -> dict[str, int]:
    """Target hours of every category: its row, else the default."""
    rows = targets(session)
    return {c.code: rows.get(c.code, DEFAULT_HOURS) for c in agencies.list_categories(session)}


def target_hours(session: Session, category_code: str) -> int:
    row = session.get(SlaTarget, category_code)
    return row.hours if row is not None else DEFAULT_HOURS


def due_from(filed_at: datetime, hours: int) -> datetime:
    return filed_at + timedelta(hours=hours)


def due_at(session: Session, complaint: Complaint) -> datetime:
    """When `complaint` should be resolved (`selesai`)."""
    return due_from(complaint.created_at, target_hours(session, complaint.category_code))


def set_target(session: Session, category_code: str, hours: int) -> SlaTarget:
    """Change (or create) a category's target; for the admin screens."""
    if not 1 <= hours <= MAX_HOURS:
        raise Unprocessable(f"target hours must be between 1 and {MAX_HOURS}")
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


def is_overdue(status: Status, due: datetime | None, now: datetime) -> bool:
    """Still open and past `due` (a complaint without a due time is never overdue)."""
    return status not in CLOSED and due is not None and due < now


def overdue_clause(all_hours: dict[str, int], now: datetime) -> ColumnElement[bool]:
    """SQL: still open and filed longer ago than its category's target (see `all_targets`)."""
    late = [
        and_(Complaint.category_code == code, Complaint.created_at < now - timedelta(hours=hours))
        for code, hours in all_hours.items()
    ]
    return and_(Complaint.status.not_in(CLOSED), or_(false(), *late))
