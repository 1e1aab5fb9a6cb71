"""Per-chat order and the flood limit, across channels."""

import threading

import httpx

from bot.channels import texts
from bot.channels.flood import FloodLimiter
from tests.channels.conftest import Fakes, Gateways, WebUser, tg_post, tg_update, wait_for


def test_one_chat_is_handled_in_arrival_order(gateway: httpx.Client, fakes: Fakes) -> None:
    chat = 7001
    words = ["lambat satu", "kedua", "lambat tiga", "empat", "lima"]
    for i, word in enumerate(words):
        assert tg_post(gateway, tg_update(100 + i, chat, text=word)).status_code == 200
    wait_for(lambda: len(fakes.telegram.sent_texts(chat)) == 5)
    assert fakes.telegram.sent_texts(chat) == [f"echo: {w}" for w in words]
    assert fakes.rasa.messages_from(f"telegram:{chat}") == words


def test_a_slow_chat_does_not_hold_up_others(gateway: httpx.Client, fakes: Fakes) -> None:
    slow, quick = 7002, 7003
    for i in range(3):
        tg_post(gateway, tg_update(200 + i, slow, text=f"lambat {i}"))
    tg_post(gateway, tg_update(210, quick, text="cepat"))
    wait_for(lambda: fakes.telegram.sent_texts(quick))
    assert len(fakes.telegram.sent_texts(slow)) < 3


def test_flooding_chat_is_told_once_and_others_go_on(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(flood_max_per_minute=5)
    flooder, other = WebUser(gateway), WebUser(gateway)
    replies = [flooder.say(text=f"pesan {i}").json() for i in range(8)]
    texts_seen = [[r["text"] for r in reply["replies"]] for reply in replies]
    assert texts_seen[:5] == [[f"echo: pesan {i}"] for i in range(5)]
    assert texts_seen[5:] == [[texts.FLOOD], [], []]
    assert len(fakes.rasa.messages_from(flooder.sender)) == 5
    answer = other.say(text="halo").json()
    assert answer["replies"][0]["text"] == "echo: halo"


def test_concurrent_chats_all_get_answers(gateway: httpx.Client, fakes: Fakes) -> None:
    def chat(n: int) -> None:
        for i in range(3):
            tg_post(gateway, tg_update(1000 + n * 10 + i, 8000 + n, text=f"m{i}"))

    threads = [threading.Thread(target=chat, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait_for(lambda: len(fakes.telegram.called("sendMessage")) == 60, timeout=30)
    for n in range(20):
        assert fakes.telegram.sent_texts(8000 + n) == ["echo: m0", "echo: m1", "echo: m2"]


def test_flood_window_slides() -> None:
    limiter = FloodLimiter(limit=2, window_seconds=60)
    assert limiter.check("a", 0.0) == (True, False)
    assert limiter.check("a", 1.0) == (True, False)
    assert limiter.check("a", 2.0) == (False, True)
    assert limiter.check("a", 3.0) == (False, False)
    assert limiter.check("b", 3.0) == (True, False)
    assert limiter.check("a", 60.5) == (True, False)


def test_idle_keys_are_forgotten() -> None:
    limiter = FloodLimiter(limit=2, window_seconds=60)
    for n in range(999):
        limiter.check(f"chat-{n}", 0.0)
    assert len(limiter) == 999
    limiter.check("late", 61.0)  # the thousandth check sweeps the idle ones
    assert len(limiter) == 1
