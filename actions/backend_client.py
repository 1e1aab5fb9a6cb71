"""The one door from the action server to the backend (CONTRACT.md section 8).

Async (aiohttp, already a Rasa dependency) so a slow backend never blocks the
action server's event loop. Every call has a timeout; reads and the
idempotent complaint submission are retried on connection errors, timeouts
and 5xx answers. Nothing here logs chat ids or message text.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class PublicNote(TypedDict):
    status: str
    note: str
    at: str


class ComplaintView(TypedDict):
    ticket_id: str
    category: str
    category_label: str
    status: str
    status_label: str
    ditindaklanjuti: bool
    agency: str | None
    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    created_at: str
    updated_at: str
    latest_note: str | None
    public_notes: list[PublicNote]
    due_at: str | None  # SLA target; absent from older backends


class NewComplaint(TypedDict):
    category: str
    description: str
    channel: str
    reporter_chat_id: str
    latitude: float | None
    longitude: float | None
    address: str | None
    kelurahan_code: str | None
    photo_ids: list[str]


class ReversePlace(TypedDict, total=False):
    inside_jakarta: bool
    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    kelurahan_code: str | None


class PlaceCandidate(TypedDict):
    kelurahan_code: str
    kelurahan: str
    kecamatan: str
    kota: str
    latitude: float
    longitude: float
    score: float


class NearbyComplaint(TypedDict):
    ticket_id: str
    category: str
    status: str
    distance_m: float
    supporters: int


class TranscriptItem(TypedDict):
    role: Literal["citizen", "bot"]
    text: str
    at: str | None


class Handoff(TypedDict):
    """POST /api/v1/conversations (interface A)."""

    conversation_id: int | None
    state: Literal["waiting", "open", "office_closed"]
    office_hours: str
    opens_at: str | None
    reply_within_minutes: int


class FeedbackResult(TypedDict):
    """POST /api/v1/complaints/{ticket}/feedback (interface E)."""

    ticket_id: str
    status: str
    resolved: bool
    rating: int | None


class Withdrawal(TypedDict):
    """POST /api/v1/complaints/{ticket}/withdrawal."""

    ticket_id: str
    status: str


class BackendUnavailable(Exception):
    """The backend could not be reached or kept failing (timeouts, 5xx)."""


@dataclass
class BackendError(Exception):
    """The backend answered with a 4xx error: {"detail": ..., "code": ...}."""

    status: int
    code: str
    detail: str

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.detail}"


class BackendClient:
    """Typed calls to the backend's HTTP API, version 1."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 4.0,
        attempts: int = 3,
        backoff: float = 0.25,
    ) -> None:
        self.base_url = (base_url or os.environ.get("BACKEND_URL") or DEFAULT_BASE_URL).rstrip("/")
        self._token = token if token is not None else os.environ.get("BACKEND_SERVICE_TOKEN", "")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _get_session(self) -> aiohttp.ClientSession:
        # One pooled session per event loop; recreated if the loop changed
        # (tests run several loops in one process).
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or session._loop is not loop:  # noqa: SLF001
            headers = {"Accept": "application/json"}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            session = aiohttp.ClientSession(headers=headers, timeout=self._timeout)
            self._session = session
        return session

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        retry: bool = True,
    ) -> Any:
        attempts = self._attempts if retry else 1
        last_error = ""
        for attempt in range(1, attempts + 1):
            try:
                session = self._get_session()
                async with session.request(
                    method, self.base_url + path, params=params, json=json, headers=headers
                ) as response:
                    if response.status in RETRY_STATUSES:
                        last_error = f"HTTP {response.status}"
                    elif response.status >= 400:
                        raise await _error_from(response)
                    else:
                        if response.status == 204:
                            return None
                        return await response.json(content_type=None)
            # On Python 3.10 asyncio.TimeoutError is not the builtin TimeoutError.
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:  # noqa: UP041
                last_error = type(exc).__name__
            logger.warning(
                "backend %s %s failed (%s), attempt %d/%d",
                method,
                path.split("?")[0] if "/reporters/" not in path else "/api/v1/reporters/…",
                last_error,
                attempt,
                attempts,
            )
            if attempt < attempts:
                await asyncio.sleep(self._backoff * attempt)
        raise BackendUnavailable(last_error)

    async def create_complaint(
        self, complaint: NewComplaint, idempotency_key: str
    ) -> ComplaintView:
        """File a complaint; a retry with the same key returns the first result."""
        view: ComplaintView = await self._request(
            "POST",
            "/api/v1/complaints",
            json=complaint,
            headers={"Idempotency-Key": idempotency_key},
        )
        return view

    async def complaint_by_key(self, idempotency_key: str) -> ComplaintView | None:
        """The complaint filed with this key, or None when none was (its answer was lost)."""
        try:
            view: ComplaintView = await self._request(
                "GET", f"/api/v1/complaints/by-key/{idempotency_key}"
            )
        except BackendError as error:
            if error.status == 404:
                return None
            raise
        return view

    async def withdraw_complaint(self, ticket_id: str, sender_id: str) -> Withdrawal:
        """The reporter takes the complaint back (a repeat is answered the same)."""
        result: Withdrawal = await self._request(
            "POST", f"/api/v1/complaints/{ticket_id}/withdrawal", json={"sender_id": sender_id}
        )
        return result

    async def get_complaint(self, ticket_id: str) -> ComplaintView:
        view: ComplaintView = await self._request("GET", f"/api/v1/complaints/{ticket_id}")
        return view

    async def reporter_complaints(self, channel: str, chat_id: str) -> list[ComplaintView]:
        body = await self._request("GET", f"/api/v1/reporters/{channel}/{chat_id}/complaints")
        complaints: list[ComplaintView] = body.get("complaints", [])
        return complaints

    async def reverse_place(self, latitude: float, longitude: float) -> ReversePlace:
        place: ReversePlace = await self._request(
            "GET", "/api/v1/places/reverse", params={"lat": latitude, "lon": longitude}
        )
        return place

    async def search_places(self, query: str) -> tuple[list[PlaceCandidate], bool]:
        """Candidate kelurahan, best first, and whether the first is clear enough to use."""
        body = await self._request("GET", "/api/v1/places/search", params={"q": query})
        candidates: list[PlaceCandidate] = body.get("candidates", [])
        return candidates, bool(body.get("clear", True))

    async def nearby_complaints(
        self, latitude: float, longitude: float, category: str
    ) -> list[NearbyComplaint]:
        body = await self._request(
            "GET",
            "/api/v1/complaints/nearby",
            params={"lat": latitude, "lon": longitude, "category": category},
        )
        nearby: list[NearbyComplaint] = body.get("complaints", [])
        return nearby

    async def add_supporter(self, ticket_id: str, channel: str, chat_id: str) -> None:
        await self._request(
            "POST",
            f"/api/v1/complaints/{ticket_id}/supporters",
            json={"channel": channel, "chat_id": chat_id},
            retry=False,
        )

    async def open_handoff(
        self,
        sender_id: str,
        reason: Literal["requested", "fallback"],
        transcript: list[TranscriptItem],
        ticket_id: str | None,
        draft: dict[str, Any] | None,
    ) -> Handoff:
        """Hand the chat to an officer; a repeat returns the open conversation."""
        handoff: Handoff = await self._request(
            "POST",
            "/api/v1/conversations",
            json={
                "sender_id": sender_id,
                "reason": reason,
                "transcript": transcript,
                "ticket_id": ticket_id,
                "draft": draft,
            },
        )
        return handoff

    async def send_feedback(
        self,
        ticket_id: str,
        sender_id: str,
        *,
        resolved: bool,
        reason: str | None = None,
        rating: int | None = None,
    ) -> FeedbackResult:
        """The reporter's answer to "Sudah beres?" (not retried: a reopen is not idempotent)."""
        result: FeedbackResult = await self._request(
            "POST",
            f"/api/v1/complaints/{ticket_id}/feedback",
            json={"sender_id": sender_id, "resolved": resolved, "reason": reason, "rating": rating},
            retry=False,
        )
        return result


async def _error_from(response: aiohttp.ClientResponse) -> BackendError:
    try:
        body = await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = body.get("detail", "")
    if not isinstance(detail, str):  # FastAPI validation errors are lists
        detail = "invalid request"
    return BackendError(response.status, str(body.get("code") or "error"), detail)


_client: BackendClient | None = None


def get_client() -> BackendClient:
    """The process-wide client (configured from BACKEND_URL, BACKEND_SERVICE_TOKEN)."""
    global _client
    if _client is None:
        _client = BackendClient()
    return _client


def set_client(client: BackendClient | None) -> None:
    """Replace the process-wide client (tests point it at a fake backend)."""
    global _client
    _client = client
