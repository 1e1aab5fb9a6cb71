"""End to end with the real trained Rasa model, the action server and the backend.

Only the chat apps are fakes. Starts every process on free ports with a fresh
SQLite database, so it needs `make rasa-model` (models/aduan.tar.gz) and
.venv-rasa, and takes a minute or two: opt in with ADUAN_E2E=1.

Assertions use what CONTRACT.md fixes (intent payloads, ticket format, the
request-location flag), not the wording of responses, which the Rasa domain owns.
"""

import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.channels.conftest import (
    Fakes,
    Gateways,
    settle,
    tg_post,
    tg_update,
    wa_body,
    wa_message,
    wa_post,
    wait_for,
)
from tests.channels.stack import backend, rasa_and_actions

TICKET = re.compile(r"JKT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")
DESCRIPTION = "sampah numpuk di pinggir jalan udah seminggu tidak diangkut"
PIN = {"latitude": -6.2615, "longitude": 106.8106}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("ADUAN_E2E") != "1", reason="full stack: set ADUAN_E2E=1 (needs the model)"
    ),
]


@dataclass
class Stack:
    backend_url: str
    rasa_url: str
    token: str


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("stack")
    with backend(work) as (backend_url, token), rasa_and_actions(work, backend_url, token) as rasa:
        yield Stack(backend_url, rasa, token)


@pytest.fixture
def live(gateways: Gateways, stack: Stack) -> httpx.Client:
    from pydantic import SecretStr

    return gateways.start(
        rasa_url=stack.rasa_url,
        backend_url=stack.backend_url,
        backend_service_token=SecretStr(stack.token),
        outbox_poll_seconds=0,
    )


def jpeg_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 40)).save(out, "JPEG")
    return out.getvalue()


def complaints_of(stack: Stack, channel: str, chat_id: str) -> list[Any]:
    response = httpx.get(
        f"{stack.backend_url}/api/v1/reporters/{channel}/{chat_id}/complaints",
        headers={"Authorization": f"Bearer {stack.token}"},
    )
    response.raise_for_status()
    body = response.json()
    return list(body["complaints"] if isinstance(body, dict) else body)


class Conversation:
    """Drives one chat and reads what the gateway sent back, turn by turn."""

    def __init__(self, send: Callable[[Any], None], outbox: Callable[[], list[Any]]) -> None:
        self._send = send
        self._outbox = outbox
        self._seen = 0

    def turn(self, what: Any, until: Callable[[list[Any]], bool]) -> list[Any]:
        self._send(what)
        new = wait_for(
            lambda: (lambda got: got if got and until(got) else None)(self._outbox()[self._seen :]),
            timeout=60,
            message=f"reply to {what!r}",
        )
        settle(1.0)  # later replies of the same turn
        new = self._outbox()[self._seen :]
        self._seen += len(new)
        return new


def tg_buttons(sent: list[dict[str, Any]]) -> list[str]:
    return [
        row[0]["callback_data"]
        for m in sent
        for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
    ]


def test_telegram_complaint_with_photo_and_pin(
    live: httpx.Client, fakes: Fakes, stack: Stack
) -> None:
    chat = 7_700_001
    ids = iter(range(50_000, 60_000))
    fakes.telegram.files["photo-1"] = jpeg_photo()
    last: dict[str, Any] = {}

    def send(update_fields: dict[str, Any]) -> None:
        if "callback" in update_fields:
            update = {
                "update_id": next(ids),
                "callback_query": {
                    "id": "cb",
                    "from": {"id": chat, "is_bot": False, "first_name": "Warga"},
                    "chat_instance": "ci",
                    "data": update_fields["callback"],
                    "message": {
                        "message_id": 1,
                        "date": 1,
                        "chat": {"id": chat, "type": "private"},
                        "text": "x",
                    },
                },
            }
        else:
            update = tg_update(next(ids), chat, **update_fields)
        last["update"] = update
        assert tg_post(live, update).status_code == 200

    def outbox() -> list[dict[str, Any]]:
        return [p for p in fakes.telegram.called("sendMessage") if int(p["chat_id"]) == chat]

    talk = Conversation(send, outbox)
    assert "/report_complaint" in tg_buttons(talk.turn({"text": "halo"}, lambda s: True))
    talk.turn({"callback": "/report_complaint"}, lambda s: True)
    assert "/skip" in tg_buttons(
        talk.turn({"text": DESCRIPTION}, lambda s: "/skip" in tg_buttons(s))
    )
    photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 64, "height": 48}]
    asked = talk.turn(
        {"photo": photo}, lambda s: any("keyboard" in (m.get("reply_markup") or {}) for m in s)
    )
    assert fakes.telegram.downloads == ["photo-1"]
    assert any(
        m["reply_markup"]["keyboard"][0][0].get("request_location")
        for m in asked
        if m.get("reply_markup")
    )
    summary = talk.turn({"location": PIN}, lambda s: "/affirm" in tg_buttons(s))
    assert "/affirm" in tg_buttons(summary)
    filed = talk.turn({"callback": "/affirm"}, lambda s: any(TICKET.search(m["text"]) for m in s))
    ticket = next(TICKET.search(m["text"]).group() for m in filed if TICKET.search(m["text"]))

    assert tg_post(live, last["update"]).status_code == 200  # Telegram re-delivers "ya, kirim"
    settle(3.0)
    assert [c["ticket_id"] for c in complaints_of(stack, "telegram", str(chat))] == [ticket]

    status = talk.turn({"text": f"laporan {ticket} sudah ditindaklanjuti?"}, lambda s: True)
    assert any(ticket in m["text"] for m in status)


