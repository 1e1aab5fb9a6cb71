"""Delivery states on the complaint page, the failed list, and sending again."""

from fastapi.testclient import TestClient
from sqlalchemy import select

from backend import db
from backend.notifications.models import DeliveryState, OutboxMessage
from tests.backend.console.conftest import OfficerFactory
from tests.backend.factories import MONAS, file_complaint
from tests.backend.notifications.test_outbox import claim, koordinasi
from tests.conftest import Headers, OperatorFactory


def _failing_complaint(client: TestClient, service: Headers, operator: Headers) -> tuple[str, int]:
    """A complaint with news for its reporter (to fail) and a supporter (pending)."""
    ticket: str = file_complaint(
        client, service, reporter_chat_id="777", latitude=MONAS[0], longitude=MONAS[1]
    )["ticket_id"]
    client.post(
        f"/api/v1/complaints/{ticket}/supporters",
        json={"channel": "whatsapp", "chat_id": "62811"},
        headers=service,
    )
    koordinasi(client, operator, ticket)
    to_reporter = next(m for m in claim(client, service) if m["chat_id"] == "777")
    client.post(
        f"/api/v1/outbox/{to_reporter['id']}/failed",
        json={"error": "Forbidden: bot was blocked by the user", "retry": False},
        headers=service,
    )
    return ticket, int(to_reporter["id"])


def _state(message_id: int) -> tuple[DeliveryState, int]:
    with db.get_sessionmaker()() as s:
        message = s.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
        assert message is not None
        return message.state, message.attempts


def test_the_complaint_page_lists_each_notification_without_chat_ids(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    officer: OfficerFactory,
) -> None:
    ticket, _ = _failing_complaint(app_client, service_headers, operator_headers())
    page = officer().client.get(f"/console/complaints/{ticket}").text
    section = page[page.index('id="pemberitahuan"') : page.index('id="riwayat"')]
    assert "pelapor" in section
    assert "pendukung" in section
    assert "Gagal" in section
    assert "Menunggu kirim" in section
    assert "bot was blocked by the user" in section
    assert "777" not in section
    assert "62811" not in section


def test_failed_deliveries_are_listed_and_can_be_sent_again(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    officer: OfficerFactory,
) -> None:
    ticket, message_id = _failing_complaint(app_client, service_headers, operator_headers())
    operator = officer()
    page = operator.client.get("/console/deliveries/failed")
    assert page.status_code == 200
    assert ticket in page.text
    assert "Kabar status" in page.text
    assert "777" not in page.text.replace(ticket, "")
    reply = operator.post(f"/console/deliveries/{message_id}/requeue", {}, follow_redirects=False)
    assert reply.status_code == 303
    assert _state(message_id) == (DeliveryState.PENDING, 0)
    assert ticket not in operator.client.get("/console/deliveries/failed").text
    assert [m["id"] for m in claim(app_client, service_headers) if m["chat_id"] == "777"] == [
        message_id
    ]


def test_agency_users_cannot_list_or_requeue_deliveries(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    officer: OfficerFactory,
) -> None:
    _, message_id = _failing_complaint(app_client, service_headers, operator_headers())
    agency = officer("agency", "dlh-jakpus")
    assert agency.client.get("/console/deliveries/failed").status_code == 403
    assert agency.post(f"/console/deliveries/{message_id}/requeue", {}).status_code == 403
    assert _state(message_id)[0] is DeliveryState.FAILED


def test_requeue_needs_the_csrf_token_and_a_failed_message(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    officer: OfficerFactory,
) -> None:
    _, message_id = _failing_complaint(app_client, service_headers, operator_headers())
    operator = officer()
    assert operator.client.post(f"/console/deliveries/{message_id}/requeue").status_code == 403
    assert _state(message_id)[0] is DeliveryState.FAILED
    assert operator.post("/console/deliveries/99999/requeue", {}).status_code == 404


def test_a_message_being_sent_is_shown_as_such(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    officer: OfficerFactory,
) -> None:
    ticket = file_complaint(app_client, service_headers, reporter_chat_id="778")["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    [message] = claim(app_client, service_headers)
    marked = app_client.post(
        "/api/v1/outbox/sending", json={"ids": [message["id"]]}, headers=service_headers
    )
    assert marked.json()["ids"] == [message["id"]]
    page = officer().client.get(f"/console/complaints/{ticket}").text
    section = page[page.index('id="pemberitahuan"') : page.index('id="riwayat"')]
    assert "Sedang dikirim" in section
