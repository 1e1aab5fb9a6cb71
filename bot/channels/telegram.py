"""Telegram through python-telegram-bot's `Bot`: webhook or polling, and sending."""

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.request import HTTPXRequest

from bot.channels import texts
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
        *,
        api_base_url: str,
        file_base_url: str,
        max_photo_bytes: int,
        timeout: float = 20.0,
    ) -> None:
        # Calls wait for a slot here rather than in httpx's pool, whose bookkeeping
        # costs CPU per queued request and per open connection.
        self._slots = asyncio.Semaphore(CONCURRENT_CALLS)
        request = HTTPXRequest(
            connection_pool_size=CONCURRENT_CALLS, read_timeout=timeout, connect_timeout=timeout
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

    async def poll(self, handle: Callable[[Update], Awaitable[None]]) -> None:
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
                    await handle(update)
                except Exception:
                    log.exception("telegram update handling failed")

    # Incoming

    def parse(self, update: Update) -> Incoming | None:
        """The common message for an update, or None for what the bot ignores."""
        delivery = str(update.update_id)
        query = update.callback_query
        if query is not None:
            message = query.message
            if message is None or not isinstance(message, Message) or not query.data:
                return None
            if message.chat.type != ChatType.PRIVATE:
                return None
            payload = self._payloads.expand(query.data)
            title = _button_title(message, query.data)
            return Incoming(
                NAME, str(message.chat.id), delivery, Kind.BUTTON, text=title, payload=payload
            )
        message = update.message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return None
        chat = str(message.chat.id)
        if message.text is not None:
            return Incoming(NAME, chat, delivery, Kind.TEXT, text=message.text)
        if message.photo:
            largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
            media = Media(largest.file_id, largest.file_size, "image/jpeg")
            return Incoming(NAME, chat, delivery, Kind.PHOTO, media=media)
        location = message.venue.location if message.venue else message.location
        if location is not None:
            return Incoming(
                NAME,
                chat,
                delivery,
                Kind.LOCATION,
                latitude=location.latitude,
                longitude=location.longitude,
            )
        document = message.document
        if document is not None and (document.mime_type or "").startswith("image/"):
            media = Media(document.file_id, document.file_size, document.mime_type)
            return Incoming(NAME, chat, delivery, Kind.PHOTO, media=media)
        for field in UNSUPPORTED_FIELDS:
            if getattr(message, field, None):
                return Incoming(NAME, chat, delivery, Kind.UNSUPPORTED, unsupported=field)
        if message.caption is not None:
            return Incoming(NAME, chat, delivery, Kind.UNSUPPORTED, unsupported="media")
        return None  # service messages (pinned, joined, ...) need no answer

    async def answer_callback(self, update: Update) -> None:
        if update.callback_query is not None:
            try:
                async with self._slots:
                    await update.callback_query.answer()
                    # The choice is made: take the buttons away so they are not pressed twice.
                    await update.callback_query.edit_message_reply_markup(reply_markup=None)
            except TelegramError as exc:
                log.warning("answerCallbackQuery failed: %s", type(exc).__name__)

    async def fetch_media(self, media: Media) -> tuple[bytes, str]:
        check_media(media.content_type, media.size, self._max_photo_bytes)
        async with self._slots:
            file = await self.bot.get_file(media.ref)
            check_media(None, file.file_size, self._max_photo_bytes)
            data = bytes(await file.download_as_bytearray())
        if len(data) > self._max_photo_bytes:
            raise PhotoRefused("too_large")
        return data, media.content_type or "image/jpeg"

    # Outgoing

    async def notify(self, chat_id: str, reply: Reply, ticket_id: str | None) -> None:
        try:
            await self.send(chat_id, [reply])
        except (Forbidden, BadRequest) as exc:  # blocked by the citizen, chat gone
            raise PermanentFailure(type(exc).__name__) from exc

    async def typing(self, chat_id: str) -> None:
        async with self._slots:
            await self.bot.send_chat_action(chat_id=int(chat_id), action=ChatAction.TYPING)

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        chat = int(chat_id)
        for reply in replies:
            if reply.image:
                async with self._slots:
                    await self.bot.send_photo(chat_id=chat, photo=reply.image)
            for text, markup in self.render(reply):
                async with self._slots:
                    await self.bot.send_message(chat_id=chat, text=text, reply_markup=markup)

    def render(self, reply: Reply) -> list[tuple[str, Any]]:
        """The `sendMessage` calls (text, markup) for a reply; its image goes before."""
        text = (reply.text or "")[:MAX_TEXT]
        location_keyboard = ReplyKeyboardMarkup(
            [[KeyboardButton(texts.SEND_LOCATION_BUTTON, request_location=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
        if reply.buttons:
            rows = [
                [
                    InlineKeyboardButton(
                        b.title[:64] or b.payload[:64],
                        callback_data=self._payloads.shorten(b.payload),
                    )
                ]
                for b in reply.buttons
            ]
            first = (text or texts.CHOOSE_PROMPT, InlineKeyboardMarkup(rows))
            if reply.request_location:
                return [first, (texts.OR_SEND_LOCATION, location_keyboard)]
            return [first]
        if reply.request_location:
            return [(text or texts.OR_SEND_LOCATION, location_keyboard)]
        if not text:
            return []
        return [(text, None)]


def _button_title(message: Message, data: str) -> str:
    """The pressed inline button's title, read from the message that carried it."""
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return ""
