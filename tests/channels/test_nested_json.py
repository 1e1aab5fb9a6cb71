"""Deeply nested JSON is a 400 on every webhook, never a RecursionError (500)."""

import json
import uuid

import httpx
import pytest

from bot.channels import jsonread
from tests.channels.conftest import WEBHOOK_SECRET, Fakes, tg_post, tg_update, wa_post, wait_for

ARRAYS = b"[" * 100_000 + b"]" * 100_000
OBJECTS = b'{"a":' * 50_000 + b"1" + b"}" * 50_000


def nested(depth: int) -> bytes:
    return b'{"a":[' * (depth // 2) + b'"[[{{"' + b"]}" * (depth // 2)


def test_depth_is_bounded_before_parsing() -> None:
    assert jsonread.loads(nested(jsonread.MAX_DEPTH)) is not None  # brackets in strings skipped
    for body in (nested(jsonread.MAX_DEPTH + 2), ARRAYS, OBJECTS, b"[" * 50, b"[}"):
        with pytest.raises(jsonread.Malformed):
            jsonread.loads(body)
    escaped = json.dumps({"text": 'say "[[[[" \\ {{'}).encode()
    assert jsonread.loads(escaped) == {"text": 'say "[[[[" \\ {{'}


def test_only_utf8_is_read() -> None:
    with pytest.raises(jsonread.Malformed):
        jsonread.loads('{"a": 1}'.encode("utf-16"))


@pytest.mark.parametrize("body", [ARRAYS, OBJECTS], ids=["arrays", "objects"])
def test_nested_bodies_are_400_and_change_nothing(
    gateway: httpx.Client, fakes: Fakes, body: bytes
) -> None:
    telegram = gateway.post(
        "/telegram/webhook",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
    )
    assert telegram.status_code == 400
    assert wa_post(gateway, body).status_code == 400  # validly signed
    web = gateway.post(
        "/web/api/messages", content=body, headers={"Content-Type": "application/json"}
    )
    assert web.status_code == 400
    wrapped = b'{"sender": "%s", "text": %s}' % (str(uuid.uuid4()).encode(), body)
    web = gateway.post(
        "/web/api/messages", content=wrapped, headers={"Content-Type": "application/json"}
    )
    assert web.status_code == 400
    assert fakes.rasa.received == []
    assert fakes.backend.uploads == []
    assert tg_post(gateway, tg_update(1, 77, text="halo")).status_code == 200  # still serving
    wait_for(lambda: fakes.rasa.received == [("telegram:77", "halo")], message="halo reaches Rasa")
