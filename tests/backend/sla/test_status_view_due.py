"""The public status view carries the SLA target time (the citizen's status answer uses it)."""

from datetime import datetime

from fastapi.testclient import TestClient

from backend import db
from backend.sla import service as sla
from tests.backend.factories import file_complaint


def test_the_status_view_gives_the_due_time(
    app_client: TestClient, service_headers: dict[str, str], operator_headers: object
) -> None:
    with db.get_sessionmaker().begin() as session:
        sla.set_target(session, "sampah", 24)
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    view = app_client.get(f"/api/v1/complaints/{ticket}").json()
    filed = datetime.fromisoformat(view["created_at"])
    due = datetime.fromisoformat(view["due_at"])
    assert (due - filed).total_seconds() == 24 * 3600


def test_a_rejected_complaint_has_no_due_time(
    app_client: TestClient, service_headers: dict[str, str], operator_headers: object
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    headers = operator_headers()  # type: ignore[operator]
    moved = app_client.post(
        f"/api/v1/complaints/{ticket}/transitions",
        json={"to": "ditolak", "note": "Bukan wewenang Pemprov"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    assert app_client.get(f"/api/v1/complaints/{ticket}").json()["due_at"] is None
