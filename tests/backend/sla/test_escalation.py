"""Escalation: an open complaint past its due time alerts its unit and the CRM team, once ever."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import jobs
from backend.alerts.models import Alert
from backend.complaints.models import Status
from backend.sla import escalation
from backend.sla import service as sla
from tests.backend.kpi.builders import complaint

FILED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DUE = FILED + timedelta(hours=sla.DEFAULT_HOURS)


def _alerts(session: Session) -> list[tuple[str | None, int | None, str | None]]:
    rows = session.execute(select(Alert.once_key, Alert.unit_id, Alert.link).order_by(Alert.id))
    return [tuple(row) for row in rows]


def test_an_overdue_complaint_alerts_its_unit_and_the_crm_team(session: Session) -> None:
    late = complaint(session, FILED)
    session.commit()
    assert escalation.escalate_overdue(session, DUE + timedelta(minutes=1)) == 1
    link = f"/complaints/{late.ticket_id}"
    assert _alerts(session) == [
        (f"overdue:{late.id}:unit", late.unit_id, link),
        (f"overdue:{late.id}:crm", None, link),
    ]
    text = session.scalars(select(Alert.text)).first() or ""
    assert late.ticket_id in text
    assert "lewat tenggat 72 jam" in text


def test_nothing_is_raised_before_the_due_time(session: Session) -> None:
    complaint(session, FILED)
    assert escalation.escalate_overdue(session, DUE - timedelta(seconds=1)) == 0
    assert _alerts(session) == []


def test_closed_complaints_are_not_escalated(session: Session) -> None:
    complaint(session, FILED, moves=[(Status.DITOLAK, FILED + timedelta(hours=1))])
    complaint(
        session,
        FILED,
        moves=[
            (Status.DISPOSISI, FILED + timedelta(hours=1)),
            (Status.PROSES, FILED + timedelta(hours=2)),
            (Status.SELESAI, FILED + timedelta(hours=3)),
        ],
    )
    assert escalation.escalate_overdue(session, DUE + timedelta(days=5)) == 0


def test_the_category_target_decides(session: Session) -> None:
    sla.set_target(session, "banjir", 6)
    flood = complaint(session, FILED, category="banjir")
    complaint(session, FILED)  # sampah: 72 hours
    assert escalation.escalate_overdue(session, FILED + timedelta(hours=7)) == 1
    assert {key for key, _, _ in _alerts(session)} == {
        f"overdue:{flood.id}:unit",
        f"overdue:{flood.id}:crm",
    }


def test_escalation_happens_once_even_when_reopened_late(session: Session) -> None:
    late = complaint(session, FILED)
    session.commit()
    later = DUE + timedelta(hours=1)
    assert escalation.escalate_overdue(session, later) == 1
    session.commit()
    assert escalation.escalate_overdue(session, later + timedelta(days=3)) == 0
    assert len(_alerts(session)) == 2
    assert late.status is Status.MENUNGGU


def test_a_worker_racing_another_raises_nothing_twice(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second worker that read the overdue list before the first committed still adds nothing."""
    late = complaint(session, FILED)
    session.commit()
    now = DUE + timedelta(hours=1)
    stale = escalation.not_yet_escalated(session, now, sla.all_targets(session))
    assert escalation.escalate_overdue(session, now) == 1
    session.commit()
    monkeypatch.setattr(escalation, "not_yet_escalated", lambda *_: stale)
    assert escalation.escalate_overdue(session, now) == 0
    session.commit()
    assert [key for key, _, _ in _alerts(session)] == [
        f"overdue:{late.id}:unit",
        f"overdue:{late.id}:crm",
    ]


def test_the_job_is_registered_and_runs_in_its_own_transaction(session: Session) -> None:
    assert jobs.JOBS[escalation.JOB_NAME] is escalation.escalate_overdue
    complaint(session, FILED)
    session.commit()
    assert jobs.run_once(DUE + timedelta(hours=1))[escalation.JOB_NAME] == 1
    assert len(_alerts(session)) == 2
