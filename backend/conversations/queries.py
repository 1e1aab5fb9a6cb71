"""What officers see of conversations: the inbox list, one conversation, the waiting count.

Who sees what: `operator` and `admin` (the CRM team) see every conversation;
an `agency` user sees only conversations linked to a complaint of its unit
(the CRM team triages the others). Anything else answers "not found".
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from backend.auth.models import Operator, Role
from backend.complaints.models import Channel, Complaint
from backend.conversations.models import Conversation, ConversationMessage, ConversationState
from backend.errors import NotFound

PREVIEW_LENGTH = 80
RECENT_CLOSED = 20


class ConversationNotFound(NotFound):
    code = "conversation_not_found"


def _visible(operator: Operator) -> Select[tuple[Conversation]]:
    query = select(Conversation)
    if operator.role is Role.AGENCY:
        own = select(Complaint.id).where(Complaint.unit_id == operator.unit_id)
        query = query.where(Conversation.complaint_id.in_(own))
    return query


def get_visible(session: Session, operator: Operator, conversation_id: int) -> Conversation:
    conversation = session.scalar(
        _visible(operator)
        .where(Conversation.id == conversation_id)
        .execution_options(populate_existing=True)
    )
    if conversation is None:
        raise ConversationNotFound(f"no conversation {conversation_id}")
    return conversation


def messages_of(session: Session, conversation_id: int) -> list[ConversationMessage]:
    query = select(ConversationMessage).where(
        ConversationMessage.conversation_id == conversation_id
    )
    return list(session.scalars(query.order_by(ConversationMessage.id)))


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox; no phone number or chat id."""

    id: int
    state: ConversationState
    channel: Channel
    created_at: datetime
    last_message_at: datetime
    preview: str
    ticket_id: str | None

    def waited_minutes(self, now: datetime) -> int:
        return max(0, int((now - self.created_at).total_seconds() // 60))


def inbox(session: Session, operator: Operator) -> list[InboxRow]:
    """Waiting chats first (longest waiting on top), then open ones, then recently closed."""
    live = _visible(operator).where(Conversation.state != ConversationState.CLOSED)
    order = case((Conversation.state == ConversationState.WAITING, 0), else_=1)
    rows = list(session.scalars(live.order_by(order, Conversation.created_at, Conversation.id)))
    closed = _visible(operator).where(Conversation.state == ConversationState.CLOSED)
    rows += session.scalars(closed.order_by(Conversation.id.desc()).limit(RECENT_CLOSED))
    previews = _previews(session, [c.id for c in rows])
    tickets = _tickets(session, [c.complaint_id for c in rows if c.complaint_id])
    return [
        InboxRow(
            id=c.id,
            state=c.state,
            channel=c.reporter.channel,
            created_at=c.created_at,
            last_message_at=c.last_message_at,
            preview=previews.get(c.id, ""),
            ticket_id=tickets.get(c.complaint_id) if c.complaint_id else None,
        )
        for c in rows
    ]


def _previews(session: Session, ids: list[int]) -> dict[int, str]:
    """The latest message of each conversation, shortened; a photo or a pin in words."""
    if not ids:
        return {}
    latest = (
        select(func.max(ConversationMessage.id))
        .where(ConversationMessage.conversation_id.in_(ids))
        .group_by(ConversationMessage.conversation_id)
    )
    found = session.scalars(select(ConversationMessage).where(ConversationMessage.id.in_(latest)))
    previews = {}
    for message in found:
        text = message.text or ("[foto]" if message.photo_id else "[lokasi]")
        short = text if len(text) <= PREVIEW_LENGTH else text[: PREVIEW_LENGTH - 1] + "…"
        previews[message.conversation_id] = short
    return previews


def _tickets(session: Session, complaint_ids: list[int]) -> dict[int, str]:
    if not complaint_ids:
        return {}
    query = select(Complaint.id, Complaint.ticket_id).where(Complaint.id.in_(complaint_ids))
    return {row.id: row.ticket_id for row in session.execute(query)}


def waiting_count(session: Session, operator: Operator) -> int:
    waiting = _visible(operator).where(Conversation.state == ConversationState.WAITING)
    return session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
