"""SLA targets per complaint category. Data, changed by an admin, not code."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from backend.complaints.models import Status
from backend.db import Base, str_enum, utcnow


class SlaTarget(Base):
    """Hours from filing to `selesai` (the promise the citizen is told)."""

    __tablename__ = "sla_targets"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)

    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), primary_key=True)
    hours: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaStageTarget(Base):
    """Hours a complaint of a category may stay in one open status (an internal deadline)."""

    __tablename__ = "sla_stage_targets"
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint(
            "status IN ('menunggu', 'koordinasi', 'disposisi', 'proses')", name="open_status"
        ),
    )

    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), primary_key=True)
    status: Mapped[Status] = mapped_column(str_enum(Status), primary_key=True)
    hours: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
