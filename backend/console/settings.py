"""Console settings, read from CONSOLE_* variables (a group to nest into backend Settings)."""

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "&copy; kontributor OpenStreetMap"


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", env_file=".env", extra="ignore")

    tile_url: str = Field(
        default=DEFAULT_TILE_URL,
        description="Leaflet tile URL template; empty: the map shows the pin without tiles",
    )
    tile_attribution: str = DEFAULT_TILE_ATTRIBUTION
    cookie_secure: bool | None = Field(
        default=None,
        description="mark the session cookie Secure; unset: yes unless BACKEND_HOST is loopback",
    )
    page_size: int = Field(default=25, ge=5, le=200)


@lru_cache
def get_console_settings() -> ConsoleSettings:
    return ConsoleSettings()


def cookie_secure(setting: bool | None, backend_host: str) -> bool:
    """Cookies are `Secure` unless the setting says otherwise or the console is
    served on loopback only (a developer's plain-HTTP machine). Anything else is
    reachable from outside, where HTTPS (at a proxy) is the rule."""
    if setting is not None:
        return setting
    if backend_host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(backend_host).is_loopback
    except ValueError:  # a host name: assume it is public
        return True


def tile_origin(tile_url: str) -> str | None:
    """The origin to allow images from in the CSP, `{s}` subdomains as a wildcard."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"
