"""Telegram: webhook or polling in, Bot API calls out.

python-telegram-bot's `Bot` does the rare calls (getMe, setWebhook, getUpdates,
getFile). Every turn's calls (parsing the update, sendMessage, sendChatAction,
answering a button) work on the Bot API's JSON directly with the gateway's
shared HTTP client: building the library's objects cost about a third of the
gateway's CPU per turn.
"""

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
from telegram import Bot
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.channels import jsonread, texts
from bot.channels.base import PayloadMap, PermanentFailure
from bot.channels.messages import Incoming, Kind, Media, Reply
from bot.channels.photos import PhotoRefused, check_media

log = logging.getLogger(__name__)

NAME = "telegram"
MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
CONCURRENT_CALLS = 16
ALLOWED_UPDATES = ["message", "callback_query"]
UNSUPPORTED_FIELDS = (
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "contact",
    "poll",
    "dice",
)


def secret_matches(received: str | None, expected: str | None) -> bool:
    if not received or not expected:
        return False
    return hmac.compare_digest(received.encode(), expected.encode())


class TelegramChannel:
    name = NAME

    def __init__(
        self,
        token: str,
        http: httpx.AsyncClient,
        *,
        api_base_url: str,
        file_base_url: str,
        max_photo_bytes: int,
        timeout: float = 20.0,
    ) -> None:
        # Calls wait for a slot here rather than in httpx's pool, whose bookkeeping
        # costs CPU per queued request and per open connection.
        self._slots = asyncio.Semaphore(CONCURRENT_CALLS)
        self._http = http
        self._api = f"{api_base_url}{token}/"
        request = HTTPXRequest(
            connection_pool_size=4, read_timeout=timeout, connect_timeout=timeout
        )
        polling = HTTPXRequest(connection_pool_size=2, read_timeout=timeout)
        self.bot = Bot(
            token,
            base_url=api_base_url,
            base_file_url=file_base_url,
            request=request,
            get_updates_request=polling,
        )
        self._max_photo_bytes = max_photo_bytes
        self._payloads = PayloadMap(MAX_CALLBACK_BYTES)

    async def start(self) -> None:
        await self.bot.initialize()

    async def stop(self) -> None:
        await self.bot.shutdown()

    async def set_webhook(self, public_url: str, secret: str) -> None:
        url = public_url.rstrip("/") + "/telegram/webhook"
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        log.info("telegram webhook registered")

    async def poll(self, handle: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        """Long-poll getUpdates until cancelled (no public URL: a laptop, a test)."""
        await self.bot.delete_webhook()
        offset: int | None = None
        backoff = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=25, allowed_updates=ALLOWED_UPDATES
                )
                backoff = 1.0
            except TelegramError as exc:
                log.warning("telegram getUpdates failed: %s", type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            for update in updates:
                offset = update.update_id + 1
                try:
                    await handle(update.to_dict())
                except Exception:
                    log.exception("telegram update handling failed")

    # Incoming

    def parse(self, update: Any) -> Incoming | None:
        """The common message for an update (Bot API JSON), or None for what the bot
        ignores. Read straight from the dict: building python-telegram-bot's objects
        costs about a millisecond of CPU per update. Raises ValueError when malformed."""
        data = jsonread.obj(update, "update")
        delivery = str(jsonread.integer(data.get("update_id"), "update_id"))
        if "callback_query" in data:
            return self._parse_press(
                jsonread.obj(data["callback_query"], "callback_query"), delivery
            )
        if "message" not in data:
            return None  # edited messages, channel posts, ...
        message = jsonread.obj(data["message"], "message")
        chat = _private_chat(message)
        return None if chat is None else _parse_message(message, chat, delivery)

    def _parse_press(self, query: dict[str, Any], delivery: str) -> Incoming | None:
        message = query.get("message")
        if not isinstance(message, dict) or not query.get("data"):
            return None
        chat = _private_chat(message)
        if chat is None:
            return None
        data = jsonread.text(query["data"], "data")
        title = _button_title(message, data)
        payload = self._payloads.expand(data)
        return Incoming(NAME, chat, delivery, Kind.BUTTON, text=title, payload=payload)

    async def answer_callback(self, update: dict[str, Any]) -> None:
        query = update.get("callback_query")
        if not isinstance(query, dict):
            return
        message = query.get("message") or {}
        try:
            await self._call("answerCallbackQuery", {"callback_query_id": query["id"]})
            # The choice is made: take the buttons away so they are not pressed twice.
            await self._call(
                "editMessageReplyMarkup",
                {"chat_id": message["chat"]["id"], "message_id": message["message_id"]},
            )
        except (TelegramRefused, httpx.HTTPError, KeyError) as exc:
            log.warning("answerCallbackQuery failed: %s", type(exc).__name__)

    async def fetch_media(self, media: Media) -> tuple[bytes, str]:
        check_media(media.content_type, media.size, self._max_photo_bytes)
        async with self._slots:  # rare: the library's objects are fine here
            file = await self.bot.get_file(media.ref)
            check_media(None, file.file_size, self._max_photo_bytes)
            data = bytes(await file.download_as_bytearray())
        if len(data) > self._max_photo_bytes:
            raise PhotoRefused("too_large")
        return data, media.content_type or "image/jpeg"

    # Outgoing: straight to the Bot API with the shared HTTP client (JSON in, the
    # result left unparsed), the hot path of every turn.

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        async with self._slots:
            response = await self._http.post(self._api + method, json=params)
        try:
            body = response.json()
        except ValueError:
            response.raise_for_status()
            raise TelegramRefused(response.status_code, "invalid reply") from None
        if not isinstance(body, dict) or body.get("ok") is not True:
            description = body.get("description", "") if isinstance(body, dict) else ""
            raise TelegramRefused(response.status_code, str(description))
        return body.get("result")

    async def notify(self, chat_id: str, reply: Reply, ticket_id: str | None) -> None:
        try:
            await self.send(chat_id, [reply])
        except TelegramRefused as exc:
            if exc.status in (400, 403):  # blocked by the citizen, chat gone
                raise PermanentFailure(f"telegram {exc.status}") from exc
            raise

    async def typing(self, chat_id: str) -> None:
        await self._call("sendChatAction", {"chat_id": int(chat_id), "action": "typing"})

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        chat = int(chat_id)
        for reply in replies:
            if reply.image:
                await self._call("sendPhoto", {"chat_id": chat, "photo": reply.image})
            for text, markup in self.render(reply):
                params: dict[str, Any] = {"chat_id": chat, "text": text}
                if markup is not None:
                    params["reply_markup"] = markup
                await self._call("sendMessage", params)

    def render(self, reply: Reply) -> list[tuple[str, dict[str, Any] | None]]:
        """The `sendMessage` calls (text, reply markup) for a reply; its image goes before."""
        text = (reply.text or "")[:MAX_TEXT]
        location_keyboard = {
            "keyboard": [[{"text": texts.SEND_LOCATION_BUTTON, "request_location": True}]],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        }
        if reply.buttons:
            rows = [
                [
                    {
                        "text": b.title[:64] or b.payload[:64],
                        "callback_data": self._payloads.shorten(b.payload),
                    }
                ]
                for b in reply.buttons
            ]
            first = (text or texts.CHOOSE_PROMPT, {"inline_keyboard": rows})
            if reply.request_location:
                return [first, (texts.OR_SEND_LOCATION, location_keyboard)]
            return [first]
        if reply.request_location:
            return [(text or texts.OR_SEND_LOCATION, location_keyboard)]
        if not text:
            return []
        return [(text, None)]


class TelegramRefused(Exception):
    """The Bot API answered `ok: false` (`status` is its HTTP status)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"HTTP {status}: {description}")
        self.status = status


def _parse_message(message: dict[str, Any], chat: str, delivery: str) -> Incoming | None:
    """A message in a private chat: text, photo, place, or what the bot does not take."""
    if "text" in message:
        return Incoming(
            NAME, chat, delivery, Kind.TEXT, text=jsonread.text(message["text"], "text")
        )
    if message.get("photo"):
        sizes = [jsonread.obj(p, "photo") for p in jsonread.items(message["photo"], "photo")]
        largest = max(
            sizes,
            key=lambda p: (
                jsonread.integer(p.get("width", 0), "width")
                * jsonread.integer(p.get("height", 0), "height"),
                p.get("file_size") or 0,
            ),
        )
        media = Media(
            jsonread.text(largest.get("file_id"), "file_id"), _size(largest), "image/jpeg"
        )
        return Incoming(NAME, chat, delivery, Kind.PHOTO, media=media)
    venue = message.get("venue")
    place = (
        jsonread.obj(venue, "venue").get("location")
        if venue is not None
        else message.get("location")
    )
    if place is not None:
        place = jsonread.obj(place, "location")
        return Incoming(
            NAME,
            chat,
            delivery,
            Kind.LOCATION,
            latitude=jsonread.coordinate(place.get("latitude"), "latitude", 90.0),
            longitude=jsonread.coordinate(place.get("longitude"), "longitude", 180.0),
        )
    document = message.get("document")
    if isinstance(document, dict) and str(document.get("mime_type") or "").startswith("image/"):
        media = Media(
            jsonread.text(document.get("file_id"), "file_id"),
            _size(document),
            str(document["mime_type"]),
        )
        return Incoming(NAME, chat, delivery, Kind.PHOTO, media=media)
    for field in UNSUPPORTED_FIELDS:
        if message.get(field):
            return Incoming(NAME, chat, delivery, Kind.UNSUPPORTED, unsupported=field)
    if message.get("caption") is not None:
        return Incoming(NAME, chat, delivery, Kind.UNSUPPORTED, unsupported="media")
    return None  # service messages (pinned, joined, ...) need no answer


def _size(file: dict[str, Any]) -> int | None:
    size = file.get("file_size")
    return size if type(size) is int else None


def _private_chat(message: dict[str, Any]) -> str | None:
    """The chat id of a private chat (the bot serves no groups), else None."""
    chat = jsonread.obj(message.get("chat"), "chat")
    chat_id = jsonread.integer(chat.get("id"), "chat id")
    return str(chat_id) if chat.get("type") == "private" else None


def _button_title(message: dict[str, Any], data: str) -> str:
    """The pressed inline button's title, read from the message that carried it."""
    markup = message.get("reply_markup")
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    for row in rows if isinstance(rows, list) else ():
        for button in row if isinstance(row, list) else ():
            if isinstance(button, dict) and button.get("callback_data") == data:
                return str(button.get("text") or "")
    return ""
