"""Handoff tests: office hours set per test (the default depends on the clock)."""

import io
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from backend.config import get_settings
from tests.conftest import Headers

ALL_DAY = "mon-sun 00:00-24:00"

Hours = Callable[[str], None]


@pytest.fixture
def office_hours(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hours]:
    """office_hours("mon-fri 08:00-16:00"): the HANDOFF_OFFICE_HOURS of this test."""

    def use(spec: str) -> None:
        monkeypatch.setenv("HANDOFF_OFFICE_HOURS", spec)
        get_settings.cache_clear()

    use(ALL_DAY)
    yield use
    monkeypatch.delenv("HANDOFF_OFFICE_HOURS")
    get_settings.cache_clear()


def handoff_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sender_id": "telegram:5550001",
        "reason": "requested",
        "transcript": [
            {"role": "citizen", "text": "min mau lapor jalan bolong", "at": None},
            {"role": "bot", "text": "Boleh, di mana lokasinya?", "at": None},
            {"role": "citizen", "text": "mau ngomong sama petugas aja", "at": None},
        ],
        "ticket_id": None,
        "draft": {"category": "jalan_rusak"},
    }
    body.update(overrides)
    return body


def open_handoff(client: TestClient, headers: Headers, **overrides: Any) -> httpx.Response:
    return client.post("/api/v1/conversations", json=handoff_body(**overrides), headers=headers)


def say(client: TestClient, headers: Headers, **body: Any) -> httpx.Response:
    body.setdefault("sender_id", "telegram:5550001")
    return client.post("/api/v1/conversations/messages", json=body, headers=headers)


def upload_photo(client: TestClient, headers: Headers) -> str:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, "JPEG")
    reply = client.post(
        "/api/v1/photos", files={"file": ("a.jpg", out.getvalue(), "image/jpeg")}, headers=headers
    )
    assert reply.status_code == 201, reply.text
    photo_id: str = reply.json()["photo_id"]
    return photo_id
