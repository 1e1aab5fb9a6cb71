"""The complaint form: slot extraction and validation, summary, submission."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories, latest, location, lost_answer
from actions.feedback_state import forget_feedback
from actions.questions import utter_raw

logger = logging.getLogger(__name__)

DESCRIPTION_MAX = 5000  # the backend's limit
# Messages that interrupt the form instead of answering it.
INTERRUPTIONS = frozenset(
    {"cancel", "emergency", "request_human", "help", "correct", "check_status", "out_of_scope"}
)
# Small talk inside the form is answered by the rules, never taken as an answer.
CHITCHAT = frozenset({"greet", "thank", "goodbye", "wait"})
# Sent by the gateway or by buttons: never a description.
GATEWAY_INTENTS = frozenset(
    {
        "share_photo",
        "share_location",
        "choose_category",
        "choose_place",
        "skip",
        "confirm_resolution",
        "reject_resolution",
        "rate",
    }
)
NO_PHOTO_WORDS = (
    "lewati",
    "skip",
    "ga ada",
    "gak ada",
    "gk ada",
    "nggak ada",
    "ngga ada",
    "enggak ada",
    "tidak ada",
    "tdk ada",
    "gada",
    "engga",
    "ga punya",
    "gak punya",
    "tidak punya",
    "ga sempet",
    "gak sempat",
    "tanpa foto",
    "ga usah foto",
    "gak usah foto",
    "ga bisa foto",
    "gak bisa foto",
    "tidak bisa foto",
)
# Slots a complaint is made of; cleared after it is filed or cancelled.
COMPLAINT_SLOTS = (
    "category",
    "category_ranking",
    "category_more",
    "description",
    "photo",
    "photo_ids",
    "photo_reminded",
    "location",
    "latitude",
    "longitude",
    "address",
    "kelurahan",
    "kelurahan_code",
    "place_options",
    "field",
    "stage",
    "submission_key",
    "duplicate_ticket",
)
FIELD_SLOTS = {
    "category": ("category", "category_more"),
    "description": ("description",),
    "photo": ("photo", "photo_ids"),
    "location": (
        "location",
        "latitude",
        "longitude",
        "address",
        "kelurahan",
        "kelurahan_code",
        "place_options",
    ),
}


def _is_rich_report(tracker: Tracker) -> bool:
    """Whether the first message already describes the problem ("got mampet")."""
    message = tracker.latest_message
    if latest.intent(tracker) not in {"report_complaint", "inform", "nlu_fallback"}:
        return False
    if categories.named(message, categories.AUTO_CONFIDENCE):
        return True
    long_enough = len(str(message.get("text") or "").split()) >= 6
    return long_enough and categories.describes_a_problem(message) is not False


def _may_answer(tracker: Tracker) -> bool:
    """Whether the latest message can be the answer to a form question at all."""
    intent = latest.intent(tracker)
    return intent not in INTERRUPTIONS and intent not in CHITCHAT and intent not in GATEWAY_INTENTS


def is_photo_refusal(text: str) -> bool:
    """ "ga ada foto", "fotonya ga ada, petugasnya liat sendiri aja", "skip"."""
    lowered = f" {text.lower()} "
    return any(f" {word} " in lowered or f" {word}," in lowered for word in NO_PHOTO_WORDS)


def reset_complaint() -> list[EventType]:
    return [SlotSet(slot, None) for slot in COMPLAINT_SLOTS]


class ValidateComplaintForm(FormValidationAction):
    """Fills and checks category, description, photo and location, in any order."""

    def name(self) -> str:
        return "validate_complaint_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = await super().run(dispatcher, tracker, domain)
        # A new report moves on from any "Sudah beres?" still pending.
        return events + forget_feedback(tracker)

    async def extract_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest.text(tracker).strip()
        if not text or not _may_answer(tracker):
            return {}
        asked = tracker.get_slot("requested_slot") == "description"
        if asked or (tracker.get_slot("description") is None and _is_rich_report(tracker)):
            return {"description": text}
        return {}

    async def extract_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        message = tracker.latest_message
        if tracker.get_slot("requested_slot") == "category":
            # Only something that maps to a category is an answer.
            if latest.intent(tracker) == "choose_category" or not _may_answer(tracker):
                return {}
            code = (
                categories.entity_code(message)
                or categories.to_code(latest.text(tracker))
                or categories.confident(message, categories.ANSWER_CONFIDENCE)
            )
            if code is None:
                dispatcher.utter_message(response="utter_category_unknown")
            return {"category": code}
        if tracker.get_slot("category") is not None or not _may_answer(tracker):
            return {}
        if tracker.get_slot("description") is None and not _is_rich_report(tracker):
            return {}
        # A confident classifier names the category of a description without asking.
        code = categories.named(message, categories.AUTO_CONFIDENCE)
        if code is None and not categories.ranking(message):
            # No classifier ranking (an older model): a known word in the text.
            code = categories.from_message([], latest.text(tracker), latest.intent(tracker))
        return {"category": code} if code else {}

    async def extract_photo(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Photos and "Lewati" come from the domain's mappings; here a typed answer.
        if tracker.get_slot("requested_slot") != "photo" or not _may_answer(tracker):
            return {}
        if latest.intent(tracker) in {"share_photo", "skip"}:
            return {}
        return {"photo": latest.text(tracker).strip() or None}

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Pins and kelurahan buttons come from the domain's mappings.
        if not _may_answer(tracker) or latest.intent(tracker) == "choose_place":
            return {}
        if tracker.get_slot("requested_slot") == "location":
            # The whole typed answer, not the CRF's span: street, number and
            # RT/RW are what the officer needs.
            return {"location": latest.text(tracker).strip() or None}
        span = latest.entity(tracker, "location")
        if (
            span
            and tracker.get_slot("location") is None
            and tracker.get_slot("requested_slot") in {None, "description"}
            and _is_rich_report(tracker)
        ):
            return {"location": str(span)}  # kept only when the search is clear
        return {}

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The citizen's own words are what the complaint stores, never normalised.
        text = str(value or "").strip()
        if not text:
            return {"description": None}
        # The classifier's ranking of the description, for the category question.
        ranked = categories.ranked_codes(tracker.latest_message)
        return {"description": text[:DESCRIPTION_MAX], "category_ranking": ranked or None}

    def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == categories.MORE:  # "Lainnya": show the other categories
            return {"category": None, "category_more": True}
        code = categories.to_code(str(value) if value is not None else None)
        return {
            "category": code,
            "category_more": None if code else tracker.get_slot("category_more"),
        }

    def validate_photo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        photo_ids = list(tracker.get_slot("photo_ids") or [])
        intent = latest.intent(tracker)
        if intent == "share_photo" and value:
            if value not in photo_ids:
                photo_ids.append(str(value))
            return {"photo": str(value), "photo_ids": photo_ids[:10]}
        if photo_ids:  # a photo came earlier; later text does not undo it
            return {"photo": photo_ids[-1], "photo_ids": photo_ids}
        if not (intent in {"skip", "deny"} or value == "lewati" or is_photo_refusal(str(value))):
            dispatcher.utter_message(response="utter_photo_expected")
            return {"photo": None}
        category = tracker.get_slot("category")
        if category in categories.PHOTO_REQUIRED and not tracker.get_slot("photo_reminded"):
            # Asked once more, since officers can hardly verify these without one;
            # a citizen who has none can still file on the second "tidak ada".
            dispatcher.utter_message(
                response="utter_photo_required", category_label=categories.label(category)
            )
            return {"photo": None, "photo_reminded": True}
        return {"photo": "lewati", "photo_ids": []}

    async def validate_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if latest.intent(tracker) == "choose_place":
            return location.chosen_place(tracker)
        if value == "pin" or latest.intent(tracker) == "share_location":
            return await location.validate_pin(dispatcher, tracker)
        asked = tracker.get_slot("requested_slot") == "location"
        if not asked and value and value == tracker.get_slot("address"):
            return {"location": value}  # searched already (a correction with the place)
        return await location.validate_typed(str(value or ""), dispatcher, asked=asked)


class ActionCorrectField(Action):
    """Changes the field the citizen wants to change.

    When the same message carries the new value ("salah, maksud saya parkir
    liar", "alamatnya jl mawar 3 gandaria utara") it is taken at once and the
    form goes back where it was (or to the summary); otherwise the field is
    cleared and the form asks it again.
    """

    def name(self) -> str:
        return "action_correct_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = tracker.get_slot("field") or latest.entity(tracker, "field")
        events: list[EventType] = [
            SlotSet("field", None),
            SlotSet("stage", None),
            # The form changes, so a new idempotency key goes with it.
            SlotSet("submission_key", None),
            SlotSet("duplicate_ticket", None),
            SlotSet("correction", None),
        ]
        if field not in FIELD_SLOTS:
            utter_raw(dispatcher, domain, "utter_ask_what_to_change")
            return events
        events += [SlotSet(slot, None) for slot in FIELD_SLOTS[str(field)]]
        new_value = await _new_value(str(field), dispatcher, tracker)
        return events + [SlotSet(slot, value) for slot, value in new_value.items()]


async def _new_value(
    field: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The corrected field's new value when the correction message carries one."""
    message = tracker.latest_message
    # Set by action_interruption_guard when it read the correction again.
    carried = tracker.get_slot("correction") or {}
    if field == "category":
        code = carried.get("category") or categories.named(message, categories.ANSWER_CONFIDENCE)
        return {"category": code} if code else {}
    if field == "location":
        span = carried.get("location") or latest.entity(tracker, "location")
        if not span:
            return {}
        found = await location.validate_typed(str(span), dispatcher)
        return {key: value for key, value in found.items() if value is not None}
    return {}


class ActionCancelComplaint(Action):
    """Drops the complaint being written and leaves the form; after a filing whose
    answer was lost, first finds out whether it was stored (lost_answer.py)."""

    def name(self) -> str:
        return "action_cancel_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        settled = await lost_answer.settle(dispatcher, tracker)
        if settled is lost_answer.Settled.OFFERED:
            key = tracker.get_slot("submission_key")
            # At the summary no form is active: the summary stays, nothing is reset.
            return [ActiveLoop(None), SlotSet("stage", "confirm"), SlotSet("submission_key", key)]
        if settled is lost_answer.Settled.NOT_FILED:
            dispatcher.utter_message(response="utter_complaint_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *reset_complaint()]
