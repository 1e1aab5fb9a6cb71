"""Duplicate check: open complaints of the same category nearby, recent, nearest first."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.complaints import service as complaints
from backend.complaints.models import Channel, Complaint, Status
from backend.places import service
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers

LAT, LON = MONAS
M_PER_DEG_LAT = 111_195.0  # on the haversine sphere


def north_of_monas(metres: float) -> tuple[float, float]:
    return LAT + metres / M_PER_DEG_LAT, LON


def east_of_monas(metres: float) -> tuple[float, float]:
    return LAT, LON + metres / (M_PER_DEG_LAT * math.cos(math.radians(LAT)))


def file_at(
    client: TestClient, headers: Headers, point: tuple[float, float], category: str = "sampah"
) -> str:
    lat, lon = point
    view = file_complaint(client, headers, category=category, latitude=lat, longitude=lon)
    ticket: str = view["ticket_id"]
    return ticket


def set_row(session: Session, ticket: str, **values: object) -> None:
    session.execute(update(Complaint).where(Complaint.ticket_id == ticket).values(**values))
    session.commit()


def tickets(session: Session, **kwargs: object) -> list[str]:
    found = service.nearby_open_complaints(session, LAT, LON, "sampah", **kwargs)  # type: ignore[arg-type]
    return [c.ticket_id for c in found]


def test_open_complaint_within_radius_is_found_with_its_distance(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    ticket = file_at(app_client, service_headers, north_of_monas(30))
    [found] = service.nearby_open_complaints(session, LAT, LON, "sampah")
    assert found.ticket_id == ticket
    assert found.distance_m == pytest.approx(30, abs=0.5)
    assert (found.category, found.status, found.supporters) == ("sampah", "menunggu", 0)


def test_complaint_beyond_radius_is_not_found(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    file_at(app_client, service_headers, east_of_monas(60))
    assert tickets(session) == []


def test_bbox_corner_beyond_radius_is_not_found(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    north, _ = north_of_monas(40)
    _, east = east_of_monas(40)
    file_at(app_client, service_headers, (north, east))  # ~57 m away, inside the box
    assert tickets(session) == []


def test_radius_argument_widens_the_search(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    ticket = file_at(app_client, service_headers, east_of_monas(60))
    assert tickets(session, radius_m=100) == [ticket]


def test_other_category_is_not_a_duplicate(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    file_at(app_client, service_headers, north_of_monas(10), category="jalan_rusak")
    assert tickets(session) == []


@pytest.mark.parametrize("status", [Status.SELESAI, Status.DITOLAK])
def test_closed_complaint_is_not_a_duplicate(
    app_client: TestClient, service_headers: Headers, session: Session, status: Status
) -> None:
    ticket = file_at(app_client, service_headers, north_of_monas(10))
    set_row(session, ticket, status=status)
    assert tickets(session) == []


@pytest.mark.parametrize("status", [Status.KOORDINASI, Status.DISPOSISI, Status.PROSES])
def test_complaint_in_progress_is_a_duplicate(
    app_client: TestClient, service_headers: Headers, session: Session, status: Status
) -> None:
    ticket = file_at(app_client, service_headers, north_of_monas(10))
    set_row(session, ticket, status=status)
    assert tickets(session) == [ticket]


def test_complaint_older_than_the_window_is_not_a_duplicate(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    old = file_at(app_client, service_headers, north_of_monas(10))
    recent = file_at(app_client, service_headers, north_of_monas(20))
    set_row(session, old, created_at=datetime.now(UTC) - timedelta(days=15))
    set_row(session, recent, created_at=datetime.now(UTC) - timedelta(days=13))
    assert tickets(session) == [recent]
    assert tickets(session, days=20) == [old, recent]


def test_nearest_comes_first(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    far = file_at(app_client, service_headers, north_of_monas(40))
    near = file_at(app_client, service_headers, east_of_monas(5))
    middle = file_at(app_client, service_headers, north_of_monas(20))
    assert tickets(session) == [near, middle, far]


def test_supporters_are_counted(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    ticket = file_at(app_client, service_headers, north_of_monas(10))
    for chat_id in ("111", "222"):
        complaints.add_supporter(session, ticket, Channel.TELEGRAM, chat_id)
    session.commit()
    [found] = service.nearby_open_complaints(session, LAT, LON, "sampah")
    assert found.supporters == 2


@pytest.mark.parametrize(("radius", "days"), [(0, None), (-5, None), (1e9, None), (50, 0)])
def test_bad_radius_or_window_is_rejected(
    session: Session, radius: float, days: int | None
) -> None:
    with pytest.raises(ValueError, match="radius|days"):
        service.nearby_open_complaints(session, LAT, LON, "sampah", radius_m=radius, days=days)


def test_nearby_over_http_lists_open_complaints(
    app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_at(app_client, service_headers, north_of_monas(30))
    reply = app_client.get(
        "/api/v1/complaints/nearby",
        params={"lat": LAT, "lon": LON, "category": "sampah"},
        headers=service_headers,
    )
    assert reply.status_code == 200, (
        "GET /api/v1/complaints/nearby must reach backend.places.api: include the places "
        "router before the complaints router (whose /complaints/{ticket_id} shadows it). "
        + reply.text
    )
    [found] = reply.json()["complaints"]
    assert found["ticket_id"] == ticket
    assert set(found) == {"ticket_id", "category", "status", "distance_m", "supporters"}
    assert found["distance_m"] == pytest.approx(30, abs=0.5)


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "nan", "lon": "106.8", "category": "sampah"},
        {"lat": "-6.2", "lon": "200", "category": "sampah"},
        {"lat": "abc", "lon": "106.8", "category": "sampah"},
        {"lat": "-6.2", "lon": "106.8"},
        {"lat": "-6.2", "lon": "106.8", "category": "sampah", "radius_m": "-1"},
    ],
)
def test_nearby_over_http_rejects_bad_input_with_422(
    app_client: TestClient, service_headers: Headers, params: dict[str, str]
) -> None:
    reply = app_client.get("/api/v1/complaints/nearby", params=params, headers=service_headers)
    assert reply.status_code == 422, reply.text
    assert set(reply.json()) == {"detail", "code"}


def test_nearby_over_http_needs_a_token(app_client: TestClient) -> None:
    reply = app_client.get(
        "/api/v1/complaints/nearby", params={"lat": LAT, "lon": LON, "category": "sampah"}
    )
    assert reply.status_code == 401


def test_kelurahan_point_from_a_text_search_is_never_a_duplicate(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    gambir = service.by_code("31.71.01.1001")
    assert gambir is not None
    text_point = (gambir.latitude, gambir.longitude)
    pin = (gambir.latitude + 10 / M_PER_DEG_LAT, gambir.longitude)
    file_at(app_client, service_headers, text_point)
    real = file_at(app_client, service_headers, pin)
    assert service.nearby_open_complaints(session, *text_point, "sampah") == []
    assert [c.ticket_id for c in service.nearby_open_complaints(session, *pin, "sampah")] == [real]
