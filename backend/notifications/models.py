"""The outbox: messages to citizens, written in the transaction that causes them."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, CreatedAtMixin, str_enum, utcnow


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    # The gateway is calling the chat app now: if it stops before reporting, the
    # outcome is unknown (docs/channels.md, "Status news after a crash").
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(CreatedAtMixin, Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState),
        default=DeliveryState.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
