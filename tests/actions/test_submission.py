"""Summary, submission (idempotency, retries, outages), correction, cancel."""

from __future__ import annotations

from typing import Any

from conftest import load_tracker, responses, run_with_backend, slots
from fake_backend import FakeBackend, complaint_view
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import ActionCancelComplaint, ActionCorrectField
from actions.summary import ActionComplaintSummary, ActionSubmitComplaint, ActionSupportDuplicate

KEY = "5b0c3c1e-7d0a-4d55-9f5c-2f1a2f0e9a11"


def run_action(
    action: Action,
    tracker_name: str,
    backend: FakeBackend | None = None,
    *,
    down: bool = False,
    **slot_overrides: Any,
) -> tuple[list[dict[str, Any]], CollectingDispatcher, FakeBackend]:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker(tracker_name, **slot_overrides)
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await action.run(dispatcher, tracker, {})

    return run_with_backend(fake, scenario, down=down), dispatcher, fake


def test_summary_asks_to_confirm_with_a_new_idempotency_key():
    backend = FakeBackend(routes={"GET /api/v1/complaints/nearby": [(200, {"complaints": []})]})
    events, dispatcher, _ = run_action(ActionComplaintSummary(), "form_filled", backend)
    filled = slots(events)
    assert responses(dispatcher) == ["utter_complaint_summary"]
    assert filled["stage"] == "confirm"
    assert len(filled["submission_key"]) == 36
    message = dispatcher.messages[0]
    assert message["category_label"] == "Saluran Air"
    assert message["photo_count"] == 1


def test_summary_offers_an_open_nearby_report_first():
    nearby = [
        {
            "ticket_id": "JKT-AAAA-BBBB",
            "category": "saluran_air",
            "status": "selesai",
            "distance_m": 10.0,
            "supporters": 0,
        },
        {
            "ticket_id": "JKT-CCCC-DDDD",
            "category": "saluran_air",
            "status": "proses",
            "distance_m": 42.4,
            "supporters": 3,
        },
    ]
    backend = FakeBackend(routes={"GET /api/v1/complaints/nearby": [(200, {"complaints": nearby})]})
    events, dispatcher, fake = run_action(ActionComplaintSummary(), "form_filled", backend)
    assert responses(dispatcher) == ["utter_duplicate_found"]
    assert slots(events) == {"duplicate_ticket": "JKT-CCCC-DDDD", "stage": "duplicate_offer"}
    assert fake.calls("GET", "/api/v1/complaints/nearby")[0].query["category"] == "saluran_air"


def test_summary_skips_the_duplicate_offer_when_nearby_lookup_fails():
    _, dispatcher, _ = run_action(ActionComplaintSummary(), "form_filled", down=True)
    assert responses(dispatcher) == ["utter_complaint_summary"]


def test_supporting_the_duplicate_adds_the_citizen_and_clears_the_form():
    backend = FakeBackend(routes={"POST /api/v1/complaints/JKT-CCCC-DDDD/supporters": [(201, {})]})
    events, dispatcher, fake = run_action(
        ActionSupportDuplicate(), "summary_confirm", backend, duplicate_ticket="JKT-CCCC-DDDD"
    )
    assert responses(dispatcher) == ["utter_duplicate_supported"]
    assert fake.requests[0].body == {"channel": "telegram", "chat_id": "123"}
    assert slots(events)["category"] is None


def test_submission_sends_the_contract_body_key_and_token():
    backend = FakeBackend(routes={"POST /api/v1/complaints": [(201, complaint_view())]})
    events, dispatcher, fake = run_action(ActionSubmitComplaint(), "summary_confirm", backend)
    request = fake.calls("POST", "/api/v1/complaints")[0]
    assert request.headers["Idempotency-Key"] == KEY
    assert request.headers["Authorization"] == "Bearer test-token"
    assert request.body == {
        "category": "saluran_air",
        "description": "got mampet udh 3 hari, bau bgt",
        "channel": "telegram",
        "reporter_chat_id": "123",
        "latitude": -6.2443,
        "longitude": 106.8003,
        "address": None,
        "kelurahan_code": None,
        "photo_ids": ["ph_1"],
    }
    assert responses(dispatcher) == ["utter_complaint_filed", "utter_complaint_next_steps"]
    assert dispatcher.messages[0]["ticket_id"] == "JKT-7K3M-Q9XA"
    filled = slots(events)
    assert filled["stage"] is None
    assert filled["submission_key"] is None


