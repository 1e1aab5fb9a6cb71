"""Rasa tracker and lock stores configured by one URL each.

Rasa 3.6's SQL tracker store and Redis lock store take host, port, db, ...
as separate keys; operators set one URL (RASA_TRACKER_STORE_URL, REDIS_URL),
like every other process here. These subclasses translate the URL, and the
tracker store saves a turn with less work (docs/performance.md):

- On SQLite it writes in WAL mode with `synchronous=NORMAL`: a commit no
  longer waits for the disk twice. A crash of Rasa loses nothing; a power
  cut can lose the last turns' events (the complaint itself is in the
  backend, filed with an idempotency key).
- Rasa counts the stored events of the conversation on every save to know
  which are new. The count it retrieved at the start of the turn is the
  same number (the lock store holds the conversation for the whole turn),
  so a save right after a retrieve uses it instead of asking again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import event
from sqlalchemy.engine.url import make_url

DEFAULT_TRACKER_URL = "sqlite:///var/rasa-tracker.db"
_MAX_REMEMBERED = 10_000


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


def _sqlite_write_ahead(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class UrlSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose endpoint gives `url:` instead of separate keys."""

    def __init__(self, host: str | None = None, **kwargs: Any) -> None:
        # Rasa passes the endpoint's `url:` as `host`.
        kwargs.update(sql_store_kwargs(host or DEFAULT_TRACKER_URL))
        super().__init__(**kwargs)
        # sender id -> events of its current session when it was last retrieved
        self._retrieved: dict[str, int] = {}
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_write_ahead)
            self.engine.dispose()  # connections opened by Rasa's set-up get the pragmas too

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if not fetch_events_from_all_sessions:
            if len(self._retrieved) >= _MAX_REMEMBERED:  # retrieved, never saved (API reads)
                self._retrieved.clear()
            self._retrieved[sender_id] = len(tracker.events) if tracker else 0
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = self._retrieved.pop(tracker.sender_id, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


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
