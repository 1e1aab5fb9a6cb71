"""Digressions inside the complaint form (issue 11): what a message beside the
question does, and what it must never be stored as."""

from __future__ import annotations

from typing import Any

from conftest import responses, run_with_backend, slots, with_message
from fake_backend import FakeBackend
from rasa_sdk.executor import CollectingDispatcher
from test_complaint_form import BANGKA, run_typed

from actions.complaint import ActionCorrectField
from actions.digressions import (
    ActionInformWithoutContext,
    ActionInterruptionGuard,
    ActionResumeStage,
)
from actions.questions import ActionAskCategory

RANKING = [
    {"name": "penerangan_jalan", "confidence": 0.41},
    {"name": "lalu_lintas", "confidence": 0.33},
    {"name": "pohon", "confidence": 0.12},
    {"name": "sampah", "confidence": 0.02},
]


def run_action(
    action: Any, tracker: Any, domain: dict[str, Any], backend: FakeBackend | None = None
):
    dispatcher = CollectingDispatcher()
    events = run_with_backend(backend, lambda _: action.run(dispatcher, tracker, domain))
    return events, dispatcher


def message(
    text: str, intent: str, entities: list[dict[str, Any]] | None = None, **extra: Any
) -> tuple[str, str, list[dict[str, Any]]]:
    return text, intent, entities or []


# --- item 2: nothing typed at a slot is stored unless it looks like one ---


def test_a_cancel_typed_at_the_location_question_is_not_an_address(domain):
    filled, said, fake = run_typed(
        "form_typed_address", domain, "stop aja, saya lapor ke RT langsung", "inform"
    )
    assert filled["location"] is None
    assert "address" not in filled or filled["address"] is None
    assert said == ["utter_cancel_offer"]
    assert fake.calls("GET", "/api/v1/places/search") == []


def test_a_bare_yes_at_the_location_question_is_not_an_address(domain):
    filled, said, _ = run_typed("form_typed_address", domain, "iya betul", "inform")
    assert filled["location"] is None
    assert said == ["utter_location_unclear"]


def test_a_photo_refusal_mentioning_an_officer_is_read_again_as_skip(domain):
    tracker = with_message(
        "form_skip_photo", "ga ada foto, petugasnya liat sendiri aja", "request_human"
    )
    events, _ = run_action(ActionInterruptionGuard(), tracker, domain)
    assert [e["event"] for e in events] == ["rewind", "user"]
    assert events[1]["parse_data"]["intent"]["name"] == "skip"
    assert events[1]["text"] == "ga ada foto, petugasnya liat sendiri aja"


def test_the_refusal_read_as_skip_skips_the_photo(domain):
    filled, said, _ = run_typed(
        "form_skip_photo", domain, "ga ada foto, petugasnya liat sendiri aja", "skip",
        category="sampah",
    )  # fmt: skip
    assert filled["photo"] == "lewati"
    assert said == []


def test_a_real_request_for_an_officer_is_left_to_the_handoff(domain):
    tracker = with_message("form_skip_photo", "saya mau ngomong sama petugas aja", "request_human")
    events, _ = run_action(ActionInterruptionGuard(), tracker, domain)
    assert events == []


def test_a_real_cancel_at_the_photo_question_stays_a_cancel(domain):
    tracker = with_message("form_skip_photo", "ga ada foto, batal aja deh", "cancel")
    events, _ = run_action(ActionInterruptionGuard(), tracker, domain)
    assert events == []


def test_a_category_answer_must_map_to_a_category(domain):
    filled, said, _ = run_typed(
        "form_bare_first_message", domain, "hmm apa ya", "inform",
        requested_slot="category", description="lampu mati",
    )  # fmt: skip
    assert filled["category"] is None
    assert said == ["utter_category_unknown"]


def test_a_typed_category_answer_is_mapped_by_its_words(domain):
    filled, _, _ = run_typed(
        "form_bare_first_message", domain, "yg soal jukir liar itu", "inform",
        requested_slot="category", description="mobil di trotoar",
    )  # fmt: skip
    assert filled["category"] == "parkir_liar"


def test_wait_is_never_taken_as_the_pending_answer(domain):
    from actions.complaint import ValidateComplaintForm

    dispatcher = CollectingDispatcher()
    tracker = with_message("form_skip_photo", "bentar ya", "wait")
    form = ValidateComplaintForm()
    for extract in (form.extract_photo, form.extract_location, form.extract_description):
        assert run_with_backend(None, lambda _, e=extract: e(dispatcher, tracker, domain)) == {}
    assert dispatcher.messages == []


# --- item 1: corrections take the new value from the same message ---


