"""Places: where a complaint is, from a pin or from typed text, and nearby reports.

Other domains call this module in-process:
`from backend.places import service as places`.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.complaints.models import Complaint, Status, Supporter
from backend.config import get_settings
from backend.places import geo
from backend.places import search as text_search
from backend.places.geo import Place, by_code, check_coordinates, is_representative_point, locate
from backend.places.search import Candidate, is_clear, search

__all__ = [
    "MAX_DUPLICATE_RADIUS_M",
    "check_coordinates",
    "Candidate",
    "NearbyComplaint",
    "Place",
    "by_code",
    "is_clear",
    "locate",
    "nearby_open_complaints",
    "search",
    "warm",
]

MAX_DUPLICATE_RADIUS_M = 5_000.0
CLOSED = (Status.SELESAI, Status.DITOLAK)
EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG_LAT = 110_574.0


def warm() -> None:
    """Load the polygons and the name index now (about 0.5 s) rather than on
    the first request; call it at start-up."""
    geo.gazetteer()
    text_search.load()


@dataclass(frozen=True)
class NearbyComplaint:
    ticket_id: str
    category: str
    status: str
    distance_m: float
    supporters: int


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _defaults() -> tuple[float, int]:
    """DUPLICATE_RADIUS_M and DUPLICATE_WINDOW_DAYS."""
    settings = get_settings()
    return settings.duplicate_radius_m, settings.duplicate_window_days


def nearby_open_complaints(
    session: Session,
    lat: float,
    lon: float,
    category: str,
    radius_m: float | None = None,
    days: int | None = None,
) -> list[NearbyComplaint]:
    """Open complaints of `category` within `radius_m` filed in the last `days`, nearest first.

    A bounding box narrows the rows in SQL (plain comparisons, so any database
    and its indexes work); the exact great-circle distance is checked here.
    A kelurahan's representative point is not a pin (it stands for "somewhere
    in this kelurahan", from a text search), so it neither finds nor is found.
    """
    check_coordinates(lat, lon)
    default_radius, default_days = _defaults()
    radius = default_radius if radius_m is None else float(radius_m)
    window = default_days if days is None else int(days)
    if not (0 < radius <= MAX_DUPLICATE_RADIUS_M) or math.isnan(radius):
        raise ValueError(f"radius must be in (0, {MAX_DUPLICATE_RADIUS_M:g}] metres")
    if window < 1:
        raise ValueError("days must be at least 1")
    if is_representative_point(lat, lon):
        return []
    margin = 1.001  # the box must hold the whole circle
    dlat = radius * margin / _M_PER_DEG_LAT
    cos_lat = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
    dlon = min(180.0, radius * margin / (111_320.0 * cos_lat))
    since = datetime.now(UTC) - timedelta(days=window)
    supporters = (
        select(func.count(Supporter.id))
        .where(Supporter.complaint_id == Complaint.id)
        .correlate(Complaint)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Complaint.ticket_id,
            Complaint.category_code,
            Complaint.status,
            Complaint.latitude,
            Complaint.longitude,
            supporters,
        ).where(
            Complaint.category_code == category,
            Complaint.status.not_in(CLOSED),
            Complaint.created_at >= since,
            Complaint.latitude.between(lat - dlat, lat + dlat),
            Complaint.longitude.between(lon - dlon, lon + dlon),
        )
    ).all()
    found = []
    for ticket_id, category_code, status, c_lat, c_lon, n_supporters in rows:
        if c_lat is None or c_lon is None or is_representative_point(c_lat, c_lon):
            continue
        distance = haversine_m(lat, lon, c_lat, c_lon)
        if distance <= radius:
            found.append(
                NearbyComplaint(
                    ticket_id=ticket_id,
                    category=category_code,
                    status=str(Status(status).value),
                    distance_m=round(distance, 1),
                    supporters=int(n_supporters or 0),
                )
            )
    found.sort(key=lambda c: (c.distance_m, c.ticket_id))
    return found
