"""Conversations in the blind.md format (`conversations.yml`)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

QUESTIONS = frozenset({"description", "category", "photo", "location", "confirm"})


@dataclass(frozen=True)
class Turn:
    say: str | None = None
    photo: bool = False
    pin: tuple[float, float] | None = None
    at: str | None = None
    emergency: bool = False


@dataclass(frozen=True)
class Conversation:
    id: str
    facts: dict[str, Any]
    turns: list[Turn]
    expect: dict[str, Any]
    earlier: dict[str, Any] | None = None
    register: str = ""
    set_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _turn(raw: dict[str, Any]) -> Turn:
    pin = raw.get("pin")
    return Turn(
        say=None if raw.get("say") is None else str(raw["say"]),
        photo=bool(raw.get("photo")),
        pin=(float(pin[0]), float(pin[1])) if pin else None,
        at=raw.get("at"),
        emergency=bool(raw.get("emergency")),
    )


def parse(items: list[dict[str, Any]], set_name: str = "") -> list[Conversation]:
    out = []
    for raw in items:
        expect = dict(raw.get("expect") or {})
        if expect.get("outcome") not in {
            "filed", "cancelled", "status", "handoff", "emergency", "answered"
        }:  # fmt: skip
            raise ValueError(f"{raw.get('id')}: unknown outcome {expect.get('outcome')!r}")
        out.append(
            Conversation(
                id=str(raw["id"]),
                facts=dict(raw.get("facts") or {}),
                turns=[_turn(t) for t in raw.get("turns") or []],
                expect=expect,
                earlier=(raw.get("setup") or {}).get("earlier"),
                register=str(raw.get("register", "")),
                set_name=set_name,
            )
        )
    return out


def load(path: Path, set_name: str | None = None) -> list[Conversation]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if set_name is None:
        set_name = path.parent.name if path.name == "conversations.yml" else path.stem
    return parse(items, set_name)
