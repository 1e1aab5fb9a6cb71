"""Builders of valid request bodies and stored complaints for tests."""

from typing import Any

from fastapi.testclient import TestClient

MONAS = (-6.1754, 106.8272)  # Gambir, Jakarta Pusat


def complaint_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "sampah",
        "description": "sampah numpuk di depan gang udh 3 hari ga diangkut",
        "channel": "telegram",
        "reporter_chat_id": "100200300",
    }
    body.update(overrides)
    return body


def file_complaint(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    reply = client.post("/api/v1/complaints", json=complaint_body(**overrides), headers=headers)
    assert reply.status_code == 201, reply.text
    result: dict[str, Any] = reply.json()
    return result
