"""Due times per category and status: the SQL clause and its Python twin agree."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.complaints.models import Complaint, Status
from backend.errors import Unprocessable
from backend.sla import service as sla
from backend.sla.models import SlaStageTarget
from tests.backend.kpi.builders import complaint

FILED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
NOW = FILED + timedelta(hours=30)
K, D, P, S, T = (Status.KOORDINASI, Status.DISPOSISI, Status.PROSES, Status.SELESAI, Status.DITOLAK)


def hours(n: float) -> datetime:
    return FILED + timedelta(hours=n)


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    filed: float  # hours after FILED
    moves: tuple[tuple[Status, float], ...]
    due: float | None  # hours after FILED
    overdue: bool


# Targets: defaults (resolution 72 h; menunggu 24, koordinasi 24, disposisi 48, proses 72),
# except banjir: resolution 200 h, proses 10 h.
CASES = [
    Case("fresh", "sampah", 29, (), 29 + 24, False),
    Case("triage late", "sampah", 0, (), 24, True),
    Case("due exactly now", "sampah", 6, (), 30, False),
    Case("koordinasi in time", "sampah", 0, ((K, 20),), 44, False),
    Case("koordinasi late", "sampah", -20, ((K, 5),), 29, True),
    Case("disposisi", "sampah", 0, ((D, 1),), 49, False),
    Case("resolution first", "sampah", -60, ((D, -30), (P, -29)), 12, True),
    Case(
        "reentered proses late", "sampah", -100, ((D, -99), (P, -98), (S, -50), (P, 29)), -28, True
    ),
    Case("banjir proses in time", "banjir", -10, ((D, -9), (P, 21)), 31, False),
    Case("banjir proses over", "banjir", -10, ((D, -9), (P, 19)), 29, True),
    Case("banjir long resolution", "banjir", -100, ((D, -99),), -51, True),
    Case("selesai", "sampah", -60, ((D, -59), (P, -58), (S, 1)), 12, False),
    Case("ditolak", "sampah", -60, ((T, -59),), None, False),
]


@pytest.fixture
def filed(session: Session) -> dict[str, Complaint]:
    sla.set_target(session, "banjir", 200)
    sla.set_stage_target(session, "banjir", Status.PROSES, 10)
    built = {
        case.name: complaint(
            session,
            hours(case.filed),
            category=case.category,
            moves=[(to, hours(at)) for to, at in case.moves],
        )
        for case in CASES
    }
    session.commit()
    return built


def test_python_and_sql_agree_on_every_case(session: Session, filed: dict[str, Complaint]) -> None:
    targets = sla.load_targets(session)
    due = sla.due_times(session, filed.values(), targets)
    in_sql = set(session.scalars(select(Complaint.id).where(sla.overdue_clause(targets, NOW))))
    for case in CASES:
        c = filed[case.name]
        expected_due = None if case.due is None else hours(case.due)
        assert due[c.id] == expected_due, case.name
        assert sla.is_overdue(c.status, due[c.id], NOW) is case.overdue, case.name
        assert (c.id in in_sql) is case.overdue, case.name


def test_the_stage_starts_with_the_latest_move(
    session: Session, filed: dict[str, Complaint]
) -> None:
    rows = session.execute(select(Complaint.id, sla.stage_entered_at()))
    in_sql: dict[int, datetime] = {complaint_id: at for complaint_id, at in rows}
    assert in_sql == sla.entered_at(session, in_sql)
    assert in_sql[filed["koordinasi in time"].id] == hours(20)
    assert in_sql[filed["fresh"].id] == hours(29)  # filing is the first move


def test_one_complaints_due_time_and_the_citizens_date(
    session: Session, filed: dict[str, Complaint]
) -> None:
    late = filed["triage late"]
    assert sla.due(session, late) == hours(24)  # officers: the triage deadline
    assert sla.due_at(session, late) == hours(72)  # citizens: the resolution target


def test_every_category_starts_with_the_stage_defaults(session: Session) -> None:
    stages = sla.stage_targets(session)
    codes = set(sla.targets(session))
    assert len(codes) == 19
    assert stages == {
        (code, status): sla.STAGE_DEFAULT_HOURS[status] for code in codes for status in sla.OPEN
    }
    assert sla.STAGE_DEFAULT_HOURS == {
        Status.MENUNGGU: 24,
        Status.KOORDINASI: 24,
        Status.DISPOSISI: 48,
        Status.PROSES: 72,
    }


def test_a_missing_stage_row_falls_back_to_the_status_default(session: Session) -> None:
    session.delete(session.get(SlaStageTarget, ("lainnya", Status.DISPOSISI)))
    sla.set_stage_target(session, "sampah", Status.DISPOSISI, 5)  # another category's row
    session.flush()
    assert sla.stage_hours(session, "lainnya", Status.DISPOSISI) == 48
    targets = sla.load_targets(session)
    assert targets.stage_hours("lainnya", Status.DISPOSISI) == 48
    assert targets.stage_hours("sampah", Status.DISPOSISI) == 5
    session.rollback()


def test_a_changed_stage_target_applies_to_complaints_already_filed(session: Session) -> None:
    waiting = complaint(session, FILED)
    assert sla.due(session, waiting) == hours(24)
    sla.set_stage_target(session, "sampah", Status.MENUNGGU, 2)
    assert sla.due(session, waiting) == hours(2)
    session.rollback()


@pytest.mark.parametrize(
    ("code", "status", "hours_"),
    [
        ("sampah", Status.MENUNGGU, 0),
        ("sampah", Status.PROSES, 10_000),
        ("kucing", Status.MENUNGGU, 24),
        ("sampah", Status.SELESAI, 24),
        ("sampah", Status.DITOLAK, 24),
    ],
)
def test_bad_stage_targets_are_refused(
    session: Session, code: str, status: Status, hours_: int
) -> None:
    before = sla.stage_targets(session)
    with pytest.raises(Unprocessable):
        sla.set_stage_target(session, code, status, hours_)
    assert sla.stage_targets(session) == before
    session.rollback()
