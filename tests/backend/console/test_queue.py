"""The queue: filters, ticket search, sort, pages and counts per status."""

import re

from fastapi.testclient import TestClient

from tests.backend.console.conftest import OfficerFactory
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers, OperatorFactory


def _tickets(html: str) -> list[str]:
    return re.findall(r'class="ticket">(JKT-[0-9A-Z]{4}-[0-9A-Z]{4})<', html)


def _count(html: str, status: str) -> int:
    match = re.search(rf'data-status="{status}">[^<]*<b>(\d+)</b>', html)
    assert match is not None
    return int(match.group(1))


def test_filters_by_status_category_kota_and_channel(
    officer: OfficerFactory,
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
) -> None:
    pusat = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    pkl = file_complaint(app_client, service_headers, category="pkl", channel="whatsapp")
    app_client.post(
        f"/api/v1/complaints/{pkl['ticket_id']}/transitions",
        json={"to": "koordinasi"},
        headers=operator_headers(),
    )
    me = officer()
    assert set(_tickets(me.client.get("/console/queue").text)) == {
        pusat["ticket_id"],
        pkl["ticket_id"],
    }
    assert _tickets(me.client.get("/console/queue?status=koordinasi").text) == [pkl["ticket_id"]]
    assert _tickets(me.client.get("/console/queue?category=sampah").text) == [pusat["ticket_id"]]
    assert _tickets(me.client.get("/console/queue?kota=31.71").text) == [pusat["ticket_id"]]
    assert _tickets(me.client.get("/console/queue?channel=whatsapp").text) == [pkl["ticket_id"]]


def test_counts_per_status_follow_the_other_filters(
    officer: OfficerFactory,
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
) -> None:
    for _ in range(2):
        file_complaint(app_client, service_headers)
    moved = file_complaint(app_client, service_headers)["ticket_id"]
    file_complaint(app_client, service_headers, category="pkl")
    app_client.post(
        f"/api/v1/complaints/{moved}/transitions",
        json={"to": "koordinasi"},
        headers=operator_headers(),
    )
    page = officer().client.get("/console/queue?category=sampah&status=menunggu").text
    assert _count(page, "menunggu") == 2
    assert _count(page, "koordinasi") == 1
    assert _count(page, "selesai") == 0


def test_a_ticket_typed_leniently_opens_the_complaint(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    sloppy = ticket.lower().replace("-", " ").replace("0", "o")
    reply = officer().client.get("/console/queue", params={"q": sloppy}, follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"] == f"/console/complaints/{ticket}"


def test_text_that_is_not_a_ticket_says_so(officer: OfficerFactory) -> None:
    page = officer().client.get("/console/queue?q=jalan+rusak")
    assert page.status_code == 200
    assert "Nomor tiket tidak dikenali" in page.text


def test_pages_and_sort_orders(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    from backend.console.settings import get_console_settings

    filed = [file_complaint(app_client, service_headers)["ticket_id"] for _ in range(7)]
    settings = get_console_settings()
    old_size = settings.page_size
    settings.page_size = 5
    try:
        me = officer()
        first = _tickets(me.client.get("/console/queue").text)
        second = _tickets(me.client.get("/console/queue?page=2").text)
        oldest = _tickets(me.client.get("/console/queue?sort=lama").text)
    finally:
        settings.page_size = old_size
    assert first == list(reversed(filed))[:5]
    assert second == list(reversed(filed))[5:]
    assert oldest == filed[:5]


def test_bad_filter_values_are_ignored_not_errors(officer: OfficerFactory) -> None:
    page = officer().client.get("/console/queue?status=kacau&page=-3&kota=99&unit=x&sort=zzz")
    assert page.status_code == 200
    assert "Filter tidak dikenali diabaikan: status, kota, unit." in page.text


def test_agency_queue_counts_only_its_unit(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    file_complaint(app_client, service_headers, category="pkl")
    page = officer("agency", "dlh-jakpus").client.get("/console/queue").text
    assert _count(page, "menunggu") == 1
    assert 'name="unit"' not in page  # no unit filter for a unit's own officers


def _file_days_ago(client: TestClient, headers: Headers, days: int, **body: object) -> str:
    from datetime import timedelta

    from sqlalchemy import update

    from backend import db
    from backend.complaints.models import Complaint
    from backend.db import utcnow

    ticket: str = file_complaint(client, headers, **body)["ticket_id"]
    with db.get_sessionmaker().begin() as s:
        s.execute(
            update(Complaint)
            .where(Complaint.ticket_id == ticket)
            .values(created_at=utcnow() - timedelta(days=days))
        )
    return ticket


def test_overdue_filter_lists_open_complaints_past_their_sla(
    officer: OfficerFactory,
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
) -> None:
    late = _file_days_ago(app_client, service_headers, 4)  # the default target is 72 hours
    closed = _file_days_ago(app_client, service_headers, 4)
    app_client.post(
        f"/api/v1/complaints/{closed}/transitions",
        json={"to": "ditolak", "note": "Ganda"},
        headers=operator_headers(),
    )
    file_complaint(app_client, service_headers)  # fresh
    page = officer().client.get("/console/queue?overdue=1").text
    assert _tickets(page) == [late]
    assert _count(page, "overdue") == 1
    assert "lewat tenggat</small>" in page
