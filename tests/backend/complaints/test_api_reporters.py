"""A citizen's own complaints, and following someone else's report."""

from fastapi.testclient import TestClient

from tests.backend.factories import file_complaint
from tests.conftest import Headers


def test_reporter_sees_own_recent_complaints_newest_first(
    app_client: TestClient, service_headers: Headers
) -> None:
    first = file_complaint(app_client, service_headers, reporter_chat_id="111")["ticket_id"]
    second = file_complaint(app_client, service_headers, reporter_chat_id="111")["ticket_id"]
    file_complaint(app_client, service_headers, reporter_chat_id="222")
    reply = app_client.get("/api/v1/reporters/telegram/111/complaints", headers=service_headers)
    assert reply.status_code == 200
    assert [c["ticket_id"] for c in reply.json()["complaints"]] == [second, first]


def test_reporter_list_is_per_channel(app_client: TestClient, service_headers: Headers) -> None:
    file_complaint(app_client, service_headers, reporter_chat_id="111")
    reply = app_client.get("/api/v1/reporters/whatsapp/111/complaints", headers=service_headers)
    assert reply.json()["complaints"] == []


def test_reporter_list_needs_a_service_token(
    app_client: TestClient, operator_headers: object
) -> None:
    assert app_client.get("/api/v1/reporters/telegram/111/complaints").status_code == 401


def test_supporter_sees_the_supported_complaint_and_is_counted(
    app_client: TestClient, service_headers: Headers, operator_headers: object
) -> None:
    ticket = file_complaint(app_client, service_headers, reporter_chat_id="111")["ticket_id"]
    body = {"channel": "whatsapp", "chat_id": "628111"}
    for _ in range(2):  # idempotent
        reply = app_client.post(
            f"/api/v1/complaints/{ticket}/supporters", json=body, headers=service_headers
        )
        assert reply.status_code == 200
    mine = app_client.get("/api/v1/reporters/whatsapp/628111/complaints", headers=service_headers)
    assert [c["ticket_id"] for c in mine.json()["complaints"]] == [ticket]
    op = operator_headers()  # type: ignore[operator]
    detail = app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=op).json()
    assert detail["supporters"] == 1
