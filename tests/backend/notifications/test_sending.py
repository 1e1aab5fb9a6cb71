"""Marking a claimed message `sending` before the chat app is called, and what a
message left `sending` by a gateway that stopped becomes (docs/channels.md)."""

from fastapi.testclient import TestClient

from backend import db
from backend.notifications.models import OutboxMessage
from backend.notifications.service import UNCERTAIN
from tests.backend.factories import file_complaint
from tests.backend.notifications.test_outbox import claim, expire_leases, koordinasi
from tests.conftest import Headers, OperatorFactory


def mark_sending(client: TestClient, headers: Headers, *ids: int) -> list[int]:
    reply = client.post("/api/v1/outbox/sending", json={"ids": list(ids)}, headers=headers)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["ids"])


def one_claimed(client: TestClient, service: Headers, operator: Headers) -> dict:
    ticket = file_complaint(client, service)["ticket_id"]
    koordinasi(client, operator, ticket)
    [message] = claim(client, service)
    return message


def test_a_claimed_message_is_marked_sending_then_delivered(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    message = one_claimed(app_client, service_headers, operator_headers())
    assert message["uncertain"] is False
    assert mark_sending(app_client, service_headers, message["id"]) == [message["id"]]
    reply = app_client.post(f"/api/v1/outbox/{message['id']}/delivered", headers=service_headers)
    assert reply.json()["state"] == "sent"
    expire_leases()
    assert claim(app_client, service_headers) == []


def test_a_message_left_sending_goes_out_again_as_uncertain(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    message = one_claimed(app_client, service_headers, operator_headers())
    mark_sending(app_client, service_headers, message["id"])
    assert claim(app_client, service_headers) == []  # its lease still runs
    expire_leases()  # the gateway died mid-call: no report came
    [again] = claim(app_client, service_headers)
    assert (again["id"], again["uncertain"], again["attempts"]) == (message["id"], True, 2)
    assert mark_sending(app_client, service_headers, again["id"]) == [again["id"]]


def test_a_failure_while_sending_backs_off_as_before(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    message = one_claimed(app_client, service_headers, operator_headers())
    mark_sending(app_client, service_headers, message["id"])
    expire_leases()
    claim(app_client, service_headers)
    reply = app_client.post(
        f"/api/v1/outbox/{message['id']}/failed",
        json={"error": "HTTP 502", "retry": True},
        headers=service_headers,
    )
    assert reply.json()["state"] == "pending"  # a failure while sending backs off as before
    with db.get_sessionmaker()() as s:
        row = s.get(OutboxMessage, message["id"])
        assert row is not None
        assert row.last_error == "HTTP 502"
    expire_leases()
    [again] = claim(app_client, service_headers)
    assert again["uncertain"] is False  # it failed for sure: nothing unknown about it


def test_the_unknown_outcome_is_recorded_on_the_message(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    message = one_claimed(app_client, service_headers, operator_headers())
    mark_sending(app_client, service_headers, message["id"])
    expire_leases()
    claim(app_client, service_headers)
    with db.get_sessionmaker()() as s:
        row = s.get(OutboxMessage, message["id"])
        assert row is not None
        assert row.last_error == UNCERTAIN  # shown on the complaint page


def test_only_messages_leased_and_pending_are_marked(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    operator = operator_headers()
    sent = one_claimed(app_client, service_headers, operator)
    app_client.post(f"/api/v1/outbox/{sent['id']}/delivered", headers=service_headers)
    lapsed = one_claimed(app_client, service_headers, operator)
    expire_leases()  # too late: another gateway may claim it now
    assert mark_sending(app_client, service_headers, sent["id"], lapsed["id"], 999_999) == []
    [again] = claim(app_client, service_headers)
    assert mark_sending(app_client, service_headers, again["id"]) == [lapsed["id"]]


def test_marking_is_for_services_only(
    app_client: TestClient, operator_headers: OperatorFactory, service_headers: Headers
) -> None:
    assert app_client.post("/api/v1/outbox/sending", json={"ids": [1]}).status_code == 401
    by_operator = app_client.post(
        "/api/v1/outbox/sending", json={"ids": [1]}, headers=operator_headers()
    )
    assert by_operator.status_code == 403
    too_many = {"ids": list(range(101))}
    reply = app_client.post("/api/v1/outbox/sending", json=too_many, headers=service_headers)
    assert reply.status_code in (400, 422)
