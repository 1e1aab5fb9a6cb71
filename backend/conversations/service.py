"""The handoff lifecycle: open (A), citizen messages (B), take, reply, close, time out.

A conversation is `waiting` until an officer takes it (`open`) and `closed`
when the officer ends it or nobody took it in time. State changes that can
race (two officers taking, the timeout job in two workers) are conditional
UPDATEs: exactly one wins, the others see a conflict or do nothing.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.alerts import service as alerts
from backend.auth.models import Operator
from backend.complaints import service as complaints
from backend.complaints.exceptions import InvalidTicketError, TicketNotFound
from backend.complaints.models import Channel, Complaint, Reporter
from backend.config import get_settings
from backend.conversations import office_hours
from backend.conversations.models import (
    Author,
    CloseReason,
    Conversation,
    ConversationMessage,
    ConversationState,
)
from backend.conversations.schemas import CitizenMessage, HandoffRequest
from backend.db import utcnow
from backend.errors import Conflict, NotFound, Unprocessable
from backend.notifications import kinds
from backend.notifications import service as outbox
from backend.photos import service as photos
from backend.photos.exceptions import PhotoNotFound

logger = logging.getLogger(__name__)
LIVE = (ConversationState.WAITING, ConversationState.OPEN)


class NoHandoff(NotFound):
    code = "no_handoff"

    def __init__(self) -> None:
        super().__init__("this sender has no conversation with an officer")


class UnknownPhoto(Unprocessable):
    code = "unknown_photo"

    def __init__(self) -> None:
        super().__init__("no uploaded photo with this id")


@dataclass(frozen=True)
class Handoff:
    """The answer to a handoff request (interface A)."""

    conversation: Conversation | None  # None: the office is closed, nothing was created
    created: bool
    opens_at: datetime | None
    hours: office_hours.OfficeHours


def hours() -> office_hours.OfficeHours:
    return office_hours.parse(get_settings().handoff_office_hours)


def parse_sender(sender_id: str) -> tuple[Channel, str]:
    """ "telegram:123" → (telegram, "123"); the schema checked the shape."""
    channel, _, chat_id = sender_id.partition(":")
    return Channel(channel), chat_id


def _live_of(session: Session, reporter_id: int) -> Conversation | None:
    return session.scalar(
        select(Conversation)
        .where(Conversation.active_reporter_id == reporter_id)
        .execution_options(populate_existing=True)
    )


def _live_of_sender(session: Session, channel: Channel, chat_id: str) -> Conversation | None:
    reporter_id = session.scalar(
        select(Reporter.id).where(Reporter.channel == channel, Reporter.chat_id == chat_id)
    )
    return _live_of(session, reporter_id) if reporter_id is not None else None


def open_handoff(session: Session, request: HandoffRequest, now: datetime) -> Handoff:
    """Open a conversation for the sender, or return the live one it already has."""
    schedule = hours()
    channel, chat_id = parse_sender(request.sender_id)
    existing = _live_of_sender(session, channel, chat_id)
    if existing is not None:
        return Handoff(existing, False, None, schedule)
    if not schedule.is_open(now):  # nothing is stored, not even the reporter
        return Handoff(None, False, schedule.next_opening(now), schedule)
    reporter = complaints.find_or_add_reporter(session, channel, chat_id)
    conversation = Conversation(
        reporter=reporter,
        active_reporter_id=reporter.id,
        state=ConversationState.WAITING,
        reason=request.reason,
        complaint_id=_complaint_id(session, request.ticket_id),
        draft=request.draft,
        created_at=now,
        last_message_at=now,
    )
    try:
        with session.begin_nested():
            session.add(conversation)
    except IntegrityError:  # a concurrent request opened one first
        found = _live_of(session, reporter.id)
        if found is None:
            raise
        return Handoff(found, False, None, schedule)
    for item in request.transcript:
        author = Author.CITIZEN if item.role == "citizen" else Author.BOT
        _add_message(session, conversation, author, text=item.text, at=item.at or now)
    conversation.last_message_at = now
    alerts.raise_alert(
        session,
        kind="handoff",
        text=f"Warga menunggu petugas ({reporter.channel.value}).",
        link=f"/inbox/{conversation.id}",
    )
    logger.info(
        "handoff opened",
        extra={"conversation_id": conversation.id, "channel": reporter.channel.value},
    )
    return Handoff(conversation, True, None, schedule)


def _complaint_id(session: Session, ticket_text: str | None) -> int | None:
    if not ticket_text:
        return None
    try:
        return complaints.get(session, ticket_text).id
    except (TicketNotFound, InvalidTicketError):
        return None  # the bot passes what the citizen typed: no link, still a handoff


def _add_message(
    session: Session,
    conversation: Conversation,
    author: Author,
    *,
    text: str | None = None,
    operator_id: int | None = None,
    photo_id: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    at: datetime | None = None,
) -> ConversationMessage:
    message = ConversationMessage(
        conversation_id=conversation.id,
        author=author,
        operator_id=operator_id,
        text=text,
        photo_id=photo_id,
        latitude=latitude,
        longitude=longitude,
        created_at=at or utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def add_citizen_message(session: Session, body: CitizenMessage) -> Conversation:
    """Store what a handed-off citizen sent (interface B)."""
    conversation = _live_of_sender(session, *parse_sender(body.sender_id))
    if conversation is None:
        raise NoHandoff()
    if body.photo_id is not None:
        try:
            photos.load(session, body.photo_id)
        except PhotoNotFound:
            raise UnknownPhoto() from None
    text = body.text.strip() if body.text and body.text.strip() else None
    message = _add_message(
        session,
        conversation,
        Author.CITIZEN,
        text=text,
        photo_id=body.photo_id,
        latitude=body.latitude,
        longitude=body.longitude,
    )
    conversation.last_message_at = message.created_at
    return conversation


def _tell(session: Session, conversation: Conversation, kind: str, **payload: Any) -> None:
    outbox.enqueue(
        session,
        conversation.reporter_id,
        kind,
        {"conversation_id": conversation.id, **payload},
        complaint_id=conversation.complaint_id,
    )


def _claim(
    session: Session,
    conversation: Conversation,
    states: tuple[ConversationState, ...],
    **values: Any,
) -> bool:
    """Change the conversation only if it is still in one of `states`; True if this call did."""
    done = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.state.in_(states))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(conversation)
    return bool(done.rowcount)  # type: ignore[attr-defined]


def take(session: Session, operator: Operator, conversation: Conversation) -> None:
    """An officer joins the chat; the citizen is greeted."""
    now = utcnow()
    taken = _claim(
        session,
        conversation,
        (ConversationState.WAITING,),
        state=ConversationState.OPEN,
        operator_id=operator.id,
        taken_at=now,
    )
    if not taken:
        raise Conflict("this conversation was taken or closed already")
    _tell(session, conversation, kinds.HANDOFF_TAKEN)


def reply(session: Session, operator: Operator, conversation: Conversation, text: str) -> None:
    text = text.strip()
    if not text:
        raise Unprocessable("a reply needs text")
    if conversation.state is not ConversationState.OPEN:
        raise Conflict("take the conversation before replying")
    message = _add_message(
        session, conversation, Author.OFFICER, text=text, operator_id=operator.id
    )
    conversation.last_message_at = message.created_at
    _tell(session, conversation, kinds.HANDOFF_REPLY, text=text)


def close(session: Session, conversation: Conversation) -> None:
    """The officer ends the chat; the citizen is back with the bot."""
    if not _close(session, conversation, CloseReason.OFFICER, LIVE, utcnow()):
        raise Conflict("this conversation is closed already")
    _tell(session, conversation, kinds.HANDOFF_CLOSED)


def _close(
    session: Session,
    conversation: Conversation,
    reason: CloseReason,
    states: tuple[ConversationState, ...],
    now: datetime,
) -> bool:
    return _claim(
        session,
        conversation,
        states,
        state=ConversationState.CLOSED,
        active_reporter_id=None,
        closed_at=now,
        close_reason=reason,
    )


def expire_waiting(session: Session, now: datetime) -> int:
    """Periodic job: close chats nobody took in time; all waiting ones once the office closed."""
    query = select(Conversation).where(Conversation.state == ConversationState.WAITING)
    if hours().is_open(now):
        deadline = now - timedelta(minutes=get_settings().handoff_take_timeout_minutes)
        query = query.where(Conversation.created_at <= deadline)
    return _close_each(
        session, query, ConversationState.WAITING, CloseReason.TIMEOUT, kinds.HANDOFF_TIMEOUT, now
    )


def close_idle(session: Session, now: datetime) -> int:
    """Periodic job: a taken chat where nobody wrote for a while goes back to the bot.

    Otherwise a chat whose officer forgot to close it would stay with the inbox
    for good, and the bot would never answer that citizen again.
    """
    deadline = now - timedelta(minutes=get_settings().handoff_idle_minutes)
    query = select(Conversation).where(
        Conversation.state == ConversationState.OPEN, Conversation.last_message_at <= deadline
    )
    return _close_each(
        session, query, ConversationState.OPEN, CloseReason.IDLE, kinds.HANDOFF_CLOSED, now
    )


def _close_each(
    session: Session,
    query: Select[tuple[Conversation]],
    state: ConversationState,
    reason: CloseReason,
    kind: str,
    now: datetime,
) -> int:
    """Close (up to 200 of) the conversations `query` finds, if still in `state`; send `kind`.

    Each close is a conditional UPDATE, so of two workers running the same job
    only one closes (and tells) a given conversation.
    """
    closed = 0
    for conversation in session.scalars(query.order_by(Conversation.id).limit(200)).all():
        if _close(session, conversation, reason, (state,), now):
            _tell(session, conversation, kind)
            closed += 1
    return closed


def link_complaint(session: Session, conversation: Conversation, complaint: Complaint) -> None:
    conversation.complaint_id = complaint.id
    session.flush()
