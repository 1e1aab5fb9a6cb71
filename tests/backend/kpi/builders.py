"""Complaints with a history at fixed times, for the KPI, SLA and public-page tests."""

from datetime import datetime

from sqlalchemy.orm import Session

from backend.agencies import service as agencies
from backend.complaints import service as complaints
from backend.complaints import workflow
from backend.complaints.models import Channel, Complaint, Status
from backend.complaints.schemas import ComplaintCreate

# Pins in two kelurahan of two kota (checked against backend/places).
GAMBIR = (-6.1754, 106.8272)  # Jakarta Pusat
MELAWAI = (-6.2444, 106.8000)  # Kebayoran Baru, Jakarta Selatan


def complaint(
    session: Session,
    at: datetime,
    *,
    category: str = "sampah",
    channel: Channel = Channel.TELEGRAM,
    pin: tuple[float, float] | None = GAMBIR,
    chat_id: str = "81234567890",
    moves: list[tuple[Status, datetime]] | tuple[tuple[Status, datetime], ...] = (),
    unit: str | None = None,
) -> Complaint:
    """File a complaint at `at` and move it through `moves`, each at its own time.

    `unit` (a unit code) is given to the first move to `disposisi`.
    """
    body = ComplaintCreate(
        category=category,
        description="Laporan uji",
        channel=channel,
        reporter_chat_id=chat_id,
        latitude=pin[0] if pin else None,
        longitude=pin[1] if pin else None,
    )
    filed, _ = complaints.file_complaint(session, body, actor="service:tests", idempotency_key=None)
    filed.created_at = at
    filed.history[0].created_at = at
    for to, when in moves:
        target = None
        if to is Status.DISPOSISI and unit is not None:
            target = agencies.get_unit(session, unit)
            unit = None
        change = workflow.transition(
            session, filed, to, actor="operator:1", note="catatan", unit=target
        )
        change.created_at = when
        filed.updated_at = when
    session.flush()
    return filed
