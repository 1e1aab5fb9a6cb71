"""The web chat page and its API, through the same pipeline."""

import json
import uuid

import httpx

from bot.channels import texts
from tests.channels.conftest import MAX_PHOTO, Fakes, Gateways, jpeg, unused_url
from tests.channels.fakes.backend import photo_id


def say(gateway: httpx.Client, sender: str, **fields: object) -> httpx.Response:
    return gateway.post("/web/api/messages", json={"sender": sender, **fields})


def test_page_and_vendored_assets_are_served(gateway: httpx.Client) -> None:
    page = gateway.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for asset in ("/static/chat.js", "/static/vendor/leaflet/leaflet.js"):
        assert asset in page.text
        assert gateway.get(asset).status_code == 200
    assert "http" not in page.text.split("<body>", 1)[1]  # no CDN: every script is ours


def test_text_round_trip(gateway: httpx.Client, fakes: Fakes) -> None:
    sender = str(uuid.uuid4())
    response = say(gateway, sender, text="halo min", id=str(uuid.uuid4()))
    assert response.status_code == 200
    assert response.json() == {
        "replies": [
            {"text": "echo: halo min", "buttons": [], "request_location": False, "image": None}
        ]
    }
    assert fakes.rasa.received == [(f"web:{sender}", "halo min")]


def test_buttons_and_location_request_reach_the_page(gateway: httpx.Client) -> None:
    sender = str(uuid.uuid4())
    buttons = say(gateway, sender, text="tombol").json()["replies"][0]["buttons"]
    assert buttons[0] == {"title": "Ya, kirim", "payload": "/affirm"}
    assert say(gateway, sender, text="lokasi").json()["replies"][0]["request_location"] is True


def test_button_payload_and_location(gateway: httpx.Client, fakes: Fakes) -> None:
    sender = str(uuid.uuid4())
    say(gateway, sender, payload="/affirm")
    say(gateway, sender, latitude=-6.2, longitude=106.8)
    assert fakes.rasa.messages_from(f"web:{sender}") == [
        "/affirm",
        '/share_location{"latitude": -6.2, "longitude": 106.8}',
    ]


def test_photo_upload_is_stored_and_shared(gateway: httpx.Client, fakes: Fakes) -> None:
    sender = str(uuid.uuid4())
    data = jpeg(3000, seed=5)
    response = gateway.post(
        "/web/api/photos",
        data={"sender": sender},
        files={"file": ("jalan.jpg", data, "image/jpeg")},
    )
    assert response.status_code == 200
    assert fakes.backend.uploads == [data]
    expected = "/share_photo" + json.dumps({"photo_id": photo_id(data)})
    assert fakes.rasa.messages_from(f"web:{sender}") == [expected]


def test_non_image_upload_is_refused(gateway: httpx.Client, fakes: Fakes) -> None:
    response = gateway.post(
        "/web/api/photos",
        data={"sender": str(uuid.uuid4())},
        files={"file": ("surat.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert response.json()["replies"][0]["text"] == texts.PHOTO_WRONG_TYPE
    assert fakes.backend.uploads == []


def test_retried_message_id_is_processed_once(gateway: httpx.Client, fakes: Fakes) -> None:
    sender, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    say(gateway, sender, text="ya kirim", id=message_id)
    again = say(gateway, sender, text="ya kirim", id=message_id)
    assert again.json() == {"replies": [], "duplicate": True}
    assert fakes.rasa.messages_from(f"web:{sender}") == ["ya kirim"]


def test_bad_requests_are_400(gateway: httpx.Client, fakes: Fakes) -> None:
    assert say(gateway, "not-a-uuid", text="halo").status_code == 400
    assert say(gateway, str(uuid.uuid4())).status_code == 400
    assert say(gateway, str(uuid.uuid4()), latitude=123, longitude=1).status_code == 400
    raw = gateway.post(
        "/web/api/messages", content=b"{", headers={"content-type": "application/json"}
    )
    assert raw.status_code == 400
    assert fakes.rasa.received == []


def test_rasa_down_apologises(gateways: Gateways) -> None:
    gateway = gateways.start(rasa_url=unused_url())
    replies = say(gateway, str(uuid.uuid4()), text="halo").json()["replies"]
    assert [r["text"] for r in replies] == [texts.BOT_DOWN]


def test_web_chat_can_be_switched_off(gateways: Gateways) -> None:
    gateway = gateways.start(web_chat_enabled=False)
    assert gateway.get("/").status_code == 404
    assert say(gateway, str(uuid.uuid4()), text="halo").status_code == 404


def test_oversized_upload_is_refused_before_parsing(gateway: httpx.Client, fakes: Fakes) -> None:
    response = gateway.post(
        "/web/api/photos",
        data={"sender": str(uuid.uuid4())},
        files={"file": ("besar.jpg", jpeg(MAX_PHOTO + 70 * 1024), "image/jpeg")},
    )
    assert response.status_code == 413
    assert response.json()["replies"][0]["text"] == texts.PHOTO_TOO_LARGE.format(limit="64 KB")
    assert fakes.backend.uploads == []
    assert fakes.rasa.received == []


def test_photo_just_over_the_limit_is_refused_politely(gateway: httpx.Client, fakes: Fakes) -> None:
    response = gateway.post(
        "/web/api/photos",
        data={"sender": str(uuid.uuid4())},
        files={"file": ("besar.jpg", jpeg(MAX_PHOTO + 1), "image/jpeg")},
    )
    assert response.status_code == 200
    assert response.json()["replies"][0]["text"] == texts.PHOTO_TOO_LARGE.format(limit="64 KB")
    assert fakes.backend.uploads == []


def test_malformed_photo_forms_are_400(gateway: httpx.Client) -> None:
    photo = {"file": ("a.jpg", jpeg(100), "image/jpeg")}
    assert gateway.post("/web/api/photos", files=photo).status_code == 400
    no_file = gateway.post("/web/api/photos", data={"sender": str(uuid.uuid4())})
    assert no_file.status_code == 400
    text_file = gateway.post("/web/api/photos", data={"sender": str(uuid.uuid4()), "file": "x"})
    assert text_file.status_code == 400
    bad_sender = gateway.post("/web/api/photos", data={"sender": "nope"}, files=photo)
    assert bad_sender.status_code == 400
