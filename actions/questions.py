"""Questions whose buttons carry JSON payloads.

Rasa's response renderer treats every `{...}` in a response as a slot
placeholder, so a button payload such as `/choose_category{"category":
"sampah"}` makes it log an error (with a traceback) for every button, every
time the question is asked. These actions send such responses as they are
written in the domain, without rendering them: the wording stays in
bot/domain, and the payloads reach the gateway unchanged.
"""

from __future__ import annotations

import json
from string import Formatter
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories


def utter_raw(dispatcher: CollectingDispatcher, domain: DomainDict, name: str) -> None:
    """Utter the first variation of a domain response without templating it."""
    variations: list[dict[str, Any]] = domain.get("responses", {}).get(name) or []
    if not variations:
        dispatcher.utter_message(response=name)  # let Rasa report the missing response
        return
    variation = variations[0]
    dispatcher.utter_message(
        text=variation.get("text"),
        buttons=list(variation.get("buttons") or []),
        utter_action=name,
    )


def utter_filled(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    name: str,
    *,
    entities: dict[str, Any] | None = None,
    buttons_first: list[dict[str, str]] | None = None,
    **params: Any,
) -> None:
    """Utter a domain response filling only the text's `{name}` placeholders.

    With `entities`, each button payload gets them as JSON
    (`/confirm_resolution` becomes `/confirm_resolution{"ticket_id": "JKT-..."}`);
    `buttons_first` (built by the action, e.g. one per place) come before the
    domain's buttons. The payloads are never templated.
    """
    variations: list[dict[str, Any]] = domain.get("responses", {}).get(name) or []
    if not variations:
        dispatcher.utter_message(response=name)
        return
    variation = variations[0]
    text = str(variation.get("text") or "")
    fields = {field for _, field, _, _ in Formatter().parse(text) if field}
    text = text.format_map({field: params.get(field, "") for field in fields})
    suffix = json.dumps(entities, ensure_ascii=False) if entities else ""
    buttons = list(buttons_first or []) + [
        {**button, "payload": f"{button['payload']}{suffix}"}
        for button in variation.get("buttons") or []
    ]
    dispatcher.utter_message(text=text, buttons=buttons, utter_action=name)


def _category_button(code: str) -> dict[str, str]:
    return {
        "title": categories.label(code),
        "payload": f'/choose_category{{"category": "{code}"}}',
    }


class ActionAskCategory(Action):
    """The category question: the classifier's top three for the description and
    "Lainnya"; "Lainnya" then shows the other categories (never all 19 at once)."""

    def name(self) -> str:
        return "action_ask_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        top, rest = categories.offer(tracker.get_slot("category_ranking"))
        if tracker.get_slot("category_more"):
            buttons = [_category_button(code) for code in rest]
            utter_filled(dispatcher, domain, "utter_category_more", buttons_first=buttons)
            return []
        more = {
            "title": "Lainnya",
            "payload": f'/choose_category{{"category": "{categories.MORE}"}}',
        }
        buttons = [*(_category_button(code) for code in top), more]
        utter_filled(dispatcher, domain, "utter_category_question", buttons_first=buttons)
        return []


class ActionAskWhatToChange(Action):
    """Which field to correct, with one button per field."""

    def name(self) -> str:
        return "action_ask_what_to_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        utter_raw(dispatcher, domain, "utter_ask_what_to_change")
        return []
