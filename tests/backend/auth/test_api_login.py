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
