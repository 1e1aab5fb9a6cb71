"""Rasa tracker and lock stores configured by one URL each.

Rasa 3.6's SQL tracker store and Redis lock store take host, port, db, ...
as separate keys; operators set one URL (RASA_TRACKER_STORE_URL, REDIS_URL),
like every other process here. These subclasses only translate the URL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine.url import make_url

DEFAULT_TRACKER_URL = "sqlite:///var/rasa-tracker.db"


def sql_store_kwargs(url: str) -> dict[str, Any]:
    """SQLTrackerStore arguments for a SQLAlchemy URL ("sqlite:///var/x.db",
    "postgresql://user:pw@host:5432/rasa"; "+psycopg" is read as psycopg2)."""
    parsed = make_url(url)
    dialect = parsed.drivername.split("+")[0]
    if dialect == "postgres":
        dialect = "postgresql"
    return {
        "dialect": dialect,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database or "rasa.db",
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query) or None,
    }


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose endpoint gives `url:` instead of separate keys."""

    def __init__(self, host: str | None = None, **kwargs: Any) -> None:
        # Rasa passes the endpoint's `url:` as `host`.
        kwargs.update(sql_store_kwargs(host or DEFAULT_TRACKER_URL))
        super().__init__(**kwargs)


class UrlRedisLockStore(RedisLockStore):
    """RedisLockStore configured from a redis:// URL (REDIS_URL)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        parsed = urlsplit(endpoint_config.url or "redis://127.0.0.1:6379/0")
        path = parsed.path.strip("/")
        super().__init__(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 6379,
            db=int(path) if path.isdigit() else 0,
            username=parsed.username,
            password=parsed.password,
            use_ssl=parsed.scheme == "rediss",
            key_prefix=endpoint_config.kwargs.get("key_prefix"),
        )
