"""Telegram end to end: fake Bot API <- gateway -> fake Rasa / fake backend."""

import json
import random
import struct
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels import texts
from tests.channels.conftest import (
    MAX_PHOTO,
    WEBHOOK_SECRET,
    Fakes,
    Gateways,
    jpeg,
    settle,
    tg_post,
    tg_update,
    unused_url,
    wait_for,
)
from tests.channels.fakes.backend import photo_id

CHAT = 5550001


def test_start_registers_webhook_with_secret(gateway: httpx.Client, fakes: Fakes) -> None:
    calls = fakes.telegram.called("setWebhook")
    assert calls == [
        {
            "url": "https://aduan.example.test/telegram/webhook",
            "secret_token": WEBHOOK_SECRET,
            "allowed_updates": ["message", "callback_query"],
        }
    ]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_webhook_without_right_secret_is_refused(
    gateway: httpx.Client, fakes: Fakes, secret: str | None
) -> None:
    response = tg_post(gateway, tg_update(1, CHAT, text="halo"), secret=secret)
    assert response.status_code == 403
    settle()
    assert fakes.rasa.received == []
    assert fakes.telegram.called("sendMessage") == []


def test_text_goes_to_rasa_and_reply_comes_back(gateway: httpx.Client, fakes: Fakes) -> None:
    assert tg_post(gateway, tg_update(2, CHAT, text="jalan bolong")).status_code == 200
    wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert fakes.rasa.received == [(f"telegram:{CHAT}", "jalan bolong")]
    assert fakes.telegram.sent_texts(CHAT) == ["echo: jalan bolong"]
    assert fakes.telegram.called("sendChatAction") == [{"chat_id": CHAT, "action": "typing"}]


def test_several_rasa_replies_are_sent_in_order(gateway: httpx.Client, fakes: Fakes) -> None:
    tg_post(gateway, tg_update(3, CHAT, text="dua"))
    wait_for(lambda: len(fakes.telegram.sent_texts(CHAT)) == 2)
    assert fakes.telegram.sent_texts(CHAT) == ["satu", "dua"]


def test_rasa_buttons_become_inline_keyboard(gateway: httpx.Client, fakes: Fakes) -> None:
    tg_post(gateway, tg_update(4, CHAT, text="tombol"))
    sent = wait_for(lambda: fakes.telegram.called("sendMessage"))
    assert sent[0]["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Ya, kirim", "callback_data": "/affirm"}],
            [{"text": "Bukan, ulangi dari awal", "callback_data": "/deny"}],
        ]
    }


def test_long_button_payload_round_trips(gateway: httpx.Client, fakes: Fakes) -> None:
    tg_post(gateway, tg_update(5, CHAT, text="kategori"))
    sent = wait_for(lambda: fakes.telegram.called("sendMessage"))
    rows = sent[0]["reply_markup"]["inline_keyboard"]
    assert len(rows) == 12
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in rows)
    long_one = next(r[0] for r in rows if r[0]["text"] == "Penerangan Jalan")
    tg_post(gateway, callback_update(6, long_one["callback_data"]))
    wait_for(lambda: len(fakes.rasa.received) == 2)
    assert fakes.rasa.received[1][1] == '/choose_category{"category": "penerangan_jalan"}'


def test_location_request_shows_reply_keyboard(gateway: httpx.Client, fakes: Fakes) -> None:
    tg_post(gateway, tg_update(7, CHAT, text="lokasi"))
    sent = wait_for(lambda: fakes.telegram.called("sendMessage"))
    assert sent[0]["text"] == "Di mana lokasinya?"
    keyboard = sent[0]["reply_markup"]
    assert keyboard["keyboard"] == [[{"text": "Kirim lokasi", "request_location": True}]]
    assert keyboard["one_time_keyboard"] is True


def callback_update(update_id: int, data: str, chat_id: int = CHAT) -> dict[str, Any]:
    chat = {"id": chat_id, "type": "private", "first_name": "Warga"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
            "chat_instance": "ci-1",
            "data": data,
            "message": {
                "message_id": 77,
                "date": 1_700_000_000,
                "chat": chat,
                "from": {"id": 4242, "is_bot": True, "first_name": "Aduan"},
                "text": "Sudah benar?",
            },
        },
    }


def test_button_press_sends_payload_and_is_answered(gateway: httpx.Client, fakes: Fakes) -> None:
    assert tg_post(gateway, callback_update(8, "/affirm")).status_code == 200
    wait_for(lambda: fakes.telegram.called("answerCallbackQuery"))
    wait_for(lambda: fakes.rasa.received)
    assert fakes.rasa.received == [(f"telegram:{CHAT}", "/affirm")]
    assert fakes.telegram.called("answerCallbackQuery") == [{"callback_query_id": "cb8"}]
    edits = wait_for(lambda: fakes.telegram.called("editMessageReplyMarkup"))
    assert edits == [{"chat_id": CHAT, "message_id": 77}]


