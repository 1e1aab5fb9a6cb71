"""The complaint form's slot extraction and validation (validate_complaint_form)."""

from __future__ import annotations

from typing import Any

from conftest import load_tracker, responses, run_with_backend, slots, with_message
from fake_backend import FakeBackend
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import ValidateComplaintForm
from actions.location import ActionAskLocation


def run_form(
    tracker_name: str,
    domain: dict[str, Any],
    backend: FakeBackend | None = None,
    *,
    down: bool = False,
    **slot_overrides: Any,
) -> tuple[dict[str, Any], list[str], FakeBackend]:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker(tracker_name, **slot_overrides)
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await ValidateComplaintForm().run(dispatcher, tracker, domain)

    events = run_with_backend(fake, scenario, down=down)
    return slots(events), responses(dispatcher), fake


def test_rich_first_message_fills_description_and_category(domain):
    filled, said, _ = run_form("form_rich_first_message", domain)
    assert filled["description"] == "jln depan rmh bolong gede bgt min"
    assert filled["category"] == "jalan_rusak"
    assert said == []


def test_bare_first_message_leaves_description_to_ask(domain):
    filled, _, _ = run_form("form_bare_first_message", domain)
    assert "description" not in filled


def run_on(tracker: Any, domain: dict[str, Any]) -> dict[str, Any]:
    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await ValidateComplaintForm().run(CollectingDispatcher(), tracker, domain)

    return slots(run_with_backend(FakeBackend(), scenario))


def test_a_long_opening_without_a_problem_is_not_the_description(domain):
    text = "hi, I would like to report an issue please"
    opening = with_message("form_bare_first_message", text, "report_complaint")
    opening.latest_message["problem_confidence"] = 0.1
    assert "description" not in run_on(opening, domain)
    described = with_message("form_bare_first_message", text, "report_complaint")
    described.latest_message["problem_confidence"] = 0.9
    assert run_on(described, domain)["description"] == text


def test_skipping_photo_is_asked_once_more_when_category_needs_one(domain):
    filled, said, _ = run_form("form_skip_photo", domain)
    assert filled["photo"] is None
    assert filled["photo_reminded"] is True
    assert said == ["utter_photo_required"]


def test_skipping_photo_again_after_the_reminder_is_accepted(domain):
    filled, said, _ = run_form("form_skip_photo", domain, photo_reminded=True)
    assert filled["photo"] == "lewati"
    assert said == []


def test_skipping_photo_is_accepted_for_other_categories(domain):
    filled, said, _ = run_form("form_skip_photo", domain, category="sampah")
    assert filled["photo"] == "lewati"
    assert filled["photo_ids"] == []
    assert said == []


def test_shared_photo_is_kept_in_photo_ids(domain):
    filled, _, _ = run_form("form_share_photo", domain)
    assert filled["photo"] == "ph_1"
    assert filled["photo_ids"] == ["ph_1"]


def test_pin_inside_jakarta_records_kelurahan(domain):
    backend = FakeBackend(
        routes={
            "GET /api/v1/places/reverse": [
                (
                    200,
                    {
                        "inside_jakarta": True,
                        "kelurahan": "Bangka",
                        "kecamatan": "Mampang Prapatan",
                        "kota": "Kota Administrasi Jakarta Selatan",
                        "kelurahan_code": "31.74.06.1003",
                    },
                )
            ]
        }
    )
    filled, said, fake = run_form("form_share_location", domain, backend)
    assert filled["location"] == "pin"
    assert filled["kelurahan"] == "Bangka"
    assert said == ["utter_location_found"]
    call = fake.calls("GET", "/api/v1/places/reverse")[0]
    assert call.query == {"lat": "-6.2443", "lon": "106.8003"}
    assert call.headers["Authorization"] == "Bearer test-token"


def test_pin_outside_jakarta_is_rejected_and_asked_again(domain):
    backend = FakeBackend(routes={"GET /api/v1/places/reverse": [(200, {"inside_jakarta": False})]})
    filled, said, _ = run_form("form_share_location", domain, backend)
    assert filled["location"] is None
    assert said == ["utter_location_outside_jakarta"]


def test_pin_is_kept_when_places_lookup_is_down(domain):
    filled, said, _ = run_form("form_share_location", domain, down=True)
    assert filled["location"] == "pin"
    assert said == []


def place(code: str, kelurahan: str, kecamatan: str, score: float) -> dict[str, Any]:
    return {
        "kelurahan_code": code,
        "kelurahan": kelurahan,
        "kecamatan": kecamatan,
        "kota": "Kota Administrasi Jakarta Selatan",
        "latitude": -6.26,
        "longitude": 106.82,
        "score": score,
        "matched": kelurahan.lower(),
    }


BANGKA = place("31.74.06.1003", "Bangka", "Mampang Prapatan", 0.9)
PELA = place("31.74.06.1004", "Pela Mampang", "Mampang Prapatan", 0.6)
KEMANG = place("31.74.05.1001", "Bangka Utara", "Kebayoran Baru", 0.58)


def test_typed_address_sends_the_clear_kelurahan_and_no_point(domain):
    backend = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [BANGKA], "clear": True})]}
    )
    filled, said, fake = run_form("form_typed_address", domain, backend)
    assert filled["location"] == filled["address"] == "di jl. kemang raya no 5 bangka"
    assert filled["kelurahan"] == "Bangka"
    assert filled["kelurahan_code"] == "31.74.06.1003"
    # The kelurahan's representative point is not the problem's place.
    assert (filled["latitude"], filled["longitude"]) == (None, None)
    assert said == []
    assert fake.calls("GET", "/api/v1/places/search")[0].query == {
        "q": "di jl. kemang raya no 5 bangka"
    }


