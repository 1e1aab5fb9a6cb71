"""Photo intake: check the content, strip metadata by re-encoding, keep any GPS hint."""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.config import get_settings
from backend.errors import Unprocessable
from backend.photos.exceptions import (
    PhotoDimensionsTooLarge,
    PhotoNotFound,
    PhotoTooLarge,
    UnsupportedPhoto,
)
from backend.photos.models import Photo
from backend.photos.schemas import LocationSuggestion
from backend.photos.storage import get_storage

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
GPS_IFD = 0x8825


@dataclass(frozen=True)
class StoredPhoto:
    photo: Photo
    location: LocationSuggestion | None


def store(session: Session, data: bytes) -> StoredPhoto:
    """Validate and store an uploaded image; the original bytes are never kept."""
    settings = get_settings()
    if len(data) > settings.photo_max_bytes:
        raise PhotoTooLarge(f"a photo may have at most {settings.photo_max_bytes} bytes")
    image = _open(data, settings.photo_max_pixels)
    location = _gps_of(image)
    fmt = image.format or ""
    clean = _reencode(image, fmt)
    photo = Photo(
        id=uuid.uuid4().hex,
        content_type=FORMATS[fmt],
        byte_size=len(clean),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(clean).hexdigest(),
    )
    get_storage().put(photo.id, clean)
    session.add(photo)
    session.flush()
    return StoredPhoto(photo, location)


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UnsupportedPhoto()
            if image.width * image.height > max_pixels:
                raise PhotoDimensionsTooLarge(f"a photo may have at most {max_pixels} pixels")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UnsupportedPhoto() from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoDimensionsTooLarge(f"a photo may have at most {max_pixels} pixels") from None
    return image


def _reencode(image: Image.Image, fmt: str) -> bytes:
    """Write pixels only: no EXIF, no GPS, no comments. Orientation is applied first."""
    upright = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        upright.save(out, "PNG", optimize=True)
    else:
        upright.save(out, "WEBP", quality=85)
    return out.getvalue()


def _gps_of(image: Image.Image) -> LocationSuggestion | None:
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        lat = _degrees(gps[2], gps.get(1, "N"), "S")
        lon = _degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return LocationSuggestion(latitude=lat, longitude=lon)


def _degrees(dms: tuple[float, float, float], ref: str, negative_ref: str) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).upper().startswith(negative_ref) else value


def _find(session: Session, photo_id: str) -> Photo | None:
    """The photo of an id from outside; ids are hex, anything else is unknown."""
    return session.get(Photo, photo_id) if photo_id.isalnum() else None


def load(session: Session, photo_id: str) -> tuple[Photo, bytes]:
    photo = _find(session, photo_id)
    data = get_storage().get(photo.id) if photo is not None else None
    if photo is None or data is None:
        raise PhotoNotFound(f"no photo {photo_id}")
    return photo, data


def attach(session: Session, photo_ids: list[str], complaint_id: int) -> None:
    """Link uploaded photos to a complaint; each photo belongs to one complaint."""
    for photo_id in dict.fromkeys(photo_ids):
        photo = _find(session, photo_id)
        if photo is None:
            raise Unprocessable(f"unknown photo {photo_id!r}")
        if photo.complaint_id not in (None, complaint_id):
            raise Unprocessable(f"photo {photo_id!r} belongs to another complaint")
        photo.complaint_id = complaint_id


def ids_of(session: Session, complaint_id: int) -> list[str]:
    query = select(Photo.id).where(Photo.complaint_id == complaint_id).order_by(Photo.created_at)
    return list(session.scalars(query))


def of_complaint(session: Session, complaint_id: int) -> list[Photo]:
    query = select(Photo).where(Photo.complaint_id == complaint_id).order_by(Photo.created_at)
    return list(session.scalars(query))


def set_publishable(session: Session, photo_id: str, publishable: bool) -> None:
    session.execute(update(Photo).where(Photo.id == photo_id).values(publishable=publishable))


def first_publishable(session: Session, complaint_ids: list[int]) -> dict[int, str]:
    """The first photo an officer marked publishable, per complaint (public pages, Open311)."""
    if not complaint_ids:
        return {}
    rows = session.execute(
        select(Photo.complaint_id, Photo.id)
        .where(Photo.complaint_id.in_(complaint_ids), Photo.publishable.is_(True))
        .order_by(Photo.created_at.desc(), Photo.id.desc())
    )
    first: dict[int, str] = {}
    for complaint_id, photo_id in rows:
        if complaint_id is not None:
            first[complaint_id] = photo_id  # ordered newest first: the oldest wins
    return first


def load_public(session: Session, photo_id: str) -> tuple[Photo, bytes]:
    """A photo anyone may see: it belongs to a complaint and an officer marked it publishable.

    Every stored photo was re-encoded without EXIF or GPS on intake (`store`).
    """
    photo = _find(session, photo_id)
    if photo is None or not photo.publishable or photo.complaint_id is None:
        raise PhotoNotFound(f"no public photo {photo_id}")
    return load(session, photo_id)
