"""Every gateway body is capped before it is parsed or its signature checked."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels import web
from bot.channels.app import create_app
from tests.channels.conftest import (
    MAX_PHOTO,
    WEBHOOK_SECRET,
    Fakes,
    WebUser,
    gateway_settings,
    tg_update,
    wa_body,
    wa_message,
    wa_post,
    wait_for,
)
from tests.channels.fakes.server import LiveServer

CAP = 64 * 1024
CHUNK = 64 * 1024
SENT = 32 * 1024 * 1024  # 512 times the cap
# uvicorn hands the app what one socket read brought, up to a few hundred KB
SLACK = 512 * 1024


class ReadCounter:
    """Counts the body bytes the gateway took from the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


@pytest.fixture
def capped(fakes: Fakes, tmp_path: Path) -> Iterator[tuple[httpx.Client, ReadCounter]]:
    settings = gateway_settings(fakes, tmp_path / "gateway.db", gateway_max_body_bytes=CAP)
    counter = ReadCounter(create_app(settings))
    server = LiveServer(counter).start()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client, counter
    server.stop()


def endless() -> Iterator[bytes]:
    """A chunked body far over the cap, counting what the client managed to send."""
    endless.sent = 0  # type: ignore[attr-defined]
    for _ in range(SENT // CHUNK):
        endless.sent += CHUNK  # type: ignore[attr-defined]
        yield b"[" * CHUNK


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/whatsapp/webhook", {"X-Hub-Signature-256": "sha256=" + "0" * 64}),
        ("/telegram/webhook", {"X-Telegram-Bot-Api-Secret-Token": "wrong"}),
        ("/web/api/messages", {}),
        ("/web/api/photos", {"Content-Type": "multipart/form-data; boundary=x"}),
    ],
)
def test_a_chunked_body_over_the_cap_is_refused_near_the_cap(
    capped: tuple[httpx.Client, ReadCounter], fakes: Fakes, path: str, headers: dict[str, str]
) -> None:
    client, counter = capped
    reply = client.post(path, content=endless(), headers=headers)
    assert reply.status_code == 413
    assert reply.json()["error"] == "payload_too_large"
    limit = CAP if path != web.PHOTO_PATH else web.upload_limit(MAX_PHOTO)
    assert counter.read <= limit + SLACK, counter.read
    assert endless.sent <= SENT // 8  # type: ignore[attr-defined] # the connection was closed
    assert fakes.rasa.received == []


def test_a_declared_body_over_the_cap_is_refused_unread(
    capped: tuple[httpx.Client, ReadCounter], fakes: Fakes
) -> None:
    client, counter = capped
    reply = wa_post(client, b"{" * (4 * CAP), signature="sha256=" + "0" * 64)
    assert reply.status_code == 413
    assert counter.read == 0
    assert fakes.rasa.received == []


def test_webhooks_under_the_cap_still_work(
    capped: tuple[httpx.Client, ReadCounter], fakes: Fakes
) -> None:
    client, _ = capped
    body = wa_body(wa_message("wamid.cap1", "6281234567890", "text", text={"body": "halo"}))
    assert wa_post(client, body).status_code == 200
    update = json.dumps(tg_update(7001, 555, text="halo juga")).encode()
    chunked = client.post(
        "/telegram/webhook",
        content=iter([update[:10], update[10:]]),  # chunked: read to the cap, then replayed
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
    )
    assert chunked.status_code == 200
    web = WebUser(client).say(text="hai")
    assert web.status_code == 200
    wait_for(lambda: len(fakes.rasa.received) == 3, message="three messages reach Rasa")
    assert sorted(m for _, m in fakes.rasa.received) == ["hai", "halo", "halo juga"]
