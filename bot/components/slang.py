"""Slang normalisation inside Rasa, measured as a pipeline alternative.

Sets each token's lemma to its formal form from nlu_data/lexicon/slang.tsv
("gak" -> "tidak", "jln" -> "jalan"), so the count-vector featurizers see
the normalised word while the text (what entity extraction reads, and what
the complaint stores) stays as the citizen typed it. Place names are never
rewritten; words that carry meaning (tidak, belum, jangan) stay.

docs/nlu.md has the measurement; the shipped pipeline does not use it.
"""

from __future__ import annotations

from pathlib import Path

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.base import StatelessComponent

LEXICON = Path(__file__).resolve().parents[2] / "nlu_data" / "lexicon" / "slang.tsv"
TOKENS = "text_tokens"


def load_lexicon(path: Path = LEXICON) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        informal, _, formal = line.partition("\t")
        if informal and formal:
            table[informal] = formal
    return table


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SlangNormaliser(StatelessComponent):
    """Rewrites token lemmas with the slang lexicon (after the tokenizer)."""

    def __init__(self) -> None:
        self.lexicon = load_lexicon()

    def _normalise(self, message: Message) -> None:
        for token in message.get(TOKENS) or []:
            token.lemma = self.lexicon.get(token.text.lower(), token.text.lower())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalise(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(TEXT):
                self._normalise(message)
        return messages
