"""Target resolution time per complaint category. Data, changed by an admin, not code."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, utcnow


class SlaTarget(Base):
    __tablename__ = "sla_targets"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)

    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), primary_key=True)
    hours: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
