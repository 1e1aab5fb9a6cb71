""" "Batal" after a filing whose answer was lost (actions/lost_answer.py)."""

from __future__ import annotations

from typing import Any

from conftest import load_tracker, responses, run_with_backend, slots, with_message
from fake_backend import FakeBackend, complaint_view
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import ActionCancelComplaint
from actions.lost_answer import submission_attempted

KEY = "5b0c3c1e-7d0a-4d55-9f5c-2f1a2f0e9a11"
BY_KEY = f"GET /api/v1/complaints/by-key/{KEY}"
WITHDRAWAL = "POST /api/v1/complaints/JKT-7K3M-Q9XA/withdrawal"
FOUND = (200, complaint_view())
NOT_FILED = (
    404,
    {"detail": "no complaint was filed with this key", "code": "submission_not_found"},
)


def cancel(
    tracker: Tracker, backend: FakeBackend | None = None, *, down: bool = False
) -> tuple[list[dict[str, Any]], CollectingDispatcher, FakeBackend]:
    dispatcher = CollectingDispatcher()
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await ActionCancelComplaint().run(dispatcher, tracker, {})

    return run_with_backend(fake, scenario, down=down), dispatcher, fake


def test_a_lost_answer_s_complaint_is_found_and_offered_for_withdrawal() -> None:
    backend = FakeBackend(routes={BY_KEY: [FOUND]})
    events, dispatcher, fake = cancel(load_tracker("submit_failed_cancel"), backend)
    assert responses(dispatcher) == ["utter_submission_found"]
    assert dispatcher.messages[0]["ticket_id"] == "JKT-7K3M-Q9XA"
    assert slots(events) == {"stage": "confirm", "submission_key": KEY}  # the summary stays
    assert len(fake.calls("GET", "/api/v1/complaints/by-key/")) == 1
    assert fake.calls("POST", "/api/v1/complaints") == []


def test_a_lost_answer_s_complaint_not_filed_is_cancelled_as_before() -> None:
    backend = FakeBackend(routes={BY_KEY: [NOT_FILED]})
    events, dispatcher, _ = cancel(load_tracker("submit_failed_cancel"), backend)
    assert responses(dispatcher) == ["utter_complaint_cancelled"]
    assert slots(events)["stage"] is None
    assert slots(events)["submission_key"] is None


def test_when_the_backend_cannot_tell_the_summary_stays() -> None:
    events, dispatcher, _ = cancel(load_tracker("submit_failed_cancel"), down=True)
    assert responses(dispatcher) == ["utter_submission_unverified"]
    assert slots(events) == {"stage": "confirm", "submission_key": KEY}


def test_a_cancel_at_a_summary_never_sent_asks_the_backend_nothing() -> None:
    events, dispatcher, fake = cancel(with_message("summary_confirm", "batal", "cancel"))
    assert responses(dispatcher) == ["utter_complaint_cancelled"]
    assert slots(events)["stage"] is None
    assert fake.requests == []


def test_tarik_laporan_withdraws_it_and_clears_the_form() -> None:
    backend = FakeBackend(routes={BY_KEY: [FOUND], WITHDRAWAL: [(200, {})]})
    events, dispatcher, fake = cancel(load_tracker("withdraw_offer_cancel"), backend)
    assert responses(dispatcher) == ["utter_complaint_withdrawn"]
    assert dispatcher.messages[0]["ticket_id"] == "JKT-7K3M-Q9XA"
    [withdrawal] = fake.calls("POST", "/api/v1/complaints/JKT-7K3M-Q9XA/withdrawal")
    assert withdrawal.body == {"sender_id": "telegram:123"}
    assert slots(events)["stage"] is None
    assert slots(events)["submission_key"] is None


def test_a_complaint_already_worked_on_is_not_withdrawn() -> None:
    refused = (409, {"detail": "being worked on", "code": "not_withdrawable"})
    backend = FakeBackend(routes={BY_KEY: [FOUND], WITHDRAWAL: [refused]})
    events, dispatcher, _ = cancel(load_tracker("withdraw_offer_cancel"), backend)
    assert responses(dispatcher) == ["utter_withdraw_refused"]
    assert slots(events)["stage"] is None


def test_a_withdrawal_that_fails_keeps_the_offer() -> None:
    events, dispatcher, _ = cancel(load_tracker("withdraw_offer_cancel"), down=True)
    assert responses(dispatcher) == ["utter_withdraw_failed"]
    assert slots(events) == {"stage": "confirm", "submission_key": KEY}


def test_an_attempt_counts_only_for_the_key_it_was_made_with() -> None:
    events = load_tracker("submit_failed_cancel").events
    assert submission_attempted(events, KEY) is True
    changed = [*events, {"event": "slot", "name": "submission_key", "value": "another"}]
    assert submission_attempted(changed, "another") is False
    assert submission_attempted(changed, KEY) is False
