"""A fake Telegram Bot API server: `{base}{token}/{method}` and file downloads.

Answers in the Bot API's own shapes (`{"ok": true, "result": ...}`) so that
python-telegram-bot parses them as it would Telegram's.
"""

import asyncio
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Aduan", "username": "aduan_test_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeTelegram:
    token: str
    calls: list[Call] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    pending_updates: list[dict[str, Any]] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))

    def reset(self) -> None:
        self.calls.clear()
        self.files.clear()
        self.pending_updates.clear()
        self.downloads.clear()
        self.blocked.clear()

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in list(self.calls) if c.method == method]

    def sent_to(self, chat_id: int) -> list[Call]:
        """sendMessage and sendPhoto calls to one chat, in order."""
        return [
            c
            for c in list(self.calls)
            if c.method in ("sendMessage", "sendPhoto") and int(c.params["chat_id"]) == chat_id
        ]

    def sent_texts(self, chat_id: int) -> list[str]:
        return [p["text"] for p in self.called("sendMessage") if int(p["chat_id"]) == chat_id]


def _params(raw: dict[str, Any]) -> dict[str, Any]:
    """python-telegram-bot sends form fields, JSON-encoding the non-string ones."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        else:
            out[key] = value
    return out


def build_app(fake: FakeTelegram) -> FastAPI:
    app = FastAPI()

    def ok(result: Any) -> JSONResponse:
        return JSONResponse({"ok": True, "result": result})

    @app.get("/file/bot{token}/{file_path:path}")
    async def download(token: str, file_path: str) -> Response:
        file_id = file_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if token != fake.token or file_id not in fake.files:
            return Response(status_code=404)
        fake.downloads.append(file_id)
        return Response(fake.files[file_id], media_type="application/octet-stream")

    @app.post("/bot{token}/{method}")
    async def method(token: str, method: str, request: Request) -> JSONResponse:
        if token != fake.token:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return JSONResponse(body, status_code=401)
        if request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        else:
            params = _params(dict(await request.form()))
        fake.calls.append(Call(method, params))
        match method:
            case "getMe":
                return ok(BOT_USER)
            case (
                "setWebhook"
                | "deleteWebhook"
                | "sendChatAction"
                | "answerCallbackQuery"
                | "editMessageReplyMarkup"
            ):
                return ok(True)
            case "sendMessage" if int(params["chat_id"]) in fake.blocked:
                body = {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                }
                return JSONResponse(body, status_code=403)
            case "sendMessage" | "sendPhoto":
                chat = {"id": int(params["chat_id"]), "type": "private", "first_name": "Warga"}
                message = {
                    "message_id": next(fake._ids),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": BOT_USER,
                }
                if method == "sendMessage":
                    message["text"] = params["text"]
                else:
                    size = {"file_unique_id": "p1", "width": 10, "height": 10}
                    message["photo"] = [{"file_id": "p1", **size}]
                return ok(message)
            case "getFile":
                file_id = params["file_id"]
                if file_id not in fake.files:
                    body = {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: invalid file_id",
                    }
                    return JSONResponse(body, status_code=400)
                return ok(
                    {
                        "file_id": file_id,
                        "file_unique_id": f"u{file_id}",
                        "file_size": len(fake.files[file_id]),
                        "file_path": f"photos/{file_id}.jpg",
                    }
                )
            case "getUpdates":
                for _ in range(20):
                    if fake.pending_updates:
                        break
                    await asyncio.sleep(0.05)
                offset = params.get("offset")
                updates = [
                    u for u in fake.pending_updates if offset is None or u["update_id"] >= offset
                ]
                fake.pending_updates[:] = updates
                return ok(updates)
            case _:
                body = {"ok": False, "error_code": 404, "description": "Not Found"}
                return JSONResponse(body, status_code=404)

    return app
