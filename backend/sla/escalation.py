"""Escalate overdue complaints: once per stage, alerting the unit and the CRM team.

A stage is the time a complaint spends in one status, started by a move (a
`StatusChange`, whose id names the stage: it stands for the status and the
time it was entered). A complaint overdue in `menunggu` and later again in
`proses` (or moved to another unit) is escalated each time, never twice in one
stage. Registered as the periodic job "sla_escalation" (backend.jobs). Two
workers may run it at the same moment: each alert carries a once-only key
(`overdue:{id}:{status}:{stage}:unit|crm`), so the second one raises nothing.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, cast, exists, literal, select
from sqlalchemy.orm import Session

from backend import jobs
from backend.alerts.models import Alert
from backend.alerts.service import raise_alert
from backend.complaints.models import Complaint
from backend.sla import service as sla

JOB_NAME = "sla_escalation"
ALERT_KIND = "overdue"
BATCH = 200  # per run; the next run takes the rest


@dataclass(frozen=True)
class Late:
    complaint: Complaint
    stage: int  # id of the move that started the current status
    entered_at: datetime


def once_key(complaint: Complaint, stage: int, audience: str) -> str:
    return f"overdue:{complaint.id}:{complaint.status.value}:{stage}:{audience}"


def _crm_key_sql(stage: ColumnElement[int]) -> ColumnElement[str]:
    """SQL twin of `once_key(..., "crm")` for the complaint row being selected."""
    return (
        literal("overdue:")
        + cast(Complaint.id, String)
        + ":"
        + cast(Complaint.status, String)
        + ":"
        + cast(stage, String)
        + ":crm"
    )


def not_yet_escalated(session: Session, now: datetime, targets: sla.Targets) -> list[Late]:
    """Overdue complaints without their alerts for the current stage, oldest first (one batch)."""
    stage = sla.stage_change_id()
    escalated = exists().where(Alert.once_key == _crm_key_sql(stage))
    query = (
        select(Complaint, stage, sla.stage_entered_at())
        .where(sla.overdue_clause(targets, now), ~escalated)
        .order_by(Complaint.created_at, Complaint.id)
        .limit(BATCH)
    )
    return [Late(*row) for row in session.execute(query)]


def _reason(targets: sla.Targets, late: Late) -> str:
    """Which target was missed, in the alert's words."""
    c = late.complaint
    resolution = targets.resolution_due(c.category_code, c.created_at)
    if resolution <= targets.stage_due(c.category_code, c.status, late.entered_at):
        return f"penyelesaian {targets.resolution_hours(c.category_code)} jam"
    return f"tahap {c.status.value} {targets.stage_hours(c.category_code, c.status)} jam"


def escalate_overdue(session: Session, now: datetime) -> int:
    """Raise the alerts of complaints that became overdue in their stage; returns how many."""
    targets = sla.load_targets(session)
    done = 0
    for late in not_yet_escalated(session, now, targets):
        complaint = late.complaint
        text = (
            f"Laporan {complaint.ticket_id} ({complaint.category.label}) lewat tenggat "
            f"{_reason(targets, late)} dan belum selesai."
        )
        link = f"/complaints/{complaint.ticket_id}"
        unit = raise_alert(
            session,
            kind=ALERT_KIND,
            text=text,
            unit_id=complaint.unit_id,
            complaint_id=complaint.id,
            link=link,
            once_key=once_key(complaint, late.stage, "unit"),
        )
        crm = raise_alert(
            session,
            kind=ALERT_KIND,
            text=f"{text} Unit: {complaint.unit.name}.",
            complaint_id=complaint.id,
            link=link,
            once_key=once_key(complaint, late.stage, "crm"),
        )
        done += unit is not None or crm is not None
    return done


jobs.register(JOB_NAME, escalate_overdue)
