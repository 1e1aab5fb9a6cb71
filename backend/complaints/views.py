"""Turn stored complaints into their wire shapes (public and operator views)."""

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from backend.complaints import service, workflow
from backend.complaints.models import Complaint, Status
from backend.complaints.schemas import (
    FOLLOWED_UP,
    ComplaintDetail,
    ComplaintPublic,
    HistoryEntry,
    PublicNote,
    status_label,
)
from backend.photos import service as photos
from backend.privacy import mask_personal
from backend.sla import service as sla


def _due_at(complaint: Complaint) -> datetime | None:
    """The SLA target time (for the citizen's status answer); none once rejected."""
    session = object_session(complaint)
    if session is None or complaint.status is Status.DITOLAK:
        return None
    return sla.due_at(session, complaint)


def public_view(complaint: Complaint) -> ComplaintPublic:
    """What anyone with the ticket number may read: officers' notes are masked as
    Open311 masks descriptions (their full text is in the operator history)."""
    notes = [
        PublicNote(status=change.to_status, note=mask_personal(change.note), at=change.created_at)
        for change in complaint.history
        if change.public and change.note
    ]
    agency = complaint.unit.name
    return ComplaintPublic(
        ticket_id=complaint.ticket_id,
        category=complaint.category_code,
        category_label=complaint.category.label,
        status=complaint.status,
        status_label=status_label(complaint.status, agency),
        ditindaklanjuti=complaint.status in FOLLOWED_UP,
        agency=agency,
        kelurahan=complaint.kelurahan,
        kecamatan=complaint.kecamatan,
        kota=complaint.kota,
        created_at=complaint.created_at,
        updated_at=complaint.updated_at,
        due_at=_due_at(complaint),
        latest_note=notes[-1].note if notes else None,
        public_notes=notes,
    )


def detail_view(session: Session, complaint: Complaint) -> ComplaintDetail:
    return ComplaintDetail(
        **public_view(complaint).model_dump(),
        description=complaint.description,
        channel=complaint.channel,
        unit_code=complaint.unit.code,
        latitude=complaint.latitude,
        longitude=complaint.longitude,
        address=complaint.address,
        photo_ids=photos.ids_of(session, complaint.id),
        supporters=service.supporter_count(session, complaint),
        allowed_moves=workflow.allowed_moves(complaint.status),
        history=[
            HistoryEntry(
                from_status=change.from_status,
                to_status=change.to_status,
                note=change.note,
                public=change.public,
                actor=change.actor,
                unit=change.unit.name,
                at=change.created_at,
            )
            for change in complaint.history
        ],
    )