def test_a_correction_naming_a_category_is_read_again_with_its_field(domain):
    tracker = with_message(
        "form_skip_photo",
        "salah, maksud saya lampu taman",
        "correct",
        [{"entity": "category", "value": "pohon"}],
    )
    events, _ = run_action(ActionInterruptionGuard(), tracker, domain)
    entities = events[1]["parse_data"]["entities"]
    # The rules match the field alone; the new value travels in a slot.
    assert [(e["entity"], e["value"]) for e in entities] == [("field", "category")]
    assert slots(events)["correction"] == {"category": "pohon"}


def test_a_correction_with_a_confident_ranking_sets_the_category(domain):
    tracker = with_message(
        "form_skip_photo",
        "salah, maksud saya parkir liar",
        "correct",
        [{"entity": "field", "value": "category"}],
    )
    tracker.latest_message["category_ranking"] = [
        {"name": "parkir_liar", "confidence": 0.7},
        {"name": "pkl", "confidence": 0.2},
    ]
    events, _ = run_action(ActionCorrectField(), tracker, domain)
    assert slots(events)["category"] == "parkir_liar"


def test_a_correction_without_a_value_clears_the_field(domain):
    tracker = with_message(
        "summary_confirm",
        "kategorinya salah",
        "correct",
        [{"entity": "field", "value": "category"}],
    )
    events, _ = run_action(ActionCorrectField(), tracker, domain)
    assert slots(events)["category"] is None
    assert slots(events)["stage"] is None


def test_a_corrected_address_is_searched_again(domain):
    backend = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [BANGKA], "clear": True})]}
    )
    tracker = with_message(
        "summary_confirm",
        "alamatnya jl mawar 3 gandaria utara",
        "correct",
        [
            {"entity": "field", "value": "location"},
            {"entity": "location", "value": "jl mawar 3 gandaria utara"},
        ],
    )
    events, _ = run_action(ActionCorrectField(), tracker, domain, backend)
    filled = slots(events)
    assert filled["location"] == filled["address"] == "jl mawar 3 gandaria utara"
    assert filled["kelurahan_code"] == BANGKA["kelurahan_code"]
    assert filled["submission_key"] is None


def test_a_plain_correction_is_not_read_again(domain):
    tracker = with_message("form_skip_photo", "salah", "correct")
    events, _ = run_action(ActionInterruptionGuard(), tracker, domain)
    assert events == []


# --- summary and nearby-report offer: asked again after a digression ---


def test_the_summary_is_shown_again_with_the_same_key(domain):
    tracker = with_message("summary_confirm", "makasih", "thank", stage="confirm")
    key = tracker.get_slot("submission_key")
    events, dispatcher = run_action(ActionResumeStage(), tracker, domain)
    assert responses(dispatcher) == ["utter_complaint_summary"]
    assert slots(events)["stage"] == "confirm"
    assert slots(events)["submission_key"] == (key or slots(events)["submission_key"])


def test_the_nearby_report_offer_is_asked_again(domain):
    tracker = with_message(
        "summary_confirm",
        "halo",
        "greet",
        stage="duplicate_offer",
        duplicate_ticket="JKT-7K3M-Q9XA",
    )
    events, dispatcher = run_action(ActionResumeStage(), tracker, domain)
    assert responses(dispatcher) == ["utter_duplicate_again"]
    assert events == []


# --- item 3: the category question ---


def test_a_confident_description_sets_the_category_without_asking(domain):
    tracker_text = "mobil pada nangkring di trotoar depan ruko tiap sore"
    dispatcher = CollectingDispatcher()
    tracker = with_message(
        "form_bare_first_message", tracker_text, "report_complaint", requested_slot="description"
    )
    tracker.latest_message["category_ranking"] = [
        {"name": "parkir_liar", "confidence": 0.91},
        {"name": "pkl", "confidence": 0.05},
    ]
    from actions.complaint import ValidateComplaintForm

    events = run_with_backend(
        None, lambda _: ValidateComplaintForm().run(dispatcher, tracker, domain)
    )
    filled = slots(events)
    assert filled["description"] == tracker_text
    assert filled["category"] == "parkir_liar"
    assert filled["category_ranking"] == ["parkir_liar", "pkl"]


def test_an_unsure_description_keeps_its_ranking_and_leaves_the_category(domain):
    dispatcher = CollectingDispatcher()
    tracker = with_message(
        "form_bare_first_message",
        "lampunya mati terus tiap malem di perempatan",
        "report_complaint",
        requested_slot="description",
    )
    tracker.latest_message["category_ranking"] = RANKING
    from actions.complaint import ValidateComplaintForm

    events = run_with_backend(
        None, lambda _: ValidateComplaintForm().run(dispatcher, tracker, domain)
    )
    filled = slots(events)
    assert "category" not in filled
    assert filled["category_ranking"] == ["penerangan_jalan", "lalu_lintas", "pohon", "sampah"]


