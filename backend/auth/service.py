"""Tokens, passwords and login. Tokens are random and stored only as SHA-256."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.models import Operator, OperatorToken, Role, ServiceClient
from backend.config import get_settings
from backend.db import utcnow
from backend.errors import Conflict, Unprocessable

logger = logging.getLogger(__name__)
_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_service_client(session: Session, name: str, token: str) -> ServiceClient:
    """Create or re-key the service client `name` so that `token` authenticates it."""
    client = session.scalar(select(ServiceClient).where(ServiceClient.name == name))
    if client is None:
        client = ServiceClient(name=name, token_hash=hash_token(token))
        session.add(client)
    else:
        client.token_hash = hash_token(token)
        client.active = True
    session.flush()
    return client


def service_client_for(session: Session, token: str) -> ServiceClient | None:
    return session.scalar(
        select(ServiceClient).where(
            ServiceClient.token_hash == hash_token(token), ServiceClient.active.is_(True)
        )
    )


def operator_for(session: Session, token: str) -> Operator | None:
    row = session.scalar(select(OperatorToken).where(OperatorToken.token_hash == hash_token(token)))
    if row is None or row.expires_at <= utcnow() or not row.operator.active:
        return None
    return row.operator


def create_operator(
    session: Session, username: str, password: str, role: Role, unit_id: int | None = None
) -> Operator:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Unprocessable(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if (role is Role.AGENCY) != (unit_id is not None):
        raise Unprocessable("an agency operator needs a unit, and only an agency operator")
    if session.scalar(select(Operator.id).where(Operator.username == username)) is not None:
        raise Conflict(f"operator {username!r} exists")
    operator = Operator(
        username=username, password_hash=_hasher.hash(password), role=role, unit_id=unit_id
    )
    session.add(operator)
    session.flush()
    return operator


@dataclass(frozen=True)
class IssuedToken:
    token: str
    row: OperatorToken


@dataclass(frozen=True)
class LoginRefused:
    reason: str
    locked: bool = False


def login(session: Session, username: str, password: str) -> IssuedToken | LoginRefused:
    """Check the password (with lockout after repeated failures) and issue a token.

    A refusal is returned, not raised, so that the caller's transaction still
    commits the failure count.
    """
    settings = get_settings()
    operator = session.scalar(select(Operator).where(Operator.username == username))
    now = utcnow()
    if operator is None or not operator.active:
        _hasher.hash(password)  # same cost as a real check: no user enumeration by timing
        return LoginRefused("wrong username or password")
    if operator.locked_until is not None and operator.locked_until > now:
        return LoginRefused("account locked after repeated failures; try again later", locked=True)
    if not _password_matches(operator.password_hash, password):
        operator.failed_logins += 1
        if operator.failed_logins >= settings.login_max_failures:
            operator.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
            operator.failed_logins = 0
            logger.warning("operator locked out", extra={"operator_id": operator.id})
        return LoginRefused("wrong username or password")
    operator.failed_logins = 0
    operator.locked_until = None
    token = new_token()
    row = OperatorToken(
        operator=operator,
        token_hash=hash_token(token),
        expires_at=now + timedelta(hours=settings.operator_token_ttl_hours),
    )
    session.add(row)
    session.flush()
    return IssuedToken(token, row)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False
