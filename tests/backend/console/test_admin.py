"""Admin pages: officers' accounts and the routing table."""

import re

from fastapi.testclient import TestClient

from tests.backend.console.conftest import OfficerFactory, csrf_of, log_in
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers


def test_admin_creates_an_agency_officer_who_can_log_in(
    officer: OfficerFactory, anonymous: TestClient
) -> None:
    admin = officer("admin")
    reply = admin.post(
        "/console/admin/operators",
        {
            "username": "petugas.dlh",
            "password": "kata sandi panjang",
            "role": "agency",
            "unit_code": "dlh-jaktim",
        },
        follow_redirects=False,
    )
    assert reply.status_code == 303
    listing = admin.client.get(reply.headers["location"]).text
    assert "Akun petugas.dlh dibuat." in listing
    assert "Suku Dinas Lingkungan Hidup Jakarta Timur" in listing
    assert log_in(anonymous, "petugas.dlh", "kata sandi panjang")


def test_refusals_are_explained_and_keep_the_form(officer: OfficerFactory) -> None:
    admin = officer("admin")
    cases = [
        ({"username": "a1", "password": "pendek", "role": "operator"}, "minimal 10"),
        (
            {"username": "a2", "password": "cukup panjang", "role": "agency"},
            "wajib punya unit",
        ),
        ({"username": admin.username, "password": "cukup panjang", "role": "operator"}, "dipakai"),
    ]
    for form, message in cases:
        reply = admin.post("/console/admin/operators", form)
        assert reply.status_code in (409, 422)
        assert message in reply.text
        assert f'value="{form["username"]}"' in reply.text


def test_editing_a_routing_rule_routes_new_complaints(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    admin = officer("admin")
    page = admin.client.get("/console/admin/routing?category=sampah").text
    rule = re.search(
        r'action="/console/admin/routing/(\d+)"[^>]*>\s*<input[^>]*>\s*'
        r'<select name="unit_code" aria-label="Unit untuk Jakarta Pusat"',
        page,
    )
    assert rule is not None, page
    url = f"/console/admin/routing/{rule.group(1)}"
    try:
        reply = admin.post(url, {"unit_code": "dlh"}, follow_redirects=False)
        assert reply.headers["location"] == "/console/admin/routing?category=sampah&saved=1"
        filed = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
        assert filed["agency"] == "Dinas Lingkungan Hidup"
    finally:  # routing is reference data that clean_db keeps: put it back
        admin.post(url, {"unit_code": "dlh-jakpus"})
    assert (
        "Suku Dinas Lingkungan Hidup Jakarta Pusat"
        in admin.client.get("/console/admin/routing?category=sampah").text
    )


def _operator_id(username: str) -> int:
    from sqlalchemy import select

    from backend import db
    from backend.auth.models import Operator

    with db.get_sessionmaker()() as s:
        found = s.scalar(select(Operator.id).where(Operator.username == username))
    assert found is not None
    return found


def test_switching_an_officer_off_ends_their_session_at_once(officer: OfficerFactory) -> None:
    admin, clerk = officer("admin"), officer()
    url = f"/console/admin/operators/{_operator_id(clerk.username)}/active"
    reply = admin.post(url, {"active": "0"}, follow_redirects=False)
    assert reply.status_code == 303
    assert (
        f"Akun {clerk.username} sekarang nonaktif."
        in admin.client.get(reply.headers["location"]).text
    )
    assert clerk.client.get("/console/queue", follow_redirects=False).status_code == 303
    admin.post(url, {"active": "1"})
    # switched on again: the old session stays dead, a new login works
    assert clerk.client.get("/console/queue", follow_redirects=False).status_code == 303
    assert log_in(clerk.client, clerk.username)


def test_an_admin_cannot_switch_themselves_off(officer: OfficerFactory) -> None:
    admin = officer("admin")
    reply = admin.post(
        f"/console/admin/operators/{_operator_id(admin.username)}/active", {"active": "0"}
    )
    assert reply.status_code == 422
    assert "Akun sendiri tidak bisa dinonaktifkan." in reply.text
    assert admin.client.get("/console/queue").status_code == 200


def test_the_admin_sees_a_lockout_and_switching_on_clears_it(officer: OfficerFactory) -> None:
    admin, clerk = officer("admin"), officer()
    stranger = TestClient(admin.client.app, client=("203.0.113.7", 40000))
    for _ in range(5):  # LOGIN_MAX_FAILURES
        page = stranger.get("/console/login")
        stranger.post(
            "/console/login",
            data={"csrf_token": csrf_of(page.text), "username": clerk.username, "password": "x"},
        )
    listing = admin.client.get("/console/admin/operators").text
    row = next(line for line in listing.splitlines() if f"<td>{clerk.username}</td>" in line)
    assert "Terkunci dari satu alamat sampai" in listing.split(row, 1)[1].split("</tr>", 1)[0]
    url = f"/console/admin/operators/{_operator_id(clerk.username)}/active"
    admin.post(url, {"active": "0"})
    admin.post(url, {"active": "1"})
    assert "Terkunci" not in admin.client.get("/console/admin/operators").text
    page = stranger.get("/console/login")
    reply = stranger.post(
        "/console/login",
        data={
            "csrf_token": csrf_of(page.text),
            "username": clerk.username,
            "password": "correct horse battery",
        },
        follow_redirects=False,
    )
    assert reply.status_code == 303
