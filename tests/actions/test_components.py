"""The small Rasa NLU components in bot/components."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.words import has_words
from bot.components.category import CategoryClassifier
from bot.components.emergency import EmergencyDetector
from bot.components.junk import JunkFilter
from bot.components.slang import SlangNormaliser
from bot.components.status_reference import StatusReference
from bot.components.ticket_id import TicketIdExtractor
from bot.components.vocabulary import Vocabulary, lexicon_words, one_typo_apart, squeeze, words


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


def test_words_leave_out_numbers_and_tokens_with_digits():
    assert words("Boro2 udah 5 hari, JKT-7K3M-Q9XA!") == ["udah", "hari", "jkt"]


def test_squeeze_and_typos():
    assert squeeze("iyaaa") == "iya"
    assert squeeze("sipp") == "sip"
    assert one_typo_apart("okeh", "oke")  # one letter added
    assert one_typo_apart("mantab", "mantap")  # one changed
    assert one_typo_apart("bnejir", "benjir")  # neighbours swapped
    assert not one_typo_apart("oke", "oke")
    assert not one_typo_apart("asdfgh", "asdf")
    assert not one_typo_apart("qwerty", "query")


TRAINED = ["iya", "oke", "sip", "gas", "kirim", "nggak", "beres", "mantap"]


@pytest.mark.parametrize(
    ("word", "known"),
    [
        ("iya", True),
        ("iyaaa", True),  # repeated letters
        ("sipp", True),
        ("okeh", True),  # a typo of a trained word
        ("mantab", True),
        ("okelah", True),  # a particle
        ("gaskeun", True),  # a suffix
        ("gan", True),  # the lexicon, exact
        ("gam", False),  # lexicon words get no typos, and 3 letters none at all
        ("kkkkkk", False),  # a row of one letter is no word
        ("asdfgh", False),
        ("qwerty", False),
        ("jkjkjk", False),
    ],
)
def test_vocabulary_knows_trained_words_and_their_spellings(word, known):
    vocabulary = Vocabulary(["gan", "k"], typo_targets=TRAINED)
    assert vocabulary.knows(word) is known


def test_known_share_counts_words_only():
    vocabulary = Vocabulary([], typo_targets=TRAINED)
    assert vocabulary.known_share("iya asdfgh qwerty") == pytest.approx(1 / 3)
    assert vocabulary.known_share("5") is None
    assert vocabulary.known_share("oke 5") == 1.0


def test_the_lexicon_gives_words_but_not_laughter(tmp_path: Path):
    lexicon = tmp_path / "slang.tsv"
    lexicon.write_text("informal\tformal\ngan\tjuragan\nwkwk\thahaha\nhehe\thahaha\n")
    assert lexicon_words(lexicon) == {"gan", "juragan"}


def trained_filter(tmp_path: Path, **config) -> JunkFilter:
    """A JunkFilter trained on a few examples, persisted and loaded back as Rasa does."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("junk_filter")
    lexicon = tmp_path / "slang.tsv"
    lexicon.write_text("informal\tformal\ngan\tjuragan\nwkwk\thahaha\n")
    examples = [Message(data={"text": t, "intent": "affirm"}) for t in ("iya", "oke kirim", "sip")]
    examples.append(Message(data={"text": "nggak", "intent": "deny"}))
    examples.append(Message(data={"text": "mau lapor sampah", "intent": "report_complaint"}))
    config = {**JunkFilter.get_default_config(), "lexicon": str(lexicon), **config}
    JunkFilter.create(config, storage, resource, None).train(TrainingData(examples))
    return JunkFilter.load(config, storage, resource, None)


def classified(text: str, intent: str, entities: list | None = None) -> Message:
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.4},
            "entities": entities or [],
        }
    )


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("asdfgh qwerty", "affirm", "nlu_fallback"),
        ("jkjkjk", "deny", "nlu_fallback"),
        ("wkwk", "affirm", "nlu_fallback"),  # laughter answers nothing
        ("iya asdfgh", "affirm", "nlu_fallback"),  # half known is not enough
        ("okeh gan", "affirm", "affirm"),
        ("iyaaa kirim", "affirm", "affirm"),
        ("nggak mau lapor", "deny", "deny"),
        ("iya asdfgh kirim", "affirm", "affirm"),  # two of three known
        ("asdfgh", "greet", "greet"),  # only answers are held to the vocabulary
        ("😡😡", "report_complaint", "nlu_fallback"),  # no words at all
    ],
)
def test_trained_junk_filter_lets_only_known_words_answer(tmp_path, text, intent, expected):
    message = classified(text, intent)
    trained_filter(tmp_path).process([message])
    assert message.get("intent")["name"] == expected


def test_junk_filter_leaves_a_message_with_a_ticket(tmp_path):
    ticket = {"entity": "ticket_id", "value": "JKT-7K3M-Q9XA", "start": 7, "end": 20}
    message = classified("asdfgh JKT-7K3M-Q9XA", "affirm", [ticket])
    trained_filter(tmp_path).process([message])
    assert message.get("intent")["name"] == "affirm"
    assert message.get("entities") == [ticket]


