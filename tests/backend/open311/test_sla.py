"""SLA targets: seeded for every category, changeable, and the due time they give."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.agencies.models import Category
from backend.complaints.models import Complaint
from backend.errors import Unprocessable
from backend.sla import service as sla
from backend.sla.models import SlaTarget


def test_every_category_starts_with_the_72_hour_target(session: Session) -> None:
    categories = session.scalar(select(func.count()).select_from(Category))
    assert sla.targets(session) == dict.fromkeys(
        session.scalars(select(Category.code)), sla.DEFAULT_HOURS
    )
    assert len(sla.targets(session)) == categories == 19


def test_due_at_adds_the_category_target_to_the_filing_time(session: Session) -> None:
    complaint = Complaint(category_code="sampah", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert sla.due_at(session, complaint) == datetime(2026, 1, 4, tzinfo=UTC)
    sla.set_target(session, "sampah", 24)
    assert sla.due_at(session, complaint) == datetime(2026, 1, 2, tzinfo=UTC)
    session.rollback()


def test_a_category_without_a_row_falls_back_to_the_default(session: Session) -> None:
    session.delete(session.get(SlaTarget, "lainnya"))
    session.flush()
    assert sla.target_hours(session, "lainnya") == sla.DEFAULT_HOURS
    session.rollback()


@pytest.mark.parametrize(("code", "hours"), [("sampah", 0), ("sampah", 10_000), ("kucing", 24)])
def test_bad_targets_are_refused(session: Session, code: str, hours: int) -> None:
    with pytest.raises(Unprocessable):
        sla.set_target(session, code, hours)
    session.rollback()
