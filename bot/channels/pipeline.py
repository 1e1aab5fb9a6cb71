"""One pipeline for every chat app: dedupe, flood limit, per-chat order, Rasa.

A webhook hands an `Incoming` to `submit`, which returns at once (the chat app
gets its 200 quickly). Each chat has its own queue and worker task, so one
chat's messages are handled one after the other, in arrival order, while
other chats go on in parallel.

A chat handed off to an officer (Rasa answered with custom {"handoff": "open"})
sends its messages to the backend's conversation instead of to Rasa, until the
backend says there is none (404 no_handoff) or the closing news is delivered.
Rasa's dialogue never sees those messages, so the gateway asks Rasa's NLU about
each typed one and, when it reads an emergency, tells the citizen to call 112
itself, before the message goes to the officer (docs/handoff.md).
"""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.channels import texts
from bot.channels.base import Channel
from bot.channels.conversations import ConversationClient, InboxUnavailable, NoHandoff
from bot.channels.dedupe import Deduper
from bot.channels.flood import FloodLimiter
from bot.channels.messages import Incoming, Kind, Reply, size_text
from bot.channels.photos import PhotoClient, PhotoRefused, PhotoStoreUnavailable
from bot.channels.rasa import RasaClient, RasaUnavailable
from bot.channels.state import HandoffFlags

log = logging.getLogger(__name__)

Outcome = asyncio.Future[list[Reply]]


@dataclass
class _Job:
    message: Incoming
    done: Outcome
    notice: Reply | None = None
    # Replies already delivered while the message was handled (the 112 advice).
    sent: list[Reply] = field(default_factory=list)


