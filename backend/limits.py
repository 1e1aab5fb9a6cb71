"""Refuse request bodies larger than the route can use, before reading them whole.

The backend and the gateway both mount this middleware, each with its own caps
and its own refusal body.
"""

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

JSON_LIMIT = 1024 * 1024  # far above any complaint; photos have their own limit
UPLOAD_PATHS = ("/api/v1/photos", "/console/")

Refusal = Callable[[str, int], dict[str, Any]]


def too_large(path: str, limit: int) -> dict[str, Any]:
    """The backend's error shape (`backend/errors.py`)."""
    return {"detail": f"request body larger than {limit} bytes", "code": "payload_too_large"}


class BodySizeLimitMiddleware:
    """A body over the cap of its path is answered 413 before the app reads a byte
    of it: at once when `Content-Length` says so (the server then enforces that
    length), else after reading chunked input up to the cap and no further."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int,
        upload_limit: int,
        upload_paths: tuple[str, ...] = UPLOAD_PATHS,
        refusal: Refusal = too_large,
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.upload_limit if path.startswith(self.upload_paths) else self.default_limit
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, path, limit)
            return
        if declared is not None:
            await self.app(scope, receive, send)  # the server enforces Content-Length
            return
        # Chunked body: read it up to the limit first, then replay it.
        chunks: list[Message] = []
        received = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > limit:
                await self._refuse(send, path, limit)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send, path: str, limit: int) -> None:
        body = json.dumps(self.refusal(path, limit)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                # Closing the connection stops the server reading (and dropping) the
                # rest of the body; kept alive, it would take all of it.
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
            }
        )
        await send({"type": "http.response.body", "body": body})
