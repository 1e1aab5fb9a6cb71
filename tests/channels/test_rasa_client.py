"""The gateway's Rasa client against the fake Rasa server."""

import asyncio

import httpx

from bot.channels.rasa import RasaClient
from tests.channels.conftest import Fakes


def test_slots_are_set_on_the_senders_own_tracker(fakes: Fakes) -> None:
    async def set_slot() -> None:
        async with httpx.AsyncClient() as http:
            await RasaClient(http, fakes.rasa_url).set_slots(
                "telegram:42", {"feedback_ticket": "X"}
            )

    asyncio.run(set_slot())

    slot = {"event": "slot", "name": "feedback_ticket", "value": "X"}
    assert fakes.rasa.tracker_events == [("telegram:42", [slot])]
