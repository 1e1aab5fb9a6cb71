"""The journal of deliveries not yet reported, on SQLite and on Redis."""

import asyncio
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.channels.journal import DeliveryJournal, RedisJournal, SqliteJournal, make_journal
from tests.channels.conftest import REDIS_URL

MESSAGE = {"id": 7, "channel": "telegram", "chat_id": "5550001", "text": "Kabar"}


def _round_trip(journal: DeliveryJournal) -> None:
    async def run() -> None:
        assert await journal.unreported() == {}
        await journal.record(7, MESSAGE)
        await journal.record(8, {**MESSAGE, "id": 8})
        assert await journal.unreported() == {7: MESSAGE, 8: {**MESSAGE, "id": 8}}
        await journal.forget(7)
        await journal.forget(99)  # unknown: nothing happens
        assert list(await journal.unreported()) == [8]
        await journal.close()

    asyncio.run(run())


def test_sqlite_journal_survives_reopening(tmp_path: Path) -> None:
    _round_trip(SqliteJournal(tmp_path / "g.db"))

    async def reopened() -> dict[int, dict[str, object]]:
        journal = SqliteJournal(tmp_path / "g.db")
        found = await journal.unreported()
        await journal.close()
        return found

    assert list(asyncio.run(reopened())) == [8]


@pytest.mark.usefixtures("redis_url")
def test_redis_journal() -> None:
    key = f"aduan:test:outbox:{uuid.uuid4()}"
    _round_trip(RedisJournal(Redis.from_url(REDIS_URL), key=key))
    assert isinstance(make_journal(REDIS_URL, Path("/nonexistent/g.db")), RedisJournal)

    async def cleanup() -> None:
        redis = Redis.from_url(REDIS_URL)
        await redis.delete(key)
        await redis.aclose()

    asyncio.run(cleanup())
