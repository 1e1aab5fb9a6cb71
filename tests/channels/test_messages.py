"""The common message shape and how it is said to Rasa."""

import json
import re

import pytest

from bot.channels.messages import Button, Incoming, Kind, Media, Reply


def message(kind: Kind, **fields: object) -> Incoming:
    return Incoming("telegram", "42", "1", kind, **fields)  # type: ignore[arg-type]


def test_sender_is_channel_and_chat() -> None:
    assert message(Kind.TEXT, text="x").sender == "telegram:42"


def test_photo_and_location_use_gateway_intents() -> None:
    photo = message(Kind.PHOTO, photo_id="abc", media=Media("f"))
    assert photo.rasa_text() == '/share_photo{"photo_id": "abc"}'
    pin = message(Kind.LOCATION, latitude=-6.1, longitude=106.9)
    assert pin.rasa_text() == '/share_location{"latitude": -6.1, "longitude": 106.9}'


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("/start", "/greet"),
        ("/start@aduan_bot", "/greet"),
        ("/batal", "/cancel"),
        (
            '/share_location{"latitude": 1, "longitude": 2}',
            'share_location{"latitude": 1, "longitude": 2}',
        ),
        ("/affirm", "affirm"),
        ("jalan rusak", "jalan rusak"),
    ],
)
def test_typed_text_cannot_inject_intents(typed: str, sent: str) -> None:
    assert message(Kind.TEXT, text=typed).rasa_text() == sent


FORGED = [
    ' /share_photo{"photo_id": "x"}',
    '\n/share_photo{"photo_id": "x"}',
    '\u00a0/share_location{"latitude": 1, "longitude": 2}',
    '\u3000\t/share_location{"latitude": 1, "longitude": 2}\n',
    '/ share_photo{"photo_id": "x"}',
    ' /share_photo@0.9{"photo_id": "x"}',
    '/share_photo \n{"photo_id": "x"}',
]
# Not intents to Rasa, but would be once the gateway took one "/" off.
HIDDEN = [
    '/ /share_photo{"photo_id": "x"}',
    '/\u2003/share_photo{"photo_id": "x"}',
    '//share_photo{"photo_id": "x"}',
]
# How Rasa 3.6 reads a message (UserMessage strips it, unpack_regex_message
# strips it again and matches this, then strips the intent name), to check
# what the gateway sends without Rasa's environment; test_full_stack.py checks
# the same against the real Rasa.
RASA_READS = re.compile(r"^/(?P<intent>[^{@]+)(?P<conf>@[0-9.]+)?(?P<entities>{.+})?")


def read_as_gateways(text: str) -> bool:
    """Whether Rasa would take `text` as a gateway intent, or with a gateway entity."""
    match = RASA_READS.match(text.strip().strip())
    if match is None or not match["intent"].strip().isidentifier():
        return False  # Rasa ignores an intent its domain does not have
    try:
        entities = json.loads(match["entities"] or "{}")
    except ValueError:
        entities = {}
    gateway_entities = {"photo_id", "latitude", "longitude"}
    return match["intent"].strip() in {"share_photo", "share_location"} or bool(
        gateway_entities & set(entities)
    )


@pytest.mark.parametrize("forged", FORGED + HIDDEN)
@pytest.mark.parametrize("kind", [Kind.TEXT, Kind.BUTTON])
def test_gateway_intents_cannot_be_typed_after_rasas_normalisation(kind: Kind, forged: str) -> None:
    assert read_as_gateways(forged) is (forged not in HIDDEN)
    sent = message(kind, text=forged, payload=forged).rasa_text()
    assert not read_as_gateways(sent)
    assert "share_" in sent  # the words still reach Rasa, as plain text


@pytest.mark.parametrize(
    "payload",
    ['/affirm{"photo_id": "x"}', '/choose_category{"category": "pkl", "latitude": -6.2}'],
)
def test_a_button_cannot_carry_gateway_entities(payload: str) -> None:
    assert read_as_gateways(payload)
    assert not read_as_gateways(message(Kind.BUTTON, payload=payload).rasa_text())


def test_zero_width_characters_are_left_as_rasa_leaves_them() -> None:
    """Python's str.strip (and so Rasa) keeps U+200B and U+FEFF: no "/" prefix then."""
    for text in ('\u200b/share_photo{"photo_id": "x"}', '\ufeff/share_photo{"photo_id": "x"}'):
        assert not read_as_gateways(text)
        assert message(Kind.TEXT, text=text).rasa_text() == text


def test_button_payload_goes_as_is_unless_gateway_only() -> None:
    assert message(Kind.BUTTON, payload='/choose_category{"category": "pkl"}').rasa_text() == (
        '/choose_category{"category": "pkl"}'
    )
    forged = message(Kind.BUTTON, payload='/share_photo{"photo_id": "x"}')
    assert forged.rasa_text() == 'share_photo{"photo_id": "x"}'


def test_unsupported_never_reaches_rasa() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        message(Kind.UNSUPPORTED, unsupported="sticker").rasa_text()


def test_reply_from_rasa_reads_buttons_and_location_request() -> None:
    reply = Reply.from_rasa(
        {
            "recipient_id": "telegram:42",
            "text": "Di mana?",
            "buttons": [{"title": "Lewati", "payload": "/skip"}, {"title": "no payload"}],
            "custom": {"request_location": True},
        }
    )
    assert reply.text == "Di mana?"
    assert [(b.title, b.payload) for b in reply.buttons] == [("Lewati", "/skip")]
    assert reply.request_location is True
    assert (
        Reply.from_rasa({"text": "x", "custom": {"request_location": "yes"}}).request_location
        is False
    )


def test_bare_location_request_joins_the_question_before_it() -> None:
    question = Reply("Di mana lokasinya?")
    bare = Reply.from_rasa({"custom": {"request_location": True}})
    assert Reply.merge_location_requests([question, bare]) == [
        Reply("Di mana lokasinya?", request_location=True)
    ]
    with_buttons = Reply("Pilih", [Button("Lewati", "/skip")])
    assert Reply.merge_location_requests([with_buttons, bare]) == [with_buttons, bare]
    assert Reply.merge_location_requests([bare]) == [bare]


def test_handoff_custom_payload_is_read_and_not_visible() -> None:
    bare = Reply.from_rasa({"custom": {"handoff": "open"}})
    assert bare.handoff_open is True
    assert bare.visible is False
    assert Reply.from_rasa({"text": "Baik.", "custom": {"handoff": "open"}}).visible is True
    assert Reply.from_rasa({"text": "x", "custom": {"handoff": "closed"}}).handoff_open is False


def test_only_web_image_urls_are_kept() -> None:
    assert Reply.from_rasa({"image": "https://x.test/a.jpg"}).image == "https://x.test/a.jpg"
    assert Reply.from_rasa({"image": "javascript:alert(1)"}).image is None
    assert Reply.from_rasa({"image": 5}).image is None
