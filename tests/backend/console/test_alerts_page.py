"""The alerts page: each team sees its own alerts and marks them read."""

from fastapi.testclient import TestClient
from sqlalchemy import select

from backend import db
from backend.agencies import service as agencies
from backend.alerts import service as alerts
from backend.alerts.models import Alert
from tests.backend.console.conftest import OfficerFactory


def _raise(text: str, unit: str | None = None) -> int:
    with db.get_sessionmaker().begin() as s:
        unit_id = agencies.get_unit(s, unit).id if unit else None
        alert = alerts.raise_alert(s, kind="reopened", text=text, unit_id=unit_id, link="/queue")
        assert alert is not None
        s.flush()
        return alert.id


def _read_at(alert_id: int) -> object:
    with db.get_sessionmaker()() as s:
        return s.scalar(select(Alert.read_at).where(Alert.id == alert_id))


def test_each_team_sees_its_own_alerts(officer: OfficerFactory) -> None:
    _raise("untuk tim CRM")
    _raise("untuk DLH Jakpus", "dlh-jakpus")
    crm = officer().client.get("/console/alerts").text
    dlh = officer("agency", "dlh-jakpus").client.get("/console/alerts").text
    assert "untuk tim CRM" in crm
    assert "untuk DLH Jakpus" not in crm
    assert "untuk DLH Jakpus" in dlh
    assert "untuk tim CRM" not in dlh
    assert "Laporan dibuka kembali" in dlh


def test_marking_an_alert_read(officer: OfficerFactory) -> None:
    alert_id = _raise("untuk DLH Jakpus", "dlh-jakpus")
    agency = officer("agency", "dlh-jakpus")
    assert agency.client.get("/console/badge").json()["alerts"] == 1
    reply = agency.post(f"/console/alerts/{alert_id}/read", {}, follow_redirects=False)
    assert reply.status_code == 303
    assert _read_at(alert_id) is not None
    assert agency.client.get("/console/badge").json()["alerts"] == 0


def test_another_units_alert_cannot_be_marked_read(officer: OfficerFactory) -> None:
    alert_id = _raise("untuk DLH Jakpus", "dlh-jakpus")
    for outsider in (officer("agency", "dlh-jaksel"), officer()):
        assert outsider.post(f"/console/alerts/{alert_id}/read", {}).status_code == 404
    assert _read_at(alert_id) is None


def test_marking_read_without_the_csrf_token_is_refused(officer: OfficerFactory) -> None:
    alert_id = _raise("untuk tim CRM")
    operator = officer()
    assert operator.client.post(f"/console/alerts/{alert_id}/read").status_code == 403
    assert _read_at(alert_id) is None


def test_the_alerts_page_needs_a_login(anonymous: TestClient) -> None:
    reply = anonymous.get("/console/alerts", follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/console/login")
