"""Helpers for the action tests: saved trackers and a fake backend.

These tests run in the Rasa environment (.venv-rasa), not the main one:
`make rasa-test-actions`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_backend import FakeBackend  # noqa: E402
from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from actions import backend_client  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def load_tracker(name: str, **slot_overrides: Any) -> Tracker:
    state = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    state.setdefault("slots", {}).update(slot_overrides)
    for event in state.get("events", []):  # keep freshly set slots in step
        if event.get("event") == "slot" and event.get("name") in slot_overrides:
            event["value"] = slot_overrides[event["name"]]
    return Tracker.from_dict(state)


def with_message(
    name: str,
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    **slot_overrides: Any,
) -> Tracker:
    """A saved tracker whose latest message is replaced (a typed or button answer)."""
    state = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    state.setdefault("slots", {}).update(slot_overrides)
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
    }
    state["latest_message"] = parse
    events = state.setdefault("events", [])
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            events[index] = {**events[index], "text": text, "parse_data": parse}
            break
    else:
        events.append({"event": "user", "timestamp": 99.0, "text": text, "parse_data": parse})
    return Tracker.from_dict(state)


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


Scenario = Callable[[FakeBackend], Awaitable[Any]]


def run_with_backend(backend: FakeBackend | None, scenario: Scenario, *, down: bool = False) -> Any:
    """Run scenario against the fake backend (or a closed port when down)."""

    async def main() -> Any:
        fake = backend or FakeBackend()
        if down:
            client = backend_client.BackendClient(
                "http://127.0.0.1:9", "test-token", timeout=0.5, attempts=2, backoff=0.01
            )
            backend_client.set_client(client)
            try:
                return await scenario(fake)
            finally:
                await client.close()
        server = fake.server()
        await server.start_server()
        client = backend_client.BackendClient(
            str(server.make_url("")), "test-token", timeout=2.0, attempts=3, backoff=0.01
        )
        backend_client.set_client(client)
        try:
            return await scenario(fake)
        finally:
            await client.close()
            await server.close()

    try:
        return asyncio.run(main())
    finally:
        backend_client.set_client(None)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain (bot/domain), as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "bot" / "domain")).as_dict()
