"""The small Rasa NLU components in bot/components."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from actions.words import has_words
from bot.components.junk import JunkFilter
from bot.components.slang import SlangNormaliser
from bot.components.ticket_id import TicketIdExtractor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("😡😡😡", False),
        ("???!!!", False),
        ("<script>alert(1)</script>", False),
        ("y", True),
        ("jalan bolong <b>parah</b>", True),
        ("JKT-7K3M-Q9XA", True),
    ],
)
def test_junk_is_a_message_without_letters_outside_markup(text, expected):
    assert has_words(text) is expected


def test_junk_filter_turns_emoji_into_the_fallback():
    message = Message(data={"text": "🙏🙏", "intent": {"name": "affirm", "confidence": 0.4}})
    JunkFilter().process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}


def test_ticket_extractor_adds_the_normalised_ticket():
    message = Message(data={"text": "laporan jkt 7k3m q9xa udah?", "entities": []})
    TicketIdExtractor().process([message])
    [entity] = message.get("entities")
    assert (entity["entity"], entity["value"]) == ("ticket_id", "JKT-7K3M-Q9XA")
    assert message.get("text")[entity["start"] : entity["end"]] == "jkt 7k3m q9xa"


def test_ticket_extractor_keeps_a_malformed_ticket_as_typed():
    message = Message(data={"text": "status JKT-123", "entities": []})
    TicketIdExtractor().process([message])
    assert message.get("entities")[0]["value"] == "JKT-123"


@pytest.mark.parametrize("component", [JunkFilter, SlangNormaliser, TicketIdExtractor])
def test_components_are_created_by_rasa_without_configuration(component):
    # Rasa builds components through `create`; the shared one makes a fresh instance.
    made = component.create({}, model_storage=None, resource=None, execution_context=None)
    assert type(made) is component
