"""The offer to go on with a report after the 112 advice inside the form."""

import asyncio
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.emergency import ActionEmergencyContinueForm
from tests.actions.conftest import responses, slots, with_message

TEXT = "The street has been flooded knee deep since this morning"


def continue_form(domain: dict[str, Any], **slot_overrides: Any) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = with_message("form_bare_first_message", TEXT, "emergency", **slot_overrides)
    events = asyncio.run(ActionEmergencyContinueForm().run(dispatcher, tracker, domain))
    return slots(events), responses(dispatcher)


def test_what_was_described_is_kept_as_the_description(domain):
    filled, said = continue_form(domain)
    assert said == ["utter_emergency_continue_form"]
    assert filled["description"] == TEXT


def test_a_description_given_earlier_is_left_alone(domain):
    filled, said = continue_form(domain, description="got mampet")
    assert said == ["utter_emergency_continue_form"]
    assert filled == {}
