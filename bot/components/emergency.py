"""A Rasa NLU component that makes every message that may describe people in
danger now an `emergency`, whatever the intent classifier said.

It runs last in the pipeline, so it sees every message in every state of the
dialogue (the gateway asks the same model about messages of a handed-off
chat). A message is an emergency when the danger lexicon
(nlu_data/lexicon/danger.yml, bot/components/danger.py) finds a danger that
is not over, or when the classifier gives `emergency` at least
`classifier_threshold` and the text is not about a past, habitual,
hypothetical or denied danger. Tuned for recall: a false alarm costs the
citizen one sentence, a miss can cost a life. The other way round, a message
the classifier took for an emergency that the lexicon reads as over
("tawuran kemarin") becomes `demote_to` unless the classifier is at least
`keep_above` sure; one that says outright that nobody is hurt or that it is
over ("udah padam, untung ga ada korban") becomes `demote_to` however sure.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.danger import DangerLexicon, raises_alarm
from bot.components.override import LexiconOverride, intent_name, ranked_confidence, set_intent

EMERGENCY = "emergency"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmergencyDetector(LexiconOverride):
    lexicon_name = "danger.yml"

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {
            **super().get_default_config(),
            "classifier_threshold": 0.25,
            "keep_above": 0.8,
            "demote_to": "report_complaint",
        }

    def build(self, data: dict[str, Any]) -> None:
        self.lexicon = DangerLexicon(data)

    def decide(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        reading = self.lexicon.read(str(text))
        score = ranked_confidence(message, EMERGENCY)
        if not raises_alarm(reading, score, self._config["classifier_threshold"]):
            if intent_name(message) == EMERGENCY and (
                reading.denied or score < self._config["keep_above"]
            ):
                set_intent(message, self._config["demote_to"], 1.0 - score)
            return
        source = "lexicon" if reading.alarm else "classifier"
        set_intent(message, EMERGENCY, max(score, 0.9 if source == "lexicon" else score))
        message.set(
            EMERGENCY, {"danger": reading.danger or "unknown", "source": source}, add_to_output=True
        )
