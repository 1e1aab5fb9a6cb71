"""The SLA admin page edits the resolution target and the per-status targets, all or nothing."""

import re

import pytest
from sqlalchemy.orm import Session

from backend import db
from backend.complaints.models import Status
from backend.sla import service as sla
from tests.backend.console.conftest import OfficerFactory
from tests.backend.sla.conftest import restore_sla_targets  # noqa: F401 - autouse fixture

ALL_FIELDS = {
    "hours": "96",
    "menunggu": "12",
    "koordinasi": "36",
    "disposisi": "24",
    "proses": "60",
}


def _targets(session: Session, code: str) -> dict[str, int]:
    stages = {s.value: sla.stage_hours(session, code, s) for s in sla.OPEN}
    return {"hours": sla.target_hours(session, code), **stages}


def _stored(code: str) -> dict[str, int]:
    with db.get_sessionmaker()() as session:
        return _targets(session, code)


def test_the_page_shows_every_target_of_a_category(
    officer: OfficerFactory, console_app: object
) -> None:
    html = officer("admin").client.get("/console/admin/sla").text
    row = html.split('id="sla-banjir"')[1].split("</tr>")[0]
    values = dict(re.findall(r'name="(\w+)" min="1" max="\d+" value="(\d+)"', row))
    assert values == {
        "hours": "72",
        "menunggu": "24",
        "koordinasi": "24",
        "disposisi": "48",
        "proses": "72",
    }
    assert 'form="sla-form-banjir"' in row


def test_an_admin_saves_all_targets_of_a_category(
    officer: OfficerFactory, console_app: object
) -> None:
    saved = officer("admin").post("/console/admin/sla/banjir", ALL_FIELDS, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("/console/admin/sla?saved=banjir")
    assert _stored("banjir") == {name: int(value) for name, value in ALL_FIELDS.items()}
    assert _stored("sampah")["menunggu"] == 24  # other categories unchanged


def test_one_stage_target_alone_can_be_sent(officer: OfficerFactory, console_app: object) -> None:
    saved = officer("admin").post("/console/admin/sla/banjir", {"proses": "30"})
    assert saved.status_code == 200  # followed the redirect back to the page
    assert "Target disimpan." in saved.text
    assert _stored("banjir") == {
        "hours": 72,
        "menunggu": 24,
        "koordinasi": 24,
        "disposisi": 48,
        "proses": 30,
    }


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("menunggu", "0"),
        ("proses", "abc"),
        ("disposisi", ""),
        ("koordinasi", "99999"),
        ("hours", "-1"),
    ],
)
def test_one_bad_value_changes_nothing(
    officer: OfficerFactory, console_app: object, field: str, typed: str
) -> None:
    reply = officer("admin").post("/console/admin/sla/banjir", {**ALL_FIELDS, field: typed})
    assert reply.status_code == 422
    assert "bilangan bulat antara 1 dan" in reply.text
    assert _stored("banjir") == {
        "hours": 72,
        "menunggu": 24,
        "koordinasi": 24,
        "disposisi": 48,
        "proses": 72,
    }


def test_a_form_without_targets_is_refused(officer: OfficerFactory, console_app: object) -> None:
    assert officer("admin").post("/console/admin/sla/banjir", {}).status_code == 422
    assert officer("admin").post("/console/admin/sla/banjir", {"selesai": "5"}).status_code == 422


def test_stage_targets_need_an_admin_and_a_csrf_token(
    officer: OfficerFactory, console_app: object
) -> None:
    assert (
        officer("operator").post("/console/admin/sla/banjir", {"menunggu": "5"}).status_code == 403
    )
    admin = officer("admin")
    refused = admin.client.post("/console/admin/sla/banjir", data={"menunggu": "5"})
    assert refused.status_code == 403
    assert _stored("banjir")["menunggu"] == 24
    assert sla.STAGE_DEFAULT_HOURS[Status.MENUNGGU] == 24
