"""Per-chat state that must survive a restart: the handoff flag and the web mailbox.

Kept where the de-duplication is (Redis when `REDIS_URL` is set, shared by every
replica; else the gateway's SQLite file):

- handoff flags: which chats are talking to an officer, so their messages go to
  the backend's conversation, not to Rasa;
- the web mailbox: outbox messages (status news, officers' replies) for web-chat
  users, kept per chat until the page acknowledges them (reading deletes nothing).
"""

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from redis.asyncio import Redis

T = TypeVar("T")
MAILBOX_MAX = 100  # messages kept per web chat; older ones go first


def open_sqlite(path: Path) -> sqlite3.Connection:
    """A connection in autocommit with WAL and synchronous=NORMAL (durable across a
    process crash; a power cut may lose the last commits, as with the dedupe)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


class HandoffFlags(Protocol):
    async def is_on(self, sender: str) -> bool: ...

    async def set(self, sender: str, on: bool) -> None: ...

    async def close(self) -> None: ...


class Mailbox(Protocol):
    async def put(self, chat_id: str, item: dict[str, Any]) -> None: ...

    async def fetch(self, chat_id: str, after: int) -> list[tuple[int, dict[str, Any]]]:
        """Messages with an id above `after`, oldest first. Deletes nothing."""
        ...

    async def ack(self, chat_id: str, upto: int) -> None:
        """Forget the chat's messages with an id up to `upto` (the page showed them)."""
        ...

    async def close(self) -> None: ...


class _SqliteFile:
    """One connection; calls run one at a time in a worker thread, so a WAL
    checkpoint's fsync never stalls the event loop."""

    def __init__(self, path: Path) -> None:
        self.db = open_sqlite(path)
        self._lock = asyncio.Lock()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        async with self._lock:
            return await asyncio.to_thread(fn, *args)

    def close(self) -> None:
        self.db.close()


class SqliteHandoffFlags:
    """The flags are read on every message, so they are cached in memory; SQLite is
    single-process storage, so this process is the only writer."""

    def __init__(self, path: Path, ttl_seconds: int) -> None:
        self._file = _SqliteFile(path)
        self._ttl = ttl_seconds
        db = self._file.db
        db.execute("CREATE TABLE IF NOT EXISTS handoffs (sender TEXT PRIMARY KEY, expires REAL)")
        db.execute("DELETE FROM handoffs WHERE expires < ?", (time.time(),))
        self._on = {row[0] for row in db.execute("SELECT sender FROM handoffs")}

    async def is_on(self, sender: str) -> bool:
        return sender in self._on

    async def set(self, sender: str, on: bool) -> None:
        if on == (sender in self._on):
            return
        if on:
            self._on.add(sender)
            row = (sender, time.time() + self._ttl)
            await self._file.run(
                self._file.db.execute, "INSERT OR REPLACE INTO handoffs VALUES (?, ?)", row
            )
        else:
            self._on.discard(sender)
            await self._file.run(
                self._file.db.execute, "DELETE FROM handoffs WHERE sender = ?", (sender,)
            )

    async def close(self) -> None:
        self._file.close()


class RedisHandoffFlags:
    """A key per handed-off chat, with a TTL in case the closing news never comes."""

    def __init__(self, redis: Redis, ttl_seconds: int, prefix: str = "aduan:gateway:handoff:"):
        self._redis = redis
        self._ttl = ttl_seconds
        self._prefix = prefix

    async def is_on(self, sender: str) -> bool:
        return bool(await self._redis.exists(self._prefix + sender))

    async def set(self, sender: str, on: bool) -> None:
        if on:
            await self._redis.set(self._prefix + sender, b"1", ex=self._ttl)
        else:
            await self._redis.delete(self._prefix + sender)

    async def close(self) -> None:
        await self._redis.aclose()


