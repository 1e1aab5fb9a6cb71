"""`GET|POST /whatsapp/webhook`: the verification handshake and signed deliveries."""

import hmac
import logging
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from bot.channels import jsonread
from bot.channels.whatsapp import signature_valid

if TYPE_CHECKING:
    from bot.channels.app import Gateway

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])


@router.get("/whatsapp/webhook")
async def whatsapp_verify(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    expected = gateway.settings.whatsapp_verify_token
    params = request.query_params
    token = params.get("hub.verify_token", "")
    if (
        expected is not None
        and params.get("hub.mode") == "subscribe"
        and hmac.compare_digest(token.encode(), expected.get_secret_value().encode())
    ):
        return PlainTextResponse(params.get("hub.challenge", ""))
    log.warning("whatsapp webhook verification refused")
    return JSONResponse({"error": "forbidden"}, status_code=403)


@router.post("/whatsapp/webhook")
async def whatsapp_webhook(request: Request) -> JSONResponse:
    gateway: Gateway = request.app.state.gateway
    if gateway.whatsapp is None:
        return JSONResponse({"error": "whatsapp_not_configured"}, status_code=404)
    body = await request.body()
    header = request.headers.get("X-Hub-Signature-256")
    if not header:
        log.warning("whatsapp webhook refused: no signature")
        return JSONResponse({"error": "signature_missing"}, status_code=401)
    secret = gateway.settings.whatsapp_app_secret
    if secret is None or not signature_valid(body, header, secret.get_secret_value()):
        log.warning("whatsapp webhook refused: bad signature")
        return JSONResponse({"error": "signature_invalid"}, status_code=403)
    try:
        messages = gateway.whatsapp.parse(jsonread.loads(body))
    except ValueError:  # jsonread.Malformed: not JSON, too deep, or not a webhook
        return JSONResponse({"error": "malformed_webhook"}, status_code=400)
    for incoming in messages:
        await gateway.pipeline.submit(incoming)
    return JSONResponse({"ok": True})
