"""Operator login, lockout, and tokens stored only as hashes."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import db
from backend.auth import service as auth
from backend.auth.models import OperatorToken, Role, ServiceClient

PASSWORD = "correct horse battery"


def make_operator(username: str = "budi") -> None:
    with db.get_sessionmaker().begin() as s:
        auth.create_operator(s, username, PASSWORD, Role.OPERATOR)


def login(client: TestClient, password: str, username: str = "budi") -> int:
    reply = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    return reply.status_code


def test_login_returns_a_token_that_is_stored_hashed(
    app_client: TestClient, session: Session
) -> None:
    make_operator()
    reply = app_client.post("/api/v1/auth/login", json={"username": "budi", "password": PASSWORD})
    assert reply.status_code == 200
    token = reply.json()["access_token"]
    stored = session.scalars(select(OperatorToken.token_hash)).one()
    assert stored != token
    assert stored == auth.hash_token(token)


def test_wrong_password_and_unknown_user_are_401(app_client: TestClient) -> None:
    make_operator()
    assert login(app_client, "wrong password") == 401
    assert login(app_client, PASSWORD, username="nobody") == 401


def test_repeated_failures_lock_the_account(app_client: TestClient) -> None:
    make_operator()
    for _ in range(5):
        assert login(app_client, "wrong password") == 401
    assert login(app_client, PASSWORD) == 401  # locked, even with the right password


def test_failures_from_one_address_do_not_lock_the_officer_out_elsewhere(
    app_client: TestClient,
) -> None:
    make_operator()
    attacker = TestClient(app_client.app, client=("203.0.113.9", 40000))
    for _ in range(5):
        assert login(attacker, "wrong password") == 401
    refused = attacker.post("/api/v1/auth/login", json={"username": "budi", "password": PASSWORD})
    assert refused.status_code == 401
    assert "locked" in refused.json()["detail"]
    office = TestClient(app_client.app, client=("198.51.100.20", 40000))
    assert login(office, PASSWORD) == 200


def test_one_address_failing_across_usernames_is_locked_for_all_of_them(
    app_client: TestClient,
) -> None:
    make_operator()
    attacker = TestClient(app_client.app, client=("203.0.113.10", 40000))
    for n in range(20):  # LOGIN_MAX_FAILURES_PER_ADDRESS, four per username
        assert login(attacker, "wrong password", username=f"guess{n // 4}") == 401
    assert login(attacker, PASSWORD) == 401  # a username it never tried
    assert login(TestClient(app_client.app, client=("198.51.100.21", 40000)), PASSWORD) == 200


def test_an_unknown_username_locks_like_a_known_one(app_client: TestClient) -> None:
    """Otherwise the lockout would tell which accounts exist."""
    attacker = TestClient(app_client.app, client=("203.0.113.11", 40000))
    for _ in range(5):
        assert login(attacker, "wrong password", username="nobody") == 401
    reply = attacker.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert "locked" in reply.json()["detail"]


def test_old_failures_do_not_add_up(app_client: TestClient, session: Session) -> None:
    from datetime import timedelta

    from backend.auth.models import LoginThrottle
    from backend.db import utcnow

    make_operator()
    for _ in range(4):
        assert login(app_client, "wrong password") == 401
    with db.get_sessionmaker().begin() as s:
        for row in s.scalars(select(LoginThrottle)):
            row.last_failure_at = utcnow() - timedelta(minutes=16)  # LOGIN_LOCKOUT_MINUTES + 1
    assert login(app_client, "wrong password") == 401
    assert login(app_client, PASSWORD) == 200


def test_service_tokens_are_stored_hashed(app_client: TestClient, session: Session) -> None:
    with db.get_sessionmaker().begin() as s:
        auth.register_service_client(s, "gateway", "s3cret-token-value")
    assert session.scalars(select(ServiceClient.token_hash)).one() == auth.hash_token(
        "s3cret-token-value"
    )


def test_short_passwords_are_refused(session: Session) -> None:
    import pytest

    from backend.errors import Unprocessable

    with pytest.raises(Unprocessable):
        auth.create_operator(session, "x", "short", Role.OPERATOR)
