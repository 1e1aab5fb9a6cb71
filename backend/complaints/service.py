"""Complaint rules: filing (idempotent), lookups, operator moves, supporters. No HTTP."""

import hashlib
import json
import logging

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from backend import metrics
from backend.agencies import service as agencies
from backend.auth.models import Operator, Role
from backend.complaints import tickets, workflow
from backend.complaints.exceptions import (
    IdempotencyKeyReused,
    InvalidTicketError,
    OutsideJakarta,
    SubmissionNotFound,
    TicketNotFound,
)
from backend.complaints.models import (
    Channel,
    Complaint,
    IdempotencyKey,
    Reporter,
    Status,
    Supporter,
)
from backend.complaints.schemas import ComplaintCreate, TransitionRequest
from backend.errors import Unprocessable
from backend.photos import service as photos
from backend.photos.exceptions import PhotoNotFound
from backend.photos.models import Photo
from backend.places import service as places

logger = logging.getLogger(__name__)
RECENT_LIMIT = 10


def parse_ticket(text: str) -> str:
    try:
        return tickets.parse(text)
    except tickets.InvalidTicket:
        raise InvalidTicketError() from None


def get(session: Session, ticket_text: str, *, for_update: bool = False) -> Complaint:
    """The complaint of a typed ticket number; `for_update` locks its row until commit."""
    ticket_id = parse_ticket(ticket_text)
    if for_update:
        # Lock the bare row first: a locking query with joins can come back with
        # NULL joined columns in PostgreSQL when it had to wait for the lock.
        locked = select(Complaint.id).where(Complaint.ticket_id == ticket_id).with_for_update()
        session.execute(locked)
    complaint = session.scalar(
        select(Complaint)
        .where(Complaint.ticket_id == ticket_id)
        .options(selectinload(Complaint.history))
        .execution_options(populate_existing=True)
    )
    if complaint is None:
        raise TicketNotFound(ticket_id)
    return complaint


def file_complaint(
    session: Session, data: ComplaintCreate, *, actor: str, idempotency_key: str | None
) -> tuple[Complaint, bool]:
    """Store a new complaint; returns it and whether it was created by this call.

    With an idempotency key, a retry (even one racing the first request) gets
    the first complaint back instead of filing a second one.
    """
    key_row: IdempotencyKey | None = None
    if idempotency_key is not None:
        key_row, first = _claim_key(session, actor, idempotency_key, _fingerprint(data))
        if not first:
            assert key_row.complaint_id is not None  # noqa: S101 - set in the same transaction
            return _load(session, key_row.complaint_id), False

    category = agencies.get_category(session, data.category)
    place = _place_of(data)
    complaint = Complaint(
        ticket_id=_unused_ticket(session),
        category_code=category.code,
        description=data.description,
        channel=data.channel,
        reporter=_reporter(
            session,
            data.reporter_channel or data.channel,
            data.reporter_chat_id,
            data.reporter_name,
        ),
        latitude=data.latitude,
        longitude=data.longitude,
        address=data.address,
        unit=agencies.route(session, category, place.kota_code if place else None),
    )
    if place is not None:
        complaint.kelurahan_code = place.kelurahan_code
        complaint.kelurahan = place.kelurahan
        complaint.kecamatan = place.kecamatan
        complaint.kota_code = place.kota_code
        complaint.kota = place.kota
    workflow.file(session, complaint, actor=actor)
    session.flush()
    photos.attach(session, data.photo_ids, complaint.id)
    if key_row is not None:
        key_row.complaint_id = complaint.id
    session.flush()
    metrics.COMPLAINTS_FILED.labels(channel=data.channel.value, category=category.code).inc()
    logger.info(
        "complaint filed",
        extra={"ticket_id": complaint.ticket_id, "channel": data.channel.value},
    )
    return complaint, True


def filed_with_key(session: Session, scope: str, key: str) -> Complaint:
    """The complaint a caller filed with an Idempotency-Key (its answer may have been
    lost on the way); only the caller's own keys are looked at."""
    complaint_id = session.scalar(
        select(IdempotencyKey.complaint_id).where(
            IdempotencyKey.scope == scope, IdempotencyKey.key == key
        )
    )
    if complaint_id is None:
        raise SubmissionNotFound()
    return _load(session, complaint_id)


def _fingerprint(data: ComplaintCreate) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _claim_key(
    session: Session, scope: str, key: str, fingerprint: str
) -> tuple[IdempotencyKey, bool]:
    """Insert the key row, or find the one a previous (possibly concurrent) request made."""
    row = IdempotencyKey(scope=scope, key=key, request_hash=fingerprint)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another request holds the key; PostgreSQL made us wait for its commit.
        existing = session.scalar(
            select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        )
        if existing is None:  # it rolled back: the key is free again
            return _claim_key(session, scope, key, fingerprint)
        if existing.request_hash != fingerprint:
            raise IdempotencyKeyReused() from None
        return existing, False
    return row, True


