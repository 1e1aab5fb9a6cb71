"""The whole stack for the simulator: backend, actions, Rasa (real model), gateway, fake Bot API."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser.gateway import WEBHOOK_SECRET, RunningGateway, running_gateway
from tests.channels.stack import backend, rasa_and_actions
from tests.simulator.backend import Backend
from tests.simulator.player import Player

ALWAYS = "mon-sun 00:00-24:00"


@dataclass
class Stack:
    gateway: RunningGateway
    player: Player
    backend: Backend


@contextmanager
def attached(
    work: Path, rasa_url: str, backend_url: str, token: str, database: Path
) -> Iterator[Stack]:
    """Our gateway and fake Bot API in front of an already running Rasa and backend."""
    with running_gateway(backend_url, token, work, rasa_url=rasa_url) as gateway:
        player = Player(gateway.url, WEBHOOK_SECRET, gateway.telegram, rasa_url)
        yield Stack(gateway, player, Backend(backend_url, token, database))


@contextmanager
def full(work: Path) -> Iterator[Stack]:
    """Every process started here, on free ports, with a fresh SQLite database in `work`."""
    # Officers on duty around the clock: a handoff must not depend on when the test runs.
    with (
        backend(work, HANDOFF_OFFICE_HOURS=ALWAYS) as (backend_url, token),
        rasa_and_actions(work, backend_url, token) as rasa,
    ):
        with attached(work, rasa, backend_url, token, work / "aduan.db") as stack:
            yield stack
