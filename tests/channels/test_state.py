"""Handoff flags and the web mailbox, on SQLite and on Redis."""

import asyncio
import uuid
from pathlib import Path

import pytest

from bot.channels.state import (
    MAILBOX_MAX,
    HandoffFlags,
    Mailbox,
    RedisHandoffFlags,
    RedisMailbox,
    SqliteHandoffFlags,
    SqliteMailbox,
    make_state,
)
from tests.channels.conftest import REDIS_URL


def _flags_round_trip(flags: HandoffFlags, sender: str) -> list[bool]:
    async def run() -> list[bool]:
        seen = [await flags.is_on(sender)]
        await flags.set(sender, True)
        seen.append(await flags.is_on(sender))
        await flags.set(sender, False)
        seen.append(await flags.is_on(sender))
        await flags.set(sender, True)
        await flags.close()
        return seen

    return asyncio.run(run())


def test_sqlite_flags_survive_reopening(tmp_path: Path) -> None:
    assert _flags_round_trip(SqliteHandoffFlags(tmp_path / "g.db", 60), "web:a") == [
        False,
        True,
        False,
    ]

    async def reopened() -> tuple[bool, bool]:
        flags = SqliteHandoffFlags(tmp_path / "g.db", 60)
        found = (await flags.is_on("web:a"), await flags.is_on("web:b"))
        await flags.close()
        return found

    assert asyncio.run(reopened()) == (True, False)


def test_sqlite_flags_expire(tmp_path: Path) -> None:
    asyncio.run(SqliteHandoffFlags(tmp_path / "g.db", -1).set("web:a", True))
    assert asyncio.run(SqliteHandoffFlags(tmp_path / "g.db", 60).is_on("web:a")) is False


def _mailbox_round_trip(mailbox: Mailbox, chat: str) -> None:
    async def run() -> None:
        await mailbox.put(chat, {"text": "satu"})
        await mailbox.put(chat, {"text": "dua"})
        first = await mailbox.fetch(chat, 0)
        assert [item["text"] for _, item in first] == ["satu", "dua"]
        assert first[0][0] < first[1][0]
        assert await mailbox.fetch(chat, first[0][0]) == first[1:]
        assert await mailbox.fetch(chat, 0) == first  # reading deletes nothing
        await mailbox.ack(chat, first[0][0])
        assert await mailbox.fetch(chat, 0) == first[1:]  # the acknowledged one is forgotten
        await mailbox.ack(chat + "-other", first[1][0])
        assert await mailbox.fetch(chat, 0) == first[1:]  # acknowledged per chat
        assert await mailbox.fetch(chat + "-other", 0) == []
        for n in range(MAILBOX_MAX + 5):
            await mailbox.put(chat, {"text": str(n)})
        kept = await mailbox.fetch(chat, 0)
        assert len(kept) == MAILBOX_MAX
        assert kept[-1][1] == {"text": str(MAILBOX_MAX + 4)}
        await mailbox.close()

    asyncio.run(run())


def test_sqlite_mailbox(tmp_path: Path) -> None:
    _mailbox_round_trip(SqliteMailbox(tmp_path / "g.db", 60), "chat-1")


@pytest.mark.usefixtures("redis_url")
def test_redis_flags_and_mailbox() -> None:
    sender = f"web:{uuid.uuid4()}"
    flags, mailbox = make_state(REDIS_URL, Path("/nonexistent/g.db"), 60)
    assert isinstance(flags, RedisHandoffFlags)
    assert isinstance(mailbox, RedisMailbox)
    assert _flags_round_trip(flags, sender) == [False, True, False]
    _mailbox_round_trip(mailbox, str(uuid.uuid4()))
