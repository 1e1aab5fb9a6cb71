"""Periodic jobs of the backend: sweeps that act when time passes, not on a request.

Each job is a function `job(session, now) -> int` (how many things it acted on),
run in its own transaction every `BACKEND_JOBS_INTERVAL_SECONDS`. Every worker
process runs them, so a job must be safe to run concurrently with itself: it
claims what it acts on with a conditional UPDATE or a once-only key.
"""

import logging
from collections.abc import Callable
from datetime import datetime

import anyio
from anyio import to_thread
from sqlalchemy.orm import Session

from backend.db import get_sessionmaker, utcnow

logger = logging.getLogger(__name__)

Job = Callable[[Session, datetime], int]

# Filled in below the definitions they need, to keep this module free of domains.
JOBS: dict[str, Job] = {}


def register(name: str, job: Job) -> None:
    JOBS[name] = job


def run_once(now: datetime | None = None) -> dict[str, int]:
    """Run every job once, each in its own transaction; a failing job does not stop the rest."""
    now = now or utcnow()
    done: dict[str, int] = {}
    for name, job in JOBS.items():
        try:
            with get_sessionmaker().begin() as session:
                done[name] = job(session, now)
        except Exception:
            logger.exception("periodic job failed", extra={"job": name})
            done[name] = 0
    return done


async def run_forever(interval_seconds: float) -> None:
    while True:
        await anyio.sleep(interval_seconds)
        done = await to_thread.run_sync(run_once)
        if any(done.values()):
            logger.info("periodic jobs acted", extra={"jobs": done})
