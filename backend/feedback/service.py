"""What a reporter says about their own complaint, through the bot.

Feedback on a resolved complaint: "Belum" reopens it and alerts its unit; "Ya" is
kept. Every answer is a Feedback row; the latest rating given is the complaint's
rating. A withdrawal ("Tarik laporan", offered when a filing whose answer was lost
turns out to be stored) moves a complaint not yet worked on to `ditolak` and
alerts its unit.
"""

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.alerts import service as alerts
from backend.complaints import service as complaints
from backend.complaints import workflow
from backend.complaints.models import Complaint, Reporter, Status
from backend.conversations.service import parse_sender
from backend.errors import Conflict, Forbidden
from backend.feedback.models import Feedback
from backend.feedback.schemas import FeedbackIn

logger = logging.getLogger(__name__)
CITIZEN_ACTOR = "warga"
DEFAULT_REASON = "Warga menyatakan masalahnya belum beres."
WITHDRAWN_NOTE = "dibatalkan pelapor"
# Before the unit works on it (CONTRACT.md section 5: the moves to `ditolak`).
WITHDRAWABLE = frozenset({Status.MENUNGGU, Status.KOORDINASI, Status.DISPOSISI})


class NotReporter(Forbidden):
    code = "not_reporter"

    def __init__(self) -> None:
        super().__init__("only the complaint's reporter can give feedback")


class NotWithdrawable(Conflict):
    code = "not_withdrawable"

    def __init__(self) -> None:
        super().__init__("the complaint is already being worked on or closed")


class NotResolved(Conflict):
    code = "not_resolved"

    def __init__(self) -> None:
        super().__init__("the complaint is not resolved (selesai)")


def give(session: Session, ticket_text: str, answer: FeedbackIn) -> tuple[Complaint, int | None]:
    """Record the reporter's answer; returns the complaint and its latest rating."""
    complaint = complaints.get(session, ticket_text, for_update=True)
    if not _is_reporter(complaint.reporter, answer.sender_id):
        raise NotReporter()
    reason = answer.reason.strip() if answer.reason and answer.reason.strip() else None
    if answer.resolved:
        if not any(change.to_status is Status.SELESAI for change in complaint.history):
            raise NotResolved()
    else:
        if complaint.status is not Status.SELESAI:
            raise NotResolved()
        _reopen(session, complaint, reason)
    session.add(
        Feedback(
            complaint_id=complaint.id,
            reporter_id=complaint.reporter_id,
            resolved=answer.resolved,
            rating=answer.rating,
            reason=reason,
        )
    )
    session.flush()
    return complaint, latest_rating(session, complaint.id)


def _is_reporter(reporter: Reporter | None, sender_id: str) -> bool:
    return reporter is not None and (reporter.channel, reporter.chat_id) == parse_sender(sender_id)


def _alert_unit(session: Session, complaint: Complaint, kind: str, text: str) -> None:
    """Tell the complaint's unit what its reporter did, linking to the complaint."""
    alerts.raise_alert(
        session,
        kind=kind,
        text=text,
        unit_id=complaint.unit_id,
        complaint_id=complaint.id,
        link=f"/complaints/{complaint.ticket_id}",
    )


def _reopen(session: Session, complaint: Complaint, reason: str | None) -> None:
    workflow.transition(
        session,
        complaint,
        Status.PROSES,
        actor=CITIZEN_ACTOR,
        note=reason or DEFAULT_REASON,
        public=False,  # the citizen's own words are not published
    )
    _alert_unit(
        session,
        complaint,
        "reopened",
        f"Warga menyatakan laporan {complaint.ticket_id} belum beres; dibuka kembali.",
    )
    logger.info("complaint reopened by its reporter", extra={"ticket_id": complaint.ticket_id})


def withdraw(session: Session, ticket_text: str, sender_id: str) -> Complaint:
    """The reporter takes back a complaint nobody works on yet; a repeat changes nothing."""
    complaint = complaints.get(session, ticket_text, for_update=True)
    if not _is_reporter(complaint.reporter, sender_id):
        raise NotReporter()
    latest = complaint.history[-1] if complaint.history else None
    if (
        complaint.status is Status.DITOLAK
        and latest is not None
        and (latest.actor, latest.note) == (CITIZEN_ACTOR, WITHDRAWN_NOTE)
    ):
        return complaint
    if complaint.status not in WITHDRAWABLE:
        raise NotWithdrawable()
    workflow.transition(
        session, complaint, Status.DITOLAK, actor=CITIZEN_ACTOR, note=WITHDRAWN_NOTE
    )
    _alert_unit(
        session,
        complaint,
        "withdrawn",
        f"Pelapor membatalkan laporan {complaint.ticket_id}; statusnya kini Ditolak.",
    )
    logger.info("complaint withdrawn by its reporter", extra={"ticket_id": complaint.ticket_id})
    return complaint


def latest_rating(session: Session, complaint_id: int) -> int | None:
    return session.scalar(
        select(Feedback.rating)
        .where(Feedback.complaint_id == complaint_id, Feedback.rating.is_not(None))
        .order_by(Feedback.id.desc())
        .limit(1)
    )
