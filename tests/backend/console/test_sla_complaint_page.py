"""The complaint page and the queue show the due time and flag an overdue complaint."""

import re
from datetime import datetime, timedelta

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


def _filed_hours_ago(app_client: TestClient, service_headers: Headers, hours: int) -> str:
    """A complaint in menunggu whose filing (its first move) was `hours` ago."""
    ticket: str = file_complaint(app_client, service_headers)["ticket_id"]
    with db.get_sessionmaker().begin() as session:
        filed = session.scalars(select(Complaint).where(Complaint.ticket_id == ticket)).one()
        filed.created_at -= timedelta(hours=hours)
        filed.history[0].created_at -= timedelta(hours=hours)
    return ticket


def test_a_complaint_past_its_triage_target_is_flagged_before_its_resolution_target(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = _filed_hours_ago(app_client, service_headers, 25)  # menunggu: 24 hours
    page = officer().client.get(f"/console/complaints/{ticket}").text
    assert '<dd id="due" class="late">' in page
    assert "<small>(target selesai " in page  # the citizen's date is later
    public = app_client.get(f"/api/v1/complaints/{ticket}").json()
    filed, due = (datetime.fromisoformat(public[k]) for k in ("created_at", "due_at"))
    assert due - filed == timedelta(hours=72)  # citizens keep the resolution target


def test_the_queue_filter_and_column_use_the_stage_target(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    late = _filed_hours_ago(app_client, service_headers, 25)
    _filed_hours_ago(app_client, service_headers, 23)
    page = officer().client.get("/console/queue?overdue=1").text
    assert re.findall(r'class="ticket">(JKT-[0-9A-Z]{4}-[0-9A-Z]{4})<', page) == [late]
    assert "lewat tenggat</small>" in page
