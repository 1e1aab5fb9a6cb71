"""Handing the chat to a human officer (interface A of docs/dialogue.md).

Asked for ("mau ngomong sama petugas", the menu button) or after two unclear
messages in a row (actions/fallback.py). The backend gets the transcript so
far, the ticket the conversation is about and the complaint being written;
the gateway sees the reply's `custom: {"handoff": "open"}` and routes the
chat's next messages to the officers' inbox.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Literal

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import dates
from actions.backend_client import BackendError, BackendUnavailable, TranscriptItem, get_client
from actions.complaint import reset_complaint
from actions.feedback_state import forget_feedback
from actions.latest import event_intent
from actions.tickets import find_tickets, normalise_ticket

logger = logging.getLogger(__name__)

TRANSCRIPT_MAX = 50
TEXT_MAX = 4000  # the backend's limit per transcript item
# The complaint being written, as the officer needs it.
DRAFT_SLOTS = (
    "category",
    "description",
    "photo_ids",
    "address",
    "kelurahan",
    "kelurahan_code",
    "latitude",
    "longitude",
)
# Gateway payloads shown to officers as what the citizen did.
PAYLOAD_LABELS = {"share_photo": "(foto)", "share_location": "(titik lokasi)"}

Reason = Literal["requested", "fallback"]


def _at(timestamp: Any) -> str | None:
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()  # noqa: UP017


def _event_text(event: dict[str, Any]) -> str:
    text = str(event.get("text") or "").strip()
    if event.get("event") == "user" and text.startswith("/"):
        return PAYLOAD_LABELS.get(event_intent(event.get("parse_data") or {}), text)
    return text


def transcript(tracker: Tracker) -> list[TranscriptItem]:
    """The last 50 citizen and bot messages, oldest first."""
    items: list[TranscriptItem] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind not in {"user", "bot"}:
            continue
        text = _event_text(event)
        if text:
            role: Literal["citizen", "bot"] = "citizen" if kind == "user" else "bot"
            items.append({"role": role, "text": text[:TEXT_MAX], "at": _at(event.get("timestamp"))})
    return items[-TRANSCRIPT_MAX:]


def conversation_ticket(tracker: Tracker, items: list[TranscriptItem]) -> str | None:
    """The ticket this chat is about: a pending question's, else the last one mentioned."""
    for slot in ("feedback_ticket", "duplicate_ticket"):
        value = tracker.get_slot(slot)
        if value and normalise_ticket(str(value)):
            return normalise_ticket(str(value))
    for item in reversed(items):
        for _, _, raw in reversed(find_tickets(item["text"])):
            ticket = normalise_ticket(raw)
            if ticket:
                return ticket
    return None


def draft(tracker: Tracker) -> dict[str, Any] | None:
    """The complaint being written; none before it has a description (a category
    word in, say, a status question fills the category slot on its own)."""
    if not tracker.get_slot("description"):
        return None
    found = {slot: tracker.get_slot(slot) for slot in DRAFT_SLOTS}
    kept = {slot: value for slot, value in found.items() if value not in (None, [], "")}
    return kept or None


async def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: Reason
) -> list[EventType]:
    """Open a handoff and tell the citizen what happens next."""
    items = transcript(tracker)
    events: list[EventType] = [*forget_feedback(tracker)]
    if tracker.active_loop.get("name"):
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    try:
        handoff = await get_client().open_handoff(
            tracker.sender_id, reason, items, conversation_ticket(tracker, items), draft(tracker)
        )
    except (BackendUnavailable, BackendError) as error:
        # The complaint in progress stays: "Buat laporan" continues it.
        logger.warning("handoff could not be opened: %s", type(error).__name__)
        dispatcher.utter_message(response="utter_handoff_unavailable")
        return events
    if handoff["state"] == "office_closed":
        opens_at = dates.parse(handoff.get("opens_at"))
        dispatcher.utter_message(
            response="utter_handoff_office_closed",
            office_hours=handoff["office_hours"],
            opens_at=dates.day_and_time(opens_at) if opens_at else handoff["office_hours"],
        )
        return events
    logger.info("handoff %s (%s)", handoff["state"], reason)
    dispatcher.utter_message(
        response="utter_handoff_open",
        reply_within_minutes=handoff["reply_within_minutes"],
        office_hours=handoff["office_hours"],
    )
    # The officer has the draft now; the bot forgets it.
    return events + reset_complaint()


class ActionHandoff(Action):
    """The citizen asked for an officer."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await hand_off(dispatcher, tracker, "requested")
