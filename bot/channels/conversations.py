"""Client of the backend's handoff inbox: `POST /api/v1/conversations/messages`.

While a chat is handed off to an officer, its messages go here instead of to Rasa.
"""

import logging

import httpx

from bot.channels.messages import Incoming, Kind

log = logging.getLogger(__name__)


class NoHandoff(Exception):
    """The backend has no waiting/open conversation for this sender (404 no_handoff)."""


class InboxUnavailable(Exception):
    """The backend could not be reached, or refused for another reason."""


class ConversationClient:
    def __init__(self, http: httpx.AsyncClient, backend_url: str, token: str | None) -> None:
        self._http = http
        self._url = backend_url.rstrip("/") + "/api/v1/conversations/messages"
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def forward(self, message: Incoming) -> None:
        """Hand one citizen message to the officer's inbox (photo already stored)."""
        body = {
            "sender_id": message.sender,
            "text": inbox_text(message),
            "photo_id": message.photo_id,
            "latitude": message.latitude,
            "longitude": message.longitude,
        }
        try:
            response = await self._http.post(self._url, json=body, headers=self._headers)
        except httpx.HTTPError as exc:
            raise InboxUnavailable(type(exc).__name__) from exc
        if response.status_code == 201:
            return
        if response.status_code == 404 and error_code(response) == "no_handoff":
            raise NoHandoff
        raise InboxUnavailable(f"HTTP {response.status_code}")


def inbox_text(message: Incoming) -> str | None:
    """What the officer reads: typed text as typed, a pressed button as its title."""
    if message.kind is Kind.TEXT:
        return message.text
    if message.kind is Kind.BUTTON:
        return message.text or message.payload
    return None


def error_code(response: httpx.Response) -> str | None:
    """The backend's error `code` in a JSON reply, if any (photos.py reads it too)."""
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) else None