class SqliteMailbox:
    def __init__(self, path: Path, ttl_seconds: int) -> None:
        self._file = _SqliteFile(path)
        self._ttl = ttl_seconds
        self._file.db.execute(
            "CREATE TABLE IF NOT EXISTS web_mailbox (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "chat_id TEXT NOT NULL, body TEXT NOT NULL, expires REAL NOT NULL)"
        )
        self._file.db.execute(
            "CREATE INDEX IF NOT EXISTS web_mailbox_chat ON web_mailbox (chat_id, id)"
        )

    async def put(self, chat_id: str, item: dict[str, Any]) -> None:
        await self._file.run(self._put, chat_id, json.dumps(item), time.time())

    def _put(self, chat_id: str, body: str, now: float) -> None:
        db = self._file.db
        db.execute("DELETE FROM web_mailbox WHERE expires < ?", (now,))
        db.execute(
            "INSERT INTO web_mailbox (chat_id, body, expires) VALUES (?, ?, ?)",
            (chat_id, body, now + self._ttl),
        )
        db.execute(
            "DELETE FROM web_mailbox WHERE chat_id = ? AND id NOT IN "
            "(SELECT id FROM web_mailbox WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
            (chat_id, chat_id, MAILBOX_MAX),
        )

    async def fetch(self, chat_id: str, after: int) -> list[tuple[int, dict[str, Any]]]:
        return await self._file.run(self._fetch, chat_id, after, time.time())

    def _fetch(self, chat_id: str, after: int, now: float) -> list[tuple[int, dict[str, Any]]]:
        rows = self._file.db.execute(
            "SELECT id, body FROM web_mailbox WHERE chat_id = ? AND id > ? AND expires >= ? "
            "ORDER BY id",
            (chat_id, after, now),
        ).fetchall()
        return [(int(i), json.loads(body)) for i, body in rows]

    async def ack(self, chat_id: str, upto: int) -> None:
        await self._file.run(
            self._file.db.execute,
            "DELETE FROM web_mailbox WHERE chat_id = ? AND id <= ?",
            (chat_id, upto),
        )

    async def close(self) -> None:
        self._file.close()


class RedisMailbox:
    """A sorted set per chat, scored by a global sequence number."""

    def __init__(self, redis: Redis, ttl_seconds: int, prefix: str = "aduan:gateway:web:"):
        self._redis = redis
        self._ttl = ttl_seconds
        self._prefix = prefix

    async def put(self, chat_id: str, item: dict[str, Any]) -> None:
        key = self._prefix + "mailbox:" + chat_id
        number = int(await self._redis.incr(self._prefix + "sequence"))
        body = json.dumps({"n": number, "item": item})
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {body: number})
            pipe.zremrangebyrank(key, 0, -MAILBOX_MAX - 1)
            pipe.expire(key, self._ttl)
            await pipe.execute()

    async def fetch(self, chat_id: str, after: int) -> list[tuple[int, dict[str, Any]]]:
        key = self._prefix + "mailbox:" + chat_id
        found = await self._redis.zrangebyscore(key, f"({after}", "+inf")
        out = []
        for raw in found:
            entry = json.loads(str(raw, "utf-8") if isinstance(raw, bytes) else str(raw))
            out.append((int(entry["n"]), entry["item"]))
        return out

    async def ack(self, chat_id: str, upto: int) -> None:
        await self._redis.zremrangebyscore(self._prefix + "mailbox:" + chat_id, "-inf", upto)

    async def close(self) -> None:
        await self._redis.aclose()


def make_state(
    redis_url: str | None, db_path: Path, ttl_seconds: int
) -> tuple[HandoffFlags, Mailbox]:
    if redis_url:
        return (
            RedisHandoffFlags(Redis.from_url(redis_url), ttl_seconds),
            RedisMailbox(Redis.from_url(redis_url), ttl_seconds),
        )
    return SqliteHandoffFlags(db_path, ttl_seconds), SqliteMailbox(db_path, ttl_seconds)
