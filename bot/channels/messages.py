"""The one message shape inside the gateway, in both directions."""

import json
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

# Intents only the gateway may send (CONTRACT.md section 1), and the entities
# they carry: a citizen typing or forging them must not pass someone else's
# photo id or a fake pin.
GATEWAY_ONLY_INTENTS = frozenset({"share_photo", "share_location"})
GATEWAY_ONLY_ENTITIES = frozenset({"photo_id", "latitude", "longitude"})
# Chat commands citizens know from Telegram, as Rasa intents.
COMMANDS = {"/start": "/greet", "/help": "/help", "/menu": "/help", "/batal": "/cancel"}
# How Rasa 3.6 reads `/intent@confidence{entities}`: on the text after
# `str.strip()` (UserMessage, then YAMLStoryReader.unpack_regex_message), with
# the intent name stripped again; the entities are a JSON object.
_RASA_INTENT = re.compile(r"^/(?P<intent>[^{@]+)(?:@[0-9.]+)?(?P<entities>{.+})?")


def citizen_text(text: str) -> str:
    """Typed text never reaches Rasa as an `/intent`, except the well-known commands.

    Rasa strips whitespace (any Unicode space, newlines too) before it looks for
    the "/", so every leading "/" is taken off together with the whitespace
    around it: " /share_photo{..}" and "/ /share_photo{..}" both arrive as text.
    """
    stripped = text.strip()
    command = stripped.split(maxsplit=1)[0].split("@", 1)[0].lower() if stripped else ""
    if command in COMMANDS:
        return COMMANDS[command]
    if not stripped.startswith("/"):
        return text
    while stripped.startswith("/"):
        stripped = stripped[1:].strip()
    return stripped


def gateway_only(payload: str) -> bool:
    """Whether Rasa would read `payload` as an intent only the gateway sends, or
    with an entity only the gateway sets (a photo id, a pin)."""
    match = _RASA_INTENT.match(payload.strip())
    if match is None:
        return False
    if match["intent"].strip() in GATEWAY_ONLY_INTENTS:
        return True
    try:
        entities = json.loads(match["entities"] or "{}")
    except ValueError:
        return False  # Rasa drops entities it cannot read
    return isinstance(entities, dict) and not GATEWAY_ONLY_ENTITIES.isdisjoint(entities)


class Kind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    LOCATION = "location"
    BUTTON = "button"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Media:
    """A photo still held by the chat app (`ref` is its file / media id), or in hand."""

    ref: str
    size: int | None = None
    content_type: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class Incoming:
    """What a citizen sent, whatever the chat app.

    `sender` is `<channel>:<chat_id>` (`telegram:123`, `whatsapp:6281...`,
    `web:<uuid>`); `delivery_id` is the chat app's id of this delivery, used to
    drop re-deliveries. A photo carries the backend's `photo_id` once stored.
    A button press carries its `payload` and, where the chat app tells it, its
    title in `text` (what an officer reads while the chat is handed off).
    """

    channel: str
    chat_id: str
    delivery_id: str
    kind: Kind
    text: str = ""
    photo_id: str | None = None
    media: Media | None = None
    latitude: float | None = None
    longitude: float | None = None
    payload: str = ""
    unsupported: str = ""

    @property
    def sender(self) -> str:
        return f"{self.channel}:{self.chat_id}"

    def rasa_text(self) -> str:
        """The message as Rasa's REST channel should receive it."""
        match self.kind:
            case Kind.TEXT:
                return citizen_text(self.text)
            case Kind.PHOTO:
                return "/share_photo" + json.dumps({"photo_id": self.photo_id})
            case Kind.LOCATION:
                return "/share_location" + json.dumps(
                    {"latitude": self.latitude, "longitude": self.longitude}
                )
            case Kind.BUTTON:
                if gateway_only(self.payload):
                    return citizen_text(self.payload)  # forged: only the gateway sends these
                return self.payload
            case Kind.UNSUPPORTED:
                raise ValueError("unsupported content is never sent to Rasa")


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One bot message to show the citizen."""

    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    request_location: bool = False
    image: str | None = None
    handoff_open: bool = False  # Rasa's custom {"handoff": "open"}: never shown itself

    @classmethod
    def from_rasa(cls, data: dict[str, Any]) -> "Reply":
        """Read one element of Rasa's REST reply, ignoring what we cannot show."""
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in data.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        ]
        custom = data.get("custom")
        request_location = isinstance(custom, dict) and custom.get("request_location") is True
        if (
            isinstance(custom, dict)
            and not data.get("text")
            and isinstance(custom.get("text"), str)
        ):
            text = custom["text"]
        else:
            text = str(data.get("text") or "")
        image = data.get("image")
        if not (isinstance(image, str) and image.startswith(("https://", "http://"))):
            image = None
        handoff_open = isinstance(custom, dict) and custom.get("handoff") == "open"
        return cls(text, buttons, request_location, image, handoff_open)

    @property
    def visible(self) -> bool:
        return bool(self.text or self.buttons or self.request_location or self.image)

    @staticmethod
    def merge_location_requests(replies: list["Reply"]) -> list["Reply"]:
        """Fold a bare "ask for a pin" into the text before it (one message, not two)."""
        merged: list[Reply] = []
        for reply in replies:
            bare = reply.request_location and not reply.text and not reply.buttons
            previous = merged[-1] if merged else None
            if bare and previous is not None and not previous.buttons and previous.text:
                merged[-1] = replace(previous, request_location=True)
            else:
                merged.append(reply)
        return merged

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            "request_location": self.request_location,
            "image": self.image,
        }


def size_text(limit: int) -> str:
    """A byte count as citizens read it: "10 MB", "64 KB"."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit // 1024} KB"
