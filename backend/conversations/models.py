"""A handed-off chat (waiting, open with an officer, or closed) and its messages."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.complaints.models import Complaint, Reporter
from backend.db import Base, CreatedAtMixin, str_enum, utcnow


class ConversationState(enum.StrEnum):
    WAITING = "waiting"  # the citizen waits for an officer to take it
    OPEN = "open"  # an officer took it
    CLOSED = "closed"  # back to the bot


class HandoffReason(enum.StrEnum):
    REQUESTED = "requested"  # the citizen asked for an officer
    FALLBACK = "fallback"  # the bot did not understand twice


class CloseReason(enum.StrEnum):
    OFFICER = "officer"
    TIMEOUT = "timeout"  # nobody took it in time, or the office closed
    IDLE = "idle"  # taken, then nobody wrote for HANDOFF_IDLE_MINUTES


class Author(enum.StrEnum):
    CITIZEN = "citizen"
    BOT = "bot"
    OFFICER = "officer"


class Conversation(CreatedAtMixin, Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    # The reporter while waiting/open, NULL once closed: the unique constraint
    # keeps one live conversation per chat, also against concurrent requests.
    active_reporter_id: Mapped[int | None] = mapped_column(unique=True)
    state: Mapped[ConversationState] = mapped_column(str_enum(ConversationState), index=True)
    reason: Mapped[HandoffReason] = mapped_column(str_enum(HandoffReason))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    taken_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason))
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)

    reporter: Mapped[Reporter] = relationship(lazy="joined")
    complaint: Mapped[Complaint | None] = relationship()


class ConversationMessage(CreatedAtMixin, Base):
    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    author: Mapped[Author] = mapped_column(str_enum(Author))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    text: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[str | None] = mapped_column(ForeignKey("photos.id"))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
