"""Two-stage fallback for messages the NLU is unsure about.

First time: ask to rephrase. Second unclear message in a row: the bot has
failed twice, so the chat goes to an officer (actions/handoff.py). Messages
without words (emoji rows, punctuation, markup) and out-of-scope questions
are not the bot failing: they get the menu, never an officer, so junk cannot
fill the officers' inbox.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import hand_off
from actions.latest import event_intent
from actions.words import has_words

FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def _user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def _intent(event: dict[str, Any]) -> str:
    return event_intent(event.get("parse_data") or {})


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        recent = _user_events(tracker)[-2:]
        if len(recent) < 2 or _intent(recent[0]) not in FALLBACK_INTENTS:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        failed_twice = all(
            _intent(event) == "nlu_fallback" and has_words(str(event.get("text") or ""))
            for event in recent
        )
        if failed_twice:
            return await hand_off(dispatcher, tracker, "fallback")
        dispatcher.utter_message(response="utter_default")
        return []
