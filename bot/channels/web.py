"""The web chat: a page at `/` talking to the same pipeline (sender `web:<uuid>`).

Each chat is a session the server starts (`POST /web/api/session`, web_session.py):
its secret travels in an HttpOnly cookie, and the chat id is derived from it, so
the page never knows or sends a chat id. Replies come back in the HTTP response
instead of being pushed, so the web channel's `send` has nothing to do. News
nobody asked for just now (status changes, officers' replies) waits in the chat's
mailbox: the page reads it with `GET /web/api/inbox` (which deletes nothing) and
acknowledges what it showed with `POST /web/api/inbox/ack`.

A web chat costs nothing to start, so besides the pipeline's limit per chat,
messages are limited per client address (`WEB_FLOOD_MAX_PER_ADDRESS`).
"""

import asyncio
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.formparsers import MultiPartException

from bot.channels import texts, web_session
from bot.channels.base import PermanentFailure
from bot.channels.flood import FloodLimiter
from bot.channels.messages import Incoming, Kind, Media, Reply, size_text
from bot.channels.state import Mailbox

if TYPE_CHECKING:
    from bot.channels.app import Gateway

NAME = "web"
STATIC = Path(__file__).parent / "static"
REPLY_TIMEOUT_SECONDS = 90.0
PHOTO_PATH = "/web/api/photos"
FORM_FIELD_BYTES = 64 * 1024  # the multipart fields and framing around a photo


def upload_limit(photo_max_bytes: int) -> int:
    """The body cap of a photo upload: the photo and the form around it."""
    return photo_max_bytes + FORM_FIELD_BYTES


def too_large(photo_max_bytes: int) -> dict[str, Any]:
    """What the page shows for a photo over the limit (413 before the body is read)."""
    refusal = Reply(texts.PHOTO_TOO_LARGE.format(limit=size_text(photo_max_bytes)))
    return {"error": "payload_too_large", "replies": [refusal.as_json()]}


class WebChannel:
    name = NAME

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Replies travel back in the HTTP response."""

    async def typing(self, chat_id: str) -> None:
        """The page shows its own typing dots."""

    async def notify(self, chat_id: str, reply: Reply, ticket_id: str | None) -> None:
        try:
            uuid.UUID(chat_id)
        except ValueError as exc:  # not a web-chat user (a walk-in without a chat)
            raise PermanentFailure("not a web chat id") from exc
        await self.mailbox.put(chat_id, reply.as_json())

    async def fetch_media(self, media: Media) -> tuple[bytes, str]:
        raise RuntimeError("web chat photos arrive with their bytes")


class WebMessage(BaseModel):
    id: uuid.UUID | None = Field(default=None, description="client message id, for retries")
    text: str | None = Field(default=None, max_length=4000)
    payload: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=200, description="the button's title")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Acknowledgement(BaseModel):
    upto: int = Field(ge=0, description="the last news id the page showed")


def _delivery(chat: str, message_id: uuid.UUID | None) -> str:
    return f"{chat}/{message_id or uuid.uuid4()}"


def _incoming(chat: str, message: WebMessage) -> Incoming | None:
    delivery = _delivery(chat, message.id)
    if message.latitude is not None and message.longitude is not None:
        return Incoming(
            NAME,
            chat,
            delivery,
            Kind.LOCATION,
            latitude=message.latitude,
            longitude=message.longitude,
        )
    if message.payload:
        title = message.title or ""
        return Incoming(NAME, chat, delivery, Kind.BUTTON, text=title, payload=message.payload)
    if message.text and message.text.strip():
        return Incoming(NAME, chat, delivery, Kind.TEXT, text=message.text)
    return None


async def _run(gateway: "Gateway", incoming: Incoming) -> JSONResponse:
    outcome = await gateway.pipeline.submit(incoming)
    if outcome is None:
        return JSONResponse({"replies": [], "duplicate": True})
    try:
        replies = await asyncio.wait_for(asyncio.shield(outcome), REPLY_TIMEOUT_SECONDS)
    except TimeoutError:
        replies = [Reply(texts.BOT_DOWN)]
    return JSONResponse({"replies": [r.as_json() for r in replies]})


def _no_session() -> JSONResponse:
    return JSONResponse({"error": "no_session"}, status_code=401)


def _flooding() -> JSONResponse:
    return JSONResponse(
        {"error": "flooding", "replies": [Reply(texts.FLOOD).as_json()]}, status_code=429
    )


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    addresses = FloodLimiter(app.state.settings.web_flood_max_per_address)

    def address_allowed(request: Request) -> bool:
        allowed, _ = addresses.check(web_session.client_address(request), time.monotonic())
        return allowed

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.post("/web/api/session")
    async def web_session_start(request: Request) -> JSONResponse:
        """Start a chat (a new secret in the cookie), or keep the one the cookie holds."""
        secret = web_session.secret_of(request)
        response = JSONResponse({"new": secret is None})
        web_session.keep(request, response, secret or web_session.new_secret())
        return response

    @app.post("/web/api/messages")
    async def web_message(request: Request, message: WebMessage) -> JSONResponse:
        chat = web_session.chat_of(request)
        if chat is None:
            return _no_session()
        incoming = _incoming(chat, message)
        if incoming is None:
            return JSONResponse({"error": "empty_message"}, status_code=400)
        if not address_allowed(request):
            return _flooding()
        return await _run(request.app.state.gateway, incoming)

    @app.get("/web/api/inbox")
    async def web_inbox(request: Request, after: int = Query(default=0, ge=0)) -> JSONResponse:
        """News for this chat with an id above `after`, oldest first. Reading deletes
        nothing: a response lost on the way is read again; `ack` forgets them."""
        chat = web_session.chat_of(request)
        if chat is None:
            return _no_session()
        gateway: Gateway = request.app.state.gateway
        found = await gateway.mailbox.fetch(chat, after)
        return JSONResponse({"messages": [{"id": n, **item} for n, item in found]})

    @app.post("/web/api/inbox/ack")
    async def web_inbox_ack(request: Request, body: Acknowledgement) -> JSONResponse:
        """Forget this chat's news up to and including id `upto` (the page showed them)."""
        chat = web_session.chat_of(request)
        if chat is None:
            return _no_session()
        gateway: Gateway = request.app.state.gateway
        await gateway.mailbox.ack(chat, body.upto)
        return JSONResponse({"acknowledged": body.upto})

    @app.post(PHOTO_PATH)
    async def web_photo(request: Request) -> JSONResponse:
        """Multipart: optional `id` (uuid), `file`. The body is capped
        (`upload_limit`) before it is parsed."""
        chat = web_session.chat_of(request)
        if chat is None:
            return _no_session()
        gateway: Gateway = request.app.state.gateway
        limit = gateway.settings.photo_max_bytes
        if not address_allowed(request):
            return _flooding()
        try:
            form = await request.form(max_files=1, max_fields=2, max_part_size=FORM_FIELD_BYTES)
            message_id = uuid.UUID(str(form["id"])) if form.get("id") else None
            upload = form["file"]
        except (KeyError, ValueError, MultiPartException, HTTPException):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        if not isinstance(upload, StarletteUploadFile):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        data = await upload.read(limit + 1)
        media = Media("upload", len(data), upload.content_type, data)
        incoming = Incoming(NAME, chat, _delivery(chat, message_id), Kind.PHOTO, media=media)
        return await _run(gateway, incoming)
