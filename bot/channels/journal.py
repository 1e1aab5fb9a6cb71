"""What the gateway has sent but not yet reported to the backend's outbox.

A chat app has no idempotency key: once it has shown a message, sending it again
shows it twice. So the outbox worker writes "sent" here the moment the chat app
answers, before anything else (the backend report is an HTTP round trip), and
forgets it once the backend has recorded the delivery. After a crash or a backend
outage, what is here is reported, never sent again. The only duplicate left is a
crash between the chat app's answer and this write (docs/channels.md).

Kept where the de-duplication is: Redis when `REDIS_URL` is set (any replica
reports what another sent), else the gateway's SQLite file (a process crash loses
nothing; the restarted process reports it).
"""

import json
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis

from bot.channels.state import open_sqlite


class DeliveryJournal(Protocol):
    async def record(self, message_id: int, message: dict[str, Any]) -> None:
        """The chat app accepted this outbox message."""
        ...

    async def unreported(self) -> dict[int, dict[str, Any]]:
        """Messages recorded and not yet forgotten, by id."""
        ...

    async def forget(self, message_id: int) -> None:
        """The backend knows it was delivered."""
        ...

    async def close(self) -> None: ...


class SqliteJournal:
    """One INSERT on the event loop (WAL, synchronous=NORMAL: no fsync, tens of µs).

    Checkpoints are left to the de-duplication's checkpointer, as on its own
    connection, so no write here waits for an fsync.
    """

    def __init__(self, path: Path) -> None:
        self._db = open_sqlite(path)
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outbox_sent (id INTEGER PRIMARY KEY, message TEXT NOT NULL)"
        )

    async def record(self, message_id: int, message: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO outbox_sent (id, message) VALUES (?, ?)",
            (message_id, json.dumps(message)),
        )

    async def unreported(self) -> dict[int, dict[str, Any]]:
        rows = self._db.execute("SELECT id, message FROM outbox_sent ORDER BY id").fetchall()
        return {int(i): json.loads(body) for i, body in rows}

    async def forget(self, message_id: int) -> None:
        self._db.execute("DELETE FROM outbox_sent WHERE id = ?", (message_id,))

    async def close(self) -> None:
        self._db.close()


class RedisJournal:
    """A hash of id → message, shared by every replica."""

    def __init__(self, redis: Redis, key: str = "aduan:gateway:outbox:sent") -> None:
        self._redis = redis
        self._key = key

    async def record(self, message_id: int, message: dict[str, Any]) -> None:
        await self._redis.hset(self._key, str(message_id), json.dumps(message))

    async def unreported(self) -> dict[int, dict[str, Any]]:
        found = await self._redis.hgetall(self._key)
        return {int(i): json.loads(body) for i, body in found.items()}

    async def forget(self, message_id: int) -> None:
        await self._redis.hdel(self._key, str(message_id))

    async def close(self) -> None:
        await self._redis.aclose()


def make_journal(redis_url: str | None, db_path: Path) -> DeliveryJournal:
    if redis_url:
        return RedisJournal(Redis.from_url(redis_url))
    return SqliteJournal(db_path)
