"""Interface E: the reporter's answer to "Sudah beres?", sent by the actions."""

from fastapi import APIRouter

from backend.auth.deps import ServiceDep
from backend.db import SessionDep
from backend.feedback import service
from backend.feedback.schemas import FeedbackIn, FeedbackOut

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
