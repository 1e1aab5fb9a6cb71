"""Handoff routing: while a chat talks to an officer, its messages go to the backend."""

import json
import random
from typing import Any

import httpx

from bot.channels import texts
from tests.channels.conftest import (
    Fakes,
    Gateways,
    WebUser,
    jpeg,
    settle,
    tg_post,
    tg_update,
    wa_body,
    wa_message,
    wa_post,
    wait_for,
)
from tests.channels.fakes.backend import photo_id
from tests.channels.fakes.rasa import HANDOFF_TEXT

CHAT = 5560001
SENDER = f"telegram:{CHAT}"
WA_USER = "6281300000001"


def hand_off(gateway: httpx.Client, fakes: Fakes, update_id: int, chat: int = CHAT) -> None:
    """The citizen asks for an officer; Rasa's action opened the conversation."""
    fakes.backend.handed_off.add(f"telegram:{chat}")
    tg_post(gateway, tg_update(update_id, chat, text="petugas"))
    wait_for(lambda: fakes.telegram.sent_texts(chat), message="handoff reply")


def test_custom_payload_is_not_shown_and_routes_next_messages(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    hand_off(gateway, fakes, 1)
    settle(0.2)
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT]
    assert len(fakes.telegram.sent_to(CHAT)) == 1  # the bare custom part sent nothing

    tg_post(gateway, tg_update(2, CHAT, text="halo pak, got di depan rumah mampet"))
    tg_post(gateway, tg_update(3, CHAT, location={"latitude": -6.25, "longitude": 106.8}))
    wait_for(lambda: len(fakes.backend.inbox) == 2)
    assert fakes.backend.inbox == [
        {
            "sender_id": SENDER,
            "text": "halo pak, got di depan rumah mampet",
            "photo_id": None,
            "latitude": None,
            "longitude": None,
        },
        {
            "sender_id": SENDER,
            "text": None,
            "photo_id": None,
            "latitude": -6.25,
            "longitude": 106.8,
        },
    ]
    assert fakes.rasa.messages_from(SENDER) == ["petugas"]
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT]  # no bot answer meanwhile


def test_photo_while_handed_off_is_stored_then_forwarded(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    hand_off(gateway, fakes, 10)
    data = jpeg(3000, seed=9)
    fakes.telegram.files["ph-1"] = data
    size = {"file_id": "ph-1", "file_unique_id": "u", "width": 800, "height": 600}
    tg_post(gateway, tg_update(11, CHAT, photo=[{**size, "file_size": len(data)}]))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert fakes.backend.uploads == [data]
    assert forwarded["photo_id"] == photo_id(data)
    assert fakes.rasa.messages_from(SENDER) == ["petugas"]


def test_button_press_while_handed_off_is_its_title(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 20)
    chat = {"id": CHAT, "type": "private", "first_name": "Warga"}
    keyboard = [[{"text": "Ya, kirim", "callback_data": "/affirm"}]]
    press = {
        "update_id": 21,
        "callback_query": {
            "id": "cb21",
            "from": {"id": CHAT, "is_bot": False, "first_name": "Warga"},
            "chat_instance": "ci",
            "data": "/affirm",
            "message": {
                "message_id": 5,
                "date": 1_700_000_000,
                "chat": chat,
                "text": "Sudah benar?",
                "reply_markup": {"inline_keyboard": keyboard},
            },
        },
    }
    tg_post(gateway, press)
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert forwarded["text"] == "Ya, kirim"
    assert fakes.rasa.messages_from(SENDER) == ["petugas"]


def test_no_handoff_clears_the_flag_and_rasa_answers(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 30)
    fakes.backend.handed_off.clear()  # the officer closed it; the news is not out yet
    tg_post(gateway, tg_update(31, CHAT, text="halo lagi"))
    wait_for(lambda: "echo: halo lagi" in fakes.telegram.sent_texts(CHAT))
    tg_post(gateway, tg_update(32, CHAT, text="mau lapor"))
    wait_for(lambda: "echo: mau lapor" in fakes.telegram.sent_texts(CHAT))
    assert fakes.backend.inbox_attempts == 1  # the flag is gone: the second went straight
    assert fakes.rasa.messages_from(SENDER) == ["petugas", "halo lagi", "mau lapor"]


def test_inbox_down_gets_the_apology(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 40)
    fakes.backend.inbox_failing = True
    tg_post(gateway, tg_update(41, CHAT, text="pak?"))
    wait_for(lambda: texts.BOT_DOWN in fakes.telegram.sent_texts(CHAT))
    assert fakes.rasa.messages_from(SENDER) == ["petugas"]
    fakes.backend.inbox_failing = False
    tg_post(gateway, tg_update(42, CHAT, text="pak? (kirim ulang)"))
    wait_for(lambda: fakes.backend.inbox)  # still handed off


def test_ends_handoff_news_gives_the_chat_back_to_rasa(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 50)
    closing = "Petugas telah menutup percakapan. Anda kembali dilayani asisten otomatis."
    fakes.backend.queue_news(
        900, "telegram", str(CHAT), closing, kind="handoff_closed", ends_handoff=True
    )
    wait_for(lambda: fakes.backend.reports)
    assert fakes.backend.reports == [(900, "delivered", None)]
    tg_post(gateway, tg_update(51, CHAT, text="makasih"))
    wait_for(lambda: "echo: makasih" in fakes.telegram.sent_texts(CHAT))
    assert fakes.backend.inbox_attempts == 0
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT, closing, "echo: makasih"]


