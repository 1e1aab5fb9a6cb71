"""Escalate overdue complaints: once ever, an alert to the complaint's unit and one to the CRM team.

Registered as the periodic job "sla_escalation" (backend.jobs). Two workers may
run it at the same moment: each alert carries a once-only key
(`overdue:{id}:unit`, `overdue:{id}:crm`), so the second one raises nothing.
"""

from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from backend import jobs
from backend.alerts.models import Alert
from backend.alerts.service import raise_alert
from backend.complaints.models import Complaint
from backend.sla import service as sla

JOB_NAME = "sla_escalation"
ALERT_KIND = "overdue"
BATCH = 200  # per run; the next run takes the rest


def not_yet_escalated(
    session: Session, now: datetime, all_hours: dict[str, int]
) -> list[Complaint]:
    """Overdue complaints without their alerts, oldest first (one batch)."""
    escalated = exists().where(
        and_(
            Alert.complaint_id == Complaint.id,
            Alert.kind == ALERT_KIND,
            Alert.unit_id.is_(None),
        )
    )
    query = (
        select(Complaint)
        .where(sla.overdue_clause(all_hours, now), ~escalated)
        .order_by(Complaint.created_at)
        .limit(BATCH)
    )
    return list(session.scalars(query))


def escalate_overdue(session: Session, now: datetime) -> int:
    """Raise the alerts of complaints that became overdue; returns how many complaints."""
    all_hours = sla.all_targets(session)
    late = not_yet_escalated(session, now, all_hours)
    done = 0
    for complaint in late:
        hours = all_hours[complaint.category_code]
        text = (
            f"Laporan {complaint.ticket_id} ({complaint.category.label}) lewat tenggat "
            f"{hours} jam dan belum selesai."
        )
        link = f"/complaints/{complaint.ticket_id}"
        unit = raise_alert(
            session,
            kind=ALERT_KIND,
            text=text,
            unit_id=complaint.unit_id,
            complaint_id=complaint.id,
            link=link,
            once_key=f"overdue:{complaint.id}:unit",
        )
        crm = raise_alert(
            session,
            kind=ALERT_KIND,
            text=f"{text} Unit: {complaint.unit.name}.",
            complaint_id=complaint.id,
            link=link,
            once_key=f"overdue:{complaint.id}:crm",
        )
        done += unit is not None or crm is not None
    return done


jobs.register(JOB_NAME, escalate_overdue)
