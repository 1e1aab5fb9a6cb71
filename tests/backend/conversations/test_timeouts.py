"""The handoff_timeouts job: nobody took the chat in time, or the office closed."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import jobs
from backend.conversations import service
from backend.conversations.models import CloseReason, Conversation, ConversationState
from backend.conversations.office_hours import JAKARTA
from backend.db import get_sessionmaker, utcnow
from backend.notifications.models import OutboxMessage
from tests.backend.conversations.conftest import Hours, open_handoff, say
from tests.backend.notifications.test_outbox import claim
from tests.conftest import Headers


def _states(session: Session) -> list[tuple[ConversationState, CloseReason | None]]:
    states = [(c.state, c.close_reason) for c in session.scalars(select(Conversation))]
    session.rollback()  # end the read: on SQLite, an open session holds the write lock
    return states


def _kinds(session: Session) -> list[str]:
    found = list(session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))
    session.rollback()
    return found


def test_a_chat_nobody_took_in_time_goes_back_to_the_bot_with_a_report_button(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    open_handoff(app_client, service_headers)
    assert jobs.run_once(utcnow() + timedelta(minutes=14))["handoff_timeouts"] == 0
    assert jobs.run_once(utcnow() + timedelta(minutes=16))["handoff_timeouts"] == 1
    assert _states(session) == [(ConversationState.CLOSED, CloseReason.TIMEOUT)]
    [message] = claim(app_client, service_headers)
    assert (message["kind"], message["chat_id"], message["ends_handoff"]) == (
        "handoff_timeout",
        "5550001",
        True,
    )
    assert message["buttons"] == [{"title": "Buat laporan", "payload": "/report_complaint"}]
    assert "petugas" in message["text"]
    assert say(app_client, service_headers, text="halo?").status_code == 404
    assert jobs.run_once(utcnow() + timedelta(minutes=30))["handoff_timeouts"] == 0


def test_waiting_chats_time_out_when_the_office_closes(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    open_handoff(app_client, service_headers)
    open_handoff(app_client, service_headers, sender_id="whatsapp:62811000")
    office_hours("mon-fri 08:00-16:00")
    monday_evening = datetime(2026, 11, 23, 16, 0, tzinfo=JAKARTA)
    assert jobs.run_once(monday_evening)["handoff_timeouts"] == 2
    assert _kinds(session) == ["handoff_timeout", "handoff_timeout"]


def test_a_taken_chat_does_not_time_out(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    _open_and_take(app_client, service_headers)
    assert jobs.run_once(utcnow() + timedelta(minutes=50))["handoff_timeouts"] == 0
    assert _kinds(session) == ["handoff_taken"]


def test_a_taken_chat_left_silent_goes_back_to_the_bot(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    _open_and_take(app_client, service_headers)
    assert say(app_client, service_headers, text="masih di sana, pak?").status_code == 201
    assert jobs.run_once(utcnow() + timedelta(minutes=50))["handoff_idle"] == 0
    assert jobs.run_once(utcnow() + timedelta(minutes=61))["handoff_idle"] == 1
    assert _states(session) == [(ConversationState.CLOSED, CloseReason.IDLE)]
    assert _kinds(session) == ["handoff_taken", "handoff_closed"]
    assert say(app_client, service_headers, text="halo?").status_code == 404
    assert jobs.run_once(utcnow() + timedelta(minutes=120))["handoff_idle"] == 0


def test_concurrent_runs_time_each_chat_out_once(
    app_client: TestClient, service_headers: Headers, office_hours: Hours, session: Session
) -> None:
    for i in range(5):
        open_handoff(app_client, service_headers, sender_id=f"telegram:{i}")
    later = utcnow() + timedelta(minutes=20)
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = list(pool.map(lambda _: jobs.run_once(later)["handoff_timeouts"], range(3)))
    assert sum(done) == 5
    assert _kinds(session) == ["handoff_timeout"] * 5


def _open_and_take(app_client: TestClient, service_headers: Headers) -> None:
    """A handoff opened by the bot and taken by an officer now."""
    conversation_id = open_handoff(app_client, service_headers).json()["conversation_id"]
    with get_sessionmaker().begin() as s:
        conversation = s.get(Conversation, conversation_id)
        assert conversation is not None
        service.take(s, _an_operator(s), conversation)


def _an_operator(session: Session):  # type: ignore[no-untyped-def]
    from backend.auth import service as auth
    from backend.auth.models import Role

    return auth.create_operator(session, "op-timeout", "correct horse battery", Role.OPERATOR, None)