def test_unclear_typed_place_keeps_the_address_and_offers_candidates(domain):
    backend = FakeBackend(
        routes={
            "GET /api/v1/places/search": [
                (200, {"candidates": [BANGKA, PELA, KEMANG, BANGKA], "clear": False})
            ]
        }
    )
    filled, said, _ = run_form("form_typed_address", domain, backend)
    assert filled["location"] is None
    assert filled["address"] == "di jl. kemang raya no 5 bangka"
    assert [o["code"] for o in filled["place_options"]] == [
        "31.74.06.1003",
        "31.74.06.1004",
        "31.74.05.1001",
    ]
    assert said == []  # action_ask_location asks


def test_a_chosen_kelurahan_button_fills_the_location(domain):
    options = [{"code": "31.74.06.1004", "kelurahan": "Pela Mampang", "kecamatan": "Mampang"}]
    dispatcher = CollectingDispatcher()
    tracker = with_message(
        "form_typed_address",
        '/choose_place{"kelurahan_code": "31.74.06.1004"}',
        "choose_place",
        [{"entity": "kelurahan_code", "value": "31.74.06.1004"}],
        location="place",
        address="jl. kemang raya",
        place_options=options,
    )

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await ValidateComplaintForm().validate_location("place", dispatcher, tracker, domain)

    filled = run_with_backend(None, scenario)
    assert filled == {
        "location": "jl. kemang raya",
        "kelurahan": "Pela Mampang",
        "kelurahan_code": "31.74.06.1004",
        "place_options": None,
    }


def test_a_stale_kelurahan_button_asks_again(domain):
    dispatcher = CollectingDispatcher()
    tracker = with_message(
        "form_typed_address",
        '/choose_place{"kelurahan_code": "31.71.01.1001"}',
        "choose_place",
        [{"entity": "kelurahan_code", "value": "31.71.01.1001"}],
        address="jl. kemang raya",
        place_options=[],
    )

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await ValidateComplaintForm().validate_location("place", dispatcher, tracker, domain)

    assert run_with_backend(None, scenario) == {"location": None}


def ask_location(domain: dict[str, Any], **slot_overrides: Any) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker("form_typed_address", **slot_overrides)
    run_with_backend(None, lambda _: ActionAskLocation().run(dispatcher, tracker, domain))
    return dispatcher


def test_location_question_without_options_is_the_usual_one(domain):
    dispatcher = ask_location(domain)
    assert responses(dispatcher) == ["utter_ask_location"]


def test_location_question_with_options_has_a_button_per_kelurahan_and_the_pin(domain):
    options = [
        {"code": "31.74.06.1003", "kelurahan": "Bangka", "kecamatan": "Mampang Prapatan"},
        {"code": "31.74.05.1001", "kelurahan": "Bangka Utara", "kecamatan": "Kebayoran Baru"},
    ]
    dispatcher = ask_location(domain, place_options=options, address="jl. kemang raya")
    [message] = dispatcher.messages
    assert message["utter_action"] == "utter_place_unclear"
    assert '"jl. kemang raya"' in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        '/choose_place{"kelurahan_code": "31.74.06.1003"}',
        '/choose_place{"kelurahan_code": "31.74.05.1001"}',
        '/correct{"field": "location"}',
    ]
    assert message["buttons"][0]["title"] == "Bangka, Kec. Mampang Prapatan"


def test_an_old_button_pressed_in_the_form_is_not_a_description(domain):
    dispatcher = CollectingDispatcher()
    tracker = with_message(
        "form_bare_first_message",
        '/confirm_resolution{"ticket_id": "JKT-7K3M-Q9XA"}',
        "confirm_resolution",
        requested_slot="description",
    )

    async def scenario(_: FakeBackend) -> dict[str, Any]:
        return await ValidateComplaintForm().extract_description(dispatcher, tracker, domain)

    assert run_with_backend(None, scenario) == {}


def test_the_form_forgets_a_pending_resolution_question(domain):
    filled, _, _ = run_form(
        "form_rich_first_message", domain, feedback_ticket="JKT-7K3M-Q9XA", feedback_stage=None
    )
    assert filled["feedback_ticket"] is None


def test_typed_address_without_match_is_kept_as_typed(domain):
    backend = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [], "clear": False})]}
    )
    filled, _, _ = run_form("form_typed_address", domain, backend)
    assert filled["location"] == filled["address"] == "di jl. kemang raya no 5 bangka"
    assert filled["latitude"] is None
    assert filled["kelurahan_code"] is None


def test_too_short_address_is_asked_again(domain):
    filled, said, _ = run_typed("form_typed_address", domain, "sini", "inform")
    assert filled["location"] is None
    assert said == ["utter_location_unclear"]


def run_typed(
    tracker_name: str,
    domain: dict[str, Any],
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    backend: FakeBackend | None = None,
    **slot_overrides: Any,
) -> tuple[dict[str, Any], list[str], FakeBackend]:
    """The form run on a saved tracker whose latest message is `text`."""
    dispatcher = CollectingDispatcher()
    tracker = with_message(tracker_name, text, intent, entities, **slot_overrides)
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await ValidateComplaintForm().run(dispatcher, tracker, domain)

    events = run_with_backend(fake, scenario)
    return slots(events), responses(dispatcher), fake
