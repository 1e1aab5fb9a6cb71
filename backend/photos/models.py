from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, CreatedAtMixin


class Photo(CreatedAtMixin, Base):
    """A re-encoded image without metadata; the bytes live in photo storage."""

    __tablename__ = "photos"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    byte_size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    publishable: Mapped[bool] = mapped_column(default=False)
