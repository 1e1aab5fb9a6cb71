"""Interface E: the reporter's answer to "Sudah beres?"."""

from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.alerts.models import Alert
from backend.complaints.models import Complaint, StatusChange
from backend.feedback.models import Feedback
from backend.notifications.models import OutboxMessage
from tests.backend.factories import file_complaint
from tests.backend.feedback.moves import resolve
from tests.conftest import Headers, OperatorFactory

REPORTER = "telegram:100200300"  # the factory's reporter


def feedback(client: TestClient, headers: Headers, ticket: str, **body: Any) -> httpx.Response:
    body.setdefault("sender_id", REPORTER)
    return client.post(f"/api/v1/complaints/{ticket}/feedback", json=body, headers=headers)


def resolved_ticket(client: TestClient, service: Headers, operator: Headers) -> str:
    ticket: str = file_complaint(client, service)["ticket_id"]
    resolve(client, operator, ticket)
    return ticket


def test_not_fixed_reopens_with_history_an_alert_to_the_unit_and_news(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    ticket = resolved_ticket(app_client, service_headers, operator_headers())
    reply = feedback(app_client, service_headers, ticket, resolved=False, reason="masih numpuk")
    assert reply.status_code == 200, reply.text
    assert reply.json() == {
        "ticket_id": ticket,
        "status": "proses",
        "resolved": False,
        "rating": None,
    }

    complaint = session.scalar(select(Complaint).where(Complaint.ticket_id == ticket))
    assert complaint is not None
    last = session.scalars(
        select(StatusChange)
        .where(StatusChange.complaint_id == complaint.id)
        .order_by(StatusChange.id.desc())
    ).first()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor, last.note, last.public) == (
        "selesai",
        "proses",
        "warga",
        "masih numpuk",
        False,
    )
    [alert] = session.scalars(select(Alert).where(Alert.kind == "reopened"))
    assert (alert.unit_id, alert.complaint_id, alert.link) == (
        complaint.unit_id,
        complaint.id,
        f"/complaints/{ticket}",
    )
    news = session.scalars(
        select(OutboxMessage).where(OutboxMessage.complaint_id == complaint.id)
    ).all()
    assert news[-1].payload["status"] == "proses"
    assert "masih numpuk" not in news[-1].payload["note"]  # the reason is internal
    [row] = session.scalars(select(Feedback))
    assert (row.resolved, row.reason, row.reporter_id) == (
        False,
        "masih numpuk",
        complaint.reporter_id,
    )


def test_fixed_is_stored_and_a_later_rating_too(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    ticket = resolved_ticket(app_client, service_headers, operator_headers())
    first = feedback(app_client, service_headers, ticket, resolved=True)
    assert first.json() == {
        "ticket_id": ticket,
        "status": "selesai",
        "resolved": True,
        "rating": None,
    }
    rated = feedback(app_client, service_headers, ticket, resolved=True, rating=4)
    assert rated.json()["rating"] == 4
    again = feedback(app_client, service_headers, ticket, resolved=True)
    assert again.json()["rating"] == 4  # the latest rating given stays
    assert [
        (f.resolved, f.rating) for f in session.scalars(select(Feedback).order_by(Feedback.id))
    ] == [
        (True, None),
        (True, 4),
        (True, None),
    ]


def test_unknown_ticket_is_404(app_client: TestClient, service_headers: Headers) -> None:
    reply = feedback(app_client, service_headers, "JKT-0000-0000", resolved=True)
    assert reply.status_code == 404


def test_only_the_reporter_may_answer(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    ticket = resolved_ticket(app_client, service_headers, operator_headers())
    app_client.post(
        f"/api/v1/complaints/{ticket}/supporters",
        json={"channel": "whatsapp", "chat_id": "62811"},
        headers=service_headers,
    )
    for sender in ("whatsapp:62811", "whatsapp:100200300", "telegram:999"):
        reply = feedback(app_client, service_headers, ticket, sender_id=sender, resolved=False)
        assert (reply.status_code, reply.json()["code"]) == (403, "not_reporter"), sender
    assert session.scalars(select(Feedback)).all() == []


def test_a_complaint_not_resolved_cannot_get_feedback(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    operator = operator_headers()
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    for resolved in (True, False):
        reply = feedback(app_client, service_headers, ticket, resolved=resolved)
        assert (reply.status_code, reply.json()["code"]) == (409, "not_resolved")
    resolve(app_client, operator, ticket)
    assert feedback(app_client, service_headers, ticket, resolved=False).status_code == 200
    # reopened: "not fixed" again needs a new selesai; a late "fixed" still counts
    reply = feedback(app_client, service_headers, ticket, resolved=False)
    assert (reply.status_code, reply.json()["code"]) == (409, "not_resolved")
    assert feedback(app_client, service_headers, ticket, resolved=True, rating=2).status_code == 200


def test_bad_answers_are_refused_and_change_nothing(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    session: Session,
) -> None:
    ticket = resolved_ticket(app_client, service_headers, operator_headers())
    for bad in ({"rating": 0}, {"rating": 6}, {"sender_id": "nope"}, {"resolved": "maybe"}):
        body = {"resolved": True, **bad}
        assert feedback(app_client, service_headers, ticket, **body).status_code == 422, bad
    assert feedback(app_client, {}, ticket, resolved=True).status_code == 401
    assert feedback(app_client, operator_headers(), ticket, resolved=True).status_code == 403
    assert session.scalars(select(Feedback)).all() == []
    status = app_client.get(f"/api/v1/complaints/{ticket}").json()["status"]
    assert status == "selesai"
