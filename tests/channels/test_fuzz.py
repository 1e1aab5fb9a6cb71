"""Fuzzing the gateway's webhooks and web chat API: never a 5xx, and bad input
changes nothing.

Telegram is posted with the right secret and WhatsApp with a valid signature,
so every body reaches the parsers. Bodies: arbitrary JSON, arbitrary bytes,
JSON nested past the depth bound, bodies over the cap (64 KB here), and
updates shaped like the real ones with fuzzed field values. Each test is
bounded (`max_examples`) so the file runs in well under a minute.
Hypothesis draws new examples each run (its database in `.hypothesis/`
replays a failure first).
"""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.conftest import (
    WEBHOOK_SECRET,
    Fakes,
    Gateways,
    WebUser,
    settle,
    tg_update,
    wa_body,
    wa_message,
    wa_post,
    wait_for,
)

CAP = 64 * 1024
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
# 50 examples per test, two tests per webhook and four for the web chat API:
# about 100 bodies per endpoint, the file in about 30 s on two cores.
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)
nested = st.builds(
    lambda depth, objects: (
        (b'{"a":' * depth + b"1" + b"}" * depth) if objects else (b"[" * depth + b"]" * depth)
    ),
    st.integers(min_value=33, max_value=100_000),
    st.booleans(),
)
oversized = st.builds(
    lambda extra, filler: b'{"a": "' + filler * (CAP + extra) + b'"}',
    st.integers(min_value=1, max_value=4 * CAP),
    st.sampled_from([b"x", b"[", b"\\\\", b"\xff"]),
)
bad_bodies = (
    json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=2000)
    | nested
    | oversized
)


@pytest.fixture
def capped(gateways: Gateways) -> httpx.Client:
    return gateways.start(gateway_max_body_bytes=CAP)


def nothing_stored(fakes: Fakes) -> None:
    """No message went to Rasa, the backend or a chat (checked after a pause)."""
    settle(0.3)
    assert fakes.rasa.received == []
    assert fakes.rasa.parsed == []
    assert fakes.backend.uploads == []
    assert fakes.backend.inbox == []
    assert fakes.telegram.called("sendMessage") == []
    assert fakes.telegram.downloads == []
    assert fakes.graph.sent == []


def tg_raw(client: httpx.Client, body: bytes) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    return client.post("/telegram/webhook", content=body, headers=headers)


def web_raw(client: httpx.Client, body: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    return client.post("/web/api/messages", content=body, headers=headers)


POSTERS: dict[str, Callable[[httpx.Client, bytes], httpx.Response]] = {
    "telegram": tg_raw,
    "whatsapp": wa_post,  # signed
    "web": web_raw,
}


@pytest.mark.parametrize("endpoint", sorted(POSTERS))
def test_bad_bodies_are_4xx_and_change_nothing(
    capped: httpx.Client, fakes: Fakes, endpoint: str
) -> None:
    post = POSTERS[endpoint]

    @FUZZ
    @given(body=bad_bodies)
    def check(body: bytes) -> None:
        try:
            reply = post(capped, body)
        except httpx.TransportError:
            # Refused unread: the gateway closes the connection after its 413, and
            # a client still sending may see the reset before it reads the answer.
            assert len(body) > CAP
            return
        assert reply.status_code < 500, (reply.status_code, body[:200])
        if len(body) > CAP:
            assert reply.status_code == 413

    check()
    nothing_stored(fakes)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["sender", "id", "text", "payload", "title", "latitude", "longitude"]),
        json_values,
        max_size=7,
    ),
)
def test_web_chat_messages_with_fuzzed_fields_are_never_5xx(
    capped: httpx.Client, fakes: Fakes, fields: dict[str, Any]
) -> None:
    before = len(fakes.rasa.received)
    reply = capped.post("/web/api/messages", json=fields)  # answered once Rasa has answered
    assert reply.status_code < 500, (reply.status_code, fields)
    if reply.status_code >= 400:
        assert len(fakes.rasa.received) == before


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["sender", "after", "x"]), st.text(max_size=40), max_size=3
    ),
)
def test_the_web_inbox_is_never_5xx(capped: httpx.Client, query: dict[str, str]) -> None:
    assert capped.get("/web/api/inbox", params=query).status_code < 500


def test_fuzzed_photo_uploads_without_a_sender_store_nothing(
    capped: httpx.Client, fakes: Fakes
) -> None:
    @FUZZ
    @given(
        upload=st.binary(max_size=3000),
        form=st.dictionaries(st.sampled_from(["sender", "id", "file"]), st.text(max_size=40)),
    )
    def check(upload: bytes, form: dict[str, str]) -> None:
        files = {"file": ("x.jpg", upload, "image/jpeg")} if upload else None
        reply = capped.post("/web/api/photos", data=form, files=files)
        assert reply.status_code < 500, (reply.status_code, form, upload[:50])

    check()
    assert fakes.backend.uploads == []  # no sender was a uuid, so nothing went on


update_ids = iter(range(10_000_000, 20_000_000))
tg_messages = st.fixed_dictionaries(
    {},
    optional={
        "text": json_values,
        "photo": st.lists(
            st.fixed_dictionaries(
                {"file_id": json_values},
                optional={"width": json_values, "height": json_values, "file_size": json_values},
            ),
            max_size=3,
        )
        | json_values,
        "location": st.fixed_dictionaries({"latitude": json_values, "longitude": json_values})
        | json_values,
        "document": st.fixed_dictionaries({"file_id": json_values, "mime_type": json_values}),
        "sticker": json_values,
        "chat": json_values,
    },
)


def test_telegram_updates_with_fuzzed_fields_are_never_5xx(
    capped: httpx.Client, fakes: Fakes
) -> None:
    @FUZZ
    @given(fields=tg_messages, callback=st.none() | json_values)
    def check(fields: dict[str, Any], callback: Any) -> None:
        update = tg_update(next(update_ids), 424242, **fields)
        if callback is not None:
            update["callback_query"] = callback
        reply = tg_raw(capped, json.dumps(update).encode())
        assert reply.status_code < 500, (reply.status_code, update)

    check()
    still_serving(capped, fakes)


wa_contents = st.sampled_from(["text", "image", "location", "interactive", "sticker", "x"]).flatmap(
    lambda kind: st.tuples(st.just(kind), st.dictionaries(st.just(kind), json_values, max_size=1))
)


def test_whatsapp_webhooks_with_fuzzed_fields_are_never_5xx(
    capped: httpx.Client, fakes: Fakes
) -> None:
    @FUZZ
    @given(content=wa_contents, sender=json_values, statuses=st.none() | json_values)
    def check(content: tuple[str, dict[str, Any]], sender: Any, statuses: Any) -> None:
        kind, fields = content
        message = wa_message(f"wamid.FZ{next(update_ids)}", "6281200000000", kind, **fields)
        message["from"] = sender
        reply = wa_post(capped, wa_body(message, statuses=statuses))
        assert reply.status_code < 500, (reply.status_code, message)

    check()
    still_serving(capped, fakes)


def still_serving(client: httpx.Client, fakes: Fakes) -> None:
    """After the fuzzing, a normal message still gets through."""
    user = WebUser(client)
    reply = user.say(text="halo")
    assert reply.status_code == 200
    wait_for(lambda: (user.sender, "halo") in fakes.rasa.received, message="halo")
