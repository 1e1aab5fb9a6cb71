"""Agencies (SKPD), their units (Suku Dinas per kota) and routing rules."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base


class Agency(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Unit(Base):
    """A working unit of an agency: its head office (no kota) or a kota's Suku Dinas."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    kota_code: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))

    agency: Mapped[Agency] = relationship(lazy="joined")


class Category(Base):
    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    photo_required: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)


class RoutingRule(Base):
    """Category x kota -> the unit responsible. Data, changed by an admin, not code."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("category_code", "kota_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    kota_code: Mapped[str] = mapped_column(String(8))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))

    unit: Mapped[Unit] = relationship(lazy="joined")
