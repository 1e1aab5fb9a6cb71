"""A Rasa NLU component that ranks the 19 categories for every message.

It learns from the report examples labelled with intent metadata `category`
(nlu_data/complaints/*.yml, nlu_data/complaint.yml) and, as "no problem",
from the examples of the intents listed in `none_intents`. Every parse result
gets `category_ranking` ([{"name": code, "confidence": p}, ...], best first,
the 19 categories' shares of the problem probability) and
`problem_confidence` (how sure it is that the text describes a problem). When the text
describes a problem (no-problem probability below `max_none`) and the best
category reaches `min_confidence`, it also gets a `category` entity, which
fills the form's slot without asking; otherwise the form offers the top three
(actions/questions.py). The model itself is bot/components/category_model.py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import joblib
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    METADATA,
    METADATA_EXAMPLE,
    METADATA_INTENT,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.categories import LABELS, synonyms
from bot.components.base import TrainableComponent
from bot.components.category_model import NONE, CategoryModel

logger = logging.getLogger(__name__)

MODEL_FILE = "category.joblib"
RANKING = "category_ranking"
PROBLEM = "problem_confidence"
ENTITY = "category"


def label_of(example: Message, none_intents: frozenset[str]) -> str | None:
    """The category an example teaches, NONE, or None when it teaches nothing."""
    metadata = example.get(METADATA) or {}
    # A block of examples shares its intent metadata; one example may carry its own.
    code = (metadata.get(METADATA_EXAMPLE) or {}).get("category") or (
        metadata.get(METADATA_INTENT) or {}
    ).get("category")
    if code in LABELS:
        return str(code)
    if example.get(INTENT) in none_intents:
        return NONE
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class CategoryClassifier(TrainableComponent, EntityExtractorMixin):
    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {
            "min_confidence": 0.6,
            "max_none": 0.5,
            "C": 20.0,
            "none_intents": [
                "greet",
                "goodbye",
                "thank",
                "affirm",
                "deny",
                "help",
                "cancel",
                "wait",
                "request_human",
                "out_of_scope",
            ],
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, model_storage, resource)
        self.model: CategoryModel | None = None

    def restore_from(self, directory: Path) -> None:
        self.model = CategoryModel(joblib.load(directory / MODEL_FILE))

    def persist_to(self, directory: Path) -> None:
        if self.model is not None:
            joblib.dump(self.model.pipeline, directory / MODEL_FILE)

    def train(self, training_data: TrainingData) -> Resource:
        none_intents = frozenset(self._config["none_intents"])
        examples = []
        for example in training_data.training_examples:
            label = label_of(example, none_intents)
            if label is not None and example.get(TEXT):
                examples.append((str(example.get(TEXT)), label))
        if len({label for _, label in examples}) < 2:
            logger.warning("category classifier: fewer than two categories in the data")
            return self._resource
        self.model = CategoryModel.train(examples, synonyms(), list(LABELS), self._config["C"])
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        texts = [str(m.get(TEXT) or "") for m in messages]
        for message, ranking in zip(messages, self.model.rank(texts), strict=True):
            message.set(
                RANKING,
                [{"name": code, "confidence": round(p, 4)} for code, p in ranking.categories],
                add_to_output=True,
            )
            # How sure the model is that the text describes a problem at all.
            message.set(PROBLEM, round(1.0 - ranking.none, 4), add_to_output=True)
            code, confidence = ranking.best
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            if (
                ranking.none < self._config["max_none"]
                and confidence >= self._config["min_confidence"]
            ):
                text = str(message.get(TEXT) or "")
                entities.append(
                    {
                        "entity": ENTITY,
                        "start": 0,
                        "end": len(text),
                        "value": code,
                        "confidence": round(confidence, 4),
                        "extractor": self.__class__.__name__,
                    }
                )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
