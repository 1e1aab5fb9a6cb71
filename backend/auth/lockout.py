"""Login lockout, counted per (username, source address) and per source address.

Counting per account alone let anyone lock a known officer out for the lockout
period by typing wrong passwords from anywhere. Now wrong passwords lock only
the pair (username, address) they came from, after `LOGIN_MAX_FAILURES`; the
officer still logs in from their own address. A source address that fails
`LOGIN_MAX_FAILURES_PER_ADDRESS` times, across any usernames, is locked for
every username, which bounds guessing from one address. Unknown usernames are
counted like known ones, so a lockout says nothing about which accounts exist.
Failures older than the lockout period are forgotten, and rows a day after
their last failure are deleted. docs/console.md (Security) has the reasons.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth.models import LoginThrottle
from backend.config import get_settings

logger = logging.getLogger(__name__)
ANY_USER = ""  # the username of an address's own counter
KEPT = timedelta(days=1)


def is_locked(session: Session, username: str, address: str, now: datetime) -> bool:
    """Whether logins of `username` from `address` are refused for now."""
    rows = session.scalars(
        select(LoginThrottle.locked_until).where(
            LoginThrottle.address == address, LoginThrottle.username.in_((username, ANY_USER))
        )
    )
    return any(until is not None and until > now for until in rows)


def count_failure(session: Session, username: str, address: str, now: datetime) -> None:
    """One wrong password (or unknown username) for the pair and for the address."""
    settings = get_settings()
    period = timedelta(minutes=settings.login_lockout_minutes)
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - KEPT))
    limits = [(ANY_USER, settings.login_max_failures_per_address)]
    if username != ANY_USER:
        limits.append((username, settings.login_max_failures))
    for who, limit in limits:
        row = _row(session, who, address, now)
        if row.last_failure_at < now - period:
            row.failures = 0  # an old failure does not add up with new ones
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= limit:
            row.failures = 0
            row.locked_until = now + period
            scope = "address" if who == ANY_USER else "username and address"
            logger.warning("logins locked out", extra={"scope": scope})


def forget(session: Session, username: str, address: str | None = None) -> None:
    """Clear the failures of a username, from one address or (an admin) all of them."""
    query = delete(LoginThrottle).where(LoginThrottle.username == username)
    if address is not None:
        query = query.where(LoginThrottle.address == address)
    session.execute(query)


def locked_usernames(session: Session, now: datetime) -> dict[str, datetime]:
    """Usernames locked out from at least one address, with the latest end of it."""
    rows = session.execute(
        select(LoginThrottle.username, LoginThrottle.locked_until).where(
            LoginThrottle.locked_until > now, LoginThrottle.username != ANY_USER
        )
    )
    found: dict[str, datetime] = {}
    for username, until in rows:
        if until is not None and (username not in found or until > found[username]):
            found[username] = until
    return found


def _row(session: Session, username: str, address: str, now: datetime) -> LoginThrottle:
    """The pair's row, locked until commit; created at its first failure."""
    key = (LoginThrottle.username == username, LoginThrottle.address == address)
    row = session.scalar(select(LoginThrottle).where(*key).with_for_update())
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = LoginThrottle(username=username, address=address, failures=0)
            row.last_failure_at = now
            session.add(row)
            session.flush()
        return row
    except IntegrityError:  # a concurrent failure created it first
        return session.scalars(select(LoginThrottle).where(*key).with_for_update()).one()
