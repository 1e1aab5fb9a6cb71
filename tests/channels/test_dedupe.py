"""Durable de-duplication: SQLite by default, Redis when configured."""

import asyncio
import uuid
from pathlib import Path

import redis

from bot.channels.dedupe import RedisDeduper, SqliteDeduper, make_deduper
from tests.channels.conftest import REDIS_URL


def test_sqlite_claims_once_and_survives_reopening(tmp_path: Path) -> None:
    async def run() -> list[bool]:
        first = SqliteDeduper(tmp_path / "g.db", ttl_seconds=3600)
        results = [await first.claim("telegram:1"), await first.claim("telegram:1")]
        await first.close()
        second = SqliteDeduper(tmp_path / "g.db", ttl_seconds=3600)
        results += [await second.claim("telegram:1"), await second.claim("telegram:2")]
        await second.close()
        return results

    assert asyncio.run(run()) == [True, False, False, True]


def test_sqlite_forgets_after_ttl(tmp_path: Path) -> None:
    deduper = SqliteDeduper(tmp_path / "g.db", ttl_seconds=10)
    assert deduper._claim("k", now=1000.0) is True
    assert deduper._claim("k", now=1009.0) is False
    assert deduper._claim("k", now=1011.0) is True


def test_redis_url_selects_redis(tmp_path: Path) -> None:
    assert isinstance(make_deduper(REDIS_URL, tmp_path / "g.db", 60), RedisDeduper)
    assert isinstance(make_deduper(None, tmp_path / "g.db", 60), SqliteDeduper)


def test_redis_claims_once_across_instances_with_ttl(redis_url: str) -> None:
    key = f"test:{uuid.uuid4()}"

    async def run() -> list[bool]:
        first = RedisDeduper(redis_url, ttl_seconds=60)
        second = RedisDeduper(redis_url, ttl_seconds=60)
        results = [await first.claim(key), await second.claim(key), await first.claim(key)]
        await first.close()
        await second.close()
        return results

    assert asyncio.run(run()) == [True, False, False]
    ttl = redis.Redis.from_url(redis_url).ttl(f"aduan:gateway:seen:{key}")
    assert 0 < ttl <= 60