def test_the_category_question_offers_the_description_top_three(domain):
    tracker = with_message(
        "form_bare_first_message", "x", "inform",
        category_ranking=["penerangan_jalan", "lalu_lintas", "pohon", "sampah"],
    )  # fmt: skip
    _, dispatcher = run_action(ActionAskCategory(), tracker, domain)
    [asked] = dispatcher.messages
    assert [b["title"] for b in asked["buttons"]] == [
        "Lampu Penerangan Jalan",
        "Lalu Lintas",
        "Pohon & Taman",
        "Lainnya",
    ]


def test_lainnya_shows_the_other_categories(domain):
    from actions.complaint import ValidateComplaintForm

    pressed = with_message(
        "form_bare_first_message", '/choose_category{"category": "more"}', "choose_category",
        [{"entity": "category", "value": "more"}], requested_slot="category",
    )  # fmt: skip
    filled = ValidateComplaintForm().validate_category(
        "more", CollectingDispatcher(), pressed, domain
    )
    assert filled["category"] is None
    assert filled["category_more"] is True
    tracker = with_message(
        "form_bare_first_message", "x", "inform",
        category_more=True, category_ranking=["penerangan_jalan", "lalu_lintas", "pohon"],
    )  # fmt: skip
    _, dispatcher = run_action(ActionAskCategory(), tracker, domain)
    [asked] = dispatcher.messages
    codes = [b["payload"].split('"')[3] for b in asked["buttons"]]
    assert asked["utter_action"] == "utter_category_more"
    assert len(codes) == 16
    assert not {"penerangan_jalan", "lalu_lintas", "pohon"} & set(codes)
    assert codes[-1] == "lainnya"


# --- item 4: a clear complaint without "lapor" ---


def test_a_clear_complaint_out_of_context_starts_the_report(domain):
    text = "jembatan kayu di kampung kami goyang2 kalau dilewatin, udah sebulan"
    tracker = with_message("form_bare_first_message", text, "inform")
    events, dispatcher = run_action(ActionInformWithoutContext(), tracker, domain)
    assert dispatcher.messages == []
    assert events[1]["parse_data"]["intent"]["name"] == "report_complaint"


def test_a_bare_address_out_of_context_offers_a_report(domain):
    tracker = with_message(
        "form_bare_first_message",
        "di jl kemang raya no 5",
        "inform",
        [{"entity": "location", "value": "jl kemang raya no 5"}],
    )
    events, dispatcher = run_action(ActionInformWithoutContext(), tracker, domain)
    assert events == []
    assert responses(dispatcher) == ["utter_inform_without_context"]


def test_no_photo_after_a_clear_complaint_is_the_photo_answer(domain):
    filled, said, _ = run_typed(
        "form_skip_photo", domain, "ga ada foto", "deny", category="saluran_air"
    )
    assert filled["photo"] == "lewati"
    assert said == []


# --- item 5: typed addresses ---

FULL = "jl. kenanga no 12, rt 04/rw 09, kel. Pondok Labu, Cilandak"


def test_the_whole_typed_address_is_searched_and_stored(domain):
    backend = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [BANGKA], "clear": True})]}
    )
    filled, _, fake = run_typed(
        "form_typed_address", domain, FULL, "inform",
        [{"entity": "location", "value": "Cilandak"}], backend,
    )  # fmt: skip
    assert filled["address"] == filled["location"] == FULL
    assert filled["kelurahan"] == "Bangka"
    assert fake.calls("GET", "/api/v1/places/search")[0].query == {"q": FULL}


def test_a_place_in_the_first_message_prefills_only_when_clear(domain):
    text = "got mampet di jl. kemang raya no 5 bangka udah seminggu bau"
    span = [{"entity": "location", "value": "jl. kemang raya no 5 bangka"}]
    clear = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [BANGKA], "clear": True})]}
    )
    filled, _, _ = run_typed(
        "form_bare_first_message", domain, text, "report_complaint", span, clear
    )
    assert filled["location"] == filled["address"] == "jl. kemang raya no 5 bangka"
    unclear = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [BANGKA], "clear": False})]}
    )
    filled, said, _ = run_typed(
        "form_bare_first_message", domain, text, "report_complaint", span, unclear
    )
    assert filled["location"] is None
    assert not filled.get("place_options")
    assert said == []


def test_a_bare_area_in_the_first_message_is_asked_for_not_kept(domain):
    text = "jpo deket halte busway cawang lantainya jebol"
    span = [{"entity": "location", "value": "cawang"}]
    clear = FakeBackend(
        routes={"GET /api/v1/places/search": [(200, {"candidates": [BANGKA], "clear": True})]}
    )
    filled, said, fake = run_typed(
        "form_bare_first_message", domain, text, "report_complaint", span, clear
    )
    assert filled.get("location") is None
    assert fake.calls("GET", "/api/v1/places/search") == []
    assert said == []
