"""Two-stage fallback for messages the NLU is unsure about.

First time: ask to rephrase. Second time in a row: apologise and show the
menu, so nobody is stuck in a loop of "maaf, belum paham".
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def _previous_user_intent(tracker: Tracker) -> str | None:
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if not seen_latest:
            seen_latest = True
            continue
        return str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")
    return None


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _previous_user_intent(tracker) in FALLBACK_INTENTS:
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
