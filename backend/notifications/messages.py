"""The Indonesian wording of what the outbox sends to citizens, with its buttons.

A button's payload is a Rasa `/intent{json}` string: pressing it sends that
intent to the bot (see docs/handoff.md).
"""

import json
from dataclasses import dataclass, field
from typing import Any

from backend.notifications import kinds
from backend.notifications.models import OutboxMessage

STATUS_NEWS = (
    "Kabar laporan {ticket_id}: statusnya sekarang *{status_label}*.{note}\n"
    "Tanya kabar kapan saja dengan mengirim nomor tiket ini."
)
ASK_RESOLVED = "\n\nSudah beres?"
HANDOFF_TAKEN = "Halo, saya petugas Aduan. Ada yang bisa saya bantu?"
HANDOFF_CLOSED = (
    "Percakapan dengan petugas sudah selesai. Anda kembali dilayani asisten otomatis; "
    "ketik *menu* untuk melihat pilihan."
)
HANDOFF_TIMEOUT = (
    "Mohon maaf, saat ini belum ada petugas yang bisa melayani percakapan Anda. "
    "Anda bisa langsung membuat laporan lewat asisten otomatis; "
    "petugas akan menindaklanjutinya."
)


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Worded:
    """A message as the gateway sends it."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    ends_handoff: bool = False
    rasa_slots: dict[str, Any] = field(default_factory=dict)


def intent(name: str, **entities: Any) -> str:
    """A Rasa intent with entities, as a button payload: /name{"key": "value"}."""
    return f"/{name}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{name}"


def word(message: OutboxMessage, *, to_reporter: bool) -> Worded:
    """The message as sent; `to_reporter`: it goes to the complaint's reporter (not a supporter)."""
    payload = message.payload
    match message.kind:
        case kinds.STATUS_NEWS:
            return _status_news(payload, ask_resolved=to_reporter)
        case kinds.HANDOFF_TAKEN:
            return Worded(HANDOFF_TAKEN)
        case kinds.HANDOFF_REPLY:
            return Worded(str(payload["text"]))
        case kinds.HANDOFF_CLOSED:
            return Worded(HANDOFF_CLOSED, ends_handoff=True)
        case kinds.HANDOFF_TIMEOUT:
            report = Button("Buat laporan", intent("report_complaint"))
            return Worded(HANDOFF_TIMEOUT, [report], ends_handoff=True)
        case _:
            raise ValueError(f"unknown outbox kind {message.kind!r}")


def _status_news(payload: dict[str, Any], *, ask_resolved: bool) -> Worded:
    ticket_id = payload["ticket_id"]
    note = f"\nCatatan petugas: {payload['note']}" if payload.get("note") else ""
    text = STATUS_NEWS.format(ticket_id=ticket_id, status_label=payload["status_label"], note=note)
    if payload.get("status") != "selesai" or not ask_resolved:
        return Worded(text)
    return Worded(
        text + ASK_RESOLVED,
        [
            Button("Ya, sudah", intent("confirm_resolution", ticket_id=ticket_id)),
            Button("Belum", intent("reject_resolution", ticket_id=ticket_id)),
        ],
        rasa_slots={"feedback_ticket": ticket_id},
    )
