"""A Rasa NLU component that finds ticket numbers with a regex.

DIET never sees ticket numbers as entities: they are random strings, which a
regex reads exactly and a neural tagger only approximately. The value is the
normalised ticket (JKT-XXXX-XXXX) or, for a malformed one, the text as typed,
so the status action can tell the citizen what is wrong with it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.tickets import find_tickets, normalise_ticket
from bot.components.base import StatelessComponent

ENTITY = "ticket_id"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class TicketIdExtractor(StatelessComponent, EntityExtractorMixin):
    """Adds a `ticket_id` entity for every ticket number in the text."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = [
                {
                    "entity": ENTITY,
                    "start": start,
                    "end": end,
                    "value": normalise_ticket(raw) or raw.upper(),
                    "confidence": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for start, end, raw in find_tickets(text)
            ]
            if entities:
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
