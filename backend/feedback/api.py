"""Interface E: the reporter's answer to "Sudah beres?", and a withdrawal, sent by the actions."""

from fastapi import APIRouter

from backend.auth.deps import ServiceDep
from backend.db import SessionDep
from backend.feedback import service
from backend.feedback.schemas import FeedbackIn, FeedbackOut, WithdrawalIn, WithdrawalOut

router = APIRouter(prefix="/api/v1/complaints", tags=["feedback"])


@router.post("/{ticket_id}/feedback", response_model=FeedbackOut)
def give_feedback(
    ticket_id: str, body: FeedbackIn, session: SessionDep, _service: ServiceDep
) -> FeedbackOut:
    complaint, rating = service.give(session, ticket_id, body)
    return FeedbackOut(
        ticket_id=complaint.ticket_id,
        status=complaint.status,
        resolved=body.resolved,
        rating=rating,
    )


@router.post("/{ticket_id}/withdrawal", response_model=WithdrawalOut)
def withdraw(
    ticket_id: str, body: WithdrawalIn, session: SessionDep, _service: ServiceDep
) -> WithdrawalOut:
    """The reporter takes the complaint back: `ditolak`, "dibatalkan pelapor"; 409
    `not_withdrawable` once the unit works on it."""
    complaint = service.withdraw(session, ticket_id, body.sender_id)
    return WithdrawalOut(ticket_id=complaint.ticket_id, status=complaint.status)
