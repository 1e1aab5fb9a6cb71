"""Escalation: an overdue open complaint alerts its unit and the CRM team, once per stage."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import jobs
from backend.alerts.models import Alert
from backend.complaints import workflow
from backend.complaints.models import Complaint, Status
from backend.sla import escalation
from backend.sla import service as sla
from tests.backend.kpi.builders import complaint

FILED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
TRIAGE_DUE = FILED + timedelta(hours=sla.STAGE_DEFAULT_HOURS[Status.MENUNGGU])
DUE = FILED + timedelta(hours=sla.DEFAULT_HOURS)


def _alerts(session: Session) -> list[tuple[str | None, int | None, str | None]]:
    rows = session.execute(select(Alert.once_key, Alert.unit_id, Alert.link).order_by(Alert.id))
    return [tuple(row) for row in rows]


def _stage(complaint: Complaint) -> int:
    return complaint.history[-1].id


def _move(session: Session, late: Complaint, to: Status, at: datetime) -> None:
    change = workflow.transition(session, late, to, actor="operator:1", note="catatan")
    change.created_at = at
    late.updated_at = at
    session.commit()


def test_an_overdue_complaint_alerts_its_unit_and_the_crm_team(session: Session) -> None:
    late = complaint(session, FILED)
    session.commit()
    assert escalation.escalate_overdue(session, TRIAGE_DUE + timedelta(minutes=1)) == 1
    link = f"/complaints/{late.ticket_id}"
    stage = _stage(late)
    assert _alerts(session) == [
        (f"overdue:{late.id}:menunggu:{stage}:unit", late.unit_id, link),
        (f"overdue:{late.id}:menunggu:{stage}:crm", None, link),
    ]
    text = session.scalars(select(Alert.text)).first() or ""
    assert late.ticket_id in text
    assert "lewat tenggat tahap menunggu 24 jam" in text


def test_the_alert_names_the_resolution_target_when_that_came_first(session: Session) -> None:
    complaint(session, FILED, moves=[(Status.DISPOSISI, FILED + timedelta(hours=40))])
    session.commit()
    assert escalation.escalate_overdue(session, DUE + timedelta(minutes=1)) == 1
    text = session.scalars(select(Alert.text)).first() or ""
    assert "lewat tenggat penyelesaian 72 jam" in text


def test_nothing_is_raised_before_the_due_time(session: Session) -> None:
    complaint(session, FILED)
    complaint(session, FILED, moves=[(Status.DISPOSISI, FILED + timedelta(hours=1))])
    assert escalation.escalate_overdue(session, TRIAGE_DUE) == 0  # due exactly now: not yet
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


def test_the_category_targets_decide(session: Session) -> None:
    sla.set_target(session, "banjir", 6)
    flood = complaint(session, FILED, category="banjir")
    complaint(session, FILED)  # sampah: 24 hours in menunggu
    sla.set_stage_target(session, "pohon", Status.MENUNGGU, 5)
    tree = complaint(session, FILED, category="pohon")
    assert escalation.escalate_overdue(session, FILED + timedelta(hours=7)) == 2
    assert {key for key, _, _ in _alerts(session)} == {
        f"overdue:{c.id}:menunggu:{_stage(c)}:{who}"
        for c in (flood, tree)
        for who in ("unit", "crm")
    }


def test_escalation_happens_once_per_stage(session: Session) -> None:
    late = complaint(session, FILED)
    session.commit()
    hour = timedelta(hours=1)
    assert escalation.escalate_overdue(session, TRIAGE_DUE + hour) == 1  # late in menunggu
    session.commit()
    assert escalation.escalate_overdue(session, TRIAGE_DUE + 2 * hour) == 0  # same stage
    _move(session, late, Status.DISPOSISI, TRIAGE_DUE + 2 * hour)
    assert escalation.escalate_overdue(session, TRIAGE_DUE + 3 * hour) == 0  # in time again
    assert escalation.escalate_overdue(session, DUE + hour) == 1  # late in disposisi
    session.commit()
    assert escalation.escalate_overdue(session, DUE + 5 * hour) == 0
    _move(session, late, Status.PROSES, DUE + 6 * hour)
    assert escalation.escalate_overdue(session, DUE + 7 * hour) == 1  # still late in proses
    session.commit()
    assert escalation.escalate_overdue(session, DUE + 8 * hour) == 0
    crm_keys = [key for key, unit, _ in _alerts(session) if unit is None]
    assert [key.split(":")[2] for key in crm_keys if key] == ["menunggu", "disposisi", "proses"]
    assert len(_alerts(session)) == 6


def test_a_worker_racing_another_raises_nothing_twice(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second worker that read the overdue list before the first committed still adds nothing."""
    late = complaint(session, FILED)
    session.commit()
    now = DUE + timedelta(hours=1)
    stale = escalation.not_yet_escalated(session, now, sla.load_targets(session))
    assert [item.complaint.id for item in stale] == [late.id]
    assert escalation.escalate_overdue(session, now) == 1
    session.commit()
    assert escalation.not_yet_escalated(session, now, sla.load_targets(session)) == []
    monkeypatch.setattr(escalation, "not_yet_escalated", lambda *_: stale)
    assert escalation.escalate_overdue(session, now) == 0
    session.commit()
    assert [key for key, _, _ in _alerts(session)] == [
        f"overdue:{late.id}:menunggu:{_stage(late)}:unit",
        f"overdue:{late.id}:menunggu:{_stage(late)}:crm",
    ]


def test_the_job_is_registered_and_runs_in_its_own_transaction(session: Session) -> None:
    assert jobs.JOBS[escalation.JOB_NAME] is escalation.escalate_overdue
    complaint(session, FILED)
    session.commit()
    assert jobs.run_once(DUE + timedelta(hours=1))[escalation.JOB_NAME] == 1
    assert len(_alerts(session)) == 2
