"""The common message shape and how it is said to Rasa."""

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
