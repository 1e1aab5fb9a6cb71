"""Send messages with no words in them to the fallback.

Emoji-only messages, stray punctuation and markup ("<script>...</script>")
carry nothing to classify, yet a linear classifier still picks its least
bad intent for them (an emoji row scored `affirm` 0.36, which at the summary
would file the complaint). This component, placed after the
FallbackClassifier, makes them `nlu_fallback`, so the two-stage fallback
answers them.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.words import has_words
from bot.components.base import StatelessComponent

FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class JunkFilter(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is None or has_words(text):
                continue
            message.set(
                INTENT,
                {INTENT_NAME_KEY: FALLBACK, PREDICTED_CONFIDENCE_KEY: 1.0},
                add_to_output=True,
            )
            message.set("entities", [], add_to_output=True)
        return messages
