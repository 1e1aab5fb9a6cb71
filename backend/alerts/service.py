"""Raise alerts for officers, list the ones an officer may see, mark them read.

Who sees an alert: an `agency` user sees its own unit's; `operator` and
`admin` (the CRM team) see the ones raised for the team (no unit).
"""

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.alerts.models import Alert
from backend.auth.models import Operator, Role
from backend.db import utcnow
from backend.errors import NotFound


def raise_alert(
    session: Session,
    *,
    kind: str,
    text: str,
    unit_id: int | None = None,
    complaint_id: int | None = None,
    link: str | None = None,
    once_key: str | None = None,
) -> Alert | None:
    """Add an alert; with `once_key`, only if none was ever raised with that key.

    Returns the new alert, or None when `once_key` was already used (also when a
    concurrent transaction used it first).
    """
    if once_key is not None and session.scalar(select(Alert.id).where(Alert.once_key == once_key)):
        return None
    alert = Alert(
        kind=kind,
        text=text,
        unit_id=unit_id,
        complaint_id=complaint_id,
        link=link,
        once_key=once_key,
    )
    try:
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:
        if once_key is None:
            raise
        return None
    return alert


def _visible(operator: Operator) -> Select[tuple[Alert]]:
    query = select(Alert)
    if operator.role is Role.AGENCY:
        return query.where(Alert.unit_id == operator.unit_id)
    return query.where(Alert.unit_id.is_(None))


def visible_to(
    session: Session, operator: Operator, *, unread_only: bool = False, limit: int = 100
) -> list[Alert]:
    query = _visible(operator)
    if unread_only:
        query = query.where(Alert.read_at.is_(None))
    return list(session.scalars(query.order_by(Alert.id.desc()).limit(limit)))


def unread_count(session: Session, operator: Operator) -> int:
    unread = _visible(operator).where(Alert.read_at.is_(None)).subquery()
    return session.scalar(select(func.count()).select_from(unread)) or 0


def mark_read(session: Session, operator: Operator, alert_id: int) -> Alert:
    """Mark one alert read; an alert the operator may not see is 'not found'."""
    alert = session.scalar(_visible(operator).where(Alert.id == alert_id))
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    if alert.read_at is None:
        alert.read_at = utcnow()
    return alert
