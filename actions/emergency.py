"""After the 112 advice inside the complaint form: the offer to go on with the report."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories, latest
from actions.complaint import DESCRIPTION_MAX


class ActionEmergencyContinueForm(Action):
    """Asks "Mau dilanjutkan?" after the 112 advice has left the form.

    When the description was still missing, what the citizen just wrote is
    the description: on "Lanjutkan laporan" the form goes on to the next
    question instead of asking it again. A message read as an emergency that
    was not one (a false alarm costs one sentence) would otherwise be asked
    for, typed again, read as an emergency again, round and round.
    """

    def name(self) -> str:
        return "action_emergency_continue_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_emergency_continue_form")
        text = latest.text(tracker).strip()
        if (
            tracker.get_slot("description") is None
            and text
            and latest.intent(tracker) == "emergency"
        ):
            ranked = categories.ranked_codes(tracker.latest_message)
            return [
                SlotSet("description", text[:DESCRIPTION_MAX]),
                SlotSet("category_ranking", ranked or None),
            ]
        return []