def _place_of(data: ComplaintCreate) -> places.Place | None:
    if data.latitude is not None and data.longitude is not None:
        place = places.locate(data.latitude, data.longitude)
        if place is None:
            raise OutsideJakarta()
        return place
    if data.kelurahan_code is not None:
        place = places.by_code(data.kelurahan_code)
        if place is None:
            raise Unprocessable(f"unknown kelurahan code {data.kelurahan_code!r}")
        return place
    return None


def _unused_ticket(session: Session) -> str:
    while True:  # 40 random bits: a second round is already vanishingly rare
        ticket_id = tickets.generate()
        if not session.scalar(select(exists().where(Complaint.ticket_id == ticket_id))):
            return ticket_id


def _reporter(
    session: Session, channel: Channel, chat_id: str | None, name: str | None
) -> Reporter | None:
    if chat_id is None:
        return None
    return find_or_add_reporter(session, channel, chat_id, name)


def find_or_add_reporter(
    session: Session, channel: Channel, chat_id: str, name: str | None = None
) -> Reporter:
    query = select(Reporter).where(Reporter.channel == channel, Reporter.chat_id == chat_id)
    reporter = session.scalar(query)
    if reporter is not None:
        return reporter
    reporter = Reporter(channel=channel, chat_id=chat_id, display_name=name)
    try:
        with session.begin_nested():
            session.add(reporter)
    except IntegrityError:  # a concurrent first message from the same chat
        found = session.scalar(query)
        assert found is not None  # noqa: S101 - the conflicting row is committed
        return found
    return reporter


def _load(session: Session, complaint_id: int) -> Complaint:
    complaint = session.scalar(
        select(Complaint)
        .where(Complaint.id == complaint_id)
        .options(selectinload(Complaint.history))
    )
    assert complaint is not None  # noqa: S101 - foreign key
    return complaint


def reporter_complaints(session: Session, channel: Channel, chat_id: str) -> list[Complaint]:
    """A citizen's own recent complaints (filed or supported), newest first."""
    supported = (
        select(Supporter.complaint_id)
        .join(Supporter.reporter)
        .where(Reporter.channel == channel, Reporter.chat_id == chat_id)
    )
    own = select(Reporter.id).where(Reporter.channel == channel, Reporter.chat_id == chat_id)
    return list(
        session.scalars(
            select(Complaint)
            .where(Complaint.reporter_id.in_(own) | Complaint.id.in_(supported))
            .order_by(Complaint.created_at.desc(), Complaint.id.desc())
            .limit(RECENT_LIMIT)
            .options(selectinload(Complaint.history))
        )
    )


def may_see(operator: Operator, complaint: Complaint) -> bool:
    """An agency operator sees only its own unit's complaints; others see all."""
    return operator.role is not Role.AGENCY or complaint.unit_id == operator.unit_id


def check_can_see(operator: Operator, complaint: Complaint) -> None:
    """Another unit's ticket answers exactly like an unknown one, so it cannot be probed."""
    if not may_see(operator, complaint):
        raise TicketNotFound(complaint.ticket_id)


def photo_for(session: Session, operator: Operator | None, photo_id: str) -> tuple[Photo, bytes]:
    """A photo and its bytes, for a service client (which stored it) or for an
    officer who may see its complaint (`check_can_see`).

    An officer gets a photo not yet attached to a complaint, or one of another
    unit's complaint, exactly like an unknown photo: nothing names the ticket.
    """
    photo, data = photos.load(session, photo_id)
    if operator is None:
        return photo, data
    complaint = session.get(Complaint, photo.complaint_id) if photo.complaint_id else None
    if complaint is None or not may_see(operator, complaint):
        raise PhotoNotFound(f"no photo {photo_id}")
    return photo, data


def move(
    session: Session, operator: Operator, ticket_text: str, request: TransitionRequest
) -> Complaint:
    complaint = get(session, ticket_text, for_update=True)  # concurrent moves queue here
    check_can_see(operator, complaint)
    unit = agencies.get_unit(session, request.unit_code) if request.unit_code else None
    workflow.transition(
        session,
        complaint,
        request.to,
        actor=f"operator:{operator.id}",
        note=request.note,
        unit=unit,
        public=request.public,
    )
    session.flush()
    session.refresh(complaint, ["history"])
    return complaint


def add_supporter(session: Session, ticket_text: str, channel: Channel, chat_id: str) -> Complaint:
    """Let a citizen follow an open complaint; idempotent. The reporter cannot support it."""
    complaint = get(session, ticket_text)
    if complaint.status in (Status.SELESAI, Status.DITOLAK):
        raise Unprocessable("this complaint is closed")
    reporter = find_or_add_reporter(session, channel, chat_id)
    if reporter.id == complaint.reporter_id:
        return complaint
    already = select(
        exists().where(Supporter.complaint_id == complaint.id, Supporter.reporter_id == reporter.id)
    )
    if not session.scalar(already):
        try:
            with session.begin_nested():
                session.add(Supporter(complaint_id=complaint.id, reporter_id=reporter.id))
        except IntegrityError:
            pass  # a concurrent identical request added it
    return complaint


def supporter_count(session: Session, complaint: Complaint) -> int:
    count = session.scalar(
        select(func.count()).select_from(Supporter).where(Supporter.complaint_id == complaint.id)
    )
    return count or 0