def test_a_typed_place_is_sent_as_its_kelurahan_code_without_a_point():
    backend = FakeBackend(routes={"POST /api/v1/complaints": [(201, complaint_view())]})
    _, _, fake = run_action(
        ActionSubmitComplaint(),
        "summary_confirm",
        backend,
        latitude=None,
        longitude=None,
        address="jl. kemang raya no 5",
        kelurahan_code="31.74.06.1003",
    )
    body = fake.calls("POST", "/api/v1/complaints")[0].body
    assert (body["latitude"], body["longitude"]) == (None, None)
    assert body["address"] == "jl. kemang raya no 5"
    assert body["kelurahan_code"] == "31.74.06.1003"


def test_a_pin_is_sent_without_a_kelurahan_code():
    backend = FakeBackend(routes={"POST /api/v1/complaints": [(201, complaint_view())]})
    _, _, fake = run_action(
        ActionSubmitComplaint(), "summary_confirm", backend, kelurahan_code="31.74.06.1003"
    )
    body = fake.calls("POST", "/api/v1/complaints")[0].body
    assert body["latitude"] == -6.2443
    assert body["kelurahan_code"] is None


def test_submission_retries_a_5xx_with_the_same_key():
    backend = FakeBackend(
        routes={
            "POST /api/v1/complaints": [
                (503, {"detail": "busy", "code": "unavailable"}),
                (201, complaint_view()),
            ]
        }
    )
    _, dispatcher, fake = run_action(ActionSubmitComplaint(), "summary_confirm", backend)
    keys = [r.headers["Idempotency-Key"] for r in fake.calls("POST", "/api/v1/complaints")]
    assert keys == [KEY, KEY]
    assert responses(dispatcher)[0] == "utter_complaint_filed"


def test_backend_down_keeps_the_confirmed_form_and_its_key():
    events, dispatcher, _ = run_action(ActionSubmitComplaint(), "summary_confirm", down=True)
    assert responses(dispatcher) == ["utter_submit_failed"]
    assert slots(events) == {"stage": "confirm", "submission_key": KEY}


def test_point_outside_jakarta_asks_what_to_change():
    backend = FakeBackend(
        routes={
            "POST /api/v1/complaints": [(422, {"detail": "outside", "code": "outside_jakarta"})]
        }
    )
    events, dispatcher, fake = run_action(ActionSubmitComplaint(), "summary_confirm", backend)
    assert len(fake.requests) == 1  # a 4xx is an answer, not retried
    assert responses(dispatcher) == ["utter_location_outside_jakarta", "utter_ask_what_to_change"]
    assert slots(events)["stage"] == "confirm"


def test_correcting_location_clears_only_the_location_slots():
    events, dispatcher, _ = run_action(ActionCorrectField(), "summary_correct_location")
    filled = slots(events)
    for slot in ("location", "latitude", "longitude", "address", "kelurahan"):
        assert filled[slot] is None
    assert "category" not in filled
    assert filled["submission_key"] is None
    assert filled["stage"] is None
    assert responses(dispatcher) == []


def test_cancel_leaves_the_form_and_forgets_the_complaint():
    events, dispatcher, _ = run_action(ActionCancelComplaint(), "summary_confirm")
    assert responses(dispatcher) == ["utter_complaint_cancelled"]
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert slots(events)["description"] is None


def test_a_backend_slower_than_the_timeout_counts_as_down():
    import asyncio

    from aiohttp import web
    from aiohttp.test_utils import TestServer

    from actions.backend_client import BackendClient, BackendUnavailable

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(1.0)
        return web.json_response({})

    async def scenario() -> str:
        app = web.Application()
        app.router.add_get("/api/v1/complaints/JKT-7K3M-Q9XA", slow)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        client = BackendClient(str(server.make_url("")), "t", timeout=0.2, attempts=2, backoff=0)
        try:
            await client.get_complaint("JKT-7K3M-Q9XA")
        except BackendUnavailable as error:
            return str(error)
        finally:
            await client.close()
            await server.close()
        return "no error"

    assert asyncio.run(scenario()) == "TimeoutError"


def test_category_question_offers_three_and_lainnya_with_json_payloads(domain):
    from actions.questions import ActionAskCategory

    dispatcher = CollectingDispatcher()
    run_with_backend(
        None, lambda _: ActionAskCategory().run(dispatcher, load_tracker("form_filled"), domain)
    )
    message = dispatcher.messages[0]
    assert message["utter_action"] == "utter_category_question"
    assert message["text"]
    assert len(message["buttons"]) == 4
    assert message["buttons"][0]["payload"] == '/choose_category{"category": "sampah"}'
    assert message["buttons"][-1] == {
        "title": "Lainnya",
        "payload": '/choose_category{"category": "more"}',
    }
