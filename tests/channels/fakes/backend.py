"""A fake of the backend's photo, outbox and handoff-inbox APIs."""

import hashlib
import struct
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000  # the backend's PHOTO_MAX_PIXELS


def _png_pixels(data: bytes) -> int:
    """Width × height from a PNG's IHDR (right after the signature)."""
    width, height = struct.unpack(">II", data[16:24]) if len(data) >= 24 else (0, 0)
    return int(width * height)


@dataclass
class FakeBackend:
    token: str
    max_bytes: int
    uploads: list[bytes] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    reports: list[tuple[int, str, Any]] = field(default_factory=list)
    marked_sending: list[int] = field(default_factory=list)
    refuse_sending: set[int] = field(default_factory=set)  # already sent by another gateway
    reports_failing: bool = False  # the backend goes down after the claim
    handed_off: set[str] = field(default_factory=set)  # senders with an open conversation
    inbox: list[dict[str, Any]] = field(default_factory=list)  # messages they sent
    inbox_attempts: int = 0
    inbox_failing: bool = False

    def reset(self) -> None:
        self.uploads.clear()
        self.outbox.clear()
        self.reports.clear()
        self.marked_sending.clear()
        self.refuse_sending.clear()
        self.reports_failing = False
        self.handed_off.clear()
        self.inbox.clear()
        self.inbox_attempts = 0
        self.inbox_failing = False

    def queue_news(
        self, message_id: int, channel: str, chat_id: str, text: str, **fields: Any
    ) -> None:
        self.outbox.append(
            {
                "id": message_id,
                "channel": channel,
                "chat_id": chat_id,
                "kind": "status_news",
                "ticket_id": "JKT-7K3M-Q9XA",
                "text": text,
                "attempts": 0,
                "buttons": [],
                "ends_handoff": False,
                "rasa_slots": {},
                "uncertain": False,
                **fields,
            }
        )


def photo_id(data: bytes) -> str:
    return "ph_" + hashlib.sha256(data).hexdigest()[:16]


def build_app(fake: FakeBackend) -> FastAPI:
    app = FastAPI()

    def authorized(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {fake.token}"

    @app.post("/api/v1/outbox/claim")
    async def claim(request: Request, limit: int = 20) -> JSONResponse:
        if not authorized(request):
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        batch, fake.outbox[:] = fake.outbox[:limit], fake.outbox[limit:]
        for message in batch:
            message["attempts"] += 1
        return JSONResponse({"messages": batch})

    @app.post("/api/v1/outbox/sending")
    async def sending(request: Request) -> JSONResponse:
        if not authorized(request):
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        ids = [i for i in (await request.json())["ids"] if i not in fake.refuse_sending]
        fake.marked_sending.extend(ids)
        return JSONResponse({"ids": ids})

    @app.post("/api/v1/outbox/{message_id}/{outcome}")
    async def report(message_id: int, outcome: str, request: Request) -> JSONResponse:
        if not authorized(request) or outcome not in ("delivered", "failed"):
            return JSONResponse({"error": "bad request"}, status_code=400)
        if fake.reports_failing:
            return JSONResponse({"detail": "database is down"}, status_code=503)
        body = await request.json() if outcome == "failed" else None
        fake.reports.append((message_id, outcome, body))
        if outcome == "delivered":  # sent: never claimed again
            fake.outbox[:] = [m for m in fake.outbox if m["id"] != message_id]
        state = "sent" if outcome == "delivered" else "pending"
        return JSONResponse({"id": message_id, "state": state, "attempts": 1})

    @app.post("/api/v1/conversations/messages")
    async def conversation_message(request: Request) -> JSONResponse:
        if not authorized(request):
            return JSONResponse({"detail": "unauthorized"}, status_code=401)
        fake.inbox_attempts += 1
        if fake.inbox_failing:
            return JSONResponse({"detail": "boom"}, status_code=500)
        body = await request.json()
        if body["sender_id"] not in fake.handed_off:
            return JSONResponse(
                {"detail": "Tidak ada percakapan", "code": "no_handoff"}, status_code=404
            )
        fake.inbox.append(body)
        return JSONResponse({"conversation_id": 1, "state": "open"}, status_code=201)

    @app.post("/api/v1/photos")
    async def upload(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {fake.token}":
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            return JSONResponse({"error": "unprocessable"}, status_code=422)
        data = await upload.read()
        if len(data) > fake.max_bytes:
            return JSONResponse({"error": "photo_too_large"}, status_code=413)
        if not data.startswith((JPEG, PNG)):
            return JSONResponse({"error": "unsupported_photo"}, status_code=415)
        if data.startswith(PNG) and _png_pixels(data) > MAX_PIXELS:
            body = {"detail": "too many pixels", "code": "photo_dimensions_too_large"}
            return JSONResponse(body, status_code=413)
        fake.uploads.append(data)
        body = {
            "photo_id": photo_id(data),
            "content_type": "image/jpeg",
            "width": 10,
            "height": 10,
            "byte_size": len(data),
            "location_suggestion": None,
        }
        return JSONResponse(body, status_code=201)

    return app