class Pipeline:
    def __init__(
        self,
        *,
        rasa: RasaClient,
        photos: PhotoClient,
        deduper: Deduper,
        handoffs: HandoffFlags,
        conversations: ConversationClient,
        channels: Mapping[str, Channel],
        flood_limit: int = 20,
        typing_delay: float = 0.0,
    ) -> None:
        self._typing_delay = typing_delay
        self._rasa = rasa
        self._photos = photos
        self._deduper = deduper
        self._handoffs = handoffs
        self._conversations = conversations
        self._channels = channels
        self._flood = FloodLimiter(flood_limit)
        self._queues: dict[str, deque[_Job]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    async def submit(self, message: Incoming) -> Outcome | None:
        """Queue a delivery; None when it is a re-delivery already seen.

        The returned future resolves to the replies once they were sent (the
        web chat awaits it; webhooks do not).
        """
        if not await self._deduper.claim(f"{message.channel}:{message.delivery_id}"):
            log.info("duplicate delivery dropped", extra={"channel": message.channel})
            return None
        done: Outcome = asyncio.get_running_loop().create_future()
        allowed, warn = self._flood.check(message.sender, time.monotonic())
        if allowed:
            self._enqueue(_Job(message, done))
        elif warn:
            log.info("chat is flooding; asked to slow down", extra={"channel": message.channel})
            self._enqueue(_Job(message, done, notice=Reply(texts.FLOOD)))
        else:
            done.set_result([])
        return done

    def _enqueue(self, job: _Job) -> None:
        sender = job.message.sender
        queue = self._queues.get(sender)
        if queue is not None:
            queue.append(job)
            return
        self._queues[sender] = deque([job])
        task = asyncio.create_task(self._work(sender), name="chat-worker")
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)

    async def _work(self, sender: str) -> None:
        queue = self._queues[sender]
        while queue:
            job = queue[0]
            try:
                replies = await self._process(job)
            except Exception:
                log.exception("message handling failed", extra={"channel": job.message.channel})
                replies = []
            finally:
                queue.popleft()
            if not job.done.done():
                job.done.set_result(replies)
        del self._queues[sender]

    async def _process(self, job: _Job) -> list[Reply]:
        message = job.message
        channel = self._channels[message.channel]
        replies = [job.notice] if job.notice else await self._answer(channel, job)
        # The 112 advice already sent is not repeated when Rasa says it too (the
        # handoff had just ended: 404 no_handoff).
        replies = job.sent + [r for r in replies if r.visible and r not in job.sent]
        await self._deliver(channel, message.chat_id, replies[len(job.sent) :])
        return replies

    async def _deliver(self, channel: Channel, chat_id: str, replies: list[Reply]) -> None:
        if not replies:
            return
        try:
            await channel.send(chat_id, replies)
        except Exception as exc:
            log.warning(
                "could not deliver replies: %s", type(exc).__name__, extra={"channel": channel.name}
            )

    async def _answer(self, channel: Channel, job: _Job) -> list[Reply]:
        message = job.message
        if message.kind is Kind.UNSUPPORTED:
            what = texts.UNSUPPORTED_WHAT.get(message.unsupported, texts.UNSUPPORTED_DEFAULT)
            return [Reply(texts.UNSUPPORTED.format(what=what))]
        # The typing action runs beside the work, not before it, and only when the
        # answer takes longer than `typing_delay`: a quick answer needs no dots.
        started = asyncio.Event()
        typing = asyncio.create_task(_typing(channel, message.chat_id, self._typing_delay, started))
        try:
            return await self._understand(channel, job)
        finally:
            if started.is_set():
                await typing
            else:
                typing.cancel()

    async def _understand(self, channel: Channel, job: _Job) -> list[Reply]:
        message = job.message
        if message.kind is Kind.PHOTO and message.photo_id is None:
            stored = await self._store_photo(channel, message)
            if isinstance(stored, Reply):
                return [stored]
            message = replace(message, photo_id=stored, media=None)
        if await self._handoffs.is_on(message.sender):
            await self._warn_if_emergency(channel, job, message)
            try:
                await self._conversations.forward(message)
                return []  # the officer answers through the outbox
            except NoHandoff:
                await self._handoffs.set(message.sender, False)
            except InboxUnavailable as exc:
                log.error("handoff inbox unavailable: %s", exc, extra={"channel": channel.name})
                return [Reply(texts.BOT_DOWN)]
        try:
            replies = await self._rasa.send(message.sender, message.rasa_text())
        except RasaUnavailable as exc:
            log.error("rasa unavailable: %s", exc, extra={"channel": channel.name})
            return [Reply(texts.BOT_DOWN)]
        if any(r.handoff_open for r in replies):
            await self._handoffs.set(message.sender, True)
        return Reply.merge_location_requests(replies)

    async def _warn_if_emergency(self, channel: Channel, job: _Job, message: Incoming) -> None:
        """Tell a handed-off citizen to call 112 at once when the text reads as an emergency.

        Sent before the message is forwarded, so a slow inbox cannot delay it; a
        parse that fails or times out only skips the advice (RasaClient.intent).
        """
        if message.kind is not Kind.TEXT or not (message.text or "").strip():
            return
        if await self._rasa.intent(message.rasa_text()) != "emergency":  # no typed /intent
            return
        log.warning("emergency during a handoff: 112 advice sent", extra={"channel": channel.name})
        advice = Reply(texts.EMERGENCY)
        job.sent.append(advice)
        await self._deliver(channel, message.chat_id, [advice])

    async def _store_photo(self, channel: Channel, message: Incoming) -> str | Reply:
        assert message.media is not None  # noqa: S101 - channels always attach it to photos
        try:
            if message.media.data is not None:
                data, content_type = message.media.data, message.media.content_type or ""
            else:
                data, content_type = await channel.fetch_media(message.media)
            return await self._photos.store(data, "photo", content_type or "image/jpeg")
        except PhotoRefused as exc:
            if exc.reason == "too_large":
                return Reply(texts.PHOTO_TOO_LARGE.format(limit=size_text(self._photos.max_bytes)))
            if exc.reason == "too_many_pixels":
                return Reply(texts.PHOTO_TOO_MANY_PIXELS)
            return Reply(texts.PHOTO_WRONG_TYPE)
        except PhotoStoreUnavailable as exc:
            log.error("photo store unavailable: %s", exc, extra={"channel": channel.name})
            return Reply(texts.PHOTO_FAILED)
        except Exception as exc:
            log.error(
                "photo download failed: %s", type(exc).__name__, extra={"channel": channel.name}
            )
            return Reply(texts.PHOTO_FAILED)

    async def drain(self, seconds: float) -> None:
        """Let queued messages finish (on shutdown)."""
        if self._workers:
            await asyncio.wait(set(self._workers), timeout=seconds)


async def _typing(channel: Channel, chat_id: str, delay: float, started: asyncio.Event) -> None:
    await asyncio.sleep(delay)
    started.set()
    try:
        await channel.typing(chat_id)
    except Exception as exc:
        log.debug("typing action failed: %s", type(exc).__name__)
