"""The small interface every chat app implements."""

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from bot.channels.messages import Media, Reply


class Channel(Protocol):
    """Sends to one chat app; its webhook routes turn deliveries into `Incoming`."""

    name: str

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Show the bot's replies in the chat, in order."""
        ...

    async def typing(self, chat_id: str) -> None:
        """Show that the bot is working (best effort)."""
        ...

    async def notify(self, chat_id: str, reply: Reply, ticket_id: str | None) -> None:
        """Send news the citizen did not ask for just now (status changes, officers),
        with its buttons.

        Raises `PermanentFailure` when retrying cannot help.
        """
        ...

    async def fetch_media(self, media: Media) -> tuple[bytes, str]:
        """Download a photo the citizen sent: (bytes, content type).

        Raises `PhotoRefused` for what the backend would refuse anyway.
        """
        ...


class PermanentFailure(Exception):
    """The chat app refused for good (blocked bot, unknown chat): do not retry."""


class PayloadMap:
    """Short stand-ins for button payloads longer than a chat app allows.

    Kept in memory (bounded): a press on a button sent before a restart whose
    payload was too long arrives as its stand-in and reaches Rasa as text.
    """

    def __init__(self, max_len: int, capacity: int = 10_000) -> None:
        self._max_len = max_len
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def shorten(self, payload: str) -> str:
        if len(payload.encode()) <= self._max_len:
            return payload
        key = "p:" + hashlib.sha256(payload.encode()).hexdigest()[:32]
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return key

    def expand(self, data: str) -> str:
        return self._payloads.get(data, data)
