"""The complaint's summary, the nearby-report offer and the submission."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories
from actions.backend_client import BackendError, BackendUnavailable, NewComplaint, get_client
from actions.complaint import reset_complaint
from actions.questions import utter_raw
from actions.sender import split_sender

logger = logging.getLogger(__name__)


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
