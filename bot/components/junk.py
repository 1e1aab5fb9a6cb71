"""Send messages with no words in them to the fallback.

Emoji-only messages, stray punctuation and markup ("<script>...</script>")
carry nothing to classify, yet a linear classifier still picks its least
bad intent for them (an emoji row scored `affirm` 0.36, which at the summary
would file the complaint). This component, placed after the
FallbackClassifier, makes them `nlu_fallback`, so the two-stage fallback
answers them.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

FALLBACK = "nlu_fallback"
_HIDDEN_MARKUP = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def has_words(text: str) -> bool:
    """Whether a message has a letter outside markup."""
    visible = _TAG.sub(" ", _HIDDEN_MARKUP.sub(" ", text))
    return _LETTERS.search(visible) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class JunkFilter(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> JunkFilter:
        return cls()

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
