"""The complaint page shows the due time and flags an overdue complaint."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from backend import db
from backend.complaints.models import Complaint
from tests.backend.console.conftest import OfficerFactory
from tests.backend.factories import file_complaint
from tests.conftest import Headers


def test_the_page_shows_the_due_time(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    page = officer().client.get(f"/console/complaints/{ticket}").text
    assert '<dd id="due">' in page
    assert "Lewat tenggat" not in page


def test_an_overdue_complaint_is_flagged(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    with db.get_sessionmaker().begin() as session:
        filed = session.scalars(select(Complaint).where(Complaint.ticket_id == ticket)).one()
        filed.created_at -= timedelta(hours=73)
    page = officer().client.get(f"/console/complaints/{ticket}").text
    assert '<dd id="due" class="late">' in page
    assert "Lewat tenggat" in page
