"""Operators moving complaints through the status machine, and who may."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.complaints.models import StatusChange
from backend.notifications.models import OutboxMessage
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers, OperatorFactory


def move(client: TestClient, headers: Headers, ticket: str, **body: object) -> tuple[int, dict]:
    reply = client.post(f"/api/v1/complaints/{ticket}/transitions", json=body, headers=headers)
    return reply.status_code, reply.json()


def test_full_lifecycle_records_every_move_and_answers_ditindaklanjuti(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    op = operator_headers()
    assert move(app_client, op, ticket, to="koordinasi")[0] == 200
    status, view = move(app_client, op, ticket, to="disposisi", unit_code="dlh-jaksel")
    assert status == 200
    assert view["status_label"] == "Diteruskan ke Suku Dinas Lingkungan Hidup Jakarta Selatan"
    assert view["ditindaklanjuti"] is False
    status, view = move(app_client, op, ticket, to="proses", note="Petugas menuju lokasi")
    assert view["ditindaklanjuti"] is True
    status, view = move(app_client, op, ticket, to="selesai", note="Sampah sudah diangkut")
    assert status == 200
    assert [h["to_status"] for h in view["history"]] == [
        "menunggu",
        "koordinasi",
        "disposisi",
        "proses",
        "selesai",
    ]
    assert all(h["actor"] for h in view["history"])
    public = app_client.get(f"/api/v1/complaints/{ticket}").json()
    assert public["status_label"] == "Selesai"
    assert public["latest_note"] == "Sampah sudah diangkut"
    assert public["ditindaklanjuti"] is True


def test_illegal_move_is_409_and_changes_nothing(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    status, body = move(app_client, operator_headers(), ticket, to="selesai", note="x")
    assert status == 409
    assert body["code"] == "illegal_transition"
    assert app_client.get(f"/api/v1/complaints/{ticket}").json()["status"] == "menunggu"
    assert session.scalar(select(func.count()).select_from(StatusChange)) == 1
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_rejection_needs_a_reason(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    assert move(app_client, operator_headers(), ticket, to="ditolak")[0] == 422
    assert app_client.get(f"/api/v1/complaints/{ticket}").json()["status"] == "menunggu"


def test_every_move_queues_news_for_the_reporter(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    move(app_client, operator_headers(), ticket, to="koordinasi", note="Dicek petugas")
    message = session.scalars(select(OutboxMessage)).one()
    assert message.payload == {
        "ticket_id": ticket,
        "status": "koordinasi",
        "status_label": "Koordinasi",
        "note": "Dicek petugas",
    }
    assert message.state.value == "pending"


def test_services_cannot_move_complaints(app_client: TestClient, service_headers: Headers) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    assert move(app_client, service_headers, ticket, to="koordinasi")[0] == 403
    assert move(app_client, {}, ticket, to="koordinasi")[0] == 401


def test_agency_user_works_only_its_own_units_complaints(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    lat, lon = MONAS
    ticket = file_complaint(
        app_client, service_headers, category="sampah", latitude=lat, longitude=lon
    )["ticket_id"]  # routed to dlh-jakpus
    own = operator_headers("agency", unit="dlh-jakpus")
    other = operator_headers("agency", unit="dlh-jaksel")
    op = operator_headers()
    move(app_client, op, ticket, to="disposisi", unit_code="dlh-jakpus")

    assert app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=other).status_code == 404
    status, body = move(app_client, other, ticket, to="proses")
    assert status == 404
    assert body["code"] == "ticket_not_found"
    assert app_client.get(f"/api/v1/complaints/{ticket}").json()["status"] == "disposisi"

    assert app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=own).status_code == 200
    assert move(app_client, own, ticket, to="proses")[0] == 200


def test_reassigning_moves_the_complaint_to_the_new_unit(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    op = operator_headers()
    move(app_client, op, ticket, to="disposisi", unit_code="dlh-jaksel")
    status, view = move(app_client, op, ticket, to="disposisi", unit_code="sda-jaksel")
    assert status == 200
    assert view["unit_code"] == "sda-jaksel"
    assert move(app_client, op, ticket, to="disposisi", unit_code="sda-jaksel")[0] == 422
    assert move(app_client, op, ticket, to="disposisi", unit_code="nope")[0] == 404


def test_concurrent_moves_keep_the_history_a_valid_chain(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    op = operator_headers()
    moves = [
        {"to": "koordinasi"},
        {"to": "ditolak", "note": "Bukan wewenang Pemprov"},
        {"to": "disposisi", "unit_code": "dlh-jaksel"},
    ] * 4

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(lambda body: move(app_client, op, ticket, **body)[0], moves))
    assert set(codes) <= {200, 409, 422}
    history = app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=op).json()["history"]
    for before, after in zip(history, history[1:], strict=False):
        assert after["from_status"] == before["to_status"]
    assert codes.count(200) == len(history) - 1


def test_public_notes_are_masked_like_open311_but_not_in_the_officers_history(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    op = operator_headers()
    note = "Sudah dicek, hubungi Pak Budi di 0812-3456-7890 atau budi@contoh.id"
    assert move(app_client, op, ticket, to="koordinasi", note=note)[0] == 200
    public = app_client.get(f"/api/v1/complaints/{ticket}").json()
    masked = "Sudah dicek, hubungi Pak Budi di [disamarkan] atau [disamarkan]"
    assert public["latest_note"] == masked
    assert public["public_notes"][-1]["note"] == masked
    assert "0812" not in str(public)
    detail = app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=op).json()
    assert detail["history"][-1]["note"] == note
