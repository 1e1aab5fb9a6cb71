"""Place routes: pin → kelurahan, text → candidates, nearby open complaints.

Query values are parsed here rather than by FastAPI's validation so that every
bad value gets the project's JSON error shape `{"detail": ..., "code": ...}`.
"""

import math
from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import CallerDep
from backend.db import SessionDep
from backend.errors import Unprocessable
from backend.places import service
from backend.places.schemas import (
    NearbyComplaint,
    NearbyResult,
    ReverseResult,
    SearchCandidate,
    SearchResult,
)

router = APIRouter(prefix="/api/v1", tags=["places"])

MAX_QUERY_LENGTH = 500  # as long as a complaint's address
MAX_CATEGORY_LENGTH = 32
SEARCH_LIMIT = 5

LatQuery = Annotated[str | None, Query(description="latitude, WGS84 degrees (-90..90)")]
LonQuery = Annotated[str | None, Query(description="longitude, WGS84 degrees (-180..180)")]


def _coordinates(lat: str | None, lon: str | None) -> tuple[float, float]:
    if lat is None or lon is None:
        raise Unprocessable("give both lat and lon")
    try:
        latitude, longitude = float(lat), float(lon)
        service.check_coordinates(latitude, longitude)
    except ValueError as exc:
        raise Unprocessable("lat and lon must be finite numbers within range") from exc
    return latitude, longitude


@router.get("/places/reverse", response_model=ReverseResult)
def reverse(lat: LatQuery = None, lon: LonQuery = None) -> ReverseResult:
    """The kelurahan, kecamatan and kota of a pin; nulls when outside DKI Jakarta."""
    place = service.locate(*_coordinates(lat, lon))
    if place is None:
        return ReverseResult(
            inside_jakarta=False,
            kelurahan_code=None,
            kelurahan=None,
            kecamatan_code=None,
            kecamatan=None,
            kota_code=None,
            kota=None,
        )
    return ReverseResult(
        inside_jakarta=True,
        kelurahan_code=place.kelurahan_code,
        kelurahan=place.kelurahan,
        kecamatan_code=place.kecamatan_code,
        kecamatan=place.kecamatan,
        kota_code=place.kota_code,
        kota=place.kota,
    )


@router.get("/places/search", response_model=SearchResult)
def search(
    q: Annotated[str | None, Query(description="an address or landmark, as typed")] = None,
) -> SearchResult:
    """Candidate kelurahan for typed text; `clear` when the first can be used without asking."""
    if q is None or not q.strip():
        raise Unprocessable("q must not be empty")
    if len(q) > MAX_QUERY_LENGTH:
        raise Unprocessable(f"q must be at most {MAX_QUERY_LENGTH} characters")
    candidates = service.search(q, limit=SEARCH_LIMIT)
    return SearchResult(
        candidates=[
            SearchCandidate(
                kelurahan_code=c.kelurahan_code,
                kelurahan=c.kelurahan,
                kecamatan=c.kecamatan,
                kota=c.kota,
                latitude=c.latitude,
                longitude=c.longitude,
                score=c.score,
                matched=c.matched,
            )
            for c in candidates
        ],
        clear=service.is_clear(candidates),
    )


@router.get("/complaints/nearby", response_model=NearbyResult, tags=["complaints"])
def nearby(
    session: SessionDep,
    _caller: CallerDep,
    lat: LatQuery = None,
    lon: LonQuery = None,
    category: Annotated[str | None, Query(description="a category code")] = None,
    radius_m: Annotated[str | None, Query(description="metres; default DUPLICATE_RADIUS_M")] = None,
) -> NearbyResult:
    """Open complaints of the same category close by, nearest first (duplicate check)."""
    latitude, longitude = _coordinates(lat, lon)
    if category is None or not category.strip() or len(category) > MAX_CATEGORY_LENGTH:
        raise Unprocessable("category must be a category code")
    radius = None
    if radius_m is not None:
        try:
            radius = float(radius_m)
        except ValueError as exc:
            raise Unprocessable("radius_m must be a number") from exc
        if not math.isfinite(radius) or not 0 < radius <= service.MAX_DUPLICATE_RADIUS_M:
            raise Unprocessable(
                f"radius_m must be in (0, {service.MAX_DUPLICATE_RADIUS_M:g}] metres"
            )
    found = service.nearby_open_complaints(
        session, latitude, longitude, category.strip(), radius_m=radius
    )
    return NearbyResult(
        complaints=[
            NearbyComplaint(
                ticket_id=c.ticket_id,
                category=c.category,
                status=c.status,
                distance_m=c.distance_m,
                supporters=c.supporters,
            )
            for c in found
        ]
    )
