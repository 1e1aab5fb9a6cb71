"""A Rasa NLU component that makes a question about an earlier report
`check_status`, even when it names the problem too.

"yang kemarin saya laporin soal sampah liar di kali, udah ada petugas ke
sana?" carries every word of a new rubbish report, and the classifier reads
it as one; about 2 in 5 status questions used to open a new complaint. A
ticket number, or a reference to an earlier report (nlu_data/lexicon/
status_cues.yml, bot/components/reference.py), decides: the message becomes
`check_status` when the classifier said one of `overrides`; with a ticket
number, whatever it said but `keep` (an emergency, a cancel, a request for a
human, a correction). The other way round, a message the classifier took
for `check_status` that only says it wants to file something ("ada yang mau
saya laporkan") and has no ticket becomes `report_complaint`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.override import LexiconOverride, intent_name, ranked_confidence, set_intent
from bot.components.reference import StatusCues

CHECK_STATUS = "check_status"
REPORT = "report_complaint"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class StatusReference(LexiconOverride):
    lexicon_name = "status_cues.yml"

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {
            **super().get_default_config(),
            "overrides": [
                "report_complaint",
                "inform",
                "nlu_fallback",
                "out_of_scope",
                "greet",
                "help",
            ],
            "keep": ["emergency", "cancel", "request_human", "correct", "check_status"],
        }

    def build(self, data: dict[str, Any]) -> None:
        self.cues = StatusCues(data)

    def decide(self, message: Message) -> None:
        intent = intent_name(message)
        has_ticket = any(e.get("entity") == "ticket_id" for e in message.get(ENTITIES) or [])
        text = str(message.get(TEXT) or "")
        if intent == CHECK_STATUS and not has_ticket and self.cues.opens_new_report(text):
            set_intent(message, REPORT, max(ranked_confidence(message, REPORT), 0.9))
            return
        if intent in self._config["keep"]:
            return
        if has_ticket or (
            intent in self._config["overrides"]
            and self.cues.refers_to_earlier_report(text)
        ):
            set_intent(message, CHECK_STATUS, max(ranked_confidence(message, CHECK_STATUS), 0.9))
