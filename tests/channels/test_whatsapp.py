"""WhatsApp Cloud API end to end: signed webhooks in, fake Graph API out."""

import json
from typing import Any

import httpx
import pytest

from bot.channels import texts
from bot.channels.messages import Button, Reply
from bot.channels.whatsapp import WhatsAppChannel
from tests.channels.conftest import (
    MAX_PHOTO,
    WA_VERIFY,
    Fakes,
    Gateways,
    jpeg,
    settle,
    sign,
    unused_url,
    wa_body,
    wa_message,
    wa_post,
    wait_for,
)
from tests.channels.fakes.backend import photo_id

WA_ID = "6281234567890"
SENDER = f"whatsapp:{WA_ID}"


def text(wamid: str, body: str, sender: str = WA_ID) -> dict[str, Any]:
    return wa_message(wamid, sender, "text", text={"body": body})


def sent_bodies(fakes: Fakes) -> list[str]:
    return [m["text"]["body"] for m in fakes.graph.sent_to(WA_ID) if m["type"] == "text"]


def test_verification_handshake_echoes_challenge(gateway: httpx.Client) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1158201444"}
    response = gateway.get("/whatsapp/webhook", params=params)
    assert response.status_code == 200
    assert response.text == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1"},
        {},
    ],
)
def test_verification_with_wrong_token_is_refused(
    gateway: httpx.Client, params: dict[str, str]
) -> None:
    response = gateway.get("/whatsapp/webhook", params=params)
    assert response.status_code == 403
    assert "1" not in response.text


def test_missing_signature_is_401_and_nothing_processed(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    assert wa_post(gateway, wa_body(text("wamid.A1", "halo")), signature=None).status_code == 401
    settle()
    assert fakes.rasa.received == []


@pytest.mark.parametrize(
    "signature",
    ["sha256=" + "0" * 64, "sha1=abc", "garbage", sign(b"another body")],
)
def test_wrong_signature_is_403_and_nothing_processed(
    gateway: httpx.Client, fakes: Fakes, signature: str
) -> None:
    response = wa_post(gateway, wa_body(text("wamid.A2", "halo")), signature=signature)
    assert response.status_code == 403
    settle()
    assert fakes.rasa.received == []
    assert fakes.graph.sent == []


def test_signature_from_another_app_secret_is_refused(gateway: httpx.Client) -> None:
    raw = json.dumps(wa_body(text("wamid.A3", "halo"))).encode()
    response = wa_post(gateway, raw, signature=sign(raw, secret="other-app-secret"))
    assert response.status_code == 403


def test_text_round_trip(gateway: httpx.Client, fakes: Fakes) -> None:
    assert wa_post(gateway, wa_body(text("wamid.B1", "sampah numpuk"))).status_code == 200
    wait_for(lambda: fakes.graph.sent)
    assert fakes.rasa.received == [(SENDER, "sampah numpuk")]
    assert fakes.graph.sent == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": WA_ID,
            "type": "text",
            "text": {"body": "echo: sampah numpuk", "preview_url": False},
        }
    ]


def test_image_is_fetched_stored_and_shared(gateway: httpx.Client, fakes: Fakes) -> None:
    data = jpeg(4000, seed=9)
    fakes.graph.media["MEDIA1"] = (data, "image/jpeg")
    image = {"id": "MEDIA1", "mime_type": "image/jpeg", "sha256": "x"}
    wa_post(gateway, wa_body(wa_message("wamid.C1", WA_ID, "image", image=image)))
    wait_for(lambda: fakes.rasa.received)
    assert fakes.graph.downloads == ["MEDIA1"]
    assert fakes.backend.uploads == [data]
    assert fakes.rasa.received == [
        (SENDER, "/share_photo" + json.dumps({"photo_id": photo_id(data)}))
    ]


