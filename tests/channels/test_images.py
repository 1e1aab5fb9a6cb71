"""Rasa `image` replies are shown in every channel; `custom` never as text."""

import httpx

from tests.channels.conftest import (
    Fakes,
    WebUser,
    tg_post,
    tg_update,
    wa_body,
    wa_message,
    wa_post,
    wait_for,
)
from tests.channels.fakes.rasa import IMAGE_URL

CHAT = 5570001
WA_USER = "6281400000001"


def test_telegram_image_is_a_photo_before_the_text(gateway: httpx.Client, fakes: Fakes) -> None:
    tg_post(gateway, tg_update(1, CHAT, text="gambar"))
    calls = wait_for(
        lambda: len(fakes.telegram.sent_to(CHAT)) == 2 and fakes.telegram.sent_to(CHAT)
    )
    assert [(c.method, c.params.get("photo"), c.params.get("text")) for c in calls] == [
        ("sendPhoto", IMAGE_URL, None),
        ("sendMessage", None, "Contoh foto:"),
    ]


def test_whatsapp_image_is_sent_by_link(gateway: httpx.Client, fakes: Fakes) -> None:
    wa_post(gateway, wa_body(wa_message("wamid.I1", WA_USER, "text", text={"body": "gambar"})))
    sent = wait_for(lambda: len(fakes.graph.sent_to(WA_USER)) == 2 and fakes.graph.sent_to(WA_USER))
    assert sent[0]["type"] == "image"
    assert sent[0]["image"] == {"link": IMAGE_URL}
    assert sent[1]["text"]["body"] == "Contoh foto:"


def test_web_chat_gets_the_image_url(gateway: httpx.Client) -> None:
    reply = WebUser(gateway).say(text="gambar").json()
    assert reply["replies"] == [
        {"text": "Contoh foto:", "buttons": [], "request_location": False, "image": IMAGE_URL}
    ]
