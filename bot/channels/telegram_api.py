"""`POST /telegram/webhook`: verify, parse, hand to the pipeline."""

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from bot.channels import jsonread
from bot.channels.messages import Incoming
from bot.channels.telegram import secret_matches

if TYPE_CHECKING:
    from bot.channels.app import Gateway

log = logging.getLogger(__name__)
router = APIRouter(tags=["telegram"])


def _error(status: int, code: str) -> JSONResponse:
    return JSONResponse({"error": code}, status_code=status)


async def handle_update(
    gateway: "Gateway", update: dict[str, Any], incoming: Incoming | None
) -> None:
    telegram = gateway.telegram
    if telegram is None or incoming is None:
        return
    accepted = await gateway.pipeline.submit(incoming)
    if accepted is not None and "callback_query" in update:
        gateway.spawn(telegram.answer_callback(update))


def polled(gateway: "Gateway") -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def handle(update: dict[str, Any]) -> None:
        if gateway.telegram is not None:
            await handle_update(gateway, update, gateway.telegram.parse(update))

    return handle


@router.post("/telegram/webhook")
async def telegram_webhook(request: Request) -> JSONResponse:
    gateway: Gateway = request.app.state.gateway
    if gateway.telegram is None:
        return _error(404, "telegram_not_configured")
    expected: SecretStr | None = gateway.settings.telegram_webhook_secret
    received = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
    if not secret_matches(received, expected.get_secret_value() if expected else None):
        log.warning("telegram webhook refused: bad secret token")
        return _error(403, "forbidden")
    try:
        data: Any = jsonread.loads(await request.body())
    except jsonread.Malformed:
        return _error(400, "invalid_json")
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return _error(400, "not_an_update")
    try:
        incoming = gateway.telegram.parse(data)
    except ValueError:
        return _error(400, "not_an_update")
    await handle_update(gateway, data, incoming)
    return JSONResponse({"ok": True})
