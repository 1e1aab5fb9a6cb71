"""After a lost answer: find the submission by its Idempotency-Key, and let the
reporter withdraw it (issue 12, item 5)."""

from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.alerts.models import Alert
from backend.complaints.models import Complaint
from backend.notifications.models import OutboxMessage
from tests.backend.factories import complaint_body
from tests.backend.feedback.moves import move
from tests.conftest import Headers, OperatorFactory

REPORTER = "telegram:100200300"  # the factory's reporter
KEY = "5b0c3c1e-7d0a-4d55-9f5c-2f1a2f0e9a11"


def file_with_key(client: TestClient, service: Headers, key: str = KEY) -> str:
    headers = {**service, "Idempotency-Key": key}
    reply = client.post("/api/v1/complaints", json=complaint_body(), headers=headers)
    assert reply.status_code == 201, reply.text
    ticket: str = reply.json()["ticket_id"]
    return ticket


def by_key(client: TestClient, headers: Headers, key: str = KEY) -> httpx.Response:
    return client.get(f"/api/v1/complaints/by-key/{key}", headers=headers)


def withdraw(client: TestClient, headers: Headers, ticket: str, **body: Any) -> httpx.Response:
    body.setdefault("sender_id", REPORTER)
    return client.post(f"/api/v1/complaints/{ticket}/withdrawal", json=body, headers=headers)


def test_a_filed_submission_is_found_by_its_key(
    app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_with_key(app_client, service_headers)
    found = by_key(app_client, service_headers)
    assert found.status_code == 200
    assert (found.json()["ticket_id"], found.json()["status"]) == (ticket, "menunggu")
    assert "reporter" not in found.text  # the public view


def test_a_key_never_filed_is_404(app_client: TestClient, service_headers: Headers) -> None:
    file_with_key(app_client, service_headers)
    missing = by_key(app_client, service_headers, "another-key")
    assert (missing.status_code, missing.json()["code"]) == (404, "submission_not_found")


def test_only_the_caller_s_own_keys_are_looked_at(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    file_with_key(app_client, service_headers)
    assert by_key(app_client, operator_headers()).status_code == 404
    assert by_key(app_client, {}).status_code == 401


def test_withdrawing_rejects_it_with_the_note_alerts_the_unit_and_tells_the_citizen(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    ticket = file_with_key(app_client, service_headers)
    reply = withdraw(app_client, service_headers, ticket)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"ticket_id": ticket, "status": "ditolak"}
    complaint = session.scalar(select(Complaint).where(Complaint.ticket_id == ticket))
    assert complaint is not None
    last = complaint.history[-1]
    assert (last.from_status, last.to_status, last.actor, last.note) == (
        "menunggu",
        "ditolak",
        "warga",
        "dibatalkan pelapor",
    )
    [alert] = session.scalars(select(Alert).where(Alert.kind == "withdrawn"))
    assert (alert.unit_id, alert.complaint_id) == (complaint.unit_id, complaint.id)
    [news] = session.scalars(
        select(OutboxMessage).where(OutboxMessage.complaint_id == complaint.id)
    )
    assert (news.payload["status"], news.payload["note"]) == ("ditolak", "dibatalkan pelapor")


def test_withdrawing_twice_changes_nothing_more(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    ticket = file_with_key(app_client, service_headers)
    assert withdraw(app_client, service_headers, ticket).status_code == 200
    again = withdraw(app_client, service_headers, ticket)
    assert again.json() == {"ticket_id": ticket, "status": "ditolak"}
    assert len(session.scalars(select(Alert).where(Alert.kind == "withdrawn")).all()) == 1


def test_only_the_reporter_can_withdraw(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    ticket = file_with_key(app_client, service_headers)
    other = withdraw(app_client, service_headers, ticket, sender_id="telegram:999")
    assert (other.status_code, other.json()["code"]) == (403, "not_reporter")
    assert withdraw(app_client, {}, ticket).status_code == 401
    complaint = session.scalar(select(Complaint).where(Complaint.ticket_id == ticket))
    assert complaint is not None
    assert complaint.status == "menunggu"


def test_a_complaint_being_worked_on_cannot_be_withdrawn(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_with_key(app_client, service_headers)
    operator = operator_headers()
    move(app_client, operator, ticket, "disposisi")
    move(app_client, operator, ticket, "proses")
    refused = withdraw(app_client, service_headers, ticket)
    assert (refused.status_code, refused.json()["code"]) == (409, "not_withdrawable")
    view = app_client.get(f"/api/v1/complaints/{ticket}").json()
    assert view["status"] == "proses"
