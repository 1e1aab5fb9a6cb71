"""The slots of a pending "Sudah beres?" question, shared by the actions that end it.

`feedback_ticket` is set by the gateway after it delivered the question (or by
the Ya/Belum button's `ticket_id`); `feedback_stage` says what the bot asked
next: `rating` after "Ya, sudah", `reason` after "Belum".
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

FEEDBACK_SLOTS = ("feedback_ticket", "feedback_stage")


def forget_feedback(tracker: Tracker) -> list[EventType]:
    """Clear a pending question when the citizen has moved on (no events if none)."""
    return [SlotSet(slot, None) for slot in FEEDBACK_SLOTS if tracker.get_slot(slot) is not None]


def feedback_events(ticket_id: str | None, stage: str | None) -> list[EventType]:
    """Both slots, always: the rules state them after each feedback action."""
    return [SlotSet("feedback_ticket", ticket_id), SlotSet("feedback_stage", stage)]
