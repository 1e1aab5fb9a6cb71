"""Every answer a reporter gave about a resolved complaint (the latest one counts)."""

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, CreatedAtMixin


class Feedback(CreatedAtMixin, Base):
    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"))
    resolved: Mapped[bool]
    rating: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
