"""The shared shape of the NLU components that overrule the intent classifier
with a curated lexicon (bot/components/emergency.py, status_reference.py).

The lexicon file is read when the model is trained and stored inside it, so
a running model never depends on a file next to it, and a lexicon edit
retrains the model (mk/rasa.mk lists nlu_data/ as a model source).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.base import TrainableComponent
from bot.components.lexicon import LEXICON_DIR, read

LEXICON_FILE = "lexicon.json"


class LexiconOverride(TrainableComponent):
    """Subclasses name their `lexicon` file and implement `build` and `decide`."""

    lexicon_name = ""

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {"lexicon": str(LEXICON_DIR / cls.lexicon_name)}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, model_storage, resource)
        self.data: dict[str, Any] = {}
        self.build(self.data)

    def build(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def decide(self, message: Message) -> None:
        """Change the message's intent (with `set_intent`) when the lexicon says so."""
        raise NotImplementedError

    def restore_from(self, directory: Path) -> None:
        self.data = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))
        self.build(self.data)

    def persist_to(self, directory: Path) -> None:
        (directory / LEXICON_FILE).write_text(json.dumps(self.data, ensure_ascii=False), "utf-8")

    def train(self, training_data: TrainingData) -> Resource:
        self.data = read(Path(self._config["lexicon"]))
        self.build(self.data)
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.decide(message)
        return messages


def intent_name(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


def ranked_confidence(message: Message, name: str) -> float:
    for entry in message.get("intent_ranking") or []:
        if entry.get(INTENT_NAME_KEY) == name:
            return float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    return 0.0


def set_intent(message: Message, name: str, confidence: float) -> None:
    message.set(
        INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True
    )
