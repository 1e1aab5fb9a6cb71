"""Publishable photos: an officer marks them; nothing else is ever reachable without login."""

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from backend import db
from backend.photos import service as photos
from tests.backend.console.conftest import OfficerFactory
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers


def _jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 31.44), 3: "E", 4: (106.0, 49.0, 37.92)}
    Image.new("RGB", (64, 48), (10, 120, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def filed(app_client: TestClient, service_headers: Headers) -> tuple[str, str]:
    """A complaint in Gambir (Jakarta Pusat) with one photo: (ticket, photo id)."""
    reply = app_client.post(
        "/api/v1/photos",
        files={"file": ("x.jpg", _jpeg_with_exif(), "image/jpeg")},
        headers=service_headers,
    )
    photo_id = reply.json()["photo_id"]
    ticket = file_complaint(
        app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1], photo_ids=[photo_id]
    )["ticket_id"]
    return ticket, photo_id


def _toggle(officer_client, ticket: str, photo_id: str, value: str, csrf: str):  # type: ignore[no-untyped-def]
    return officer_client.post(
        f"/console/complaints/{ticket}/photos/{photo_id}/publik",
        data={"csrf_token": csrf, "publishable": value},
        follow_redirects=False,
    )


def test_an_unpublished_photo_is_not_reachable_publicly(
    app_client: TestClient, filed: tuple[str, str]
) -> None:
    _, photo_id = filed
    assert app_client.get(f"/open311/v2/media/{photo_id}").status_code == 404
    assert app_client.get(f"/api/v1/photos/{photo_id}").status_code == 401
    assert app_client.get(f"/console/photos/{photo_id}", follow_redirects=False).status_code == 303


def test_an_officer_publishes_and_withdraws_a_photo(
    officer: OfficerFactory, app_client: TestClient, filed: tuple[str, str]
) -> None:
    ticket, photo_id = filed
    clerk = officer()
    page = clerk.client.get(f"/console/complaints/{ticket}").text
    assert "Tampilkan di halaman publik" in page
    reply = _toggle(clerk.client, ticket, photo_id, "1", clerk.csrf)
    assert reply.status_code == 303
    public = app_client.get(f"/open311/v2/media/{photo_id}")
    assert public.status_code == 200
    assert Image.open(io.BytesIO(public.content)).getexif() == {}  # no EXIF, no GPS
    assert "Sembunyikan dari publik" in clerk.client.get(f"/console/complaints/{ticket}").text
    _toggle(clerk.client, ticket, photo_id, "0", clerk.csrf)
    assert app_client.get(f"/open311/v2/media/{photo_id}").status_code == 404


def test_publishing_needs_the_csrf_token(
    officer: OfficerFactory, app_client: TestClient, filed: tuple[str, str]
) -> None:
    ticket, photo_id = filed
    clerk = officer()
    assert _toggle(clerk.client, ticket, photo_id, "1", "wrong").status_code == 403
    assert app_client.get(f"/open311/v2/media/{photo_id}").status_code == 404


def test_another_units_officer_cannot_publish(
    officer: OfficerFactory, app_client: TestClient, filed: tuple[str, str]
) -> None:
    ticket, photo_id = filed
    outsider = officer("agency", "dlh-jaksel")  # the complaint is Jakarta Pusat's
    assert _toggle(outsider.client, ticket, photo_id, "1", outsider.csrf).status_code == 404
    owner = officer("agency", "dlh-jakpus")
    assert _toggle(owner.client, ticket, photo_id, "1", owner.csrf).status_code == 303
    assert app_client.get(f"/open311/v2/media/{photo_id}").status_code == 200


def test_a_photo_of_another_complaint_cannot_be_published_through_this_one(
    officer: OfficerFactory,
    app_client: TestClient,
    service_headers: Headers,
    filed: tuple[str, str],
) -> None:
    _, photo_id = filed
    other = file_complaint(app_client, service_headers)["ticket_id"]
    clerk = officer()
    assert _toggle(clerk.client, other, photo_id, "1", clerk.csrf).status_code == 404
    assert _toggle(clerk.client, other, "nope", "1", clerk.csrf).status_code == 404


def test_a_bad_value_is_refused_and_changes_nothing(
    officer: OfficerFactory, app_client: TestClient, filed: tuple[str, str]
) -> None:
    ticket, photo_id = filed
    clerk = officer()
    assert _toggle(clerk.client, ticket, photo_id, "yes", clerk.csrf).status_code == 400
    assert app_client.get(f"/open311/v2/media/{photo_id}").status_code == 404


def test_first_publishable_lists_only_published_photos(
    app_client: TestClient, filed: tuple[str, str]
) -> None:
    _, photo_id = filed
    with db.get_sessionmaker().begin() as session:
        photo = session.get(photos.Photo, photo_id)
        assert photo is not None
        assert photos.first_publishable(session, [photo.complaint_id or 0]) == {}
        photos.set_publishable(session, photo_id, True)
        assert photos.first_publishable(session, [photo.complaint_id or 0]) == {
            photo.complaint_id: photo_id
        }
