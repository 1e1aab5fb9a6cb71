"""A fake Rasa REST channel with a few scripted answers, recording what it got."""

import asyncio
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

CATEGORIES = [
    "sampah",
    "jalan_rusak",
    "banjir",
    "saluran_air",
    "penerangan_jalan",
    "pohon",
    "parkir_liar",
    "pkl",
    "fasilitas_umum",
    "lalu_lintas",
    "bansos",
    "lainnya",
]


# What the fake NLU (/model/parse) reads as an emergency.
DANGER_WORDS = ("kebakaran", "tolong", "pingsan")

HANDOFF_TEXT = "Baik, petugas kami akan membalas di sini."
IMAGE_URL = "https://aduan.example.test/static/contoh.jpg"


@dataclass
class FakeRasa:
    received: list[tuple[str, str]] = field(default_factory=list)
    tracker_events: list[tuple[str, Any]] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)
    failing: bool = False
    tracker_failing: bool = False
    parse_failing: bool = False
    parse_delay: float = 0.0

    def reset(self) -> None:
        self.received.clear()
        self.tracker_events.clear()
        self.parsed.clear()
        self.failing = False
        self.tracker_failing = False
        self.parse_failing = False
        self.parse_delay = 0.0

    def messages_from(self, sender: str) -> list[str]:
        return [m for s, m in list(self.received) if s == sender]


def answer(message: str) -> list[dict[str, Any]]:
    match message.split(maxsplit=1)[0] if message else "":
        case "tombol":
            return [
                {
                    "text": "Sudah benar?",
                    "buttons": [
                        {"title": "Ya, kirim", "payload": "/affirm"},
                        {"title": "Bukan, ulangi dari awal", "payload": "/deny"},
                    ],
                }
            ]
        case "kategori":
            buttons = [
                {
                    "title": c.replace("_", " ").title(),
                    "payload": f'/choose_category{{"category": "{c}"}}',
                }
                for c in CATEGORIES
            ]
            return [{"text": "Pilih kategori:", "buttons": buttons}]
        case "lokasi":
            return [{"text": "Di mana lokasinya?", "custom": {"request_location": True}}]
        case "dua":
            return [{"text": "satu"}, {"text": "dua"}]
        case "petugas":  # the handoff action: a text, and the custom payload on its own
            return [{"text": HANDOFF_TEXT}, {"custom": {"handoff": "open"}}]
        case "gambar":
            return [{"text": "Contoh foto:", "image": IMAGE_URL}]
        case _:
            return [{"text": f"echo: {message}"}]


def build_app(fake: FakeRasa) -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/rest/webhook")
    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        if fake.failing:
            return JSONResponse({"error": "boom"}, status_code=500)
        sender, message = body["sender"], body["message"]
        if message.startswith("lambat"):
            await asyncio.sleep(0.3)
        fake.received.append((sender, message))
        return JSONResponse(answer(message))

    @app.post("/model/parse")
    async def parse(request: Request) -> JSONResponse:
        text = (await request.json())["text"]
        fake.parsed.append(text)
        if fake.parse_delay:
            await asyncio.sleep(fake.parse_delay)
        if fake.parse_failing:
            return JSONResponse({"error": "boom"}, status_code=500)
        danger = any(word in text.lower() for word in DANGER_WORDS)
        intent = "emergency" if danger else "inform"
        return JSONResponse({"text": text, "intent": {"name": intent, "confidence": 0.9}})

    @app.post("/conversations/{sender}/tracker/events")
    async def tracker_events(sender: str, request: Request) -> JSONResponse:
        if fake.tracker_failing:
            return JSONResponse({"error": "boom"}, status_code=500)
        # The sender as it was sent, not decoded: real Rasa does not decode
        # "%3A", so "telegram%3A1" would be another conversation.
        raw_sender = request.scope["raw_path"].decode().split("/")[2]
        fake.tracker_events.append((raw_sender, await request.json()))
        return JSONResponse({"sender_id": sender, "events": []})

    return app
