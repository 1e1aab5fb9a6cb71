"""An emergency typed while a chat is handed off gets the 112 advice from the gateway.

Rasa's dialogue never sees a handed-off chat's messages, so the gateway asks
Rasa's NLU (`/model/parse`) about each typed one (fake NLU: tests/channels/fakes/rasa.py).
"""

import time

import httpx
import yaml

from bot.channels import texts
from bot.channels.config import PROJECT_ROOT
from tests.channels.conftest import (
    Fakes,
    Gateways,
    WebUser,
    settle,
    tg_post,
    tg_update,
    wait_for,
)
from tests.channels.fakes.rasa import HANDOFF_TEXT
from tests.channels.test_handoff import CHAT, SENDER, hand_off

FIRE = "pak tolong rumah sebelah kebakaran, ada orang di dalam"


def test_emergency_gets_the_112_advice_and_still_reaches_the_officer(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    hand_off(gateway, fakes, 1)
    tg_post(gateway, tg_update(2, CHAT, text=FIRE))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    wait_for(lambda: texts.EMERGENCY in fakes.telegram.sent_texts(CHAT))
    assert forwarded["text"] == FIRE
    assert fakes.rasa.parsed == [FIRE]
    assert fakes.rasa.messages_from(SENDER) == ["petugas"]  # the dialogue never saw it
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT, texts.EMERGENCY]


def test_ordinary_message_is_only_forwarded(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 10)
    tg_post(gateway, tg_update(11, CHAT, text="pak, gotnya masih mampet"))
    wait_for(lambda: fakes.backend.inbox)
    settle(0.2)
    assert fakes.rasa.parsed == ["pak, gotnya masih mampet"]
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT]


def test_parse_failure_never_loses_the_message(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 20)
    fakes.rasa.parse_failing = True
    tg_post(gateway, tg_update(21, CHAT, text=FIRE))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert forwarded["text"] == FIRE
    settle(0.2)
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT]


def test_slow_parse_does_not_hold_the_message(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(rasa_parse_timeout_seconds=0.2)
    hand_off(gateway, fakes, 30)
    fakes.rasa.parse_delay = 2.0
    started = time.monotonic()
    tg_post(gateway, tg_update(31, CHAT, text=FIRE))
    [forwarded] = wait_for(lambda: fakes.backend.inbox)
    assert time.monotonic() - started < 1.5
    assert forwarded["text"] == FIRE


def test_advice_comes_even_when_the_inbox_is_down(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 40)
    fakes.backend.inbox_failing = True
    tg_post(gateway, tg_update(41, CHAT, text=FIRE))
    wait_for(lambda: texts.BOT_DOWN in fakes.telegram.sent_texts(CHAT))
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT, texts.EMERGENCY, texts.BOT_DOWN]


def test_location_and_buttons_are_not_parsed(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 50)
    tg_post(gateway, tg_update(51, CHAT, location={"latitude": -6.25, "longitude": 106.8}))
    wait_for(lambda: fakes.backend.inbox)
    assert fakes.rasa.parsed == []


def test_web_chat_gets_the_advice_in_its_reply(gateway: httpx.Client, fakes: Fakes) -> None:
    user = WebUser(gateway)
    fakes.backend.handed_off.add(user.sender)
    user.say(text="petugas")
    reply = user.say(text=FIRE)
    assert [r["text"] for r in reply.json()["replies"]] == [texts.EMERGENCY]
    assert [m["text"] for m in fakes.backend.inbox] == [FIRE]


def test_no_handoff_any_more_sends_the_advice_once(gateway: httpx.Client, fakes: Fakes) -> None:
    hand_off(gateway, fakes, 60)
    fakes.backend.handed_off.clear()  # closed; Rasa now answers (here with its echo)
    tg_post(gateway, tg_update(61, CHAT, text=FIRE))
    wait_for(lambda: f"echo: {FIRE}" in fakes.telegram.sent_texts(CHAT))
    assert fakes.telegram.sent_texts(CHAT) == [HANDOFF_TEXT, texts.EMERGENCY, f"echo: {FIRE}"]


def test_advice_has_the_words_of_utter_emergency() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "bot/domain/emergency.yml").read_text("utf-8"))
    assert [r["text"] for r in domain["responses"]["utter_emergency"]] == [texts.EMERGENCY]
