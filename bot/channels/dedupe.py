"""Durable de-duplication of webhook deliveries.

Telegram and Meta re-deliver a webhook when they do not get a timely 200, so
the same `update_id` / message id may arrive twice, even across a gateway
restart. `claim(key)` is true exactly once per key within the TTL.
"""

import asyncio
import logging
import sqlite3
import time
from pathlib import Path
from typing import Protocol

from redis.asyncio import Redis

from bot.channels.state import open_sqlite

log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 500  # claims between two WAL checkpoints


class Deduper(Protocol):
    async def claim(self, key: str) -> bool: ...

    async def close(self) -> None: ...


class RedisDeduper:
    """SET NX with a TTL: shared by every gateway replica."""

    def __init__(self, url: str, ttl_seconds: int, prefix: str = "aduan:gateway:seen:") -> None:
        self._redis: Redis = Redis.from_url(url)
        self._ttl = ttl_seconds
        self._prefix = prefix

    async def claim(self, key: str) -> bool:
        created = await self._redis.set(self._prefix + key, b"1", nx=True, ex=self._ttl)
        return bool(created)

    async def close(self) -> None:
        await self._redis.aclose()


class SqliteDeduper:
    """A small table in a local SQLite file, for the one-machine default.

    A claim is one INSERT in WAL mode with synchronous=NORMAL: no fsync, a few tens
    of microseconds, so it runs on the event loop (a hop to a worker thread cost
    more CPU than the insert). SQLite's own checkpoints, which fsync, are off on
    this connection; a worker thread checkpoints through a second connection
    every CHECKPOINT_EVERY claims, which never blocks the inserts.
    """

    def __init__(self, path: Path, ttl_seconds: int) -> None:
        self._db = open_sqlite(path)
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS seen_deliveries "
            "(key TEXT PRIMARY KEY, expires REAL NOT NULL)"
        )
        self._checkpointer = open_sqlite(path)
        self._checkpoint: asyncio.Task[None] | None = None
        self._ttl = ttl_seconds
        self._claims = 0

    async def claim(self, key: str) -> bool:
        claimed = self._claim(key, time.time())
        if self._claims % CHECKPOINT_EVERY == 0 and (
            self._checkpoint is None or self._checkpoint.done()
        ):
            self._checkpoint = asyncio.create_task(self._run_checkpoint())
        return claimed

    async def _run_checkpoint(self) -> None:
        try:
            await asyncio.to_thread(self._checkpointer.execute, "PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            log.warning("dedupe checkpoint failed: %s", exc)

    def _claim(self, key: str, now: float) -> bool:
        self._claims += 1
        if self._claims % 1000 == 1:
            self._db.execute("DELETE FROM seen_deliveries WHERE expires < ?", (now,))
        cursor = self._db.execute(
            "INSERT INTO seen_deliveries (key, expires) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET expires = excluded.expires "
            "WHERE seen_deliveries.expires < ?",
            (key, now + self._ttl, now),
        )
        return cursor.rowcount == 1

    async def close(self) -> None:
        if self._checkpoint is not None:
            await self._checkpoint
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()
        self._checkpointer.close()


def make_deduper(redis_url: str | None, db_path: Path, ttl_seconds: int) -> Deduper:
    if redis_url:
        return RedisDeduper(redis_url, ttl_seconds)
    return SqliteDeduper(db_path, ttl_seconds)