def test_restart_keeps_the_handoff(gateways: Gateways, fakes: Fakes) -> None:
    hand_off(gateways.start(), fakes, 60)
    gateways.stop_all()
    tg_post(gateways.start(), tg_update(61, CHAT, text="masih di sana pak?"))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert forwarded["text"] == "masih di sana pak?"
    assert fakes.rasa.messages_from(SENDER) == ["petugas"]


def test_handoff_on_redis_is_shared_by_replicas(
    gateways: Gateways, fakes: Fakes, redis_url: str
) -> None:
    chat = random.randint(10**9, 2 * 10**9)  # Redis outlives the test: fresh ids
    first = gateways.start(redis_url=redis_url)
    hand_off(first, fakes, chat, chat=chat)
    second = gateways.start(redis_url=redis_url)
    tg_post(second, tg_update(chat + 1, chat, text="dari replika lain"))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert forwarded["text"] == "dari replika lain"


def test_whatsapp_messages_while_handed_off(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.backend.handed_off.add(f"whatsapp:{WA_USER}")
    wa_post(gateway, wa_body(wa_message("wamid.H1", WA_USER, "text", text={"body": "petugas"})))
    wait_for(lambda: fakes.graph.sent_to(WA_USER))
    reply: dict[str, Any] = {"id": "/affirm", "title": "Ya, kirim"}
    press = {"type": "button_reply", "button_reply": reply}
    wa_post(gateway, wa_body(wa_message("wamid.H2", WA_USER, "interactive", interactive=press)))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert forwarded["text"] == "Ya, kirim"
    assert [m["text"]["body"] for m in fakes.graph.sent_to(WA_USER)] == [HANDOFF_TEXT]


def test_web_chat_handoff_reply_arrives_through_the_inbox(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    user = WebUser(gateway)
    fakes.backend.handed_off.add(user.sender)
    first = user.say(text="petugas")
    assert [r["text"] for r in first.json()["replies"]] == [HANDOFF_TEXT]
    second = user.say(text="halo pak")
    assert second.json() == {"replies": []}
    assert [m["text"] for m in fakes.backend.inbox] == ["halo pak"]
    fakes.backend.queue_news(
        901, "web", user.chat_id, "Halo, saya Budi dari CRM.", kind="handoff_reply"
    )
    wait_for(lambda: fakes.backend.reports)
    news = user.inbox().json()["messages"]
    assert [m["text"] for m in news] == ["Halo, saya Budi dari CRM."]
    assert json.dumps(news)  # plain JSON for the page
