"""Client of the backend's photo API (`POST /api/v1/photos`)."""

import logging

import httpx

from bot.channels.conversations import error_code

log = logging.getLogger(__name__)


class PhotoRefused(Exception):
    """The backend will not take this file: `reason` is "too_large" (bytes),
    "too_many_pixels" (width × height) or "wrong_type"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PhotoStoreUnavailable(Exception):
    """The backend could not be reached or failed."""


IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
PIXELS = "photo_dimensions_too_large"  # the backend's error code for too many pixels


def check_media(content_type: str | None, size: int | None, max_bytes: int) -> None:
    """Refuse before downloading what the backend would refuse anyway."""
    if size is not None and size > max_bytes:
        raise PhotoRefused("too_large")
    if content_type is not None and content_type.split(";")[0].strip() not in IMAGE_TYPES:
        raise PhotoRefused("wrong_type")


class PhotoClient:
    def __init__(
        self, http: httpx.AsyncClient, base_url: str, token: str | None, max_bytes: int
    ) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + "/api/v1/photos"
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.max_bytes = max_bytes

    async def store(self, data: bytes, filename: str, content_type: str) -> str:
        """Upload a photo; returns the backend's photo id."""
        if len(data) > self.max_bytes:
            raise PhotoRefused("too_large")
        try:
            response = await self._http.post(
                self._url,
                files={"file": (filename, data, content_type)},
                headers=self._headers,
            )
        except httpx.HTTPError as exc:
            raise PhotoStoreUnavailable(type(exc).__name__) from exc
        if response.status_code == 413:
            raise PhotoRefused("too_many_pixels" if error_code(response) == PIXELS else "too_large")
        if response.status_code == 415:
            raise PhotoRefused("wrong_type")
        if response.status_code != 201:
            log.warning("backend photo upload failed with HTTP %s", response.status_code)
            raise PhotoStoreUnavailable(f"HTTP {response.status_code}")
        try:
            photo_id = response.json()["photo_id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise PhotoStoreUnavailable("invalid reply") from exc
        return str(photo_id)
