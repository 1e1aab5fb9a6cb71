"""SLA targets are reference data, which clean_db keeps: tests that change them put them back."""

from collections.abc import Iterator

import pytest

from backend import db
from backend.sla import service as sla


@pytest.fixture(autouse=True)
def restore_sla_targets(clean_db: str) -> Iterator[None]:
    with db.get_sessionmaker()() as session:
        saved, saved_stages = sla.targets(session), sla.stage_targets(session)
    yield
    with db.get_sessionmaker().begin() as session:
        for code, hours in saved.items():
            if sla.target_hours(session, code) != hours:
                sla.set_target(session, code, hours)
        for (code, status), hours in saved_stages.items():
            if sla.stage_hours(session, code, status) != hours:
                sla.set_stage_target(session, code, status, hours)
