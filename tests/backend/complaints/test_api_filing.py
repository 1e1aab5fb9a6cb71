"""Filing complaints over HTTP: the happy path, bad input, idempotency."""

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.complaints.models import Complaint, StatusChange
from tests.backend.factories import MONAS, complaint_body, file_complaint
from tests.conftest import Headers

TICKET = r"^JKT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"


def count_complaints(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Complaint)) or 0


def test_filing_returns_a_ticket_and_the_public_view(
    app_client: TestClient, service_headers: Headers
) -> None:
    reply = app_client.post("/api/v1/complaints", json=complaint_body(), headers=service_headers)
    assert reply.status_code == 201
    view = reply.json()
    assert view["ticket_id"]
    import re

    assert re.match(TICKET, view["ticket_id"])
    assert view["status"] == "menunggu"
    assert view["status_label"] == "Menunggu"
    assert view["ditindaklanjuti"] is False
    assert view["category_label"] == "Sampah"
    assert view["agency"] == "Dinas Lingkungan Hidup"


def test_filing_with_a_pin_records_the_place_and_routes_to_the_kota_unit(
    app_client: TestClient, service_headers: Headers
) -> None:
    lat, lon = MONAS
    view = file_complaint(
        app_client, service_headers, category="saluran_air", latitude=lat, longitude=lon
    )
    assert view["kelurahan"] == "Gambir"
    assert view["kota"] == "Jakarta Pusat"
    assert view["agency"] == "Suku Dinas SDA Jakarta Pusat"


def test_filing_outside_jakarta_is_refused_and_stores_nothing(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    depok = {"latitude": -6.4025, "longitude": 106.7942}
    reply = app_client.post(
        "/api/v1/complaints", json=complaint_body(**depok), headers=service_headers
    )
    assert reply.status_code == 422
    assert reply.json()["code"] == "outside_jakarta"
    assert count_complaints(session) == 0


def test_first_status_is_recorded_in_history(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    file_complaint(app_client, service_headers)
    change = session.scalars(select(StatusChange)).one()
    assert (change.from_status, change.to_status.value) == (None, "menunggu")
    assert change.actor.startswith("service:")


def test_public_view_has_no_personal_data(app_client: TestClient, service_headers: Headers) -> None:
    ticket = file_complaint(
        app_client, service_headers, reporter_chat_id="6281234567890", reporter_name="Budi"
    )["ticket_id"]
    body = app_client.get(f"/api/v1/complaints/{ticket}").text
    assert "6281234567890" not in body
    assert "Budi" not in body
    assert "reporter" not in body


def test_public_view_accepts_a_leniently_typed_ticket(
    app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    typed = ticket.replace("-", " ").lower()
    reply = app_client.get(f"/api/v1/complaints/{typed}")
    assert reply.status_code == 200
    assert reply.json()["ticket_id"] == ticket


def test_unknown_ticket_is_404_json(app_client: TestClient) -> None:
    reply = app_client.get("/api/v1/complaints/JKT-0000-0000")
    assert reply.status_code == 404
    assert reply.json()["code"] == "ticket_not_found"


def test_malformed_ticket_is_400_with_a_format_hint(app_client: TestClient) -> None:
    reply = app_client.get("/api/v1/complaints/12345")
    assert reply.status_code == 400
    assert reply.json()["code"] == "invalid_ticket"
    assert "JKT-XXXX-XXXX" in reply.json()["detail"]


def test_filing_needs_a_token(app_client: TestClient, session: Session) -> None:
    assert app_client.post("/api/v1/complaints", json=complaint_body()).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert (
        app_client.post("/api/v1/complaints", json=complaint_body(), headers=bad).status_code == 401
    )
    assert count_complaints(session) == 0


def test_invalid_json_is_422(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    reply = app_client.post(
        "/api/v1/complaints",
        content=b"{not json",
        headers={**service_headers, "Content-Type": "application/json"},
    )
    assert reply.status_code == 422
    assert count_complaints(session) == 0


def test_invalid_fields_are_422(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    for bad in (
        {"category": "harga_cabe"},
        {"description": "   "},
        {"description": "x" * 5001},
        {"channel": "fax"},
        {"latitude": -6.2},  # no longitude
        {"latitude": 91, "longitude": 106.8},
        {"photo_ids": ["nonexistent"]},
        {"unexpected": 1},
    ):
        reply = app_client.post(
            "/api/v1/complaints", json=complaint_body(**bad), headers=service_headers
        )
        assert reply.status_code == 422, (bad, reply.text)
    assert count_complaints(session) == 0


def test_sql_and_html_are_stored_literally(
    app_client: TestClient, service_headers: Headers, operator_headers: object
) -> None:
    nasty = "'); DROP TABLE complaints; -- <script>alert(1)</script>"
    ticket = file_complaint(app_client, service_headers, description=nasty)["ticket_id"]
    headers = operator_headers()  # type: ignore[operator]
    detail = app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=headers).json()
    assert detail["description"] == nasty


def test_retry_with_the_same_idempotency_key_returns_the_first_complaint(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    headers = {**service_headers, "Idempotency-Key": "form-123"}
    first = app_client.post("/api/v1/complaints", json=complaint_body(), headers=headers)
    again = app_client.post("/api/v1/complaints", json=complaint_body(), headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["ticket_id"] == first.json()["ticket_id"]
    assert count_complaints(session) == 1


def test_reused_idempotency_key_with_another_body_is_409(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    headers = {**service_headers, "Idempotency-Key": "form-456"}
    app_client.post("/api/v1/complaints", json=complaint_body(), headers=headers)
    other = app_client.post(
        "/api/v1/complaints", json=complaint_body(category="banjir"), headers=headers
    )
    assert other.status_code == 409
    assert count_complaints(session) == 1


def test_racing_retries_file_one_complaint(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    headers = {**service_headers, "Idempotency-Key": "race-789"}

    def post(_: int) -> tuple[int, str]:
        reply = app_client.post("/api/v1/complaints", json=complaint_body(), headers=headers)
        return reply.status_code, reply.json()["ticket_id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(16)))
    assert {ticket for _, ticket in results} == {results[0][1]}
    assert sorted(code for code, _ in results).count(201) == 1
    assert count_complaints(session) == 1
