"""A Rasa NLU component that ranks the 19 categories for every message.

It learns from the report examples labelled with intent metadata `category`
(nlu_data/complaints/*.yml, nlu_data/complaint.yml) and, as "no problem",
from the examples of the intents listed in `none_intents`. Every parse result
gets `category_ranking` ([{"name": code, "confidence": p}, ...], best first,
the 19 categories' shares of the problem probability). When the text
describes a problem (no-problem probability below `max_none`) and the best
category reaches `min_confidence`, it also gets a `category` entity, which
fills the form's slot without asking; otherwise the form offers the top three
(actions/questions.py). The model itself is bot/components/category_model.py.
"""

from __future__ import annotations

import logging
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
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
from bot.components.category_model import NONE, CategoryModel

logger = logging.getLogger(__name__)

MODEL_FILE = "category.joblib"
RANKING = "category_ranking"
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
class CategoryClassifier(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
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
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: CategoryModel | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CategoryClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CategoryClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = CategoryModel(joblib.load(directory / MODEL_FILE))
        except (ValueError, FileNotFoundError):
            logger.warning("category classifier: no trained model; no categories are ranked")
            model = None
        return cls(config, model_storage, resource, model)

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
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self.model.pipeline, directory / MODEL_FILE)
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
            code, confidence = ranking.best
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            if ranking.none < self._config["max_none"] and confidence >= self._config[
                "min_confidence"
            ]:
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
