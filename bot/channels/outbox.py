"""Delivers the backend's outbox (status news, officers' replies) to citizens.

Claims due messages (`POST /api/v1/outbox/claim`, a lease: a message whose
delivery died is claimable again later), marks them `sending`
(`POST /api/v1/outbox/sending`) and sends only those the backend marked, records
each one the chat app accepted in the journal at once, and reports `delivered`
(then forgets it) or `failed` (with `retry` false when the chat app refused for
good). What the journal still holds, after a crash or a failed report, is
reported before anything is claimed, never sent again. A message left `sending`
by a gateway that stopped comes back `uncertain`: unless the journal has it, it is
sent again (at least once; docs/channels.md). Several gateway replicas may run
this: claims never overlap.

After a delivery, a message with `ends_handoff` gives the chat back to Rasa, and
`rasa_slots` are set on the sender's Rasa tracker (best effort: logged, never
failing the delivery), so a "Ya, sudah" press knows which ticket it is about.
"""

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from bot.channels.base import Channel, PermanentFailure
from bot.channels.journal import DeliveryJournal
from bot.channels.messages import Button, Reply
from bot.channels.rasa import RasaClient
from bot.channels.state import HandoffFlags

log = logging.getLogger(__name__)


def outbox_reply(message: dict[str, Any]) -> Reply:
    """The claimed message as a reply: its text and buttons (payloads for Rasa)."""
    buttons = [
        Button(title=str(b.get("title", "")), payload=str(b["payload"]))
        for b in message.get("buttons") or []
        if isinstance(b, dict) and b.get("payload")
    ]
    return Reply(text=str(message.get("text") or ""), buttons=buttons)


class OutboxWorker:
    def __init__(
        self,
        http: httpx.AsyncClient,
        backend_url: str,
        token: str,
        channels: Mapping[str, Channel],
        *,
        handoffs: HandoffFlags,
        rasa: RasaClient,
        journal: DeliveryJournal,
        poll_seconds: float = 5.0,
        batch: int = 20,
    ) -> None:
        self._http = http
        self._base = backend_url.rstrip("/") + "/api/v1/outbox"
        self._auth = {"Authorization": f"Bearer {token}"}
        self._channels = channels
        self._handoffs = handoffs
        self._rasa = rasa
        self._journal = journal
        # Journaled ids whose after-delivery steps ran in this process: a report
        # retried during a backend outage does not set the Rasa slots again.
        self._settled: set[int] = set()
        self._poll = poll_seconds
        self._batch = batch

    async def run(self) -> None:
        """Poll until cancelled; a full batch is followed at once by the next claim."""
        while True:
            try:
                claimed = await self.deliver_due()
            except httpx.HTTPError as exc:
                log.warning("outbox claim failed: %s", type(exc).__name__)
                claimed = 0
            except Exception as exc:  # the journal's store (Redis, SQLite) failed
                log.error("outbox round failed: %s", type(exc).__name__)
                claimed = 0
            if claimed < self._batch:
                await asyncio.sleep(self._poll)

    async def deliver_due(self) -> int:
        await self._report_journaled()
        response = await self._http.post(
            f"{self._base}/claim", params={"limit": self._batch}, headers=self._auth
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        unreported = await self._journal.unreported()  # a report failed just now
        to_send = [m for m in messages if int(m["id"]) not in unreported]
        marked = await self._mark_sending([int(m["id"]) for m in to_send])
        await asyncio.gather(*(self._deliver(m) for m in to_send if int(m["id"]) in marked))
        return len(messages)

    async def _report_journaled(self) -> None:
        """Report what was sent but not reported (a crash, or the backend was down)."""
        for message_id, message in (await self._journal.unreported()).items():
            channel = str(message["channel"])
            context = {"channel": channel, "outbox_id": message_id}
            if message_id not in self._settled:  # sent by a process that died
                await self._after_delivery(f"{channel}:{message['chat_id']}", message, context)
                self._settled.add(message_id)
            if await self._report(message_id, "delivered", None):
                await self._journal.forget(message_id)
                self._settled.discard(message_id)
                log.info("outbox delivery reported from the journal", extra=context)

    async def _mark_sending(self, message_ids: list[int]) -> set[int]:
        """The ids the backend marked `sending`: the only ones to send now."""
        if not message_ids:
            return set()
        response = await self._http.post(
            f"{self._base}/sending", json={"ids": message_ids}, headers=self._auth
        )
        response.raise_for_status()
        return {int(i) for i in response.json()["ids"]}

    async def _deliver(self, message: dict[str, Any]) -> None:
        message_id = int(message["id"])
        channel = self._channels.get(str(message["channel"]))
        context = {"channel": message["channel"], "outbox_id": message_id}
        if channel is None:
            failure = {"error": "channel not configured here", "retry": True}
            await self._report(message_id, "failed", failure)
            log.warning("outbox message for an unconfigured channel", extra=context)
            return
        if message.get("uncertain"):
            # Its sender stopped mid-call and did not journal it: it may have
            # arrived. Sent again: a repeat is better than news lost.
            log.warning("outbox message of unknown outcome sent again", extra=context)
        chat_id = str(message["chat_id"])
        try:
            await channel.notify(chat_id, outbox_reply(message), message.get("ticket_id"))
        except PermanentFailure as exc:
            log.warning("outbox message refused for good: %s", exc, extra=context)
            await self._report(message_id, "failed", {"error": str(exc), "retry": False})
            return
        except Exception as exc:
            log.warning("outbox delivery failed: %s", type(exc).__name__, extra=context)
            await self._report(message_id, "failed", {"error": type(exc).__name__, "retry": True})
            return
        try:
            await self._journal.record(message_id, message)  # first: the chat app has it
        except Exception as exc:  # then a crash before the report means a repeat
            log.error("outbox journal write failed: %s", type(exc).__name__, extra=context)
        await self._after_delivery(f"{channel.name}:{chat_id}", message, context)
        self._settled.add(message_id)
        if await self._report(message_id, "delivered", None):
            await self._journal.forget(message_id)
            self._settled.discard(message_id)
        log.info("outbox message delivered", extra=context)

    async def _after_delivery(
        self, sender: str, message: dict[str, Any], context: dict[str, Any]
    ) -> None:
        if message.get("ends_handoff"):
            await self._handoffs.set(sender, False)
        slots = message.get("rasa_slots")
        if isinstance(slots, dict) and slots:
            try:
                await self._rasa.set_slots(sender, slots)
            except httpx.HTTPError as exc:
                log.warning("setting rasa slots failed: %s", type(exc).__name__, extra=context)

    async def _report(self, message_id: int, outcome: str, body: dict[str, Any] | None) -> bool:
        """True once the backend has the outcome (or no longer has the message)."""
        try:
            response = await self._http.post(
                f"{self._base}/{message_id}/{outcome}", json=body, headers=self._auth
            )
            if response.status_code == 404:
                return True  # nothing left to report it to
            response.raise_for_status()
        except httpx.HTTPError as exc:
            # A delivery stays in the journal and is reported again; a failure is
            # claimed again after the lease.
            log.warning("outbox report failed: %s", type(exc).__name__)
            return False
        return True
