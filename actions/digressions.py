"""What the citizen says beside the question the form asked.

The rules answer most digressions by intent alone (docs/dialogue.md). A few
messages need their words read first, because the intent alone would do the
wrong thing:

- at the photo question "ga ada foto, petugasnya liat sendiri aja" mentions an
  officer (request_human) or sounds like giving up (cancel), but it answers
  the question: it is read again as `skip`;
- a correction without a field ("salah, maksud saya lampu taman") that names
  a category or a place is read again as a correction of that field;
- a clear complaint without the word "lapor" (`inform` outside the form)
  starts the form as the report it is, instead of "Mau dibuatkan laporan?".

Reading a message again is Rasa's own mechanism (the two-stage fallback uses
it): the message is reverted and uttered again with the new intent and
entities, and the rules then follow that intent.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories, latest
from actions.complaint import is_photo_refusal
from actions.location import has_cancel_phrase, has_place_words
from actions.summary import show_summary

# A described problem is at least this long when no category is recognised.
PROBLEM_MIN_WORDS = 6


def read_again(
    tracker: Tracker,
    intent: str,
    extra_entities: list[dict[str, Any]] | None = None,
    *,
    keep_entities: bool = True,
) -> list[EventType]:
    """Revert the latest message and utter it again as `intent`."""
    message = tracker.latest_message
    kept = list(message.get("entities") or []) if keep_entities else []
    entities = [*kept, *(extra_entities or [])]
    parse_data = {
        **message,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities,
    }
    return [
        UserUtteranceReverted(),
        UserUttered(
            text=latest.text(tracker),
            parse_data=parse_data,
            input_channel=tracker.get_latest_input_channel(),
        ),
    ]


def correction_field(tracker: Tracker) -> str | None:
    """The field a correction without a `field` entity means, from its value."""
    message = tracker.latest_message
    if categories.entity_code(message):
        return "category"
    if latest.entity(tracker, "location"):
        return "location"
    if categories.confident(message, categories.ANSWER_CONFIDENCE):
        return "category"
    return None


def describes_problem(tracker: Tracker) -> bool:
    """Whether an out-of-context message is a complaint rather than a bare detail."""
    message = tracker.latest_message
    if categories.named(message, categories.AUTO_CONFIDENCE):
        return True
    text = latest.text(tracker)
    words = text.split()
    if len(words) < PROBLEM_MIN_WORDS:
        return False
    # A long address ("jl kenanga no 12 rt 04 rw 09 pondok labu") is a detail.
    place = latest.entity(tracker, "location")
    return not (place and len(str(place).split()) >= len(words) - 2 and has_place_words(text))


class ActionInterruptionGuard(Action):
    """Reads an interrupting message again when its words say it answers the form."""

    def name(self) -> str:
        return "action_interruption_guard"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest.intent(tracker)
        text = latest.text(tracker)
        in_form = tracker.active_loop.get("name") == "complaint_form"
        asked = tracker.get_slot("requested_slot") if in_form else None
        if (
            asked == "photo"
            and intent in {"request_human", "cancel"}
            and is_photo_refusal(text)
            and not (intent == "cancel" and has_cancel_phrase(text))
        ):
            return read_again(tracker, "skip")
        if intent == "correct":
            field = latest.entity(tracker, "field") or correction_field(tracker)
            if field is not None:
                # The rules match a correction by its `field` entity alone; the
                # new value travels in the `correction` slot.
                value = {
                    "category": categories.entity_code(tracker.latest_message),
                    "location": latest.entity(tracker, "location"),
                }
                field_only = {"entity": "field", "value": field, "extractor": "guard"}
                return [
                    *read_again(tracker, "correct", [field_only], keep_entities=False),
                    SlotSet("correction", {k: v for k, v in value.items() if v}),
                ]
        return []


class ActionResumeStage(Action):
    """After a digression at the summary or the nearby-report offer, asks it again."""

    def name(self) -> str:
        return "action_resume_stage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ticket_id = tracker.get_slot("duplicate_ticket")
        if tracker.get_slot("stage") == "duplicate_offer" and ticket_id:
            dispatcher.utter_message(response="utter_duplicate_again", ticket_id=ticket_id)
            return []
        return show_summary(dispatcher, tracker)


class ActionInformWithoutContext(Action):
    """A detail with nothing going on: a clear complaint starts the form, else the offer."""

    def name(self) -> str:
        return "action_inform_without_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if describes_problem(tracker):
            return read_again(tracker, "report_complaint")
        dispatcher.utter_message(response="utter_inform_without_context")
        return []
