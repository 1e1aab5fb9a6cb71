"""What to tell citizens, queued in the outbox; the gateway delivers it."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.complaints.models import Complaint, StatusChange, Supporter
from backend.notifications.models import OutboxMessage

STATUS_NEWS = "status_news"


def enqueue_status_news(session: Session, complaint: Complaint, change: StatusChange) -> int:
    """Queue news of `change` for the reporter and every supporter; returns how many."""
    recipients: list[int] = []
    if complaint.reporter_id is not None:
        recipients.append(complaint.reporter_id)
    recipients += session.scalars(
        select(Supporter.reporter_id).where(Supporter.complaint_id == complaint.id)
    )
    payload = {
        "ticket_id": complaint.ticket_id,
        "status": change.to_status.value,
        "note": change.note if change.public else "",
    }
    for reporter_id in dict.fromkeys(recipients):
        session.add(
            OutboxMessage(
                complaint_id=complaint.id,
                reporter_id=reporter_id,
                kind=STATUS_NEWS,
                payload=payload,
            )
        )
    return len(recipients)
