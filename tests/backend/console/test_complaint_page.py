"""The complaint page: what it shows, the moves it offers, and moving through them."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from backend import db
from backend.complaints.models import StatusChange
from backend.photos.models import Photo
from tests.backend.console.conftest import OfficerFactory
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers


def _buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="to" value="(\w+)"', html)


def _status(client: TestClient, ticket: str) -> str:
    status: str = client.get(f"/api/v1/complaints/{ticket}").json()["status"]
    return status


def test_page_shows_place_unit_map_supporters_and_history(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])[
        "ticket_id"
    ]
    app_client.post(
        f"/api/v1/complaints/{ticket}/supporters",
        json={"channel": "telegram", "chat_id": "999"},
        headers=service_headers,
    )
    page = officer().client.get(f"/console/complaints/{ticket}").text
    assert "Gambir" in page
    assert "Suku Dinas Lingkungan Hidup Jakarta Pusat" in page
    assert f'data-lat="{MONAS[0]}"' in page
    assert "1 warga ikut memantau" in page
    assert "Laporan diterima." in page
    assert "100200300" not in page  # the reporter's chat id stays private


def test_only_the_allowed_moves_are_offered(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    assert _buttons(me.client.get(f"/console/complaints/{ticket}").text) == [
        "koordinasi",
        "disposisi",
        "ditolak",
    ]
    me.post(f"/console/complaints/{ticket}/moves", {"to": "disposisi"})
    assert _buttons(me.client.get(f"/console/complaints/{ticket}").text) == [
        "disposisi",
        "proses",
        "ditolak",
    ]


def test_working_a_complaint_from_menunggu_to_selesai_with_a_result_photo(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers, png: bytes
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    url = f"/console/complaints/{ticket}/moves"
    for move in (
        {"to": "koordinasi"},
        {"to": "disposisi", "unit_code": "dlh-jaksel"},
        {"to": "proses", "note": "Petugas menuju lokasi"},
    ):
        reply = me.post(url, move, follow_redirects=False)
        assert reply.status_code == 303, reply.text
    reply = me.client.post(
        url,
        data={"csrf_token": me.csrf, "to": "selesai", "note": "Sampah sudah diangkut"},
        files={"photo": ("hasil.png", png, "image/png")},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    assert _status(app_client, ticket) == "selesai"
    page = me.client.get(f"/console/complaints/{ticket}").text
    assert "Sampah sudah diangkut" in page
    assert "Suku Dinas Lingkungan Hidup Jakarta Selatan" in page
    assert _buttons(page) == ["proses"]  # reopen only
    with db.get_sessionmaker()() as s:
        photo_ids = list(s.scalars(select(Photo.id).where(Photo.complaint_id.is_not(None))))
        actors = set(s.scalars(select(StatusChange.actor)))
    assert len(photo_ids) == 1
    assert f"/console/photos/{photo_ids[0]}" in page
    assert me.client.get(f"/console/photos/{photo_ids[0]}").content[:8] == b"\x89PNG\r\n\x1a\n"
    assert me.username in page  # the history names the officer
    assert any(a.startswith("operator:") for a in actors)


def test_selesai_without_a_note_is_explained_and_changes_nothing(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    me.post(f"/console/complaints/{ticket}/moves", {"to": "disposisi"})
    me.post(f"/console/complaints/{ticket}/moves", {"to": "proses"})
    reply = me.post(f"/console/complaints/{ticket}/moves", {"to": "selesai", "note": "  "})
    assert reply.status_code == 422
    assert "Catatan wajib diisi untuk status Selesai." in reply.text
    assert _status(app_client, ticket) == "proses"


def test_a_stale_page_move_is_refused_politely(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    me.post(f"/console/complaints/{ticket}/moves", {"to": "ditolak", "note": "Laporan ganda"})
    reply = me.post(f"/console/complaints/{ticket}/moves", {"to": "koordinasi"})
    assert reply.status_code == 409
    assert "tidak bisa diubah ke Koordinasi" in reply.text
    assert _status(app_client, ticket) == "ditolak"


def test_reassigning_needs_another_unit(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    me.post(f"/console/complaints/{ticket}/moves", {"to": "disposisi"})
    same = me.post(f"/console/complaints/{ticket}/moves", {"to": "disposisi"})
    assert same.status_code == 422
    assert "pilih unit tujuan yang berbeda" in same.text
    other = me.post(
        f"/console/complaints/{ticket}/moves",
        {"to": "disposisi", "unit_code": "dishub-jakbar", "note": "Parkir, bukan sampah"},
    )
    assert other.status_code == 200
    assert "Suku Dinas Perhubungan Jakarta Barat" in other.text


def test_a_result_photo_that_is_not_an_image_keeps_the_complaint_open(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    me.post(f"/console/complaints/{ticket}/moves", {"to": "disposisi"})
    me.post(f"/console/complaints/{ticket}/moves", {"to": "proses"})
    reply = me.client.post(
        f"/console/complaints/{ticket}/moves",
        data={"csrf_token": me.csrf, "to": "selesai", "note": "beres"},
        files={"photo": ("x.png", b"not an image", "image/png")},
    )
    assert reply.status_code == 415
    assert "JPEG, PNG, atau WebP" in reply.text
    assert _status(app_client, ticket) == "proses"


def test_agency_officer_who_reassigns_away_lands_on_the_queue(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])[
        "ticket_id"
    ]
    agency = officer("agency", "dlh-jakpus")
    agency.post(f"/console/complaints/{ticket}/moves", {"to": "disposisi"})
    reply = agency.post(
        f"/console/complaints/{ticket}/moves",
        {"to": "disposisi", "unit_code": "satpolpp-jakpus", "note": "PKL"},
        follow_redirects=False,
    )
    assert reply.headers["location"] == f"/console/queue?moved={ticket}"
    assert agency.client.get(f"/console/complaints/{ticket}").status_code == 404


def test_a_lenient_ticket_in_the_address_redirects_to_the_canonical_one(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    reply = officer().client.get(f"/console/complaints/{ticket.lower()}", follow_redirects=False)
    assert reply.headers["location"] == f"/console/complaints/{ticket}"


def test_the_map_works_without_tiles(
    officer: OfficerFactory,
    app_client: TestClient,
    service_headers: Headers,
) -> None:
    from backend.console.settings import get_console_settings

    ticket = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])[
        "ticket_id"
    ]
    settings = get_console_settings()
    old = settings.tile_url
    settings.tile_url = ""
    try:
        reply = officer().client.get(f"/console/complaints/{ticket}")
    finally:
        settings.tile_url = old
    assert 'data-tiles=""' in reply.text
    assert "img-src 'self' data:;" in reply.headers["content-security-policy"]
