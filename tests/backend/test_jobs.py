"""Periodic jobs: each in its own transaction, a failing one does not stop the rest."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import jobs
from backend.alerts.models import Alert
from backend.alerts.service import raise_alert


@pytest.fixture
def only_these_jobs() -> Iterator[dict[str, jobs.Job]]:
    saved = dict(jobs.JOBS)
    jobs.JOBS.clear()
    yield jobs.JOBS
    jobs.JOBS.clear()
    jobs.JOBS.update(saved)


def test_a_failing_job_is_rolled_back_and_the_next_still_runs(
    clean_db: str, session: Session, only_these_jobs: dict[str, jobs.Job]
) -> None:
    def broken(s: Session, now: datetime) -> int:
        raise_alert(s, kind="test", text="from the broken job")
        raise RuntimeError("boom")

    def working(s: Session, now: datetime) -> int:
        raise_alert(s, kind="test", text="from the working job")
        return 1

    jobs.register("broken", broken)
    jobs.register("working", working)
    assert jobs.run_once() == {"broken": 0, "working": 1}
    assert session.scalars(select(Alert.text)).all() == ["from the working job"]
