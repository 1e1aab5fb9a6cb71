"""Admin work, kept small: officers' accounts and the routing table."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.agencies import service as agencies
from backend.agencies.models import RoutingRule
from backend.auth import lockout
from backend.auth import service as auth
from backend.auth.models import Operator, Role
from backend.console import service as console
from backend.db import utcnow
from backend.errors import Conflict, NotFound, Unprocessable

ROLE_NAMES = {
    Role.ADMIN: "Admin",
    Role.OPERATOR: "Operator CRM",
    Role.AGENCY: "Petugas unit",
}


def operators(session: Session) -> list[Operator]:
    return list(session.scalars(select(Operator).order_by(Operator.username)))


def locked_out(session: Session) -> dict[str, datetime]:
    """Officers locked out from at least one address, until when (the admin page)."""
    return lockout.locked_usernames(session, utcnow())


def create_operator(
    session: Session, username: str, password: str, role_text: str, unit_code: str
) -> Operator:
    try:
        role = Role(role_text)
    except ValueError:
        raise Unprocessable("unknown role") from None
    if not username:
        raise Unprocessable("username is required")
    unit_id = agencies.get_unit(session, unit_code).id if unit_code else None
    return auth.create_operator(session, username, password, role, unit_id)


def set_active(session: Session, admin: Operator, operator_id: int, active: bool) -> Operator:
    """Switch an account off (its sessions stop at once) or on again; not one's own."""
    operator = session.get(Operator, operator_id)
    if operator is None:
        raise NotFound(f"no operator {operator_id}")
    if operator.id == admin.id:
        raise Unprocessable("an admin cannot switch off their own account")
    operator.active = active
    session.flush()
    if not active:
        console.end_all(session, operator.id)
    else:
        lockout.forget(session, operator.username)
    session.flush()
    return operator


def explain(exc: Unprocessable | Conflict | NotFound) -> str:
    """auth's refusal, in the admin's words."""
    detail = exc.detail
    if isinstance(exc, Conflict):
        return "Nama pengguna itu sudah dipakai."
    if isinstance(exc, NotFound):
        return "Unit tidak dikenal."
    if "password" in detail:
        return f"Kata sandi minimal {auth.MIN_PASSWORD_LENGTH} karakter."
    if "agency operator" in detail:
        return "Petugas unit wajib punya unit; peran lain tanpa unit."
    if "own account" in detail:
        return "Akun sendiri tidak bisa dinonaktifkan."
    if "username" in detail:
        return "Nama pengguna wajib diisi."
    return f"Tidak disimpan: {detail}"


def routing_rules(session: Session, category_code: str) -> list[RoutingRule]:
    return list(
        session.scalars(
            select(RoutingRule)
            .where(RoutingRule.category_code == category_code)
            .order_by(RoutingRule.kota_code)
        )
    )


def set_rule_unit(session: Session, rule_id: int, unit_code: str) -> RoutingRule:
    """Point one category x kota rule at another unit; new complaints follow it."""
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(f"no routing rule {rule_id}")
    unit = agencies.get_unit(session, unit_code)
    rule.unit_id = unit.id
    rule.unit = unit
    session.flush()
    return rule