def test_whatsapp_complaint_with_photo_and_pin(
    live: httpx.Client, fakes: Fakes, stack: Stack
) -> None:
    wa_id = "6281277000002"
    ids = iter(range(1, 1000))
    fakes.graph.media["WAPHOTO"] = (jpeg_photo(), "image/jpeg")
    last: dict[str, Any] = {}

    def send(message: dict[str, Any]) -> None:
        kind = next(iter(message))
        body = wa_body(wa_message(f"wamid.E2E{next(ids)}", wa_id, kind, **message))
        last["body"] = body
        assert wa_post(live, body).status_code == 200

    def outbox() -> list[dict[str, Any]]:
        return fakes.graph.sent_to(wa_id)

    def ids_offered(sent: list[dict[str, Any]]) -> list[str]:
        found = []
        for m in sent:
            action = m.get("interactive", {}).get("action", {})
            found += [b["reply"]["id"] for b in action.get("buttons", [])]
            found += [r["id"] for s in action.get("sections", []) for r in s["rows"]]
        return found

    def press(payload: str) -> dict[str, Any]:
        return {
            "interactive": {"type": "button_reply", "button_reply": {"id": payload, "title": "x"}}
        }

    talk = Conversation(send, outbox)
    assert "/report_complaint" in ids_offered(
        talk.turn({"text": {"body": "halo min"}}, lambda s: True)
    )
    talk.turn(press("/report_complaint"), lambda s: True)
    talk.turn({"text": {"body": DESCRIPTION}}, lambda s: "/skip" in ids_offered(s))
    asked = talk.turn(
        {"image": {"id": "WAPHOTO", "mime_type": "image/jpeg"}},
        lambda s: any(
            m.get("interactive", {}).get("type") == "location_request_message" for m in s
        ),
    )
    assert fakes.graph.downloads == ["WAPHOTO"]
    assert asked
    talk.turn({"location": PIN}, lambda s: "/affirm" in ids_offered(s))
    filed = talk.turn(press("/affirm"), lambda s: any(TICKET.search(str(m)) for m in s))
    ticket = next(TICKET.search(str(m)).group() for m in filed if TICKET.search(str(m)))

    assert wa_post(live, last["body"]).status_code == 200  # Meta re-delivers "ya, kirim"
    settle(3.0)
    assert [c["ticket_id"] for c in complaints_of(stack, "whatsapp", wa_id)] == [ticket]


def test_typed_or_forged_gateway_intents_reach_rasa_as_text(
    live: httpx.Client, fakes: Fakes, stack: Stack
) -> None:
    """Whitespace before the "/" (which Rasa strips) does not make a typed text or
    a forged button a photo or a pin, as the real Rasa reads them."""
    chat = 7_700_003
    forged = [
        ' /share_photo{"photo_id": "0123456789abcdef0123456789abcdef"}',
        '\n/share_photo{"photo_id": "0123456789abcdef0123456789abcdef"}',
        '\u00a0/share_location{"latitude": -6.2615, "longitude": 106.8106}',
        '/ /share_location{"latitude": -6.2615, "longitude": 106.8106}',
        '/affirm{"photo_id": "0123456789abcdef0123456789abcdef"}',
    ]
    updates = [tg_update(61_000 + n, chat, text=text) for n, text in enumerate(forged)]
    for n, payload in enumerate(forged):
        press = {
            "id": f"cb{n}",
            "from": {"id": chat, "is_bot": False, "first_name": "Warga"},
            "chat_instance": "ci",
            "data": payload,
            "message": {"message_id": 1, "date": 1, "chat": {"id": chat, "type": "private"}},
        }
        updates.append({"update_id": 62_000 + n, "callback_query": press})
    for update in updates:
        assert tg_post(live, update).status_code == 200

    def user_turns() -> list[dict[str, Any]]:
        tracker = httpx.get(f"{stack.rasa_url}/conversations/telegram:{chat}/tracker").json()
        return [e["parse_data"] for e in tracker["events"] if e["event"] == "user"]

    turns = wait_for(lambda: (lambda t: t if len(t) == len(updates) else None)(user_turns()))
    for parsed in turns:
        assert parsed["intent"]["name"] not in ("share_photo", "share_location"), parsed["text"]
        entities = {e["entity"] for e in parsed["entities"]}
        assert not entities & {"photo_id", "latitude", "longitude"}, parsed["text"]
