"""Fake Telegram, Graph API, Rasa and backend servers, and a gateway against them.

Everything listens on 127.0.0.1: nothing here can reach the internet.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from pydantic import SecretStr

from bot.channels import web_session
from bot.channels.app import create_app
from bot.channels.config import Settings
from tests.channels.fakes import backend, graph, rasa, telegram
from tests.channels.fakes.server import LiveServer, free_port

BOT_TOKEN = "123456:TEST-token"
WEBHOOK_SECRET = "tg-webhook-secret"
WA_TOKEN = "wa-access-token"
WA_APP_SECRET = "wa-app-secret"
WA_VERIFY = "wa-verify-token"
WA_PHONE_ID = "109876543210"
SERVICE_TOKEN = "service-token"
MAX_PHOTO = 64 * 1024
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({exc}); run scripts/ensure-services.sh"
        )
    return REDIS_URL


@dataclass
class Fakes:
    telegram: telegram.FakeTelegram
    graph: graph.FakeGraph
    rasa: rasa.FakeRasa
    backend: backend.FakeBackend
    telegram_url: str
    graph_url: str
    rasa_url: str
    backend_url: str


@pytest.fixture(scope="session")
def fake_servers() -> Iterator[Fakes]:
    tg = telegram.FakeTelegram(BOT_TOKEN)
    gr = graph.FakeGraph(WA_TOKEN, WA_PHONE_ID)
    ra = rasa.FakeRasa()
    be = backend.FakeBackend(SERVICE_TOKEN, MAX_PHOTO)
    servers = [
        LiveServer(telegram.build_app(tg)).start(),
        LiveServer(graph.build_app(gr)).start(),
        LiveServer(rasa.build_app(ra)).start(),
        LiveServer(backend.build_app(be)).start(),
    ]
    gr.url = servers[1].url
    yield Fakes(tg, gr, ra, be, *(s.url for s in servers))
    for server in servers:
        server.stop()


@pytest.fixture
def fakes(fake_servers: Fakes) -> Fakes:
    for fake in (fake_servers.telegram, fake_servers.graph, fake_servers.rasa):
        fake.reset()
    fake_servers.backend.reset()
    return fake_servers


def gateway_settings(fakes: Fakes, db_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "rasa_url": fakes.rasa_url,
        "rasa_retry_base_seconds": 0.01,
        "backend_url": fakes.backend_url,
        "backend_service_token": SecretStr(SERVICE_TOKEN),
        "telegram_api_base_url": f"{fakes.telegram_url}/bot",
        "telegram_file_base_url": f"{fakes.telegram_url}/file/bot",
        "telegram_bot_token": SecretStr(BOT_TOKEN),
        "telegram_webhook_secret": SecretStr(WEBHOOK_SECRET),
        "telegram_public_url": "https://aduan.example.test",
        "whatsapp_api_base_url": fakes.graph_url,
        "whatsapp_access_token": SecretStr(WA_TOKEN),
        "whatsapp_app_secret": SecretStr(WA_APP_SECRET),
        "whatsapp_verify_token": SecretStr(WA_VERIFY),
        "whatsapp_phone_number_id": WA_PHONE_ID,
        "redis_url": None,
        "gateway_db_path": db_path,
        "photo_max_bytes": MAX_PHOTO,
        "typing_delay_seconds": 0.0,
        "outbox_poll_seconds": 0.1,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class Gateways:
    """Starts gateways against the fakes (settings overridable) and stops them."""

    def __init__(self, fakes: Fakes, db_path: Path) -> None:
        self._fakes = fakes
        self._db_path = db_path
        self._running: list[tuple[LiveServer, httpx.Client]] = []

    def start(self, **overrides: Any) -> httpx.Client:
        settings = gateway_settings(self._fakes, self._db_path, **overrides)
        server = LiveServer(create_app(settings)).start()
        client = httpx.Client(base_url=server.url, timeout=30)
        self._running.append((server, client))
        return client

    def stop_all(self) -> None:
        """Stop like a deploy does: in-flight messages drain, then the process ends."""
        for server, client in self._running:
            client.close()
            server.stop()
        self._running.clear()


@pytest.fixture
def gateways(fakes: Fakes, tmp_path: Path) -> Iterator[Gateways]:
    running = Gateways(fakes, tmp_path / "gateway.db")
    yield running
    running.stop_all()


@pytest.fixture
def gateway(gateways: Gateways) -> httpx.Client:
    return gateways.start()


def wait_for(check: Callable[[], Any], timeout: float = 15.0, message: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting: {message or check}")
        time.sleep(0.02)


def settle(seconds: float = 0.3) -> None:
    """Give the gateway time to do something it must not do."""
    time.sleep(seconds)


def unused_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


# Web chat


class WebUser:
    """One web chat, in its own server-issued session (the cookie), as the page runs it."""

    def __init__(self, gateway: httpx.Client) -> None:
        started = httpx.post(str(gateway.base_url.join("/web/api/session")))
        assert started.status_code == 200, started.text
        self.secret: str = started.cookies[web_session.COOKIE]
        self.chat_id = web_session.chat_id(self.secret)
        self.sender = f"web:{self.chat_id}"
        self.headers = {"Cookie": f"{web_session.COOKIE}={self.secret}"}
        self._gateway = gateway

    def say(self, **fields: Any) -> httpx.Response:
        return self._gateway.post("/web/api/messages", json=fields, headers=self.headers)

    def inbox(self, after: int = 0) -> httpx.Response:
        return self._gateway.get("/web/api/inbox", params={"after": after}, headers=self.headers)

    def ack(self, upto: int) -> httpx.Response:
        return self._gateway.post("/web/api/inbox/ack", json={"upto": upto}, headers=self.headers)

    def photo(self, **request: Any) -> httpx.Response:
        return self._gateway.post("/web/api/photos", headers=self.headers, **request)


# Telegram updates


def tg_update(update_id: int, chat_id: int, **message_fields: Any) -> dict[str, Any]:
    message = {
        "message_id": update_id + 10,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Warga"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
        **message_fields,
    }
    return {"update_id": update_id, "message": message}


def tg_post(
    client: httpx.Client, update: Any, secret: str | None = WEBHOOK_SECRET
) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/telegram/webhook", json=update, headers=headers)


# WhatsApp webhooks


def wa_body(*messages: dict[str, Any], statuses: list[Any] | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": WA_PHONE_ID},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Warga"}, "wa_id": messages[0]["from"]}]
        value["messages"] = list(messages)
    if statuses is not None:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA_ID", "changes": [{"field": "messages", "value": value}]}],
    }


def wa_message(wamid: str, sender: str, kind: str, **content: Any) -> dict[str, Any]:
    return {
        "from": sender,
        "id": wamid,
        "timestamp": str(int(time.time())),
        "type": kind,
        **content,
    }


def sign(body: bytes, secret: str = WA_APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def wa_post(client: httpx.Client, body: Any, signature: str | None = "auto") -> httpx.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "auto":
        headers["X-Hub-Signature-256"] = sign(raw)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post("/whatsapp/webhook", content=raw, headers=headers)


def jpeg(size: int = 2048, seed: int = 0) -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes((i * 7 + seed) % 256 for i in range(size - 4))