def test_junk_filter_intents_are_configurable(tmp_path):
    message = classified("asdfgh qwerty", "affirm")
    trained_filter(tmp_path, intents=["deny"]).process([message])
    assert message.get("intent")["name"] == "affirm"


def test_junk_filter_without_a_stored_vocabulary_only_drops_wordless_messages(tmp_path):
    storage = LocalModelStorage(tmp_path)
    junk = JunkFilter.load(JunkFilter.get_default_config(), storage, Resource("missing"), None)
    wordy, emoji = classified("asdfgh", "affirm"), classified("🙏🙏", "affirm")
    junk.process([wordy, emoji])
    assert wordy.get("intent")["name"] == "affirm"
    assert emoji.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}


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


@pytest.mark.parametrize("component", [SlangNormaliser, TicketIdExtractor])
def test_components_are_created_by_rasa_without_configuration(component):
    # Rasa builds components through `create`; the shared one makes a fresh instance.
    made = component.create({}, model_storage=None, resource=None, execution_context=None)
    assert type(made) is component


def trained(component_class, tmp_path: Path, examples: list[Message]):  # type: ignore[no-untyped-def]
    """A trainable component trained, persisted and loaded back as Rasa does."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource(component_class.__name__)
    config = component_class.get_default_config()
    component_class.create(config, storage, resource, None).train(TrainingData(examples))
    return component_class.load(config, storage, resource, None)


def report(text: str, category: str) -> Message:
    return Message.build(text, "report_complaint", intent_metadata={"category": category})


def test_category_classifier_ranks_and_names_a_clear_category_after_loading(tmp_path):
    examples = [
        *(report(f"sampah numpuk {w}", "sampah") for w in ("di gang", "ga diangkut", "bau")),
        *(report(f"got mampet {w}", "saluran_air") for w in ("airnya item", "di rt", "parah")),
        *(Message.build(t, "greet") for t in ("halo min", "pagi", "permisi")),
    ]
    classifier = trained(CategoryClassifier, tmp_path, examples)
    message = Message(data={"text": "sampah numpuk di depan sekolah", "entities": []})
    classifier.process([message])
    assert message.get("category_ranking")[0]["name"] == "sampah"
    assert [e["value"] for e in message.get("entities") if e["entity"] == "category"] in (
        ["sampah"],
        [],
    )


def test_emergency_detector_keeps_its_lexicon_in_the_model(tmp_path):
    detector = trained(EmergencyDetector, tmp_path, [])
    message = classified("kontrakan sebelah kebakaran, nenek masih di dalem", "report_complaint")
    detector.process([message])
    assert message.get("intent")["name"] == "emergency"
    assert message.get("emergency")["source"] == "lexicon"


def test_emergency_detector_demotes_a_sure_classifier_when_nobody_is_hurt(tmp_path):
    detector = trained(EmergencyDetector, tmp_path, [])
    message = Message(
        data={
            "text": "kebakaran di gang kami tadi subuh udah padam, untung ga ada korban",
            "intent": {"name": "emergency", "confidence": 0.97},
            "intent_ranking": [{"name": "emergency", "confidence": 0.97}],
            "entities": [],
        }
    )
    detector.process([message])
    assert message.get("intent")["name"] == "report_complaint"


def test_status_reference_turns_a_reference_into_a_status_question(tmp_path):
    reference = trained(StatusReference, tmp_path, [])
    message = classified(
        "yang kemarin saya laporin soal got udah ditindak belum?", "report_complaint"
    )
    reference.process([message])
    assert message.get("intent")["name"] == "check_status"


@pytest.mark.parametrize(
    "text",
    [
        "ada yg mau gw laporin nih",
        "I would like to report an issue",
        "saya ingin menyampaikan pengaduan",
    ],
)
def test_status_reference_turns_a_new_report_back_into_a_report(tmp_path, text):
    reference = trained(StatusReference, tmp_path, [])
    message = classified(text, "check_status")
    reference.process([message])
    assert message.get("intent")["name"] == "report_complaint"


def test_status_reference_keeps_a_status_question_that_also_says_lapor(tmp_path):
    reference = trained(StatusReference, tmp_path, [])
    message = classified("mau nanya laporan saya yg kemarin udah diproses belum", "check_status")
    reference.process([message])
    assert message.get("intent")["name"] == "check_status"


def test_a_model_without_a_lexicon_changes_nothing(tmp_path):
    storage = LocalModelStorage(tmp_path)
    config = EmergencyDetector.get_default_config()
    detector = EmergencyDetector.load(config, storage, Resource("missing"), None)
    message = classified("kebakaran!!", "report_complaint")
    detector.process([message])
    assert message.get("intent")["name"] == "report_complaint"