def test_forged_gateway_intent_in_button_is_neutralised(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    tg_post(gateway, callback_update(9, '/share_photo{"photo_id": "someone-else"}'))
    wait_for(lambda: fakes.rasa.received)
    assert fakes.rasa.received[0][1] == 'share_photo{"photo_id": "someone-else"}'


def test_photo_largest_size_is_stored_and_shared(gateway: httpx.Client, fakes: Fakes) -> None:
    small, large = jpeg(500, seed=1), jpeg(5000, seed=2)
    fakes.telegram.files.update({"small-id": small, "large-id": large})
    sizes = [
        {"file_id": "small-id", "file_unique_id": "s", "width": 90, "height": 60, "file_size": 500},
        {
            "file_id": "large-id",
            "file_unique_id": "l",
            "width": 1280,
            "height": 960,
            "file_size": 5000,
        },
    ]
    tg_post(gateway, tg_update(10, CHAT, photo=sizes))
    wait_for(lambda: fakes.rasa.received)
    assert fakes.telegram.downloads == ["large-id"]
    assert fakes.backend.uploads == [large]
    expected = "/share_photo" + json.dumps({"photo_id": photo_id(large)})
    assert fakes.rasa.received == [(f"telegram:{CHAT}", expected)]


def test_image_sent_as_document_counts_as_photo(gateway: httpx.Client, fakes: Fakes) -> None:
    data = jpeg(3000, seed=3)
    fakes.telegram.files["doc-id"] = data
    document = {
        "file_id": "doc-id",
        "file_unique_id": "d",
        "file_name": "IMG_1.jpg",
        "mime_type": "image/jpeg",
        "file_size": len(data),
    }
    tg_post(gateway, tg_update(11, CHAT, document=document))
    wait_for(lambda: fakes.rasa.received)
    assert fakes.rasa.received[0][1].startswith("/share_photo")


def test_a_photo_with_too_many_pixels_is_refused_for_its_dimensions(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    """A 30000×30000 PNG is small in bytes: the citizen hears about its dimensions."""
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 1, 0, 0, 0, 0)
    ihdr = b"IHDR" + header
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
    fakes.telegram.files["peta"] = png
    document = {"file_id": "peta", "file_unique_id": "p", "mime_type": "image/png"}
    tg_post(gateway, tg_update(13, CHAT, document=document))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.PHOTO_TOO_MANY_PIXELS]
    assert fakes.rasa.received == []


def test_too_large_photo_is_refused_without_download(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.telegram.files["big-id"] = jpeg(1000)
    size = MAX_PHOTO + 1
    photo = [
        {
            "file_id": "big-id",
            "file_unique_id": "b",
            "width": 4000,
            "height": 3000,
            "file_size": size,
        }
    ]
    tg_post(gateway, tg_update(12, CHAT, photo=photo))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.PHOTO_TOO_LARGE.format(limit="64 KB")]
    assert fakes.telegram.downloads == []
    assert fakes.rasa.received == []


def test_photo_the_backend_rejects_gets_polite_refusal(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.telegram.files["gif-id"] = b"GIF89a" + bytes(100)
    photo = [
        {"file_id": "gif-id", "file_unique_id": "g", "width": 10, "height": 10, "file_size": 106}
    ]
    tg_post(gateway, tg_update(13, CHAT, photo=photo))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.PHOTO_WRONG_TYPE]
    assert fakes.rasa.received == []


def test_location_becomes_share_location(gateway: httpx.Client, fakes: Fakes) -> None:
    tg_post(gateway, tg_update(14, CHAT, location={"latitude": -6.2615, "longitude": 106.8106}))
    wait_for(lambda: fakes.rasa.received)
    expected = '/share_location{"latitude": -6.2615, "longitude": 106.8106}'
    assert fakes.rasa.received == [(f"telegram:{CHAT}", expected)]


def test_venue_becomes_share_location(gateway: httpx.Client, fakes: Fakes) -> None:
    place = {"latitude": -6.1754, "longitude": 106.8272}
    venue = {"location": place, "title": "Monas", "address": "Gambir"}
    tg_post(gateway, tg_update(15, CHAT, venue=venue, location=place))
    wait_for(lambda: fakes.rasa.received)
    assert json.loads(fakes.rasa.received[0][1].removeprefix("/share_location")) == place


FILE = {"file_id": "f", "file_unique_id": "u"}
UNSUPPORTED = {
    "sticker": (
        {
            **FILE,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
        "stiker",
    ),
    "voice": ({**FILE, "duration": 3}, "pesan suara"),
    "video": ({**FILE, "width": 1, "height": 1, "duration": 3}, "video"),
    "document": ({**FILE, "file_name": "surat.pdf", "mime_type": "application/pdf"}, "dokumen"),
    "contact": ({"phone_number": "+62811000000", "first_name": "Budi"}, "kontak"),
}


@pytest.mark.parametrize("field", sorted(UNSUPPORTED))
def test_unsupported_content_gets_what_we_accept(
    gateway: httpx.Client, fakes: Fakes, field: str
) -> None:
    content, word = UNSUPPORTED[field]
    tg_post(gateway, tg_update(16, CHAT, **{field: content}))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.UNSUPPORTED.format(what=word)]
    assert fakes.rasa.received == []


