"""Outbox claims carry buttons, ends_handoff and rasa_slots (interface D)."""

from fastapi.testclient import TestClient

from tests.backend.factories import file_complaint
from tests.backend.feedback.moves import move, resolve
from tests.backend.notifications.test_outbox import claim
from tests.conftest import Headers, OperatorFactory


def _news(client: TestClient, service: Headers) -> dict[str, dict]:
    return {m["chat_id"]: m for m in claim(client, service, 100) if m["kind"] == "status_news"}


def test_plain_status_news_has_no_buttons_and_keeps_the_chat_with_the_bot(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers, reporter_chat_id="42")["ticket_id"]
    move(app_client, operator_headers(), ticket, "koordinasi")
    [message] = claim(app_client, service_headers)
    assert message["buttons"] == []
    assert message["ends_handoff"] is False
    assert message["rasa_slots"] == {}


def test_the_reporter_is_asked_whether_it_is_fixed_and_supporters_are_not(
    app_client: TestClient, service_headers: Headers, operator_headers: OperatorFactory
) -> None:
    ticket = file_complaint(app_client, service_headers, reporter_chat_id="42")["ticket_id"]
    app_client.post(
        f"/api/v1/complaints/{ticket}/supporters",
        json={"channel": "whatsapp", "chat_id": "62811"},
        headers=service_headers,
    )
    resolve(app_client, operator_headers(), ticket)
    done = [m for m in claim(app_client, service_headers, 100) if "*Selesai*" in m["text"]]
    by_chat = {m["chat_id"]: m for m in done}

    reporter = by_chat["42"]
    assert reporter["text"].endswith("Sudah beres?")
    assert reporter["buttons"] == [
        {"title": "Ya, sudah", "payload": f'/confirm_resolution{{"ticket_id": "{ticket}"}}'},
        {"title": "Belum", "payload": f'/reject_resolution{{"ticket_id": "{ticket}"}}'},
    ]
    assert reporter["rasa_slots"] == {"feedback_ticket": ticket}
    assert reporter["ends_handoff"] is False

    supporter = by_chat["62811"]
    assert "Sudah beres?" not in supporter["text"]
    assert (supporter["buttons"], supporter["rasa_slots"]) == ([], {})
