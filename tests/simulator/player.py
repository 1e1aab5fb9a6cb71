"""Plays one conversation as Telegram updates through the gateway and reads Rasa's tracker.

A turn is over when Rasa's tracker holds the new user message, the fake Bot API
has received as many messages as Rasa uttered for it, and has then been quiet
for a moment (or, for a message that never reaches Rasa, such as one during a
handoff, after a longer silence).
"""

import io
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from tests.channels.fakes.telegram import FakeTelegram
from tests.simulator.citizen import Action, Citizen, Reply, buttons_from_markup, last_buttons
from tests.simulator.script import Conversation

TURN_CAP = 14
QUIET = 0.35  # s without a new reply after Rasa is done: the turn's replies are all out
SILENT = 8.0  # s without any reply and no tracker change: the message did not reach Rasa
TIMEOUT = 90.0
_update_ids = itertools.count(1_000_000)


@dataclass
class Step:
    action: Action
    replies: list[Reply]
    asked: str | None  # what the bot asks after this turn
    timed_out: bool = False


@dataclass
class Transcript:
    conversation: Conversation
    chat_id: int
    steps: list[Step] = field(default_factory=list)
    filed: list[dict[str, Any]] = field(default_factory=list)  # complaints filed in the chat
    handoff: bool = False  # a live backend conversation for the chat
    error: str = ""


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 40)).save(out, "JPEG")
    return out.getvalue()


def asked(tracker: dict[str, Any], replies: list[Reply]) -> str | None:
    """The question the bot is waiting on: a form slot, place, confirm, duplicate, or None."""
    if any(b.payload.startswith("/choose_place") for b in last_buttons(replies)):
        return "place"
    slots = tracker.get("slots") or {}
    if (tracker.get("active_loop") or {}).get("name") == "complaint_form":
        requested = slots.get("requested_slot")
        return str(requested) if requested else None
    return {"confirm": "confirm", "duplicate_offer": "duplicate"}.get(slots.get("stage") or "")


class Player:
    def __init__(
        self, gateway_url: str, secret: str, telegram: FakeTelegram, rasa_url: str
    ) -> None:
        self._gateway = httpx.Client(base_url=gateway_url, timeout=30)
        self._headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        self._telegram = telegram
        self._rasa = httpx.Client(base_url=rasa_url, timeout=30)
        self._photo = jpeg()

    def tracker(self, chat_id: int) -> dict[str, Any]:
        # Rasa's router does not decode %3A: the colon goes as it is.
        response = self._rasa.get(f"/conversations/telegram:{chat_id}/tracker?include_events=ALL")
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker

    def replies(self, chat_id: int) -> list[Reply]:
        return [
            Reply(str(c.params.get("text", "")), buttons_from_markup(c.params.get("reply_markup")))
            for c in self._telegram.sent_to(chat_id)
            if c.method == "sendMessage"
        ]

    def play(self, conversation: Conversation, chat_id: int) -> Transcript:
        transcript = Transcript(conversation, chat_id)
        citizen = Citizen(conversation)
        replies: list[Reply] = []
        question: str | None = None
        users = 0
        while len(transcript.steps) < TURN_CAP:
            action = citizen.next(question, replies)
            if action is None:
                break
            seen = len(self.replies(chat_id))
            self._send(chat_id, action, replies)
            tracker, timed_out = self._wait(chat_id, seen, users)
            users = _user_events(tracker)
            replies = self.replies(chat_id)[seen:]
            question = asked(tracker, replies)
            transcript.steps.append(Step(action, replies, question, timed_out))
        return transcript

    def _send(self, chat_id: int, action: Action, replies: list[Reply]) -> None:
        update_id = next(_update_ids)
        chat = {"id": chat_id, "type": "private", "first_name": "Warga"}
        user = {"id": chat_id, "is_bot": False, "first_name": "Warga"}
        message: dict[str, Any] = {
            "message_id": update_id, "date": int(time.time()), "chat": chat, "from": user,
        }  # fmt: skip
        match action.kind:
            case "text":
                update = {"update_id": update_id, "message": message | {"text": action.text}}
            case "photo":
                file_id = f"sim{chat_id}p{update_id}"
                self._telegram.files[file_id] = self._photo
                size = {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 64}
                photo = {"photo": [size | {"height": 48}]}
                update = {"update_id": update_id, "message": message | photo}
            case "pin":
                assert action.pin is not None
                pin = {"latitude": action.pin[0], "longitude": action.pin[1]}
                update = {"update_id": update_id, "message": message | {"location": pin}}
            case _:
                assert action.button is not None
                keyboard = [
                    [{"text": b.title, "callback_data": b.payload}] for b in last_buttons(replies)
                ]
                bot = {"id": 4242, "is_bot": True, "first_name": "Aduan"}
                markup = {"inline_keyboard": keyboard}
                pressed = message | {"from": bot, "text": "x", "reply_markup": markup}
                query = {
                    "id": f"cb{update_id}", "from": user, "chat_instance": f"ci{chat_id}",
                    "data": action.button.payload, "message": pressed,
                }  # fmt: skip
                update = {"update_id": update_id, "callback_query": query}
        response = self._gateway.post("/telegram/webhook", json=update, headers=self._headers)
        response.raise_for_status()

    def _wait(self, chat_id: int, seen: int, users: int) -> tuple[dict[str, Any], bool]:
        start = changed = time.monotonic()
        count = seen
        tracker: dict[str, Any] = {}
        checked = 0.0
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            n = len(self.replies(chat_id))
            if n != count:
                count, changed = n, now
            quiet = now - changed
            if (n > seen and quiet >= QUIET or quiet >= 1.0) and now - checked >= 0.3:
                checked = now
                tracker = self.tracker(chat_id)
                if _user_events(tracker) > users:
                    # Rasa is done; its replies may still be on their way through
                    # the gateway (slow on a busy machine): wait for as many as it
                    # uttered, or for a longer quiet if the gateway merged some.
                    out = n - seen >= _bot_events_since_last_user(tracker)
                    if (out and (n > seen or quiet >= 1.0)) or quiet >= 3.0:
                        return tracker, False
                if quiet >= SILENT or (n > seen and quiet >= 2.0):
                    return tracker, False  # never reached Rasa (handoff) or answered by the gateway
            if now - start > TIMEOUT:
                return tracker or self.tracker(chat_id), True


def _bot_events_since_last_user(tracker: dict[str, Any]) -> int:
    events = tracker.get("events") or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return sum(1 for e in events[last_user + 1 :] if e.get("event") == "bot")


def _user_events(tracker: dict[str, Any]) -> int:
    return sum(1 for e in tracker.get("events") or [] if e.get("event") == "user")
