"""Alerts reach the right officers, once-only keys hold, and reading is scoped."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.agencies.models import Unit
from backend.alerts import service as alerts
from backend.auth.models import Operator, Role
from backend.errors import NotFound


def _units(session: Session) -> tuple[Unit, Unit]:
    first, second = session.scalars(select(Unit).order_by(Unit.id).limit(2))
    return first, second


def _operator(role: Role, unit: Unit | None = None) -> Operator:
    return Operator(username=f"u-{role}", role=role, unit_id=unit.id if unit else None)


def test_agency_users_see_their_unit_and_the_crm_team_sees_team_alerts(session: Session) -> None:
    mine, other = _units(session)
    alerts.raise_alert(session, kind="overdue", text="mine", unit_id=mine.id)
    alerts.raise_alert(session, kind="overdue", text="other", unit_id=other.id)
    alerts.raise_alert(session, kind="handoff", text="team")
    session.flush()

    agency = _operator(Role.AGENCY, mine)
    crm = _operator(Role.OPERATOR)
    assert [a.text for a in alerts.visible_to(session, agency)] == ["mine"]
    assert [a.text for a in alerts.visible_to(session, crm)] == ["team"]
    assert alerts.unread_count(session, agency) == 1


def test_once_key_raises_an_alert_only_once(session: Session) -> None:
    first = alerts.raise_alert(session, kind="overdue", text="late", once_key="overdue:1:crm")
    again = alerts.raise_alert(session, kind="overdue", text="late", once_key="overdue:1:crm")
    assert first is not None
    assert again is None
    crm = _operator(Role.OPERATOR)
    assert len(alerts.visible_to(session, crm)) == 1


def test_marking_read_is_scoped_to_what_the_officer_may_see(session: Session) -> None:
    mine, other = _units(session)
    theirs = alerts.raise_alert(session, kind="reopened", text="x", unit_id=other.id)
    assert theirs is not None
    session.flush()
    with pytest.raises(NotFound):
        alerts.mark_read(session, _operator(Role.AGENCY, mine), theirs.id)
    read = alerts.mark_read(session, _operator(Role.AGENCY, other), theirs.id)
    assert read.read_at is not None
    assert alerts.unread_count(session, _operator(Role.AGENCY, other)) == 0
