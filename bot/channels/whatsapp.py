"""WhatsApp Cloud API: signed webhooks in, Graph API messages out."""

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Sequence
from typing import Any

import httpx

from bot.channels import texts
from bot.channels.base import PayloadMap, PermanentFailure
from bot.channels.jsonread import Malformed, coordinate, ident, items, obj
from bot.channels.messages import Button, Incoming, Kind, Media, Reply
from bot.channels.photos import PhotoRefused, check_media

log = logging.getLogger(__name__)

NAME = "whatsapp"
MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ID = 200
CONCURRENT_CALLS = 16  # Graph API calls in flight (see telegram.CONCURRENT_CALLS)
UNSUPPORTED_TYPES = {
    "sticker": "sticker",
    "audio": "voice",
    "voice": "voice",
    "video": "video",
    "document": "document",
    "contacts": "contact",
}


OUTSIDE_WINDOW = 131047  # "Re-engagement message": 24 h since the citizen last wrote


def _error_code(response: httpx.Response) -> int | None:
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None
    return code if isinstance(code, int) else None


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`."""
    if not header or not header.startswith("sha256=") or not app_secret:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").lower(), expected)


def _short(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


class WhatsAppChannel:
    name = NAME

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_base_url: str,
        access_token: str,
        phone_number_id: str,
        max_photo_bytes: int,
        template: str | None = None,
        template_language: str = "id",
    ) -> None:
        self._http = http
        self._template = template
        self._template_language = template_language
        self._base = api_base_url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {access_token}"}
        self._messages_url = f"{self._base}/{phone_number_id}/messages"
        self._max_photo_bytes = max_photo_bytes
        self._payloads = PayloadMap(MAX_ID)
        self._slots = asyncio.Semaphore(CONCURRENT_CALLS)

    # Incoming

    def parse(self, body: Any) -> list[Incoming]:
        """Every citizen message in a webhook body; statuses and the rest are skipped."""
        found: list[Incoming] = []
        for entry in items(obj(body, "body").get("entry"), "entry"):
            for change in items(obj(entry, "entry").get("changes"), "changes"):
                value = obj(obj(change, "change").get("value", {}), "value")
                for message in items(value.get("messages"), "messages"):
                    parsed = self._parse_message(obj(message, "message"))
                    if parsed is not None:
                        found.append(parsed)
        return found

    def _parse_message(self, message: dict[str, Any]) -> Incoming | None:
        chat = ident(message.get("from"), "from")
        delivery = ident(message.get("id"), "id")
        kind = message.get("type")

        def make(kind: Kind, **fields: Any) -> Incoming:
            return Incoming(NAME, chat, delivery, kind, **fields)

        match kind:
            case "text":
                return make(
                    Kind.TEXT, text=ident(obj(message.get("text"), "text").get("body"), "body")
                )
            case "image":
                image = obj(message.get("image"), "image")
                return make(
                    Kind.PHOTO,
                    media=Media(ident(image.get("id"), "image id"), None, image.get("mime_type")),
                )
            case "location":
                place = obj(message.get("location"), "location")
                return make(
                    Kind.LOCATION,
                    latitude=coordinate(place.get("latitude"), "latitude", 90.0),
                    longitude=coordinate(place.get("longitude"), "longitude", 180.0),
                )
            case "interactive":
                interactive = obj(message.get("interactive"), "interactive")
                reply = obj(
                    interactive.get("button_reply") or interactive.get("list_reply"), "reply"
                )
                payload = ident(reply.get("id"), "reply id")
                title = reply.get("title") if isinstance(reply.get("title"), str) else ""
                return make(Kind.BUTTON, text=title, payload=self._payloads.expand(payload))
            case "button":  # quick-reply button of a template message
                button = obj(message.get("button"), "button")
                quick = button.get("payload") or button.get("text")
                title = button.get("text") if isinstance(button.get("text"), str) else ""
                return make(Kind.BUTTON, text=title, payload=ident(quick, "button payload"))
            case "document":
                document = obj(message.get("document"), "document")
                mime = document.get("mime_type")
                if isinstance(mime, str) and mime.startswith("image/"):
                    return make(
                        Kind.PHOTO,
                        media=Media(ident(document.get("id"), "document id"), None, mime),
                    )
                return make(Kind.UNSUPPORTED, unsupported="document")
            case "reaction" | "system" | "order" | "ephemeral":
                return None
            case str():
                return make(Kind.UNSUPPORTED, unsupported=UNSUPPORTED_TYPES.get(kind, kind))
            case _:
                raise Malformed("message type is missing")

    async def fetch_media(self, media: Media) -> tuple[bytes, str]:
        check_media(media.content_type, None, self._max_photo_bytes)
        async with self._slots:
            info = await self._http.get(f"{self._base}/{media.ref}", headers=self._auth)
        info.raise_for_status()
        meta = info.json()
        url = meta["url"]
        content_type = str(meta.get("mime_type") or media.content_type or "image/jpeg")
        size = meta.get("file_size")
        check_media(content_type, int(size) if size is not None else None, self._max_photo_bytes)
        data = bytearray()
        async with self._http.stream("GET", url, headers=self._auth) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                data.extend(chunk)
                if len(data) > self._max_photo_bytes:
                    raise PhotoRefused("too_large")
        return bytes(data), content_type

    # Outgoing

    async def notify(self, chat_id: str, reply: Reply, ticket_id: str | None) -> None:
        """Free text inside the 24-hour customer-service window, else the template
        (which has no buttons: the citizen answers by typing)."""
        try:
            await self.send(chat_id, [reply])
            return
        except httpx.HTTPStatusError as exc:
            code = _error_code(exc.response)
            if exc.response.status_code != 400:
                raise
            if code != OUTSIDE_WINDOW:
                raise PermanentFailure(f"graph error {code}") from exc
            if not self._template:
                raise  # retried later: the window reopens when the citizen writes
        await self._post(chat_id, self._template_message(reply.text, ticket_id))

    def _template_message(self, text: str, ticket_id: str | None) -> dict[str, Any]:
        # Template parameters may not hold new lines, tabs or 4+ spaces in a row.
        flat = " ".join(text.split())[:MAX_BODY]
        parameters = [{"type": "text", "text": ticket_id or "-"}, {"type": "text", "text": flat}]
        return {
            "type": "template",
            "template": {
                "name": self._template,
                "language": {"code": self._template_language},
                "components": [{"type": "body", "parameters": parameters}],
            },
        }

    async def _post(self, chat_id: str, payload: dict[str, Any]) -> None:
        message = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": chat_id}
        async with self._slots:
            response = await self._http.post(
                self._messages_url, json=message | payload, headers=self._auth
            )
        response.raise_for_status()

    async def typing(self, chat_id: str) -> None:
        """Cloud API typing indicators need the incoming message id; not shown."""

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        for reply in replies:
            for payload in self.render(reply):
                await self._post(chat_id, payload)

    def render(self, reply: Reply) -> list[dict[str, Any]]:
        """The Graph API message bodies (without the recipient) for one reply."""
        text = reply.text[:MAX_TEXT]
        out: list[dict[str, Any]] = []
        if reply.image:
            out.append({"type": "image", "image": {"link": reply.image}})
        if reply.buttons:
            body = (text or texts.CHOOSE_PROMPT)[:MAX_BODY]
            if len(reply.buttons) <= MAX_BUTTONS:
                out.append(self._buttons(body, reply.buttons))
            else:
                for start in range(0, len(reply.buttons), MAX_ROWS):
                    chunk = reply.buttons[start : start + MAX_ROWS]
                    out.append(self.items(body if start == 0 else texts.MORE_CHOICES, chunk))
        if reply.request_location:
            prompt = texts.WA_SEND_LOCATION if reply.buttons or not text else text[:MAX_BODY]
            out.append(
                {
                    "type": "interactive",
                    "interactive": {
                        "type": "location_request_message",
                        "body": {"text": prompt},
                        "action": {"name": "send_location"},
                    },
                }
            )
        if not reply.buttons and not reply.request_location and text:
            out.append({"type": "text", "text": {"body": text, "preview_url": False}})
        return out

    def _buttons(self, body: str, buttons: Sequence[Button]) -> dict[str, Any]:
        items = [
            {
                "type": "reply",
                "reply": {
                    "id": self._payloads.shorten(b.payload),
                    "title": _short(b.title or b.payload, MAX_BUTTON_TITLE),
                },
            }
            for b in buttons
        ]
        return {
            "type": "interactive",
            "interactive": {"type": "button", "body": {"text": body}, "action": {"buttons": items}},
        }

    def items(self, body: str, buttons: Sequence[Button]) -> dict[str, Any]:
        rows = []
        for b in buttons:
            title = b.title or b.payload
            row = {"id": self._payloads.shorten(b.payload), "title": _short(title, MAX_ROW_TITLE)}
            if len(title) > MAX_ROW_TITLE:
                row["description"] = _short(title, MAX_ROW_DESCRIPTION)
            rows.append(row)
        return {
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": body},
                "action": {
                    "button": texts.CHOOSE_LIST_BUTTON,
                    "sections": [{"title": "Pilihan", "rows": rows}],
                },
            },
        }
