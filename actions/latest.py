"""What the citizen just said, read from the tracker (and from user events)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def event_intent(parsed: dict[str, Any]) -> str:
    """The intent name of a parse result (a user event's `parse_data`, or
    `tracker.latest_message`); "" when there is none."""
    return str((parsed.get("intent") or {}).get("name") or "")


def intent(tracker: Tracker) -> str:
    return event_intent(tracker.latest_message)


def text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def entity(tracker: Tracker, name: str) -> Any:
    """The first value of entity `name` in the latest message, or None."""
    for found in tracker.latest_message.get("entities", []):
        if found.get("entity") == name and found.get("value") is not None:
            return found["value"]
    return None
