"""The status machine of CONTRACT.md §5. Nothing else assigns `Complaint.status`."""

from sqlalchemy.orm import Session

from backend.agencies.models import Unit
from backend.complaints.exceptions import IllegalTransition
from backend.complaints.models import Complaint, Status, StatusChange
from backend.db import utcnow
from backend.errors import Unprocessable
from backend.notifications import service as notifications

NOTE_REQUIRED = frozenset({Status.SELESAI, Status.DITOLAK})
FILED_NOTE = "Laporan diterima."


def is_allowed(old: Status, new: Status) -> bool:
    match (old, new):
        case (Status.MENUNGGU, Status.KOORDINASI | Status.DISPOSISI | Status.DITOLAK):
            return True
        case (Status.KOORDINASI, Status.DISPOSISI | Status.DITOLAK):
            return True
        case (Status.DISPOSISI, Status.PROSES | Status.DISPOSISI | Status.DITOLAK):
            return True
        case (Status.PROSES, Status.SELESAI | Status.DISPOSISI):
            return True
        case (Status.SELESAI, Status.PROSES):
            return True
        case _:
            return False


def allowed_moves(old: Status) -> list[Status]:
    return [new for new in Status if is_allowed(old, new)]


def file(session: Session, complaint: Complaint, *, actor: str) -> StatusChange:
    """Give a new complaint its first status, `menunggu`, and record it."""
    complaint.status = Status.MENUNGGU
    change = StatusChange(
        complaint=complaint,
        from_status=None,
        to_status=Status.MENUNGGU,
        note=FILED_NOTE,
        actor=actor,
        unit=complaint.unit,
    )
    session.add_all([complaint, change])
    return change


def transition(
    session: Session,
    complaint: Complaint,
    to: Status,
    *,
    actor: str,
    note: str = "",
    unit: Unit | None = None,
    public: bool = True,
) -> StatusChange:
    """Move `complaint` to `to`, record who/when/why, and queue news for the citizen.

    Runs in the caller's transaction; raises before changing anything when the
    move is not allowed.
    """
    old = complaint.status
    if not is_allowed(old, to):
        raise IllegalTransition(f"cannot move a complaint from {old.value} to {to.value}")
    note = note.strip()
    if to in NOTE_REQUIRED and not note:
        raise Unprocessable(f"a note is required to move a complaint to {to.value}")
    if unit is not None and to is not Status.DISPOSISI:
        raise Unprocessable("a unit can only be given when moving to disposisi")
    if to is Status.DISPOSISI and old is Status.DISPOSISI:
        if unit is None or unit.id == complaint.unit_id:
            raise Unprocessable("reassigning needs a different unit")

    if unit is not None:
        complaint.unit = unit
        complaint.unit_id = unit.id
    complaint.status = to
    complaint.updated_at = utcnow()
    change = StatusChange(
        complaint=complaint,
        from_status=old,
        to_status=to,
        note=note,
        public=public,
        actor=actor,
        unit_id=complaint.unit_id,
    )
    session.add(change)
    session.flush()
    notifications.enqueue_status_news(session, complaint, change)
    return change
