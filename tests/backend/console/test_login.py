"""Logging in and out of the console: hashed passwords, cookie, CSRF, lockout."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend import db
from backend.auth.models import LoginThrottle, OperatorToken
from tests.backend.console.conftest import OfficerFactory, csrf_of, log_in, make_operator


def test_login_sets_an_httponly_samesite_session_cookie(anonymous: TestClient) -> None:
    username = make_operator("operator", None)
    page = anonymous.get("/console/login")
    reply = anonymous.post(
        "/console/login",
        data={
            "csrf_token": csrf_of(page.text),
            "username": username,
            "password": "correct horse battery",
        },
        follow_redirects=False,
    )
    assert reply.status_code == 303
    assert reply.headers["location"] == "/console/queue"
    cookie = next(h for h in reply.headers.get_list("set-cookie") if h.startswith("aduan_console="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/console" in cookie
    assert "Secure" not in cookie  # served on loopback (BACKEND_HOST) and the setting unset


def test_wrong_password_is_refused_in_indonesian(anonymous: TestClient) -> None:
    username = make_operator("operator", None)
    page = anonymous.get("/console/login")
    reply = anonymous.post(
        "/console/login",
        data={"csrf_token": csrf_of(page.text), "username": username, "password": "salah sekali"},
    )
    assert reply.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in reply.text
    assert "aduan_console" not in anonymous.cookies


def test_login_form_without_its_csrf_token_is_refused(anonymous: TestClient) -> None:
    username = make_operator("operator", None)
    anonymous.get("/console/login")
    reply = anonymous.post(
        "/console/login", data={"username": username, "password": "correct horse battery"}
    )
    assert reply.status_code == 403


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    anonymous: TestClient, session: Session
) -> None:
    username = make_operator("operator", None)
    for _ in range(5):  # LOGIN_MAX_FAILURES
        page = anonymous.get("/console/login")
        anonymous.post(
            "/console/login",
            data={"csrf_token": csrf_of(page.text), "username": username, "password": "tebakan-x"},
        )
    page = anonymous.get("/console/login")
    reply = anonymous.post(
        "/console/login",
        data={
            "csrf_token": csrf_of(page.text),
            "username": username,
            "password": "correct horse battery",
        },
    )
    assert reply.status_code == 401
    assert "dikunci" in reply.text
    locked = session.scalar(
        select(LoginThrottle.locked_until).where(LoginThrottle.username == username)
    )
    assert locked is not None


def test_next_parameter_only_leads_inside_the_console(anonymous: TestClient) -> None:
    username = make_operator("operator", None)
    for target, expected in [
        ("/console/desk", "/console/desk"),
        ("https://evil.example/", "/console/queue"),
        ("//evil.example/console/", "/console/queue"),
        ("/console/../api/v1/complaints", "/console/queue"),
    ]:
        anonymous.cookies.clear()
        page = anonymous.get("/console/login")
        reply = anonymous.post(
            "/console/login",
            data={
                "csrf_token": csrf_of(page.text),
                "username": username,
                "password": "correct horse battery",
                "next": target,
            },
            follow_redirects=False,
        )
        assert reply.headers["location"] == expected


def _tokens() -> int:
    with db.get_sessionmaker()() as s:  # short-lived: SQLite writers wait for readers
        return s.scalar(select(func.count()).select_from(OperatorToken)) or 0


def test_logout_ends_the_session_and_its_token(officer: OfficerFactory) -> None:
    me = officer()
    tokens_before = _tokens()
    reply = me.post("/console/logout", {}, follow_redirects=False)
    assert reply.status_code == 303
    assert _tokens() == tokens_before - 1
    after = me.client.get("/console/queue", follow_redirects=False)
    assert after.status_code == 303
    assert after.headers["location"].startswith("/console/login")


def test_a_stolen_cookie_stops_working_after_logout(officer: OfficerFactory) -> None:
    me = officer()
    stolen = me.client.cookies["aduan_console"]
    me.post("/console/logout", {})
    thief = TestClient(me.client.app)
    thief.cookies.set("aduan_console", stolen, path="/console")
    assert thief.get("/console/queue", follow_redirects=False).status_code == 303


def test_logged_in_user_visiting_login_goes_to_the_queue(officer: OfficerFactory) -> None:
    me = officer()
    reply = me.client.get("/console/login", follow_redirects=False)
    assert reply.headers["location"] == "/console/queue"


def test_login_after_lockout_period_needs_the_form_again(anonymous: TestClient) -> None:
    """The login CSRF cookie is per form: a replayed token from another browser fails."""
    username = make_operator("operator", None)
    other = TestClient(anonymous.app)
    token = csrf_of(other.get("/console/login").text)
    anonymous.get("/console/login")
    reply = anonymous.post(
        "/console/login",
        data={"csrf_token": token, "username": username, "password": "correct horse battery"},
    )
    assert reply.status_code == 403
    assert log_in(anonymous, username)


def test_the_cookie_is_secure_when_the_setting_says_so(anonymous: TestClient) -> None:
    from backend.console.settings import get_console_settings

    settings = get_console_settings()
    username = make_operator("operator", None)
    page = anonymous.get("/console/login")  # over http a Secure login cookie would not return
    before, settings.cookie_secure = settings.cookie_secure, True
    try:
        reply = anonymous.post(
            "/console/login",
            data={
                "csrf_token": csrf_of(page.text),
                "username": username,
                "password": "correct horse battery",
            },
            follow_redirects=False,
        )
    finally:
        settings.cookie_secure = before
    cookies = reply.headers.get_list("set-cookie")
    assert any(c.startswith("aduan_console=") and "Secure" in c for c in cookies)


ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - a value of BACKEND_HOST, nothing binds here


@pytest.mark.parametrize(
    ("setting", "host", "secure"),
    [
        (None, "127.0.0.1", False),
        (None, "::1", False),
        (None, "localhost", False),
        (None, ALL_INTERFACES, True),
        (None, "10.20.30.40", True),
        (None, "aduan.jakarta.go.id", True),
        (False, ALL_INTERFACES, False),
        (True, "127.0.0.1", True),
    ],
)
def test_cookies_are_secure_unless_served_on_loopback_or_set_off(
    setting: bool | None, host: str, secure: bool
) -> None:
    from backend.console.settings import cookie_secure

    assert cookie_secure(setting, host) is secure


def test_a_console_served_beyond_loopback_sends_secure_cookies(anonymous: TestClient) -> None:
    from backend.config import get_settings

    settings = get_settings()
    before, settings.backend_host = settings.backend_host, ALL_INTERFACES
    try:
        page = anonymous.get("/console/login")
    finally:
        settings.backend_host = before
    cookies = page.headers.get_list("set-cookie")
    assert any(c.startswith("aduan_console_login=") and "Secure" in c for c in cookies)


def test_the_console_cookie_is_not_an_api_token(officer: OfficerFactory) -> None:
    me = officer()
    cookie = me.client.cookies["aduan_console"]
    api = TestClient(me.client.app)
    reply = api.get("/api/v1/photos/" + "0" * 32, headers={"Authorization": f"Bearer {cookie}"})
    assert reply.status_code == 401
    assert me.client.get("/console/queue", follow_redirects=False).status_code == 200


def test_an_api_token_is_not_a_console_cookie(officer: OfficerFactory) -> None:
    username = officer().username
    browser = TestClient(officer().client.app)
    reply = browser.post(
        "/api/v1/auth/login", json={"username": username, "password": "correct horse battery"}
    )
    token = reply.json()["access_token"]
    assert (
        browser.get(
            "/api/v1/photos/" + "0" * 32, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 404
    )  # a valid API token: the photo is just unknown
    browser.cookies.set("aduan_console", token, path="/console")
    assert browser.get("/console/queue", follow_redirects=False).status_code == 303
