"""Which unit handles a complaint: routing rules, then the agency's head unit."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.agencies.models import Category, RoutingRule, Unit
from backend.errors import NotFound, Unprocessable


def get_category(session: Session, code: str) -> Category:
    category = session.get(Category, code)
    if category is None:
        raise Unprocessable(f"unknown category {code!r}")
    return category


def list_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.sort_order)))


def get_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(f"unknown unit {code!r}")
    return unit


def head_unit(session: Session, agency_code: str) -> Unit:
    unit = session.scalar(
        select(Unit).where(Unit.agency_code == agency_code, Unit.kota_code.is_(None))
    )
    if unit is None:  # seeded for every agency by the first migration
        raise LookupError(f"agency {agency_code!r} has no head unit")
    return unit


def route(session: Session, category: Category, kota_code: str | None) -> Unit:
    """The unit responsible for `category` in `kota_code` (None: place unknown)."""
    if kota_code is not None:
        rule = session.scalar(
            select(RoutingRule).where(
                RoutingRule.category_code == category.code, RoutingRule.kota_code == kota_code
            )
        )
        if rule is not None:
            return rule.unit
    return head_unit(session, category.agency_code)
