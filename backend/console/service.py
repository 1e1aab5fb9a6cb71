"""Console logins: sessions bound to operator tokens, CSRF tokens, logout. No HTTP."""

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.auth import service as auth
from backend.auth.models import Operator, OperatorToken, TokenUse
from backend.console.models import ConsoleSession
from backend.db import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Started:
    """A new console session; `cookie` goes to the browser and is never stored."""

    cookie: str
    console: ConsoleSession


@dataclass(frozen=True)
class Refused:
    locked: bool


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())


def start(session: Session, username: str, password: str, address: str) -> Started | Refused:
    """Check the password with auth's login (argon2, lockout) and open a session.

    A refusal is returned, not raised, so that the failure count is committed.
    """
    result = auth.login(session, username, password, address, TokenUse.CONSOLE)
    if isinstance(result, auth.LoginRefused):
        return Refused(locked=result.locked)
    console = ConsoleSession(token=result.row, csrf_token=new_csrf_token())
    session.add(console)
    session.flush()
    logger.info("console login", extra={"operator_id": result.row.operator_id})
    return Started(cookie=result.token, console=console)


def find(session: Session, cookie: str | None) -> ConsoleSession | None:
    """The live session of a cookie: token known, not expired, operator active."""
    if not cookie or len(cookie) > 200:
        return None
    console = session.scalar(
        select(ConsoleSession)
        .join(ConsoleSession.token)
        .where(
            OperatorToken.token_hash == auth.hash_token(cookie),
            OperatorToken.use == TokenUse.CONSOLE,
        )
    )
    if console is None:
        return None
    token = console.token
    if token.expires_at <= utcnow() or not token.operator.active:
        return None
    return console


def operator_of(console: ConsoleSession) -> Operator:
    return console.token.operator


def end(session: Session, console: ConsoleSession) -> None:
    """Log out: the cookie's token (a console token, never an API one) stops working."""
    token = console.token
    session.delete(console)
    session.delete(token)
    session.flush()


def end_all(session: Session, operator_id: int) -> None:
    """Log an operator out everywhere: every console session and API token."""
    tokens = select(OperatorToken.id).where(OperatorToken.operator_id == operator_id)
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_id.in_(tokens)))
    session.execute(delete(OperatorToken).where(OperatorToken.operator_id == operator_id))
