"""Handing the chat to an officer: asked for, or after the bot failed twice."""

from __future__ import annotations

from typing import Any

from conftest import load_tracker, responses, run_with_backend, slots, with_message
from fake_backend import FakeBackend
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.handoff import ActionHandoff

CONVERSATIONS = "POST /api/v1/conversations"


def handoff_reply(state: str = "waiting", **overrides: Any) -> dict[str, Any]:
    reply = {
        "conversation_id": 7 if state != "office_closed" else None,
        "state": state,
        "office_hours": "Senin–Jumat 08.00–16.00",
        "opens_at": None,
        "reply_within_minutes": 15,
    }
    reply.update(overrides)
    return reply


def run(
    action: Action,
    tracker: Tracker,
    backend: FakeBackend | None = None,
    *,
    down: bool = False,
) -> tuple[list[dict[str, Any]], CollectingDispatcher, FakeBackend]:
    dispatcher = CollectingDispatcher()
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await action.run(dispatcher, tracker, {})

    return run_with_backend(fake, scenario, down=down), dispatcher, fake


def test_handoff_sends_transcript_ticket_and_draft_and_leaves_the_form():
    backend = FakeBackend(routes={CONVERSATIONS: [(201, handoff_reply("waiting"))]})
    events, dispatcher, fake = run(ActionHandoff(), load_tracker("handoff_in_form"), backend)
    body = fake.calls("POST", "/api/v1/conversations")[0].body
    assert body["sender_id"] == "telegram:42"
    assert body["reason"] == "requested"
    assert body["ticket_id"] == "JKT-7K3M-Q9XA"  # mentioned earlier in the chat
    assert body["draft"] == {
        "category": "saluran_air",
        "description": "got mampet udh 3 hari, bau bgt",
        "photo_ids": ["ph_1"],
    }
    texts = [(item["role"], item["text"]) for item in body["transcript"]]
    assert texts[0] == ("citizen", "status JKT-7K3M-Q9XA gimana")
    assert ("citizen", "(foto)") in texts  # a payload is shown as what the citizen did
    assert texts[-1] == ("citizen", "admin manusia dong")
    assert body["transcript"][0]["at"] == "2025-11-22T08:26:41+00:00"
    # The reply the gateway routes on, with the promised reply time.
    assert responses(dispatcher) == ["utter_handoff_open"]
    assert dispatcher.messages[0]["reply_within_minutes"] == 15
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    # The officer has the draft: the bot forgets it.
    assert slots(events)["description"] is None
    assert slots(events)["requested_slot"] is None


def test_a_repeated_request_joins_the_open_conversation():
    backend = FakeBackend(routes={CONVERSATIONS: [(200, handoff_reply("open"))]})
    _, dispatcher, _ = run(ActionHandoff(), load_tracker("handoff_in_form"), backend)
    assert responses(dispatcher) == ["utter_handoff_open"]


def test_transcript_keeps_the_last_fifty_messages():
    tracker = load_tracker("handoff_in_form")
    chatter = [
        {"event": "user", "timestamp": 1.0 + i, "text": f"pesan {i}", "parse_data": {}}
        for i in range(60)
    ]
    tracker.events = chatter + list(tracker.events)
    backend = FakeBackend(routes={CONVERSATIONS: [(201, handoff_reply())]})
    _, _, fake = run(ActionHandoff(), tracker, backend)
    transcript = fake.calls("POST", "/api/v1/conversations")[0].body["transcript"]
    assert len(transcript) == 50
    assert transcript[-1]["text"] == "admin manusia dong"


def test_office_closed_says_when_officers_are_back_and_keeps_the_draft():
    reply = handoff_reply("office_closed", opens_at="2026-11-23T01:00:00+00:00")
    backend = FakeBackend(routes={CONVERSATIONS: [(200, reply)]})
    events, dispatcher, _ = run(ActionHandoff(), load_tracker("handoff_in_form"), backend)
    assert responses(dispatcher) == ["utter_handoff_office_closed"]
    assert dispatcher.messages[0]["opens_at"] == "Senin, 23 Nov 2026 pukul 08.00 WIB"
    assert dispatcher.messages[0]["office_hours"] == "Senin–Jumat 08.00–16.00"
    # "Buat laporan" continues the complaint in progress.
    assert "description" not in slots(events)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


