"""A fake of the backend's photo API (`POST /api/v1/photos`)."""

import hashlib
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"


@dataclass
class FakeBackend:
    token: str
    max_bytes: int
    uploads: list[bytes] = field(default_factory=list)

    def reset(self) -> None:
        self.uploads.clear()


def photo_id(data: bytes) -> str:
    return "ph_" + hashlib.sha256(data).hexdigest()[:16]


def build_app(fake: FakeBackend) -> FastAPI:
    app = FastAPI()

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
