"""The walk-in desk (posko): an officer files a complaint for the citizen in front of them."""

import re
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backend.auth.models import Operator
from backend.complaints import service as complaints
from backend.complaints.models import Channel, Complaint
from backend.complaints.schemas import ComplaintCreate
from backend.errors import NotFound, Unprocessable
from backend.photos import service as photos
from backend.places import service as places

# Indonesian mobile numbers: 08xx / +628xx / 628xx, 9 to 13 digits after the 62.
_PHONE = re.compile(r"^(?:\+?62|0)(8\d{8,12})$")
_PHONE_NOISE = re.compile(r"[\s\-().]")


class InvalidPhone(Unprocessable):
    code = "invalid_phone"

    def __init__(self) -> None:
        super().__init__("not an Indonesian mobile number")


def whatsapp_id(text: str) -> str | None:
    """A typed mobile number as WhatsApp's id (6281234567890), None when empty."""
    compact = _PHONE_NOISE.sub("", text)
    if not compact:
        return None
    match = _PHONE.match(compact)
    if match is None:
        raise InvalidPhone()
    return "62" + match.group(1)


@dataclass
class DeskForm:
    """What the officer typed; kept to show the form again after a problem."""

    category: str = ""
    description: str = ""
    address: str = ""
    kelurahan_code: str = ""
    latitude: str = ""
    longitude: str = ""
    name: str = ""
    phone: str = ""
    key: str = ""
    file_anyway: bool = False  # the officer saw the similar reports nearby and files anew
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NeedsPlace:
    """The address matched several kelurahan; the officer picks one."""

    candidates: list[places.Candidate]


def _coordinates(form: DeskForm) -> tuple[float, float] | None:
    if not form.latitude and not form.longitude:
        return None
    try:
        latitude, longitude = float(form.latitude), float(form.longitude)
        places.check_coordinates(latitude, longitude)
    except ValueError:
        raise Unprocessable("bad coordinates") from None
    return latitude, longitude


def resolve_place(form: DeskForm) -> NeedsPlace | None:
    """Fill `kelurahan_code` from the typed address when it is clear; else offer choices."""
    if form.kelurahan_code or _coordinates(form) is not None or not form.address:
        return None
    candidates = places.search(form.address, limit=5)
    if places.is_clear(candidates):
        form.kelurahan_code = candidates[0].kelurahan_code
        return None
    return NeedsPlace(candidates) if candidates else None


def similar_nearby(
    session: Session, operator: Operator, form: DeskForm
) -> list[places.NearbyComplaint]:
    """Open reports of the same category close to the pin that this officer may see."""
    coordinates = _coordinates(form)
    if coordinates is None or form.file_anyway or not form.category:
        return []
    found = places.nearby_open_complaints(session, *coordinates, form.category)
    visible = []
    for item in found:
        try:
            complaints.check_can_see(operator, complaints.get(session, item.ticket_id))
        except NotFound:
            continue
        visible.append(item)
    return visible


def follow(session: Session, operator: Operator, form: DeskForm, ticket: str) -> Complaint:
    """The citizen follows an existing report instead of filing: news on their WhatsApp."""
    chat_id = whatsapp_id(form.phone)
    if chat_id is None:
        raise Unprocessable("a WhatsApp number is needed to follow a complaint")
    complaint = complaints.get(session, ticket)
    complaints.check_can_see(operator, complaint)
    return complaints.add_supporter(session, complaint.ticket_id, Channel.WHATSAPP, chat_id)


def file_walk_in(
    session: Session, operator: Operator, form: DeskForm, photo: bytes | None
) -> Complaint:
    """File with channel `web`; a WhatsApp number becomes the reporter for status news.

    The form's one-time key makes a double submission return the first complaint.
    All of it is one savepoint: a refused photo files nothing.
    """
    with session.begin_nested():
        return _file(session, operator, form, photo)


def _file(session: Session, operator: Operator, form: DeskForm, photo: bytes | None) -> Complaint:
    chat_id = whatsapp_id(form.phone)
    coordinates = _coordinates(form)
    try:
        data = ComplaintCreate(
            category=form.category,
            description=form.description,
            channel=Channel.WEB,
            reporter_channel=Channel.WHATSAPP if chat_id else None,
            reporter_chat_id=chat_id,
            reporter_name=(form.name or None) if chat_id else None,
            latitude=coordinates[0] if coordinates else None,
            longitude=coordinates[1] if coordinates else None,
            address=form.address or None,
            kelurahan_code=form.kelurahan_code or None,
        )
    except ValidationError:
        raise Unprocessable("category and description are required") from None
    complaint, created = complaints.file_complaint(
        session, data, actor=f"operator:{operator.id}", idempotency_key=form.key or None
    )
    if created and photo is not None:
        photos.attach(session, [photos.store(session, photo).photo.id], complaint.id)
        session.flush()
    return complaint
