"""The gateway's side of the outbox: claim due messages, mark them sending, report each result."""

from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import ServiceDep
from backend.db import SessionDep
from backend.notifications import service
from backend.notifications.schemas import (
    ButtonOut,
    DeliveryBatch,
    DeliveryOut,
    DeliveryStateOut,
    FailureReport,
    SendingMark,
    SendingMarked,
)

router = APIRouter(prefix="/api/v1/outbox", tags=["outbox"])


@router.post("/claim", response_model=DeliveryBatch)
def claim(
    session: SessionDep, _service: ServiceDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> DeliveryBatch:
    deliveries = service.claim_due(session, limit)
    return DeliveryBatch(
        messages=[
            DeliveryOut(
                id=d.message.id,
                channel=d.channel,
                chat_id=d.chat_id,
                kind=d.message.kind,
                ticket_id=d.message.payload.get("ticket_id"),
                text=d.worded.text,
                attempts=d.message.attempts,
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in d.worded.buttons],
                ends_handoff=d.worded.ends_handoff,
                rasa_slots=d.worded.rasa_slots,
                uncertain=d.uncertain,
            )
            for d in deliveries
        ]
    )


@router.post("/sending", response_model=SendingMarked)
def sending(body: SendingMark, session: SessionDep, _service: ServiceDep) -> SendingMarked:
    """Mark claimed messages `sending` just before the chat app is called."""
    return SendingMarked(ids=service.mark_sending(session, body.ids))


@router.post("/{message_id}/delivered", response_model=DeliveryStateOut)
def delivered(message_id: int, session: SessionDep, _service: ServiceDep) -> DeliveryStateOut:
    message = service.mark_sent(session, message_id)
    return DeliveryStateOut(id=message.id, state=message.state, attempts=message.attempts)


@router.post("/{message_id}/failed", response_model=DeliveryStateOut)
def failed(
    message_id: int, body: FailureReport, session: SessionDep, _service: ServiceDep
) -> DeliveryStateOut:
    message = service.mark_failed(session, message_id, body.error, retry=body.retry)
    return DeliveryStateOut(id=message.id, state=message.state, attempts=message.attempts)
