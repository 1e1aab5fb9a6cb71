"""The complaint form's slot extraction and validation (validate_complaint_form)."""

from __future__ import annotations

from typing import Any

from conftest import load_tracker, responses, run_with_backend, slots
from fake_backend import FakeBackend
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import ValidateComplaintForm


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


def test_skipping_photo_is_refused_when_category_needs_one(domain):
    filled, said, _ = run_form("form_skip_photo", domain)
    assert filled["photo"] is None
    assert said == ["utter_photo_required"]


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


def test_typed_address_takes_best_place_candidate(domain):
    candidate = {
        "kelurahan_code": "31.74.06.1003",
        "kelurahan": "Bangka",
        "kecamatan": "Mampang Prapatan",
        "kota": "Kota Administrasi Jakarta Selatan",
        "latitude": -6.26,
        "longitude": 106.82,
        "score": 0.9,
    }
    backend = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [candidate]})]}
    )
    filled, _, fake = run_form("form_typed_address", domain, backend)
    assert filled["address"] == "di jl. kemang raya no 5 bangka"
    assert filled["kelurahan"] == "Bangka"
    assert (filled["latitude"], filled["longitude"]) == (-6.26, 106.82)
    assert fake.calls("GET", "/api/v1/places/search")[0].query == {
        "q": "di jl. kemang raya no 5 bangka"
    }


def test_typed_address_without_match_is_kept_as_typed(domain):
    backend = FakeBackend(routes={"GET /api/v1/places/search": [(200, {"candidates": []})]})
    filled, _, _ = run_form("form_typed_address", domain, backend)
    assert filled["address"] == "di jl. kemang raya no 5 bangka"
    assert filled["latitude"] is None


def test_too_short_address_is_asked_again(domain):
    filled, said, _ = run_form("form_typed_address", domain, location="sini")
    assert filled["location"] is None
    assert said == ["utter_location_unclear"]
