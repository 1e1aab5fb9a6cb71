"""Send junk to the fallback: messages with no words, and answers in words
the model has never seen.

A linear classifier always picks its least bad intent, so junk used to get
one: an emoji row scored `affirm` 0.36 and "asdfgh qwerty" `affirm` 0.40,
which at the summary ("Kirim laporan ini?") would file the complaint. This
component, placed after the FallbackClassifier, makes `nlu_fallback` of

- messages with no letter outside markup (emoji, punctuation, `<script>`);
- messages classified as an answer that commits to something (`affirm`,
  `deny`, `cancel`, `thank`: `intents` in the config) when fewer than
  `min_known_share` of their words are known (bot/components/vocabulary.py):
  words of the training examples, the lookup tables and the slang lexicon,
  learnt when the model is trained and stored with it. A message with a
  ticket number, or with no words but numbers, is never turned away here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.words import has_words
from bot.components.base import TrainableComponent
from bot.components.override import intent_name, set_intent
from bot.components.vocabulary import Vocabulary, lexicon_words, words

FALLBACK = "nlu_fallback"
LEXICON = Path(__file__).resolve().parents[2] / "nlu_data" / "lexicon" / "slang.tsv"
VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class JunkFilter(TrainableComponent):
    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {
            "intents": ["affirm", "deny", "cancel", "thank"],
            "min_known_share": 0.6,
            "lexicon": str(LEXICON),
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, model_storage, resource)
        self.vocabulary = Vocabulary(())

    def restore_from(self, directory: Path) -> None:
        stored = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        self.vocabulary = Vocabulary(stored.get("known", ()), stored.get("typo_targets", ()))

    def train(self, training_data: TrainingData) -> Resource:
        trained: set[str] = set()
        for example in training_data.training_examples:
            trained.update(words(example.get(TEXT) or ""))
        for table in training_data.lookup_tables:
            elements = table.get("elements")
            if isinstance(elements, list):
                for element in elements:
                    trained.update(words(str(element)))
        lexicon = self._config.get("lexicon")
        slang = lexicon_words(Path(lexicon)) if lexicon else set()
        self.vocabulary = Vocabulary(slang, typo_targets=trained)
        self.persist()
        return self._resource

    def persist_to(self, directory: Path) -> None:
        stored = {
            "known": sorted(self.vocabulary.words - self.vocabulary.typo_targets),
            "typo_targets": sorted(self.vocabulary.typo_targets),
        }
        (directory / VOCABULARY_FILE).write_text(json.dumps(stored, ensure_ascii=False), "utf-8")

    def is_junk(self, message: Message) -> bool:
        text = message.get(TEXT)
        if text is None:
            return False
        if not has_words(text):
            return True
        intent = intent_name(message)
        if intent not in self._config["intents"] or not self.vocabulary:
            return False
        if any(e.get("entity") == "ticket_id" for e in message.get(ENTITIES) or []):
            return False
        share = self.vocabulary.known_share(text)
        return share is not None and share < self._config["min_known_share"]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not self.is_junk(message):
                continue
            set_intent(message, FALLBACK, 1.0)
            message.set(ENTITIES, [], add_to_output=True)
        return messages
