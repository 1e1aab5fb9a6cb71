"""A fake WhatsApp Cloud API (Graph API) server: messages, media lookup, download."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


@dataclass
class FakeGraph:
    access_token: str
    phone_number_id: str
    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    outside_window: set[str] = field(default_factory=set)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def reset(self) -> None:
        self.sent.clear()
        self.media.clear()
        self.downloads.clear()
        self.outside_window.clear()

    def sent_to(self, wa_id: str) -> list[dict[str, Any]]:
        return [m for m in list(self.sent) if m["to"] == wa_id]


def _error(status: int, message: str, code: int) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "OAuthException", "code": code}}, status_code=status
    )


def build_app(fake: FakeGraph) -> FastAPI:
    app = FastAPI()

    def authorized(request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {fake.access_token}"

    @app.get("/download/{media_id}")
    async def download(media_id: str, request: Request) -> Response:
        if not authorized(request):
            return _error(401, "Invalid OAuth access token.", 190)
        if media_id not in fake.media:
            return Response(status_code=404)
        fake.downloads.append(media_id)
        data, content_type = fake.media[media_id]
        return Response(data, media_type=content_type)

    @app.get("/{media_id}")
    async def media_url(media_id: str, request: Request) -> JSONResponse:
        if not authorized(request):
            return _error(401, "Invalid OAuth access token.", 190)
        if media_id not in fake.media:
            return _error(400, "Unsupported get request.", 100)
        data, content_type = fake.media[media_id]
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{fake.url}/download/{media_id}",
                "mime_type": content_type,
                "sha256": "0" * 64,
                "file_size": len(data),
                "id": media_id,
            }
        )

    @app.post("/{phone_number_id}/messages")
    async def messages(phone_number_id: str, request: Request) -> JSONResponse:
        if not authorized(request):
            return _error(401, "Invalid OAuth access token.", 190)
        if phone_number_id != fake.phone_number_id:
            return _error(400, "Unsupported post request.", 100)
        body = await request.json()
        if body.get("messaging_product") != "whatsapp" or "to" not in body or "type" not in body:
            return _error(400, "Invalid parameter", 100)
        if body["to"] in fake.outside_window and body["type"] != "template":
            return _error(400, "Re-engagement message", 131047)
        fake.sent.append(body)
        wamid = f"wamid.OUT{next(fake._ids)}"
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": wamid}],
            }
        )

    return app
