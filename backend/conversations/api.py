"""The handoff API of the actions (A: open) and the gateway (B: a citizen's message)."""

from fastapi import APIRouter, Response, status

from backend import jobs
from backend.auth.deps import ServiceDep
from backend.config import get_settings
from backend.conversations import service
from backend.conversations.schemas import (
    CitizenMessage,
    CitizenMessageOut,
    HandoffOut,
    HandoffRequest,
)
from backend.db import SessionDep, utcnow

router = APIRouter(prefix="/api/v1/conversations", tags=["handoff"])
jobs.register("handoff_timeouts", service.expire_waiting)
jobs.register("handoff_idle", service.close_idle)


@router.post("", response_model=HandoffOut, status_code=status.HTTP_201_CREATED)
def open_handoff(
    body: HandoffRequest, response: Response, session: SessionDep, _service: ServiceDep
) -> HandoffOut:
    """201 for a new conversation; 200 for the sender's live one, or when the office is closed."""
    handoff = service.open_handoff(session, body, utcnow())
    if not handoff.created:
        response.status_code = status.HTTP_200_OK
    conversation = handoff.conversation
    return HandoffOut(
        conversation_id=conversation.id if conversation else None,
        state=conversation.state.value if conversation else "office_closed",
        office_hours=handoff.hours.label(),
        opens_at=handoff.opens_at,
        reply_within_minutes=get_settings().handoff_take_timeout_minutes,
    )


@router.post("/messages", response_model=CitizenMessageOut, status_code=status.HTTP_201_CREATED)
def citizen_message(
    body: CitizenMessage, session: SessionDep, _service: ServiceDep
) -> CitizenMessageOut:
    conversation = service.add_citizen_message(session, body)
    return CitizenMessageOut(conversation_id=conversation.id, state=conversation.state)
