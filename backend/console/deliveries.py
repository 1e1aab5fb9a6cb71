"""Delivery states of the outbox as officers read them (never a chat id)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.complaints.models import Complaint
from backend.notifications import kinds
from backend.notifications import service as outbox
from backend.notifications.models import DeliveryState, OutboxMessage

KIND_NAMES = {
    kinds.STATUS_NEWS: "Kabar status",
    kinds.HANDOFF_TAKEN: "Petugas bergabung",
    kinds.HANDOFF_REPLY: "Balasan petugas",
    kinds.HANDOFF_CLOSED: "Percakapan ditutup",
    kinds.HANDOFF_TIMEOUT: "Tidak terlayani petugas",
}
STATE_NAMES = {
    DeliveryState.PENDING: "Menunggu kirim",
    DeliveryState.SENDING: "Sedang dikirim",
    DeliveryState.SENT: "Terkirim",
    DeliveryState.FAILED: "Gagal",
}


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    kind: str
    recipient: str  # pelapor / pendukung
    state: DeliveryState
    attempts: int
    last_error: str | None
    created_at: datetime
    ticket_id: str | None


def _recipient(message: OutboxMessage, reporter_id: int | None) -> str:
    if message.kind in kinds.HANDOFF_KINDS:
        return "warga (percakapan)"
    return "pelapor" if message.reporter_id == reporter_id else "pendukung"


def _rows(session: Session, messages: list[OutboxMessage]) -> list[DeliveryRow]:
    ids = {m.complaint_id for m in messages if m.complaint_id is not None}
    complaints = (
        {c.id: c for c in session.scalars(select(Complaint).where(Complaint.id.in_(ids)))}
        if ids
        else {}
    )
    rows = []
    for message in messages:
        complaint = complaints.get(message.complaint_id) if message.complaint_id else None
        rows.append(
            DeliveryRow(
                id=message.id,
                kind=KIND_NAMES.get(message.kind, message.kind),
                recipient=_recipient(message, complaint.reporter_id if complaint else None),
                state=message.state,
                attempts=message.attempts,
                last_error=message.last_error,
                created_at=message.created_at,
                ticket_id=complaint.ticket_id if complaint else None,
            )
        )
    return rows


def of_complaint(session: Session, complaint_id: int) -> list[DeliveryRow]:
    return _rows(session, outbox.of_complaint(session, complaint_id))


def failed(session: Session) -> list[DeliveryRow]:
    return _rows(session, outbox.failed(session))
