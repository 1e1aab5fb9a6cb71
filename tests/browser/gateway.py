"""The running gateway for browser tests: fake Telegram and fake Rasa on loopback.

The gateway (in this process, its own thread and event loop) claims the
backend's outbox with the backend's service token and delivers to the fake Bot
API, so a test sees what the citizen's Telegram would show.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from bot.channels.app import create_app
from bot.channels.config import Settings
from tests.channels.fakes import rasa, telegram
from tests.channels.fakes.server import LiveServer

BOT_TOKEN = "123456:BROWSER-token"
WEBHOOK_SECRET = "browser-webhook-secret"


@dataclass
class RunningGateway:
    url: str
    telegram: telegram.FakeTelegram
    rasa: rasa.FakeRasa

    def post_update(self, update: dict[str, Any]) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        response = httpx.post(f"{self.url}/telegram/webhook", json=update, headers=headers)
        assert response.status_code == 200, response.text


@contextmanager
def running_gateway(
    backend_url: str, service_token: str, folder: Path, rasa_url: str | None = None
) -> Iterator[RunningGateway]:
    """A gateway against `backend_url`; Rasa is a fake unless `rasa_url` is given."""
    fake_telegram = telegram.FakeTelegram(BOT_TOKEN)
    fake_rasa = rasa.FakeRasa()
    servers = [LiveServer(telegram.build_app(fake_telegram)).start()]
    if rasa_url is None:
        servers.append(LiveServer(rasa.build_app(fake_rasa)).start())
        rasa_url = servers[-1].url
    settings = Settings(
        _env_file=None,
        rasa_url=rasa_url,
        backend_url=backend_url,
        backend_service_token=SecretStr(service_token),
        telegram_api_base_url=f"{servers[0].url}/bot",
        telegram_file_base_url=f"{servers[0].url}/file/bot",
        telegram_bot_token=SecretStr(BOT_TOKEN),
        telegram_webhook_secret=SecretStr(WEBHOOK_SECRET),
        telegram_public_url="https://aduan.example.test",
        redis_url=None,
        gateway_db_path=folder / "gateway.db",
        typing_delay_seconds=5.0,
        outbox_poll_seconds=0.2,
        web_chat_enabled=False,
    )
    gateway = LiveServer(create_app(settings)).start()
    try:
        yield RunningGateway(gateway.url, fake_telegram, fake_rasa)
    finally:
        gateway.stop()
        for server in servers:
            server.stop()
