"""An alert shown to the officers of one unit, or to the CRM team when it has no unit."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, CreatedAtMixin


class Alert(CreatedAtMixin, Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # None: the CRM team (operators and admins); otherwise the unit's agency users.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # Console path to open, relative to the console prefix ("/complaints/JKT-…").
    link: Mapped[str | None] = mapped_column(String(200))
    # An alert raised with a key is raised once, ever (escalation, say).
    once_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    read_at: Mapped[datetime | None]
