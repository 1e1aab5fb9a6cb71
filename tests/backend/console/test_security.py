"""Who may reach what: anonymous users, CSRF, agency scoping, escaping, headers."""

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from tests.backend.console.conftest import OfficerFactory
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers

PUBLIC = {"/console/login", "/console/static/{name:path}"}


def _console_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path.startswith("/console"):
            routes += [(method, context.path) for method in sorted(route.methods)]
    return routes


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_console_route_refuses_anonymous_users(
    console_app: FastAPI, anonymous: TestClient
) -> None:
    routes = _console_routes(console_app)
    assert len(routes) >= 12
    for method, path in routes:
        if path in PUBLIC:
            continue
        reply = anonymous.request(method, _concrete(path), follow_redirects=False)
        assert reply.status_code in (303, 401, 403), (method, path, reply.status_code)
        if reply.status_code == 303:
            assert reply.headers["location"].startswith("/console/login"), (method, path)


def test_anonymous_visit_returns_after_login_to_the_page_asked_for(
    anonymous: TestClient,
) -> None:
    reply = anonymous.get("/console/queue?status=proses", follow_redirects=False)
    assert reply.headers["location"] == "/console/login?next=%2Fconsole%2Fqueue%3Fstatus%3Dproses"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/console/logout", {}),
        ("/console/desk", {"category": "sampah", "description": "sampah numpuk"}),
        ("/console/admin/operators", {"username": "x", "password": "y" * 12, "role": "operator"}),
        ("/console/admin/routing/1", {"unit_code": "dlh"}),
    ],
)
def test_a_form_without_the_csrf_token_is_refused(
    officer: OfficerFactory, path: str, data: dict[str, str]
) -> None:
    me = officer("admin")
    reply = me.client.post(path, data=data, follow_redirects=False)
    assert reply.status_code == 403
    wrong = me.client.post(path, data={**data, "csrf_token": "x" * 43}, follow_redirects=False)
    assert wrong.status_code == 403


def test_a_move_without_the_csrf_token_changes_nothing(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    ticket = file_complaint(app_client, service_headers)["ticket_id"]
    me = officer()
    reply = me.client.post(f"/console/complaints/{ticket}/moves", data={"to": "koordinasi"})
    assert reply.status_code == 403
    assert app_client.get(f"/api/v1/complaints/{ticket}").json()["status"] == "menunggu"


def test_csrf_token_of_one_session_does_not_work_in_another(officer: OfficerFactory) -> None:
    alice, bob = officer(), officer()
    reply = bob.client.post("/console/logout", data={"csrf_token": alice.csrf})
    assert reply.status_code == 403


def test_a_description_with_script_is_shown_as_text(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    ticket = file_complaint(app_client, service_headers, description=evil)["ticket_id"]
    me = officer()
    for page in (me.client.get(f"/console/complaints/{ticket}"), me.client.get("/console/queue")):
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_pages_forbid_framing_and_inline_scripts(officer: OfficerFactory) -> None:
    reply = officer().client.get("/console/queue")
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["cache-control"] == "no-store"


def test_agency_user_sees_only_its_own_units_complaints(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    # Monas is in Jakarta Pusat: rubbish there goes to dlh-jakpus.
    mine = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    theirs = file_complaint(app_client, service_headers, category="pkl")
    assert mine["agency"] == "Suku Dinas Lingkungan Hidup Jakarta Pusat"
    agency = officer("agency", "dlh-jakpus")
    queue = agency.client.get("/console/queue")
    assert mine["ticket_id"] in queue.text
    assert theirs["ticket_id"] not in queue.text
    own = agency.client.get(f"/console/complaints/{mine['ticket_id']}")
    assert own.status_code == 200


def test_another_units_ticket_looks_exactly_like_an_unknown_one(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    theirs = file_complaint(app_client, service_headers, category="pkl")["ticket_id"]
    agency = officer("agency", "dlh-jakpus")
    other = agency.client.get(f"/console/complaints/{theirs}")
    unknown = agency.client.get("/console/complaints/JKT-0000-0000")
    assert other.status_code == unknown.status_code == 404
    assert other.text.replace(theirs, "") == unknown.text.replace("JKT-0000-0000", "")
    search = agency.client.get(f"/console/queue?q={theirs}")
    nothing = agency.client.get("/console/queue?q=JKT-0000-0000")
    assert "Tidak ada laporan yang cocok." in search.text
    assert search.text.replace(theirs, "") == nothing.text.replace("JKT-0000-0000", "")


def test_agency_user_cannot_move_another_units_complaint(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    theirs = file_complaint(app_client, service_headers, category="pkl")["ticket_id"]
    agency = officer("agency", "dlh-jakpus")
    reply = agency.post(
        f"/console/complaints/{theirs}/moves", {"to": "ditolak", "note": "bukan urusan kami"}
    )
    assert reply.status_code == 404
    assert app_client.get(f"/api/v1/complaints/{theirs}").json()["status"] == "menunggu"


def test_agency_user_cannot_open_another_units_photos(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers, png: bytes
) -> None:
    upload = app_client.post(
        "/api/v1/photos", files={"file": ("a.png", png, "image/png")}, headers=service_headers
    )
    photo_id = upload.json()["photo_id"]
    file_complaint(app_client, service_headers, category="pkl", photo_ids=[photo_id])
    assert officer().client.get(f"/console/photos/{photo_id}").status_code == 200
    agency = officer("agency", "dlh-jakpus")
    assert agency.client.get(f"/console/photos/{photo_id}").status_code == 404


def test_only_admins_reach_the_admin_pages(officer: OfficerFactory) -> None:
    for role, unit in (("operator", None), ("agency", "dlh-jakpus")):
        me = officer(role, unit)
        assert me.client.get("/console/admin/operators").status_code == 403
        assert me.client.get("/console/admin/routing").status_code == 403
        reply = me.post(
            "/console/admin/operators",
            {"username": "sneaky", "password": "a" * 12, "role": "admin"},
        )
        assert reply.status_code == 403
    assert officer("admin").client.get("/console/admin/operators").status_code == 200


def test_static_files_are_served_without_path_tricks(anonymous: TestClient) -> None:
    assert anonymous.get("/console/static/leaflet/leaflet.js").status_code == 200
    assert anonymous.get("/console/static/console.css").status_code == 200
    for bad in ("../api.py", "..%2Fapi.py", "%2e%2e/settings.py", "leaflet/../../web.py"):
        assert anonymous.get(f"/console/static/{bad}").status_code == 404
