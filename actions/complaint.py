"""The complaint form: slot extraction and validation, summary, submission."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories, latest
from actions.backend_client import (
    BackendError,
    BackendUnavailable,
    NewComplaint,
    PlaceCandidate,
    get_client,
)
from actions.feedback_state import forget_feedback
from actions.questions import utter_filled, utter_raw
from actions.sender import split_sender

logger = logging.getLogger(__name__)

DESCRIPTION_MAX = 5000  # the backend's limit
ADDRESS_MAX = 500
MIN_ADDRESS_CHARS = 5
# Messages that interrupt the form instead of answering it.
INTERRUPTIONS = frozenset(
    {"cancel", "emergency", "request_human", "help", "correct", "check_status", "out_of_scope"}
)
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
PLACE_OPTIONS = 3  # candidates offered as buttons when a typed place is not clear
NO_PHOTO_WORDS = ("lewati", "skip", "ga ada", "gak ada", "nggak ada", "tidak ada", "gada", "engga")
# Slots a complaint is made of; cleared after it is filed or cancelled.
COMPLAINT_SLOTS = (
    "category",
    "description",
    "photo",
    "photo_ids",
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
    "category": ("category",),
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
    if any(e.get("entity") == "category" for e in message.get("entities", [])):
        return True
    return len(str(message.get("text") or "").split()) >= 6


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
        intent = latest.intent(tracker)
        text = latest.text(tracker).strip()
        if not text or intent in INTERRUPTIONS or intent in GATEWAY_INTENTS:
            return {}
        if tracker.get_slot("requested_slot") == "description":
            return {"description": text}
        if tracker.get_slot("description") is None and _is_rich_report(tracker):
            return {"description": text}
        return {}

    async def extract_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Rasa's own mapping took a `category` entity already; when the message
        # has none, a known word in the description can still name the category.
        if tracker.get_slot("category") is not None:
            return {}
        if tracker.get_slot("requested_slot") == "category":
            return {}  # the typed answer is mapped by validate_category
        message = tracker.latest_message
        code = categories.from_message(
            message.get("entities", []), str(message.get("text") or ""), latest.intent(tracker)
        )
        return {"category": code} if code else {}

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The citizen's own words are what the complaint stores, never normalised.
        text = str(value or "").strip()
        if not text:
            return {"description": None}
        return {"description": text[:DESCRIPTION_MAX]}

    def validate_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code = categories.to_code(str(value) if value is not None else None)
        if code is None:
            if tracker.get_slot("requested_slot") == "category":
                dispatcher.utter_message(response="utter_category_unknown")
            return {"category": None}
        return {"category": code}

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
        wants_to_skip = intent in {"skip", "deny"} or any(
            word in str(value or "").lower() for word in NO_PHOTO_WORDS
        )
        if not wants_to_skip:
            dispatcher.utter_message(response="utter_photo_expected")
            return {"photo": None}
        category = tracker.get_slot("category")
        if category in categories.PHOTO_REQUIRED:
            dispatcher.utter_message(
                response="utter_photo_required", category_label=categories.label(category)
            )
            return {"photo": None}
        return {"photo": "lewati", "photo_ids": []}

    async def validate_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        client = get_client()
        latitude = tracker.get_slot("latitude")
        longitude = tracker.get_slot("longitude")
        if latest.intent(tracker) == "choose_place":
            return _chosen_place(tracker)
        if value == "pin" or latest.intent(tracker) == "share_location":
            if latitude is None or longitude is None:
                dispatcher.utter_message(response="utter_location_unclear")
                return {"location": None}
            try:
                place = await client.reverse_place(float(latitude), float(longitude))
            except (BackendUnavailable, BackendError):
                # Places lookup down: keep the pin, the backend routes it later.
                return {"location": "pin", "address": None, "kelurahan": None}
            if not place.get("inside_jakarta", True):
                dispatcher.utter_message(response="utter_location_outside_jakarta")
                # latitude/longitude stay: the next pin or address replaces them.
                return {"location": None}
            kelurahan = place.get("kelurahan")
            if kelurahan:
                dispatcher.utter_message(
                    response="utter_location_found",
                    kelurahan=kelurahan,
                    kecamatan=place.get("kecamatan") or "-",
                )
            # The backend finds the kelurahan from the pin itself.
            return {
                "location": "pin",
                "address": None,
                "kelurahan": kelurahan,
                "kelurahan_code": None,
                "place_options": None,
            }

        text = str(value or "").strip()
        if len(text) < MIN_ADDRESS_CHARS:
            dispatcher.utter_message(response="utter_location_unclear")
            return {"location": None}
        address = text[:ADDRESS_MAX]
        try:
            candidates, clear = await client.search_places(text)
        except (BackendUnavailable, BackendError):
            candidates, clear = [], True
        # A typed place is sent as its kelurahan, never as a point: the
        # kelurahan's representative point is not where the problem is, so
        # there are no coordinates and no nearby-duplicate check.
        typed = {"address": address, "latitude": None, "longitude": None}
        if candidates and not clear:
            # Asked with buttons by action_ask_location; the address is kept.
            options = [_option(c) for c in candidates[:PLACE_OPTIONS]]
            return {"location": None, **typed, "kelurahan": None, "place_options": options}
        best = candidates[0] if candidates else None
        # No kelurahan recognised: keep the citizen's address; officers triage it.
        return {
            "location": address,
            **typed,
            "kelurahan": best["kelurahan"] if best else None,
            "kelurahan_code": best["kelurahan_code"] if best else None,
            "place_options": None,
        }


def _option(candidate: PlaceCandidate) -> dict[str, str]:
    return {
        "code": candidate["kelurahan_code"],
        "kelurahan": candidate["kelurahan"],
        "kecamatan": candidate["kecamatan"],
    }


def _chosen_place(tracker: Tracker) -> dict[str, Any]:
    """The kelurahan button pressed after an unclear typed place."""
    code = latest.entity(tracker, "kelurahan_code")
    options = tracker.get_slot("place_options") or []
    chosen = next((o for o in options if o.get("code") == code), None)
    address = tracker.get_slot("address")
    if chosen is None or not address:
        return {"location": None}  # a stale button: the question is asked again
    return {
        "location": address,
        "kelurahan": chosen["kelurahan"],
        "kelurahan_code": chosen["code"],
        "place_options": None,
    }


class ActionAskLocation(Action):
    """The location question, or the kelurahan to choose when the typed place was unclear."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        options = tracker.get_slot("place_options") or []
        if not options:
            dispatcher.utter_message(response="utter_ask_location")
            return []
        buttons = [
            {
                "title": f"{o['kelurahan']}, Kec. {o['kecamatan']}"[:60],
                "payload": f'/choose_place{{"kelurahan_code": "{o["code"]}"}}',
            }
            for o in options
        ]
        utter_filled(
            dispatcher, domain, "utter_place_unclear",
            buttons_first=buttons, address=tracker.get_slot("address") or "",
        )  # fmt: skip
        return []


