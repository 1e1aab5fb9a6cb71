"""The web chat: a page at `/` talking to the same pipeline (sender `web:<uuid>`).

Replies come back in the HTTP response instead of being pushed, so the web
channel's `send` has nothing to do. News nobody asked for just now (status
changes, officers' replies) waits in the sender's mailbox until the page polls
`GET /web/api/inbox`.
"""

import asyncio
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

from bot.channels import texts
from bot.channels.base import PermanentFailure
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
    sender: uuid.UUID
    id: uuid.UUID | None = Field(default=None, description="client message id, for retries")
    text: str | None = Field(default=None, max_length=4000)
    payload: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=200, description="the button's title")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


def _incoming(message: WebMessage) -> Incoming | None:
    delivery = str(message.id or uuid.uuid4())
    chat = str(message.sender)
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


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.post("/web/api/messages")
    async def web_message(request: Request, message: WebMessage) -> JSONResponse:
        incoming = _incoming(message)
        if incoming is None:
            return JSONResponse({"error": "empty_message"}, status_code=400)
        return await _run(request.app.state.gateway, incoming)

    @app.get("/web/api/inbox")
    async def web_inbox(
        request: Request, sender: uuid.UUID, after: int = Query(default=0, ge=0)
    ) -> JSONResponse:
        """News for this chat with an id above `after` (the last one the page showed,
        so a reply lost on the way is fetched again); older ones are forgotten."""
        gateway: Gateway = request.app.state.gateway
        found = await gateway.mailbox.fetch(str(sender), after)
        return JSONResponse({"messages": [{"id": n, **item} for n, item in found]})

    @app.post(PHOTO_PATH)
    async def web_photo(request: Request) -> JSONResponse:
        """Multipart: `sender` (uuid), optional `id` (uuid), `file`. The body is capped
        (`upload_limit`) before it is parsed."""
        gateway: Gateway = request.app.state.gateway
        limit = gateway.settings.photo_max_bytes
        try:
            form = await request.form(max_files=1, max_fields=3, max_part_size=FORM_FIELD_BYTES)
            sender = uuid.UUID(str(form["sender"]))
            message_id = uuid.UUID(str(form["id"])) if form.get("id") else uuid.uuid4()
            upload = form["file"]
        except (KeyError, ValueError, MultiPartException, HTTPException):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        if not isinstance(upload, StarletteUploadFile):
            return JSONResponse({"error": "bad_request"}, status_code=400)
        data = await upload.read(limit + 1)
        media = Media("upload", len(data), upload.content_type, data)
        incoming = Incoming(NAME, str(sender), str(message_id), Kind.PHOTO, media=media)
        return await _run(gateway, incoming)