def test_too_large_image_is_refused_without_download(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.graph.media["BIG"] = (jpeg(MAX_PHOTO + 10), "image/jpeg")
    wa_post(gateway, wa_body(wa_message("wamid.C2", WA_ID, "image", image={"id": "BIG"})))
    wait_for(lambda: fakes.graph.sent)
    assert sent_bodies(fakes) == [texts.PHOTO_TOO_LARGE.format(limit="64 KB")]
    assert fakes.graph.downloads == []
    assert fakes.rasa.received == []


def test_image_of_wrong_type_is_refused(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.graph.media["GIF"] = (b"GIF89a" + bytes(10), "image/gif")
    image = {"id": "GIF", "mime_type": "image/gif"}
    wa_post(gateway, wa_body(wa_message("wamid.C3", WA_ID, "image", image=image)))
    wait_for(lambda: fakes.graph.sent)
    assert sent_bodies(fakes) == [texts.PHOTO_WRONG_TYPE]
    assert fakes.rasa.received == []


def test_location_becomes_share_location(gateway: httpx.Client, fakes: Fakes) -> None:
    place = {"latitude": -6.2297, "longitude": 106.8295, "name": "Kuningan"}
    wa_post(gateway, wa_body(wa_message("wamid.D1", WA_ID, "location", location=place)))
    wait_for(lambda: fakes.rasa.received)
    expected = '/share_location{"latitude": -6.2297, "longitude": 106.8295}'
    assert fakes.rasa.received == [(SENDER, expected)]


@pytest.mark.parametrize("kind", ["button_reply", "list_reply"])
def test_interactive_reply_sends_its_id(gateway: httpx.Client, fakes: Fakes, kind: str) -> None:
    payload = '/choose_category{"category": "banjir"}'
    interactive = {"type": kind, kind: {"id": payload, "title": "Banjir"}}
    wa_post(gateway, wa_body(wa_message("wamid.E1", WA_ID, "interactive", interactive=interactive)))
    wait_for(lambda: fakes.rasa.received)
    assert fakes.rasa.received == [(SENDER, payload)]


def test_statuses_are_ignored_with_200(gateway: httpx.Client, fakes: Fakes) -> None:
    status = {"id": "wamid.OUT1", "status": "delivered", "timestamp": "1", "recipient_id": WA_ID}
    assert wa_post(gateway, wa_body(statuses=[status])).status_code == 200
    settle()
    assert fakes.rasa.received == []
    assert fakes.graph.sent == []


@pytest.mark.parametrize(
    ("kind", "content", "word"),
    [
        ("sticker", {"sticker": {"id": "S1", "mime_type": "image/webp"}}, "stiker"),
        ("audio", {"audio": {"id": "A1", "mime_type": "audio/ogg", "voice": True}}, "pesan suara"),
        ("video", {"video": {"id": "V1", "mime_type": "video/mp4"}}, "video"),
        ("document", {"document": {"id": "D1", "mime_type": "application/pdf"}}, "dokumen"),
        ("contacts", {"contacts": [{"name": {"formatted_name": "Budi"}}]}, "kontak"),
    ],
)
def test_unsupported_content_gets_what_we_accept(
    gateway: httpx.Client, fakes: Fakes, kind: str, content: dict[str, Any], word: str
) -> None:
    wa_post(gateway, wa_body(wa_message("wamid.F1", WA_ID, kind, **content)))
    wait_for(lambda: fakes.graph.sent)
    assert sent_bodies(fakes) == [texts.UNSUPPORTED.format(what=word)]
    assert fakes.rasa.received == []


def test_redelivered_message_is_processed_once(gateway: httpx.Client, fakes: Fakes) -> None:
    body = wa_body(text("wamid.G1", "ya kirim"))
    assert wa_post(gateway, body).status_code == 200
    assert wa_post(gateway, body).status_code == 200
    wait_for(lambda: fakes.graph.sent)
    settle()
    assert fakes.rasa.received == [(SENDER, "ya kirim")]


def test_redelivery_after_restart_is_not_processed(gateways: Gateways, fakes: Fakes) -> None:
    body = wa_body(text("wamid.G2", "ya kirim"))
    wa_post(gateways.start(), body)
    wait_for(lambda: fakes.rasa.received)
    gateways.stop_all()
    again = gateways.start()
    assert wa_post(again, body).status_code == 200
    wa_post(again, wa_body(text("wamid.G3", "berikutnya")))
    wait_for(lambda: len(fakes.rasa.received) == 2)
    assert [m for _, m in fakes.rasa.received] == ["ya kirim", "berikutnya"]


MALFORMED: dict[str, Any] = {
    "not json": b"{nope",
    "a list": [],
    "entry not a list": {"entry": {"changes": []}},
    "message without from": {
        "entry": [{"changes": [{"value": {"messages": [{"id": "x", "type": "text"}]}}]}]
    },
    "text without body": wa_body(wa_message("wamid.H1", WA_ID, "text", text={})),
    "location without latitude": wa_body(
        wa_message("wamid.H2", WA_ID, "location", location={"longitude": 1})
    ),
    "interactive without reply": wa_body(
        wa_message("wamid.H3", WA_ID, "interactive", interactive={"type": "button_reply"})
    ),
    "message without type": wa_body({"from": WA_ID, "id": "wamid.H4"}),
    "latitude out of range": wa_body(
        wa_message("wamid.H5", WA_ID, "location", location={"latitude": 106.8, "longitude": -6.2})
    ),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_body_is_400(gateway: httpx.Client, fakes: Fakes, name: str) -> None:
    assert wa_post(gateway, MALFORMED[name]).status_code == 400
    settle(0.1)
    assert fakes.rasa.received == []


def test_rasa_down_gets_apology(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(rasa_url=unused_url())
    wa_post(gateway, wa_body(text("wamid.I1", "halo")))
    wait_for(lambda: fakes.graph.sent)
    assert sent_bodies(fakes) == [texts.BOT_DOWN]


def test_buttons_are_interactive_buttons(gateway: httpx.Client, fakes: Fakes) -> None:
    wa_post(gateway, wa_body(text("wamid.J1", "tombol")))
    sent = wait_for(lambda: fakes.graph.sent)
    interactive = sent[0]["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"] == {"text": "Sudah benar?"}
    assert interactive["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": "/affirm", "title": "Ya, kirim"}},
        {"type": "reply", "reply": {"id": "/deny", "title": "Bukan, ulangi dari…"}},
    ]


def test_many_buttons_become_lists_of_ten(gateway: httpx.Client, fakes: Fakes) -> None:
    wa_post(gateway, wa_body(text("wamid.J2", "kategori")))
    wait_for(lambda: len(fakes.graph.sent) == 2)
    lists = [m["interactive"] for m in fakes.graph.sent]
    assert [m["type"] for m in lists] == ["list", "list"]
    rows = [r for m in lists for r in m["action"]["sections"][0]["rows"]]
    assert [len(m["action"]["sections"][0]["rows"]) for m in lists] == [10, 2]
    assert rows[2] == {"id": '/choose_category{"category": "banjir"}', "title": "Banjir"}
    assert lists[0]["body"]["text"] == "Pilih kategori:"


def test_location_request_message(gateway: httpx.Client, fakes: Fakes) -> None:
    wa_post(gateway, wa_body(text("wamid.J3", "lokasi")))
    sent = wait_for(lambda: fakes.graph.sent)
    assert sent[0]["interactive"] == {
        "type": "location_request_message",
        "body": {"text": "Di mana lokasinya?"},
        "action": {"name": "send_location"},
    }


def test_render_limits_titles_and_long_ids() -> None:
    channel = WhatsAppChannel(
        httpx.AsyncClient(),
        api_base_url="http://127.0.0.1:9",
        access_token="t",
        phone_number_id="1",
        max_photo_bytes=1,
    )
    long_payload = "/inform" + json.dumps({"text": "x" * 300})
    buttons = [Button("Judul yang jauh lebih panjang dari dua puluh", long_payload)]
    [message] = channel.render(Reply("Pilih", buttons))
    reply = message["interactive"]["action"]["buttons"][0]["reply"]
    assert len(reply["title"]) <= 20
    assert len(reply["id"]) <= 200
    assert channel._payloads.expand(reply["id"]) == long_payload