class ActionComplaintSummary(Action):
    """Shows what will be filed, offers a nearby duplicate, asks to confirm."""

    def name(self) -> str:
        return "action_complaint_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        category = tracker.get_slot("category")
        latitude = tracker.get_slot("latitude")
        longitude = tracker.get_slot("longitude")
        if (
            latitude is not None
            and longitude is not None
            and tracker.get_slot("duplicate_ticket") is None
            and category != "lainnya"
        ):
            duplicate = await _find_duplicate(float(latitude), float(longitude), str(category))
            if duplicate is not None:
                dispatcher.utter_message(
                    response="utter_duplicate_found",
                    ticket_id=duplicate["ticket_id"],
                    distance_m=round(duplicate["distance_m"]),
                )
                return [
                    SlotSet("duplicate_ticket", duplicate["ticket_id"]),
                    SlotSet("stage", "duplicate_offer"),
                ]
        return show_summary(dispatcher, tracker)


def show_summary(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    address = tracker.get_slot("address")
    kelurahan = tracker.get_slot("kelurahan")
    if address and kelurahan and kelurahan.lower() not in address.lower():
        where = f"{address} (Kel. {kelurahan})"
    elif address:
        where = address
    elif kelurahan:
        where = f"Titik lokasi, Kel. {kelurahan}"
    else:
        where = "Titik lokasi"
    photo_ids = tracker.get_slot("photo_ids") or []
    dispatcher.utter_message(
        response="utter_complaint_summary",
        category_label=categories.label(tracker.get_slot("category")),
        description=tracker.get_slot("description") or "",
        address=where,
        photo_count=len(photo_ids) or "-",
    )
    # One idempotency key per confirmed form, kept for retries.
    key = tracker.get_slot("submission_key") or str(uuid.uuid4())
    return [SlotSet("stage", "confirm"), SlotSet("submission_key", key)]


async def _find_duplicate(latitude: float, longitude: float, category: str) -> Any:
    try:
        nearby = await get_client().nearby_complaints(latitude, longitude, category)
    except (BackendUnavailable, BackendError):
        return None  # the duplicate offer is a nicety: skip it when it fails
    open_ones = [c for c in nearby if c.get("status") not in {"selesai", "ditolak"}]
    return min(open_ones, key=lambda c: c["distance_m"]) if open_ones else None


class ActionSubmitComplaint(Action):
    """Files the confirmed complaint; on an outage it keeps it for a retry."""

    def name(self) -> str:
        return "action_submit_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel, chat_id = split_sender(tracker.sender_id)
        key = tracker.get_slot("submission_key") or str(uuid.uuid4())
        photo_ids = [str(p) for p in (tracker.get_slot("photo_ids") or [])]
        latitude = tracker.get_slot("latitude")
        longitude = tracker.get_slot("longitude")
        complaint: NewComplaint = {
            "category": tracker.get_slot("category") or "lainnya",
            "description": tracker.get_slot("description") or "",
            "channel": channel,
            "reporter_chat_id": chat_id,
            "latitude": float(latitude) if latitude is not None else None,
            "longitude": float(longitude) if longitude is not None else None,
            "address": tracker.get_slot("address"),
            # Only without a pin: with one, the backend finds the kelurahan itself.
            "kelurahan_code": tracker.get_slot("kelurahan_code") if latitude is None else None,
            "photo_ids": photo_ids,
        }
        try:
            view = await get_client().create_complaint(complaint, key)
        except BackendUnavailable:
            logger.warning("complaint submission failed, kept for retry (channel=%s)", channel)
            dispatcher.utter_message(response="utter_submit_failed")
            return [SlotSet("stage", "confirm"), SlotSet("submission_key", key)]
        except BackendError as error:
            logger.info("complaint rejected by backend: %s (channel=%s)", error.code, channel)
            if error.code == "outside_jakarta":
                dispatcher.utter_message(response="utter_location_outside_jakarta")
                utter_raw(dispatcher, domain, "utter_ask_what_to_change")
                return [SlotSet("stage", "confirm"), SlotSet("submission_key", None)]
            dispatcher.utter_message(response="utter_submit_rejected")
            return [SlotSet("stage", "confirm"), SlotSet("submission_key", None)]
        logger.info("complaint filed: %s (channel=%s)", view["ticket_id"], channel)
        dispatcher.utter_message(
            response="utter_complaint_filed",
            ticket_id=view["ticket_id"],
            category_label=view.get("category_label") or categories.label(complaint["category"]),
            status_label=view.get("status_label") or "",
        )
        dispatcher.utter_message(response="utter_complaint_next_steps", ticket_id=view["ticket_id"])
        return reset_complaint()


class ActionSupportDuplicate(Action):
    """Adds the citizen as a supporter of the nearby report they chose."""

    def name(self) -> str:
        return "action_support_duplicate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ticket_id = tracker.get_slot("duplicate_ticket")
        channel, chat_id = split_sender(tracker.sender_id)
        try:
            await get_client().add_supporter(str(ticket_id), channel, chat_id)
        except (BackendUnavailable, BackendError):
            # Could not join it: fall back to filing the citizen's own report.
            dispatcher.utter_message(response="utter_backend_unavailable")
            return show_summary(dispatcher, tracker)
        dispatcher.utter_message(response="utter_duplicate_supported", ticket_id=ticket_id)
        return reset_complaint()


class ActionCorrectField(Action):
    """Clears the field the citizen wants to change so the form asks it again."""

    def name(self) -> str:
        return "action_correct_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = tracker.get_slot("field")
        events: list[EventType] = [
            SlotSet("field", None),
            SlotSet("stage", None),
            # The form changes, so a new idempotency key goes with it.
            SlotSet("submission_key", None),
            SlotSet("duplicate_ticket", None),
        ]
        if field not in FIELD_SLOTS:
            utter_raw(dispatcher, domain, "utter_ask_what_to_change")
            return events
        events += [SlotSet(slot, None) for slot in FIELD_SLOTS[str(field)]]
        return events


class ActionCancelComplaint(Action):
    """Drops the complaint being written and leaves the form."""

    def name(self) -> str:
        return "action_cancel_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_complaint_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *reset_complaint()]
