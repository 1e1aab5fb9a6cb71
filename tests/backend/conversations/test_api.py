"""Interfaces A (open a handoff) and B (a handed-off citizen's message)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.alerts.models import Alert
from backend.complaints.models import Reporter
from backend.conversations.models import Conversation, ConversationMessage
from backend.conversations.office_hours import DAYS, JAKARTA
from tests.backend.conversations.conftest import Hours, open_handoff, say, upload_photo
from tests.backend.factories import file_complaint
from tests.conftest import Headers, OperatorFactory


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_handoff_opens_waiting_with_its_transcript_and_alerts_the_crm_team(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    office_hours("mon-sun 00:00-24:00")
    reply = open_handoff(app_client, service_headers)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["state"] == "waiting"
    assert body["office_hours"] == "setiap hari, 24 jam"
    assert body["reply_within_minutes"] == 15
    assert body["opens_at"] is None
    conversation = session.get(Conversation, body["conversation_id"])
    assert conversation is not None
    assert conversation.draft == {"category": "jalan_rusak"}
    rows = session.execute(
        select(ConversationMessage.author, ConversationMessage.text)
        .where(ConversationMessage.conversation_id == conversation.id)
        .order_by(ConversationMessage.id)
    ).all()
    assert [(author.value, text) for author, text in rows] == [
        ("citizen", "min mau lapor jalan bolong"),
        ("bot", "Boleh, di mana lokasinya?"),
        ("citizen", "mau ngomong sama petugas aja"),
    ]
    [alert] = session.scalars(select(Alert))
    assert (alert.kind, alert.unit_id, alert.link) == ("handoff", None, f"/inbox/{conversation.id}")
    assert "5550001" not in alert.text


def test_asking_again_returns_the_live_conversation_without_duplicating(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    first = open_handoff(app_client, service_headers).json()
    again = open_handoff(app_client, service_headers, reason="fallback")
    assert again.status_code == 200
    assert again.json()["conversation_id"] == first["conversation_id"]
    assert _count(session, Conversation) == 1
    assert _count(session, ConversationMessage) == 3
    assert _count(session, Alert) == 1


def test_concurrent_requests_open_one_conversation(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda _: open_handoff(app_client, service_headers), range(4)))
    assert sorted(r.status_code for r in replies) == [200, 200, 200, 201]
    assert len({r.json()["conversation_id"] for r in replies}) == 1
    assert _count(session, Conversation) == 1


def test_outside_office_hours_nothing_is_created_and_the_next_opening_is_given(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    today = datetime.now(JAKARTA).weekday()
    other_days = [d for i, d in enumerate(DAYS) if i != today]
    office_hours(f"{','.join(other_days)} 08:00-16:00")
    reply = open_handoff(app_client, service_headers)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["state"], body["conversation_id"]) == ("office_closed", None)
    opens_at = datetime.fromisoformat(body["opens_at"]).astimezone(JAKARTA)
    assert opens_at.weekday() != today
    assert (opens_at.hour, opens_at.minute) == (8, 0)
    assert _count(session, Conversation) == 0
    assert _count(session, Alert) == 0
    assert _count(session, Reporter) == 0


def test_a_known_ticket_links_the_complaint_and_an_unknown_one_is_ignored(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    linked = open_handoff(app_client, service_headers, ticket_id=ticket.lower()).json()
    other = open_handoff(
        app_client, service_headers, sender_id="whatsapp:6281200000", ticket_id="JKT-0000-0000"
    ).json()
    assert session.get(Conversation, linked["conversation_id"]).complaint is not None  # type: ignore[union-attr]
    assert session.get(Conversation, other["conversation_id"]).complaint_id is None  # type: ignore[union-attr]


def test_bad_handoff_requests_are_refused_and_store_nothing(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    office_hours: Hours,
    session: Session,
) -> None:
    too_long = [{"role": "citizen", "text": "halo", "at": None}] * 51
    for bad in (
        {"sender_id": "123"},
        {"sender_id": "sms:0812"},
        {"reason": "bored"},
        {"transcript": too_long},
        {"transcript": [{"role": "officer", "text": "x", "at": None}]},
    ):
        reply = open_handoff(app_client, service_headers, **bad)
        assert reply.status_code == 422, bad
    assert open_handoff(app_client, {}).status_code == 401
    assert open_handoff(app_client, operator_headers()).status_code == 403
    assert _count(session, Conversation) == 0


def test_a_citizen_message_joins_the_live_conversation(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    opened = open_handoff(app_client, service_headers).json()
    photo_id = upload_photo(app_client, service_headers)
    for body in (
        {"text": "jalannya di depan pasar"},
        {"photo_id": photo_id},
        {"latitude": -6.2615, "longitude": 106.8106},
    ):
        reply = say(app_client, service_headers, **body)
        assert reply.status_code == 201, reply.text
        assert reply.json() == {"conversation_id": opened["conversation_id"], "state": "waiting"}
    last = session.scalars(
        select(ConversationMessage).order_by(ConversationMessage.id.desc()).limit(3)
    ).all()
    assert [m.latitude for m in last] == [-6.2615, None, None]
    assert [m.photo_id for m in last] == [None, photo_id, None]


def test_without_a_handoff_a_message_is_404_no_handoff(
    app_client: TestClient, service_headers: Headers, office_hours: Hours
) -> None:
    reply = say(app_client, service_headers, text="halo")
    assert (reply.status_code, reply.json()["code"]) == (404, "no_handoff")
    file_complaint(app_client, service_headers, reporter_chat_id="5550001")  # known, no handoff
    reply = say(app_client, service_headers, text="halo")
    assert (reply.status_code, reply.json()["code"]) == (404, "no_handoff")


def test_bad_citizen_messages_are_refused_and_store_nothing(
    app_client: TestClient,
    service_headers: Headers,
    operator_headers: OperatorFactory,
    office_hours: Hours,
    session: Session,
) -> None:
    open_handoff(app_client, service_headers)
    reply = say(app_client, service_headers, photo_id="deadbeef")
    assert (reply.status_code, reply.json()["code"]) == (422, "unknown_photo")
    for bad in (
        {"text": "  "},
        {"latitude": -6.2},
        {"text": "x" * 4001},
        {"latitude": 91, "longitude": 0},
    ):
        assert say(app_client, service_headers, **bad).status_code == 422, bad
    assert say(app_client, {}, text="halo").status_code == 401
    assert say(app_client, operator_headers(), text="halo").status_code == 403
    assert _count(session, ConversationMessage) == 3  # the transcript only