def test_backend_down_apologises_and_offers_the_bot_report():
    events, dispatcher, _ = run(ActionHandoff(), load_tracker("handoff_in_form"), down=True)
    assert responses(dispatcher) == ["utter_handoff_unavailable"]
    assert "description" not in slots(events)


def test_a_refused_handoff_gets_the_same_offer():
    backend = FakeBackend(
        routes={CONVERSATIONS: [(422, {"detail": "bad sender", "code": "validation_error"})]}
    )
    _, dispatcher, _ = run(ActionHandoff(), load_tracker("handoff_in_form"), backend)
    assert responses(dispatcher) == ["utter_handoff_unavailable"]


def test_handoff_outside_a_form_sends_no_draft_and_clears_a_pending_feedback():
    tracker = with_message(
        "fallback_first",
        "mau ngomong sama petugas",
        "request_human",
        feedback_ticket="JKT-AAAA-BBBB",
    )
    backend = FakeBackend(routes={CONVERSATIONS: [(201, handoff_reply())]})
    events, _, fake = run(ActionHandoff(), tracker, backend)
    body = fake.calls("POST", "/api/v1/conversations")[0].body
    assert body["draft"] is None
    assert body["ticket_id"] == "JKT-AAAA-BBBB"
    assert slots(events)["feedback_ticket"] is None
    assert not any(e["event"] == "active_loop" for e in events)


def test_a_stray_category_without_a_description_is_no_draft():
    tracker = with_message(
        "fallback_first", "mau ngomong sama petugas", "request_human", category="sampah"
    )
    backend = FakeBackend(routes={CONVERSATIONS: [(201, handoff_reply())]})
    _, _, fake = run(ActionHandoff(), tracker, backend)
    assert fake.calls("POST", "/api/v1/conversations")[0].body["draft"] is None


def test_first_unclear_message_asks_to_rephrase():
    _, dispatcher, fake = run(ActionFallback(), load_tracker("fallback_first"))
    assert responses(dispatcher) == ["utter_ask_rephrase"]
    assert fake.requests == []


def test_second_unclear_message_in_a_row_goes_to_an_officer():
    backend = FakeBackend(routes={CONVERSATIONS: [(201, handoff_reply())]})
    _, dispatcher, fake = run(ActionFallback(), load_tracker("fallback_second"), backend)
    assert responses(dispatcher) == ["utter_handoff_open"]
    body = fake.calls("POST", "/api/v1/conversations")[0].body
    assert body["reason"] == "fallback"
    assert [item["text"] for item in body["transcript"]][-1] == "zzzz xxxx"


def test_second_unclear_message_with_the_office_closed_offers_the_bot_report():
    reply = handoff_reply("office_closed", opens_at="2026-11-23T01:00:00+00:00")
    backend = FakeBackend(routes={CONVERSATIONS: [(200, reply)]})
    _, dispatcher, _ = run(ActionFallback(), load_tracker("fallback_second"), backend)
    assert responses(dispatcher) == ["utter_handoff_office_closed"]


def test_junk_never_goes_to_an_officer():
    for junk in ("🙏🙏🙏", "<script>alert(1)</script>", "???!!!"):
        tracker = with_message("fallback_second", junk, "nlu_fallback")
        _, dispatcher, fake = run(ActionFallback(), tracker)
        assert responses(dispatcher) == ["utter_default"], junk
        assert fake.requests == []


def test_an_out_of_scope_question_then_an_unclear_one_gets_the_menu():
    _, dispatcher, fake = run(ActionFallback(), load_tracker("fallback_after_out_of_scope"))
    assert responses(dispatcher) == ["utter_default"]
    assert fake.requests == []
