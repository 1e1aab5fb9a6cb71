"""The handoff inbox: list, conversation page, take / reply / close, filing, scoping."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.complaints.models import Complaint
from backend.conversations.models import Conversation
from backend.notifications.models import OutboxMessage
from backend.photos.models import Photo
from tests.backend.console.conftest import OfficerFactory
from tests.backend.conversations.conftest import (  # noqa: F401 - the fixture
    office_hours,
    open_handoff,
    say,
    upload_photo,
)
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers

pytestmark = pytest.mark.usefixtures("office_hours")


def _open(client: TestClient, service: Headers, **overrides: object) -> int:
    reply = open_handoff(client, service, **overrides)
    assert reply.status_code == 201, reply.text
    conversation_id: int = reply.json()["conversation_id"]
    return conversation_id


def _kinds(session: Session) -> list[str]:
    found = list(session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))
    session.rollback()  # SQLite: do not hold the write lock
    return found


def test_the_inbox_lists_waiting_chats_first_without_chat_ids(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory
) -> None:
    first = _open(app_client, service_headers, sender_id="telegram:777001")
    second = _open(app_client, service_headers, sender_id="whatsapp:6281299990000")
    say(app_client, service_headers, sender_id="whatsapp:6281299990000", text="halo ada orang?")
    operator = officer()
    operator.post(f"/console/inbox/{first}/take", {})
    page = operator.client.get("/console/inbox")
    assert page.status_code == 200
    order = [int(i) for i in re.findall(r'data-conversation="(\d+)"', page.text)]
    assert order == [second, first]
    assert "halo ada orang?" in page.text
    assert "WhatsApp" in page.text
    assert "777001" not in page.text
    assert "6281299990000" not in page.text
    assert 'http-equiv="refresh"' in page.text
    assert "(0 menit)" in page.text  # how long the waiting chat has waited


def test_an_officer_takes_replies_and_closes(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory, session: Session
) -> None:
    conversation_id = _open(app_client, service_headers)
    operator = officer()
    url = f"/console/inbox/{conversation_id}"
    page = operator.client.get(url)
    assert "mau ngomong sama petugas aja" in page.text
    assert "jalan_rusak" in page.text  # the draft in progress

    assert operator.post(f"{url}/reply", {"text": "halo"}).status_code == 409  # not taken yet
    assert operator.post(f"{url}/take", {}, follow_redirects=False).status_code == 303
    reply = operator.post(f"{url}/reply", {"text": "Baik, lokasinya di mana?"})
    assert reply.status_code == 200
    assert "Baik, lokasinya di mana?" in reply.text
    assert operator.post(f"{url}/reply", {"text": "   "}).status_code == 422
    assert operator.post(f"{url}/close", {}, follow_redirects=False).status_code == 303

    assert _kinds(session) == ["handoff_taken", "handoff_reply", "handoff_closed"]
    replies = session.scalars(
        select(OutboxMessage.payload).where(OutboxMessage.kind == "handoff_reply")
    )
    assert [p["text"] for p in replies] == ["Baik, lokasinya di mana?"]
    session.rollback()
    assert say(app_client, service_headers, text="halo lagi").status_code == 404
    assert operator.post(f"{url}/close", {}).status_code == 409


def test_a_chat_taken_by_one_officer_cannot_be_taken_by_another(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory, session: Session
) -> None:
    conversation_id = _open(app_client, service_headers)
    first, second = officer(), officer()
    assert first.post(f"/console/inbox/{conversation_id}/take", {}).status_code == 200
    refused = second.post(f"/console/inbox/{conversation_id}/take", {})
    assert refused.status_code == 409
    assert "sudah diambil" in refused.text
    assert _kinds(session) == ["handoff_taken"]


def test_a_citizen_script_is_shown_as_text(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory
) -> None:
    conversation_id = _open(app_client, service_headers)
    say(app_client, service_headers, text="<script>alert('x')</script>")
    operator = officer()
    for path in ("/console/inbox", f"/console/inbox/{conversation_id}"):
        page = operator.client.get(path)
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert" in page.text


def test_photos_and_pins_the_citizen_sent_are_shown(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory
) -> None:
    conversation_id = _open(app_client, service_headers)
    photo_id = upload_photo(app_client, service_headers)
    other_photo = upload_photo(app_client, service_headers)
    say(app_client, service_headers, photo_id=photo_id)
    say(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    operator = officer()
    page = operator.client.get(f"/console/inbox/{conversation_id}")
    assert f"/console/inbox/{conversation_id}/photos/{photo_id}" in page.text
    assert "-6.17540, 106.82720" in page.text
    photo = operator.client.get(f"/console/inbox/{conversation_id}/photos/{photo_id}")
    assert (photo.status_code, photo.headers["content-type"]) == (200, "image/jpeg")
    assert (
        operator.client.get(f"/console/inbox/{conversation_id}/photos/{other_photo}").status_code
        == 404
    )


def test_filing_from_a_chat_makes_the_chat_the_reporter_and_links_it(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory, session: Session
) -> None:
    conversation_id = _open(app_client, service_headers)
    photo_id = upload_photo(app_client, service_headers)
    say(app_client, service_headers, text="jalan bolong depan monas")
    say(app_client, service_headers, photo_id=photo_id)
    say(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    operator = officer()
    url = f"/console/inbox/{conversation_id}"
    operator.post(f"{url}/take", {})
    form = operator.client.get(f"{url}/report")
    assert "jalan bolong depan monas" in form.text  # prefilled from the citizen's words
    assert 'value="-6.175400"' in form.text
    key = re.search(r'name="key" value="([0-9a-f]+)"', form.text)
    assert key is not None
    filed = operator.post(
        f"{url}/report",
        {
            "category": "jalan_rusak",
            "description": "Jalan berlubang di depan Monas",
            "latitude": "-6.175400",
            "longitude": "106.827200",
            "key": key.group(1),
        },
    )
    assert filed.status_code == 200, filed.text
    complaint = session.scalar(select(Complaint))
    assert complaint is not None
    assert (complaint.channel.value, complaint.reporter.chat_id) == ("telegram", "5550001")  # type: ignore[union-attr]
    assert complaint.ticket_id in filed.text
    assert session.get(Conversation, conversation_id).complaint_id == complaint.id  # type: ignore[union-attr]
    assert session.get(Photo, photo_id).complaint_id == complaint.id  # type: ignore[union-attr]
    told = session.scalars(
        select(OutboxMessage.payload).where(OutboxMessage.kind == "handoff_reply")
    )
    assert [complaint.ticket_id in p["text"] for p in told] == [True]
    session.rollback()
    again = operator.post(
        f"{url}/report", {"category": "sampah", "description": "x", "key": key.group(1)}
    )
    assert again.status_code == 200
    assert len(session.scalars(select(Complaint)).all()) == 1


def test_a_report_form_with_problems_is_shown_again_and_files_nothing(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory, session: Session
) -> None:
    conversation_id = _open(app_client, service_headers)
    operator = officer()
    url = f"/console/inbox/{conversation_id}/report"
    for data in (
        {"category": "", "description": "x"},
        {"category": "sampah", "description": "x", "latitude": "abc", "longitude": "1"},
        {"category": "sampah", "description": "x", "latitude": "-6.9", "longitude": "107.6"},
    ):
        assert operator.post(url, data).status_code == 422, data
    assert session.scalars(select(Complaint)).all() == []


def test_agency_users_see_only_chats_about_their_units_complaints(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory
) -> None:
    ticket = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])[
        "ticket_id"
    ]
    about_it = _open(app_client, service_headers, ticket_id=ticket)
    unlinked = _open(app_client, service_headers, sender_id="telegram:999")
    own = officer("agency", "dlh-jakpus")
    other = officer("agency", "dlh-jaksel")
    assert own.client.get(f"/console/inbox/{about_it}").status_code == 200
    for agency, conversation_id in ((own, unlinked), (other, about_it), (other, unlinked)):
        assert agency.client.get(f"/console/inbox/{conversation_id}").status_code == 404
        assert agency.post(f"/console/inbox/{conversation_id}/take", {}).status_code == 404
    assert f'data-conversation="{about_it}"' not in other.client.get("/console/inbox").text
    assert own.client.get(f"/console/inbox/{unlinked}/report").status_code == 403


@pytest.mark.parametrize("action", ["take", "reply", "close", "report"])
def test_inbox_forms_without_the_csrf_token_are_refused(
    app_client: TestClient,
    service_headers: Headers,
    officer: OfficerFactory,
    session: Session,
    action: str,
) -> None:
    conversation_id = _open(app_client, service_headers)
    operator = officer()
    reply = operator.client.post(
        f"/console/inbox/{conversation_id}/{action}",
        data={"text": "x", "category": "sampah", "description": "x"},
    )
    assert reply.status_code == 403
    assert _kinds(session) == []


@pytest.mark.parametrize(
    "path", ["/console/inbox", "/console/inbox/1", "/console/inbox/1/report", "/console/badge"]
)
def test_inbox_pages_need_a_login(anonymous: TestClient, path: str) -> None:
    reply = anonymous.get(path, follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/console/login")


def test_the_badge_counts_waiting_chats_and_unread_alerts(
    app_client: TestClient, service_headers: Headers, officer: OfficerFactory
) -> None:
    _open(app_client, service_headers)
    operator = officer()
    assert operator.client.get("/console/badge").json() == {"alerts": 1, "waiting": 1, "total": 2}
    agency = officer("agency", "dlh-jakpus")
    assert agency.client.get("/console/badge").json() == {"alerts": 0, "waiting": 0, "total": 0}