def test_group_messages_are_ignored(gateway: httpx.Client, fakes: Fakes) -> None:
    update = tg_update(17, -100123, text="halo")
    update["message"]["chat"] = {"id": -100123, "type": "group", "title": "RT 05"}
    assert tg_post(gateway, update).status_code == 200
    settle()
    assert fakes.rasa.received == []


def test_redelivered_update_is_processed_once(gateway: httpx.Client, fakes: Fakes) -> None:
    update = tg_update(18, CHAT, text="ya kirim")
    assert tg_post(gateway, update).status_code == 200
    assert tg_post(gateway, update).status_code == 200
    wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    settle()
    assert fakes.rasa.received == [(f"telegram:{CHAT}", "ya kirim")]


def test_redelivery_after_restart_is_not_processed(gateways: Gateways, fakes: Fakes) -> None:
    update = tg_update(19, CHAT, text="ya kirim")
    tg_post(gateways.start(), update)
    wait_for(lambda: fakes.rasa.received)
    gateways.stop_all()
    again = gateways.start()
    assert tg_post(again, update).status_code == 200
    tg_post(again, tg_update(20, CHAT, text="yang baru"))
    wait_for(lambda: len(fakes.rasa.received) == 2)
    assert [m for _, m in fakes.rasa.received] == ["ya kirim", "yang baru"]


MALFORMED: dict[str, Any] = {
    "not json": b"{nope",
    "a list": [1, 2],
    "no update_id": {"message": {"text": "x"}},
    "update_id as string": {"update_id": "7", "message": {}},
    "message without chat": {"update_id": 21, "message": {"message_id": 1, "date": 1, "text": "x"}},
    "message as string": {"update_id": 22, "message": "halo"},
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_body_is_400(gateway: httpx.Client, fakes: Fakes, name: str) -> None:
    body = MALFORMED[name]
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    if isinstance(body, bytes):
        response = gateway.post("/telegram/webhook", content=body, headers=headers)
    else:
        response = gateway.post("/telegram/webhook", json=body, headers=headers)
    assert response.status_code == 400
    settle(0.1)
    assert fakes.rasa.received == []


def test_rasa_down_gets_apology(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(rasa_url=unused_url())
    tg_post(gateway, tg_update(23, CHAT, text="halo"))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.BOT_DOWN]


def test_rasa_error_gets_apology_without_retry(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.rasa.failing = True
    tg_post(gateway, tg_update(24, CHAT, text="ya kirim"))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.BOT_DOWN]


def test_backend_down_photo_gets_apology(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(backend_url=unused_url())
    fakes.telegram.files["p-id"] = jpeg(100)
    photo = [
        {"file_id": "p-id", "file_unique_id": "p", "width": 10, "height": 10, "file_size": 100}
    ]
    tg_post(gateway, tg_update(25, CHAT, photo=photo))
    sent = wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert sent == [texts.PHOTO_FAILED]
    assert fakes.rasa.received == []


def test_polling_mode_without_public_url(gateways: Gateways, fakes: Fakes) -> None:
    fakes.telegram.pending_updates.append(tg_update(26, CHAT, text="dari polling"))
    gateway = gateways.start(telegram_public_url=None)
    wait_for(lambda: fakes.telegram.sent_texts(CHAT))
    assert fakes.rasa.received == [(f"telegram:{CHAT}", "dari polling")]
    assert fakes.telegram.called("deleteWebhook")
    assert fakes.telegram.called("setWebhook") == []
    assert gateway.get("/healthz").status_code == 200


def test_webhook_needs_telegram_configured(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(telegram_bot_token=None)
    assert tg_post(gateway, tg_update(27, CHAT, text="halo")).status_code == 404
    assert fakes.telegram.calls == []


def test_bot_initialises_with_get_me_first(gateway: httpx.Client, fakes: Fakes) -> None:
    # The fake answers 401 to any token but BOT_TOKEN, so this also proves the path.
    assert fakes.telegram.calls[0].method == "getMe"


def test_redelivery_to_another_replica_with_redis_is_not_processed(
    gateways: Gateways, fakes: Fakes, tmp_path: Path
) -> None:
    # Two replicas with separate local files: only the shared Redis can know.
    redis_url = "redis://127.0.0.1:6379/15"
    update_id = random.randrange(10**6, 10**9)  # the keys outlive this test run
    update = tg_update(update_id, CHAT, text="ya kirim")
    tg_post(gateways.start(redis_url=redis_url, gateway_db_path=tmp_path / "a.db"), update)
    wait_for(lambda: fakes.rasa.received)
    gateways.stop_all()
    again = gateways.start(redis_url=redis_url, gateway_db_path=tmp_path / "b.db")
    assert tg_post(again, update).status_code == 200
    tg_post(again, tg_update(update_id + 1, CHAT, text="yang baru"))
    wait_for(lambda: len(fakes.rasa.received) == 2)
    assert [m for _, m in fakes.rasa.received] == ["ya kirim", "yang baru"]
