"""What an Open311 client sent besides the complaint itself. Never published."""

from typing import Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, CreatedAtMixin


class Open311Submission(CreatedAtMixin, Base):
    """One complaint filed through Open311: which client filed it, its media URL
    and its answers to the service's attributes, for the officers to see."""

    __tablename__ = "open311_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("service_clients.id"), index=True)
    media_url: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
