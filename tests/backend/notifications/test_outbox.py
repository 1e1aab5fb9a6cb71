"""Status news in the outbox: who gets it, leases, retries and give-up."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from backend import db
from backend.notifications.models import OutboxMessage
from tests.backend.factories import file_complaint
from tests.conftest import Headers, OperatorFactory


def koordinasi(client: TestClient, headers: Headers, ticket: str, note: str = "") -> None:
    reply = client.post(
        f"/api/v1/complaints/{ticket}/transitions",
        json={"to": "koordinasi", "note": note},
        headers=headers,
    )
    assert reply.status_code == 200, reply.text


def claim(client: TestClient, headers: Headers, limit: int = 20) -> list[dict]:
    reply = client.post(f"/api/v1/outbox/claim?limit={limit}", headers=headers)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["messages"])


def expire_leases() -> None:
    with db.get_sessionmaker().begin() as s:
        s.execute(update(OutboxMessage).values(next_attempt_at=db.utcnow() - timedelta(seconds=1)))


def test_a_move_is_claimed_once_with_its_worded_text_and_recipient(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers, reporter_chat_id="777")["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket, note="Sedang dicek")
    [message] = claim(app_client, service_headers)
    assert (message["channel"], message["chat_id"], message["ticket_id"]) == (
        "telegram",
        "777",
        ticket,
    )
    assert ticket in message["text"]
    assert "Koordinasi" in message["text"]
    assert "Sedang dicek" in message["text"]
    assert claim(app_client, service_headers) == []  # leased


def test_supporters_get_the_news_too(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers, reporter_chat_id="1")["ticket_id"]
    app_client.post(
        f"/api/v1/complaints/{ticket}/supporters",
        json={"channel": "whatsapp", "chat_id": "62811"},
        headers=service_headers,
    )
    koordinasi(app_client, operator_headers(), ticket)
    recipients = {(m["channel"], m["chat_id"]) for m in claim(app_client, service_headers)}
    assert recipients == {("telegram", "1"), ("whatsapp", "62811")}


def test_reporters_without_a_chat_get_no_message(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(
        app_client, service_headers, channel="api", reporter_chat_id="system-1"
    )["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    assert claim(app_client, service_headers) == []


def test_web_chat_reporters_get_news_too(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers, channel="web", reporter_chat_id="3f2a9c")[
        "ticket_id"
    ]
    koordinasi(app_client, operator_headers(), ticket)
    [message] = claim(app_client, service_headers)
    assert (message["channel"], message["chat_id"]) == ("web", "3f2a9c")


def test_a_message_whose_sender_died_is_claimable_after_the_lease(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    first = claim(app_client, service_headers)
    expire_leases()
    again = claim(app_client, service_headers)
    assert [m["id"] for m in again] == [m["id"] for m in first]
    assert again[0]["attempts"] == 2


def test_delivered_messages_are_not_sent_again(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    [message] = claim(app_client, service_headers)
    reply = app_client.post(f"/api/v1/outbox/{message['id']}/delivered", headers=service_headers)
    assert reply.json()["state"] == "sent"
    expire_leases()
    assert claim(app_client, service_headers) == []


def test_failures_back_off_then_give_up(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    states = []
    for _ in range(6):
        [message] = claim(app_client, service_headers)
        reply = app_client.post(
            f"/api/v1/outbox/{message['id']}/failed",
            json={"error": "HTTP 502", "retry": True},
            headers=service_headers,
        )
        states.append(reply.json()["state"])
        assert claim(app_client, service_headers) == []  # backing off
        expire_leases()
    assert states == ["pending"] * 5 + ["failed"]
    assert claim(app_client, service_headers) == []


def test_a_permanent_failure_gives_up_at_once(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    [message] = claim(app_client, service_headers)
    reply = app_client.post(
        f"/api/v1/outbox/{message['id']}/failed",
        json={"error": "chat blocked the bot", "retry": False},
        headers=service_headers,
    )
    assert reply.json()["state"] == "failed"


def test_outbox_is_for_services_only(
    app_client: TestClient, operator_headers: OperatorFactory
) -> None:
    assert app_client.post("/api/v1/outbox/claim").status_code == 401
    assert app_client.post("/api/v1/outbox/claim", headers=operator_headers()).status_code == 403
    assert app_client.post("/api/v1/outbox/1/delivered").status_code == 401


def test_unknown_message_is_404(app_client: TestClient, service_headers: Headers) -> None:
    assert (
        app_client.post("/api/v1/outbox/999/delivered", headers=service_headers).status_code == 404
    )


def test_concurrent_claims_never_share_a_message(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    op = operator_headers()
    for i in range(12):
        ticket = file_complaint(app_client, service_headers, reporter_chat_id=str(i))["ticket_id"]
        koordinasi(app_client, op, ticket)
    with ThreadPoolExecutor(max_workers=4) as pool:
        batches = list(pool.map(lambda _: claim(app_client, service_headers, 3), range(8)))
    ids = [m["id"] for batch in batches for m in batch]
    assert len(ids) == len(set(ids)) == 12


def test_a_walk_in_can_get_news_on_whatsapp(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(
        app_client,
        service_headers,
        channel="web",
        reporter_channel="whatsapp",
        reporter_chat_id="6281234500000",
    )["ticket_id"]
    koordinasi(app_client, operator_headers(), ticket)
    [message] = claim(app_client, service_headers)
    assert (message["channel"], message["chat_id"]) == ("whatsapp", "6281234500000")
