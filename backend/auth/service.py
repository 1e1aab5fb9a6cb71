"""Tokens, passwords and login. Tokens are random and stored only as SHA-256."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth import lockout
from backend.auth.models import Operator, OperatorToken, Role, ServiceClient, TokenUse
from backend.config import get_settings
from backend.db import utcnow
from backend.errors import Conflict, Unprocessable

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
    """The operator of an API bearer token; a console session's cookie is not one."""
    row = session.scalar(
        select(OperatorToken).where(
            OperatorToken.token_hash == hash_token(token), OperatorToken.use == TokenUse.API
        )
    )
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


def login(
    session: Session, username: str, password: str, address: str, use: TokenUse = TokenUse.API
) -> IssuedToken | LoginRefused:
    """Check the password (with the lockout of `lockout`) and issue a token for `use`.

    `address` is the client's source address. A refusal is returned, not
    raised, so that the caller's transaction still commits the failure count.
    """
    settings = get_settings()
    now = utcnow()
    if lockout.is_locked(session, username, address, now):
        return LoginRefused("locked after repeated failures; try again later", locked=True)
    operator = session.scalar(select(Operator).where(Operator.username == username))
    if operator is None or not operator.active:
        _hasher.hash(password)  # same cost as a real check: no user enumeration by timing
        lockout.count_failure(session, username, address, now)
        return LoginRefused("wrong username or password")
    if not _password_matches(operator.password_hash, password):
        lockout.count_failure(session, username, address, now)
        return LoginRefused("wrong username or password")
    lockout.forget(session, username, address)
    token = new_token()
    row = OperatorToken(
        operator=operator,
        use=use,
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
