"""What to tell citizens, queued in the outbox, and the delivery bookkeeping.

The gateway claims due messages, marks them `sending` just before it calls the
chat app, sends them, and reports each result. A claim is a lease: a message
whose sender died is claimable again once the lease runs out, so nothing is lost
when the gateway restarts. One still `sending` then has an unknown outcome (the
chat app may have shown it): it is sent again, flagged `uncertain` so the
gateway can check its own record of what it sent first (at least once; the
rule and its figures are in docs/channels.md).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.complaints.models import Channel, Complaint, Reporter, StatusChange, Supporter
from backend.complaints.schemas import status_label
from backend.db import utcnow
from backend.errors import Conflict, NotFound
from backend.notifications import kinds, messages
from backend.notifications.models import DeliveryState, OutboxMessage

STATUS_NEWS = kinds.STATUS_NEWS
# Web reporters are web-chat users: the gateway decides how to reach them.
CHAT_CHANNELS = (Channel.TELEGRAM, Channel.WHATSAPP, Channel.WEB)
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
UNCERTAIN = "outcome unknown: the gateway stopped while sending; sent again"


def enqueue_status_news(session: Session, complaint: Complaint, change: StatusChange) -> int:
    """Queue news of `change` for the reporter and every supporter on a chat app."""
    recipients: list[int] = []
    if complaint.reporter_id is not None:
        recipients.append(complaint.reporter_id)
    recipients += session.scalars(
        select(Supporter.reporter_id).where(Supporter.complaint_id == complaint.id)
    )
    reachable = set(
        session.scalars(
            select(Reporter.id).where(
                Reporter.id.in_(recipients), Reporter.channel.in_(CHAT_CHANNELS)
            )
        )
    )
    payload = {
        "ticket_id": complaint.ticket_id,
        "status": change.to_status.value,
        "status_label": status_label(change.to_status, complaint.unit.name),
        "note": change.note if change.public else "",
    }
    for reporter_id in dict.fromkeys(r for r in recipients if r in reachable):
        enqueue(session, reporter_id, STATUS_NEWS, payload, complaint_id=complaint.id)
    return len(reachable)


def enqueue(
    session: Session,
    reporter_id: int,
    kind: str,
    payload: dict[str, Any],
    *,
    complaint_id: int | None = None,
) -> OutboxMessage:
    """Queue one message; `messages.word` must know its kind."""
    message = OutboxMessage(
        complaint_id=complaint_id, reporter_id=reporter_id, kind=kind, payload=payload
    )
    session.add(message)
    return message


@dataclass(frozen=True)
class Delivery:
    """One message to send: where, and what (already worded)."""

    message: OutboxMessage
    channel: Channel
    chat_id: str
    worded: messages.Worded
    uncertain: bool  # a previous sender stopped while sending it: it may have arrived


def claim_due(session: Session, limit: int) -> list[Delivery]:
    """Lease up to `limit` due messages to the caller (rows locked, others skip them).

    Due: pending ones whose time has come, and ones left `sending` when their lease
    ran out (their sender stopped mid-call), which go out again as `uncertain`.
    """
    now = utcnow()
    rows = session.execute(
        select(OutboxMessage, Reporter, Complaint.reporter_id)
        .join(Reporter, Reporter.id == OutboxMessage.reporter_id)
        .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
        .where(
            OutboxMessage.state.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(of=OutboxMessage, skip_locked=True)
    ).all()
    deliveries = []
    for message, reporter, complaint_reporter_id in rows:
        uncertain = message.state is DeliveryState.SENDING
        if uncertain:
            message.state = DeliveryState.PENDING
            message.last_error = UNCERTAIN
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        deliveries.append(
            Delivery(
                message,
                reporter.channel,
                reporter.chat_id,
                messages.word(message, to_reporter=reporter.id == complaint_reporter_id),
                uncertain,
            )
        )
    return deliveries


def mark_sending(session: Session, message_ids: list[int]) -> list[int]:
    """Mark leased messages as being sent now (the caller is about to call the chat app).

    Returns the ids marked: only pending ones whose lease still runs. One already
    sent, given up, or whose lease ran out (another gateway may hold it now) is
    left alone, and the caller must not send it.
    """
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.state == DeliveryState.PENDING,
            OutboxMessage.next_attempt_at > utcnow(),
        )
        .with_for_update()
    ).all()
    for message in rows:
        message.state = DeliveryState.SENDING
    return sorted(message.id for message in rows)


def _get(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"no outbox message {message_id}")
    return message


def mark_sent(session: Session, message_id: int) -> OutboxMessage:
    message = _get(session, message_id)
    message.state = DeliveryState.SENT
    message.sent_at = utcnow()
    message.last_error = None
    return message


def mark_failed(session: Session, message_id: int, error: str, *, retry: bool) -> OutboxMessage:
    """Record a failed attempt: retry later with back-off, or give up for an operator."""
    message = _get(session, message_id)
    if message.state not in (DeliveryState.PENDING, DeliveryState.SENDING):
        return message
    message.last_error = error[:500]
    if retry and message.attempts < MAX_ATTEMPTS:
        message.state = DeliveryState.PENDING
        message.next_attempt_at = utcnow() + FIRST_RETRY * 2 ** (message.attempts - 1)
    else:
        message.state = DeliveryState.FAILED
    return message


def failed(session: Session, limit: int = 100) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == DeliveryState.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def of_complaint(session: Session, complaint_id: int) -> list[OutboxMessage]:
    """Every message about one complaint, oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.complaint_id == complaint_id)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def requeue(session: Session, message_id: int) -> OutboxMessage:
    """Send a failed message again from scratch (an operator's decision)."""
    message = _get(session, message_id)
    if message.state is not DeliveryState.FAILED:
        raise Conflict(f"outbox message {message_id} has not failed")
    message.state = DeliveryState.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    return message
