"""The gateway's FastAPI app: webhooks of each chat app, the web chat, health."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

# The same cap as the backend's, with the gateway's limits and refusal shape.
from backend.limits import BodySizeLimitMiddleware
from bot.channels import telegram_api, web, whatsapp_api
from bot.channels.base import Channel
from bot.channels.config import Settings, get_settings
from bot.channels.conversations import ConversationClient
from bot.channels.dedupe import make_deduper
from bot.channels.journal import DeliveryJournal, make_journal
from bot.channels.outbox import OutboxWorker
from bot.channels.photos import PhotoClient
from bot.channels.pipeline import Pipeline
from bot.channels.rasa import RasaClient
from bot.channels.state import Mailbox, make_state
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import WhatsAppChannel

log = logging.getLogger(__name__)


@dataclass
class Gateway:
    settings: Settings
    pipeline: Pipeline
    mailbox: Mailbox
    telegram: TelegramChannel | None = None
    whatsapp: WhatsAppChannel | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def spawn(self, coro: "asyncio._CoroutineLike[None]") -> None:
        """Run a side job (answering a callback) without holding up the webhook reply."""
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


def _secret(value: object) -> str | None:
    from pydantic import SecretStr

    return value.get_secret_value() if isinstance(value, SecretStr) else None


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    # Idle connections are dropped before the servers' own keep-alive timeouts (5 s in
    # uvicorn and Sanic), so a request never races a server closing its connection.
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32, keepalive_expiry=2.0)
    http = httpx.AsyncClient(timeout=settings.outbound_timeout_seconds, limits=limits)
    rasa_limits = httpx.Limits(
        max_connections=settings.rasa_max_concurrency,
        max_keepalive_connections=settings.rasa_max_concurrency,
        keepalive_expiry=2.0,
    )
    rasa_http = httpx.AsyncClient(timeout=settings.rasa_timeout_seconds, limits=rasa_limits)
    deduper = make_deduper(
        settings.redis_url, settings.gateway_db_path, settings.dedupe_ttl_seconds
    )
    handoffs, mailbox = make_state(
        settings.redis_url, settings.gateway_db_path, settings.dedupe_ttl_seconds
    )
    channels: dict[str, Channel] = {web.NAME: web.WebChannel(mailbox)}

    telegram: TelegramChannel | None = None
    token = _secret(settings.telegram_bot_token)
    if token:
        telegram = TelegramChannel(
            token,
            http,
            api_base_url=settings.telegram_api_base_url,
            file_base_url=settings.telegram_file_base_url,
            max_photo_bytes=settings.photo_max_bytes,
            timeout=settings.outbound_timeout_seconds,
        )
        channels[telegram.name] = telegram

    whatsapp: WhatsAppChannel | None = None
    wa_token = _secret(settings.whatsapp_access_token)
    if wa_token and settings.whatsapp_phone_number_id:
        whatsapp = WhatsAppChannel(
            http,
            api_base_url=settings.whatsapp_api_base_url,
            access_token=wa_token,
            phone_number_id=settings.whatsapp_phone_number_id,
            max_photo_bytes=settings.photo_max_bytes,
            template=settings.whatsapp_status_template,
            template_language=settings.whatsapp_template_language,
        )
        channels[whatsapp.name] = whatsapp

    rasa = RasaClient(
        rasa_http,
        settings.rasa_url,
        retry_delays=tuple(settings.rasa_retry_base_seconds * k for k in (1, 3, 6)),
        max_concurrency=settings.rasa_max_concurrency,
        parse_timeout=settings.rasa_parse_timeout_seconds,
    )
    service_token = _secret(settings.backend_service_token)
    pipeline = Pipeline(
        rasa=rasa,
        photos=PhotoClient(http, settings.backend_url, service_token, settings.photo_max_bytes),
        deduper=deduper,
        handoffs=handoffs,
        conversations=ConversationClient(http, settings.backend_url, service_token),
        channels=channels,
        flood_limit=settings.flood_max_per_minute,
        typing_delay=settings.typing_delay_seconds,
    )
    gateway = Gateway(settings, pipeline, mailbox, telegram, whatsapp)
    app.state.gateway = gateway
    polling: asyncio.Task[None] | None = None
    outbox: asyncio.Task[None] | None = None
    journal: DeliveryJournal | None = None
    if telegram is not None:
        await telegram.start()
        if settings.telegram_public_url:
            secret = _secret(settings.telegram_webhook_secret)
            if not secret:
                raise RuntimeError("TELEGRAM_PUBLIC_URL needs TELEGRAM_WEBHOOK_SECRET")
            await telegram.set_webhook(settings.telegram_public_url, secret)
        else:
            polling = asyncio.create_task(telegram.poll(telegram_api.polled(gateway)))
            log.info("telegram polling started (no TELEGRAM_PUBLIC_URL)")
    if service_token and settings.outbox_poll_seconds > 0:
        journal = make_journal(settings.redis_url, settings.gateway_db_path)
        worker = OutboxWorker(
            http,
            settings.backend_url,
            service_token,
            channels,
            handoffs=handoffs,
            rasa=rasa,
            journal=journal,
            poll_seconds=settings.outbox_poll_seconds,
        )
        outbox = asyncio.create_task(worker.run(), name="outbox")
    log.info("gateway ready", extra={"channels": sorted(channels)})
    try:
        yield
    finally:
        for task in (polling, outbox):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await pipeline.drain(seconds=10.0)
        if telegram is not None:
            await telegram.stop()
        await deduper.close()
        await handoffs.close()
        await mailbox.close()
        if journal is not None:
            await journal.close()
        await http.aclose()
        await rasa_http.aclose()


async def _bad_request(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": "bad_request", "detail": "malformed request"}, status_code=400)


def _body_caps(app: FastAPI, settings: Settings) -> None:
    """Every body is capped before any route parses it or checks its signature."""

    def refusal(path: str, limit: int) -> dict[str, Any]:
        if path.startswith(web.PHOTO_PATH):
            return web.too_large(settings.photo_max_bytes)
        return {"error": "payload_too_large", "detail": f"body larger than {limit} bytes"}

    app.add_middleware(
        BodySizeLimitMiddleware,
        default_limit=settings.gateway_max_body_bytes,
        upload_limit=web.upload_limit(settings.photo_max_bytes),
        upload_paths=(web.PHOTO_PATH,),
        refusal=refusal,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="Aduan gateway", lifespan=_lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings or get_settings()
    app.add_exception_handler(RequestValidationError, _bad_request)
    _body_caps(app, app.state.settings)
    # The client is the direct peer unless a named proxy says who it forwards for
    # (the server itself never reads those headers: __main__ turns them off).
    if app.state.settings.gateway_trusted_proxies.strip():
        app.add_middleware(
            ProxyHeadersMiddleware, trusted_hosts=app.state.settings.gateway_trusted_proxies
        )
    app.include_router(telegram_api.router)
    app.include_router(whatsapp_api.router)
    if app.state.settings.web_chat_enabled:
        web.mount(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
