"""Client of Rasa's REST channel (`POST /webhooks/rest/webhook`)."""

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import httpx

from bot.channels.messages import Reply

log = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa did not answer. `maybe_processed` is true when it may have seen the message."""

    def __init__(self, reason: str, *, maybe_processed: bool) -> None:
        super().__init__(reason)
        self.maybe_processed = maybe_processed


class RasaClient:
    """Sends one citizen message to Rasa and returns its replies.

    A message Rasa never received (connection refused, 502/503 from a proxy
    before Rasa) is retried a few times with back-off; a message Rasa may have
    processed (read timeout, 500) is not, so a "ya, kirim" is never applied twice.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        retry_delays: tuple[float, ...] = (0.5, 1.5, 3.0),
        max_concurrency: int = 16,
        parse_timeout: float = 1.5,
    ) -> None:
        self._http = http
        # Waiting here is cheap; waiting inside httpx's pool costs CPU per queued request.
        self._slots = asyncio.Semaphore(max_concurrency)
        self._base = base_url.rstrip("/")
        self._url = self._base + "/webhooks/rest/webhook"
        self._retry_delays = retry_delays
        self._parse_timeout = parse_timeout

    async def send(self, sender: str, message: str) -> list[Reply]:
        delays = iter(self._retry_delays)
        while True:
            try:
                return await self._send_once(sender, message)
            except RasaUnavailable as exc:
                delay = next(delays, None)
                if exc.maybe_processed or delay is None:
                    raise
                log.warning("rasa unavailable (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)

    async def _send_once(self, sender: str, message: str) -> list[Reply]:
        try:
            async with self._slots:
                response = await self._http.post(
                    self._url, json={"sender": sender, "message": message}
                )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise RasaUnavailable(type(exc).__name__, maybe_processed=False) from exc
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__, maybe_processed=True) from exc
        if response.status_code in (502, 503, 504):
            raise RasaUnavailable(f"HTTP {response.status_code}", maybe_processed=False)
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}", maybe_processed=True)
        try:
            body: Any = response.json()
        except ValueError as exc:
            raise RasaUnavailable("invalid JSON", maybe_processed=True) from exc
        if not isinstance(body, list):
            raise RasaUnavailable("reply is not a list", maybe_processed=True)
        return [Reply.from_rasa(item) for item in body if isinstance(item, dict)]

    async def intent(self, text: str) -> str | None:
        """The intent Rasa's NLU reads in `text` (`POST /model/parse`), or None.

        Never raises and never waits longer than `parse_timeout`: the caller
        (a handed-off chat) must go on without it when Rasa is slow or down.
        """
        try:
            async with asyncio.timeout(self._parse_timeout):
                response = await self._http.post(
                    self._base + "/model/parse",
                    json={"text": text},
                    timeout=self._parse_timeout,
                )
            response.raise_for_status()
            name = response.json().get("intent", {}).get("name")
        except (TimeoutError, httpx.HTTPError, ValueError, AttributeError) as exc:
            log.warning("rasa parse failed: %s", type(exc).__name__)
            return None
        return name if isinstance(name, str) else None

    async def set_slots(self, sender: str, slots: dict[str, Any]) -> None:
        """Set slots on the sender's tracker (Rasa's HTTP API, `--enable-api`).

        Raises httpx.HTTPError when Rasa is unreachable or refuses.
        """
        events = [{"event": "slot", "name": name, "value": value} for name, value in slots.items()]
        url = f"{self._base}/conversations/{quote(sender, safe=':')}/tracker/events"
        async with self._slots:
            response = await self._http.post(url, json=events)
        response.raise_for_status()
