"""Open311 rules: who may file, what a request must carry, single requests and media.

Filing goes through `complaints.service.file_complaint` (channel `api`), so
every rule of an ordinary complaint applies; this module only translates
GeoReport arguments into a `ComplaintCreate` and GeoReport errors out of it.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backend.agencies.models import Category
from backend.auth import service as auth
from backend.auth.models import ServiceClient
from backend.complaints import service as complaints
from backend.complaints.models import Channel, Complaint, Status
from backend.complaints.schemas import ComplaintCreate
from backend.errors import AppError
from backend.open311 import catalogue
from backend.open311.exceptions import BadRequest, InvalidApiKey, NotFound
from backend.open311.models import Open311Submission
from backend.photos import service as photos
from backend.photos.models import Photo
from backend.places import service as places

JURISDICTION_ID = "jakarta.go.id"
WIB = timezone(timedelta(hours=7), "WIB")  # Jakarta: no daylight saving time
MAX_DESCRIPTION_CHARS = 4000  # the specification's limit
MAX_ADDRESS_CHARS = 500
MAX_MEDIA_URL_CHARS = 2000
CLOSED = frozenset({Status.SELESAI, Status.DITOLAK})
OPEN = frozenset(Status) - CLOSED


def open311_status(status: Status) -> str:
    return "closed" if status in CLOSED else "open"


def check_jurisdiction(jurisdiction_id: str | None) -> None:
    """One jurisdiction is served: the argument may be left out, or must name it."""
    if jurisdiction_id and jurisdiction_id.strip().lower() != JURISDICTION_ID:
        raise NotFound(f"jurisdiction_id {jurisdiction_id!r} was not found")


def authenticate(session: Session, api_key: str | None) -> ServiceClient:
    if not api_key:
        raise InvalidApiKey("api_key was not provided -- can't proceed with create_request.")
    client = auth.service_client_for(session, api_key)
    if client is None:
        raise InvalidApiKey("Invalid api_key received -- can't proceed with create_request.")
    return client


# -- POST requests ------------------------------------------------------------


@dataclass(frozen=True)
class NewRequest:
    """The GeoReport arguments of POST requests that Aduan uses.

    Personal details (email, first_name, last_name, phone, device_id,
    account_id) are deliberately not part of it: they are never stored.
    """

    service_code: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    address_id: str | None = None
    description: str | None = None
    media_url: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Location:
    latitude: float | None = None
    longitude: float | None = None
    kelurahan_code: str | None = None
    address: str | None = None


def create_request(
    session: Session, client: ServiceClient, new: NewRequest, idempotency_key: str | None
) -> Complaint:
    """File a complaint from a POST requests call; nothing is stored if it fails."""
    category = _category(session, new.service_code)
    info = catalogue.info(category.code)
    problems: list[str] = []
    description = _description(new.description, problems)
    location = _location(new, problems)
    media_url = _media_url(new.media_url, problems)
    try:
        answers = catalogue.check_answers(info.attributes, new.attributes)
    except BadRequest as exc:
        problems.extend(exc.descriptions)
        answers = {}
    if problems:
        raise BadRequest(*problems)
    extra = catalogue.answers_text(info.attributes, answers)
    try:
        data = ComplaintCreate(
            category=category.code,
            description=f"{description}\n\n{extra}" if extra else description,
            channel=Channel.API,
            latitude=location.latitude,
            longitude=location.longitude,
            address=location.address,
            kelurahan_code=location.kelurahan_code,
        )
    except ValidationError as exc:
        raise BadRequest(*(error["msg"] for error in exc.errors())) from None
    # A savepoint: the router turns errors into GeoReport responses before the
    # session dependency sees them, so the writes of a failed filing are undone here.
    with session.begin_nested():
        try:
            complaint, created = complaints.file_complaint(
                session, data, actor=f"service:{client.name}", idempotency_key=idempotency_key
            )
        except AppError as exc:
            raise (NotFound if exc.status_code == 404 else BadRequest)(exc.detail) from None
        if created:
            session.add(
                Open311Submission(
                    complaint_id=complaint.id,
                    client_id=client.id,
                    media_url=media_url,
                    attributes=answers,
                )
            )
            session.flush()
    return complaint


def _category(session: Session, service_code: str | None) -> Category:
    if not service_code or not service_code.strip():
        raise BadRequest("service_code was not provided")
    category = session.get(Category, service_code.strip())
    if category is None:
        raise NotFound(f"service_code {service_code!r} was not found")
    return category


def _description(text: str | None, problems: list[str]) -> str:
    text = (text or "").strip()
    if not text:
        problems.append("description was not provided: say what the problem is")
    elif len(text) > MAX_DESCRIPTION_CHARS:
        problems.append(f"description may have at most {MAX_DESCRIPTION_CHARS} characters")
    return text


def _location(new: NewRequest, problems: list[str]) -> _Location:
    """lat & long win over address_id, which wins over address_string."""
    address = (new.address_string or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS_CHARS:
        problems.append(f"address_string may have at most {MAX_ADDRESS_CHARS} characters")
        return _Location()
    if new.lat or new.long:
        return _pin(new.lat, new.long, address, problems)
    if new.address_id:
        place = places.by_code(new.address_id.strip())
        if place is None:
            problems.append(
                f"address_id {new.address_id!r} is not a kelurahan code (e.g. 31.71.01.1001)"
            )
            return _Location()
        return _Location(kelurahan_code=place.kelurahan_code, address=address)
    if address is not None:
        candidates = places.search(address, limit=5)
        if not places.is_clear(candidates):
            names = ", ".join(f"{c.kelurahan} ({c.kelurahan_code})" for c in candidates[:3])
            hint = f"; candidates: {names}" if names else ""
            problems.append(
                "address_string does not name one kelurahan clearly; send lat & long or "
                f"address_id{hint}"
            )
            return _Location()
        return _Location(kelurahan_code=candidates[0].kelurahan_code, address=address)
    problems.append("a location is required: lat & long, address_string or address_id")
    return _Location()


def _pin(lat: str | None, long: str | None, address: str | None, problems: list[str]) -> _Location:
    if not lat or not long:
        problems.append("lat & long both need to be sent")
        return _Location()
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        problems.append("lat & long must be decimal degrees (WGS84)")
        return _Location()
    if not (math.isfinite(latitude) and math.isfinite(longitude)) or not (
        -90 <= latitude <= 90 and -180 <= longitude <= 180
    ):
        problems.append("lat must be within -90..90 and long within -180..180")
        return _Location()
    if places.locate(latitude, longitude) is None:
        problems.append("the location is outside DKI Jakarta")
        return _Location()
    return _Location(latitude=latitude, longitude=longitude, address=address)


def _media_url(url: str | None, problems: list[str]) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if len(url) > MAX_MEDIA_URL_CHARS or parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append("media_url must be an http or https URL")
        return None
    return url


def get_request(session: Session, service_request_id: str) -> Complaint:
    try:
        return complaints.get(session, service_request_id)
    except AppError:
        raise NotFound(f"service_request_id {service_request_id!r} was not found") from None


# -- media --------------------------------------------------------------------


def public_photo(session: Session, photo_id: str) -> tuple[Photo, bytes]:
    """A photo's bytes, only when it belongs to a complaint and is marked publishable."""
    try:
        return photos.load_public(session, photo_id)
    except AppError:
        raise NotFound(f"no public photo {photo_id}") from None
