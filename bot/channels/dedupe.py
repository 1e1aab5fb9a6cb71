"""Durable de-duplication of webhook deliveries.

Telegram and Meta re-deliver a webhook when they do not get a timely 200, so
the same `update_id` / message id may arrive twice, even across a gateway
restart. `claim(key)` is true exactly once per key within the TTL.
"""

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Protocol

from redis.asyncio import Redis


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
    """A small table in a local SQLite file, for the one-machine default."""

    def __init__(self, path: Path, ttl_seconds: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS seen_deliveries "
            "(key TEXT PRIMARY KEY, expires REAL NOT NULL)"
        )
        self._ttl = ttl_seconds
        self._lock = asyncio.Lock()
        self._claims = 0

    async def claim(self, key: str) -> bool:
        # In a thread: a WAL checkpoint's fsync must not stall every chat's event loop.
        async with self._lock:
            return await asyncio.to_thread(self._claim, key, time.time())

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
        self._db.close()


def make_deduper(redis_url: str | None, db_path: Path, ttl_seconds: int) -> Deduper:
    if redis_url:
        return RedisDeduper(redis_url, ttl_seconds)
    return SqliteDeduper(db_path, ttl_seconds)
