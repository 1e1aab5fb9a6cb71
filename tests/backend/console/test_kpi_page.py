"""The console's KPI page and CSV exports: figures shown, scope by role, no personal data."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from backend import db
from backend.sla import service as sla
from tests.backend.console.conftest import OfficerFactory
from tests.backend.kpi.dataset import NOW, PERIOD, Dataset, build
from tests.backend.sla.conftest import restore_sla_targets  # noqa: F401 - autouse fixture

QUERY = f"dari={PERIOD.start}&sampai={PERIOD.end}"


@pytest.fixture
def data(console_app: object, session: Session) -> Dataset:
    built = build(session)
    session.commit()
    return built


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages compute 'overdue' at NOW, as the dataset's figures do."""
    monkeypatch.setattr("backend.console.kpi_api.utcnow", lambda: NOW)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_page_shows_the_figures_and_charts(
    officer: OfficerFactory, data: Dataset, frozen_now: None
) -> None:
    page = officer().client.get(f"/console/kpi?{QUERY}")
    assert page.status_code == 200
    html = page.text
    assert '<dd id="kpi-total">7</dd>' in html
    assert '<dd id="kpi-first-median">3 jam</dd>' in html  # 1, 2, 3, 4, 6 hours
    assert '<dd id="kpi-resolution-median">40 jam</dd>' in html
    assert "3,50" in html  # mean rating
    assert "33% <small>(1 dari 3)</small>" in html
    assert html.count('<svg class="chart') == 3
    assert "<script" not in html.split("<main>")[1].split("</main>")[0]
    assert "81234567890" not in html


def test_agency_users_see_their_units_figures_only(
    officer: OfficerFactory, data: Dataset, frozen_now: None
) -> None:
    agency = officer("agency", data.c.unit.code)
    html = agency.client.get(f"/console/kpi?{QUERY}").text
    assert '<dd id="kpi-total">3</dd>' in html
    assert data.a.unit.name not in html
    rows = _rows(agency.client.get(f"/console/kpi/laporan.csv?{QUERY}").text)
    assert {r["ticket"] for r in rows} == {data.c.ticket_id, data.d.ticket_id, data.f.ticket_id}


def test_the_figures_csv_matches_the_figures(
    officer: OfficerFactory, data: Dataset, frozen_now: None
) -> None:
    reply = officer().client.get(f"/console/kpi/angka.csv?{QUERY}")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    rows = {(r["metric"], r["group"], r["key"]): r["value"] for r in _rows(reply.text)}
    assert rows[("complaints", "", "total")] == "7"
    assert rows[("complaints_per_day_channel", "2026-03-02", "whatsapp")] == "1"
    assert rows[("first_action_hours", "", "p90_hours")] == "5.2"
    assert rows[("resolution_hours", "", "median_hours")] == "40"
    assert rows[("sla_kota", "Jakarta Pusat", "compliance")] == "0.5"
    assert rows[("sla_kota", "Jakarta Selatan", "open_overdue")] == "1"
    assert rows[("satisfaction", "", "mean")] == "3.5"
    assert rows[("satisfaction_rating", "", "5")] == "1"
    assert rows[("reopen", "", "rate")] == "0.3333"


def test_the_complaints_csv_has_the_columns_and_no_personal_data(
    officer: OfficerFactory, data: Dataset, frozen_now: None
) -> None:
    text = officer().client.get(f"/console/kpi/laporan.csv?{QUERY}").text
    header = text.splitlines()[0]
    assert header == (
        "ticket,category,status,channel,kota,kecamatan,kelurahan,unit,created,resolved,due,overdue"
    )
    rows = {r["ticket"]: r for r in _rows(text)}
    assert len(rows) == 7
    a, e, d = rows[data.a.ticket_id], rows[data.e.ticket_id], rows[data.d.ticket_id]
    assert (a["status"], a["kelurahan"], a["kota"], a["overdue"]) == (
        "selesai",
        "Gambir",
        "Jakarta Pusat",
        "0",
    )
    assert a["created"] == "2026-03-01T09:00:00+07:00"
    assert a["resolved"] == "2026-03-01T19:00:00+07:00"
    assert a["due"] == "2026-03-04T09:00:00+07:00"
    assert (e["overdue"], e["kota"], e["resolved"]) == ("1", "", "")
    assert d["due"] == ""  # ditolak: no target
    assert "81234567890" not in text
    assert "Laporan uji" not in text  # descriptions stay in the console


def test_the_sla_admin_page_changes_a_target(officer: OfficerFactory, console_app: object) -> None:
    admin = officer("admin")
    page = admin.client.get("/console/admin/sla")
    assert page.status_code == 200
    assert 'id="sla-banjir"' in page.text
    saved = admin.post("/console/admin/sla/banjir", {"hours": "12"}, follow_redirects=False)
    assert saved.status_code == 303
    with db.get_sessionmaker()() as session:
        assert _hours(session, "banjir") == 12


def _hours(session: Session, code: str) -> int:
    return sla.target_hours(session, code)


@pytest.mark.parametrize("typed", ["0", "-3", "abc", "", "99999"])
def test_a_bad_target_is_explained_and_changes_nothing(
    officer: OfficerFactory, console_app: object, typed: str
) -> None:
    reply = officer("admin").post("/console/admin/sla/banjir", {"hours": typed})
    assert reply.status_code == 422
    assert "bilangan bulat antara 1 dan" in reply.text
    with db.get_sessionmaker()() as session:
        assert _hours(session, "banjir") == 72


def test_only_admins_change_targets(officer: OfficerFactory, console_app: object) -> None:
    clerk = officer("operator")
    assert clerk.client.get("/console/admin/sla").status_code == 403
    assert clerk.post("/console/admin/sla/banjir", {"hours": "5"}).status_code == 403
    admin = officer("admin")
    assert admin.post("/console/admin/sla/kucing", {"hours": "5"}).status_code == 404
    refused = admin.client.post("/console/admin/sla/banjir", data={"hours": "5"})
    assert refused.status_code == 403  # no CSRF token


def test_the_kpi_page_needs_a_login(anonymous: TestClient) -> None:
    for path in ("/console/kpi", "/console/kpi/angka.csv", "/console/kpi/laporan.csv"):
        assert anonymous.get(path, follow_redirects=False).status_code == 303
