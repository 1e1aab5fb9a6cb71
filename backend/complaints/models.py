"""Complaints, their history, reporters, supporters and idempotency keys."""

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.agencies.models import Category, Unit
from backend.db import Base, CreatedAtMixin, str_enum, utcnow


class Status(enum.StrEnum):
    MENUNGGU = "menunggu"
    KOORDINASI = "koordinasi"
    DISPOSISI = "disposisi"
    PROSES = "proses"
    SELESAI = "selesai"
    DITOLAK = "ditolak"


class Channel(enum.StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    WEB = "web"
    API = "api"


class Reporter(CreatedAtMixin, Base):
    """A citizen's chat identity, kept to send news back. Never shown publicly."""

    __tablename__ = "reporters"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    chat_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))


class Complaint(CreatedAtMixin, Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(13), unique=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(str_enum(Status), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(Text)
    kelurahan_code: Mapped[str | None] = mapped_column(String(16), index=True)
    kelurahan: Mapped[str | None] = mapped_column(String(100))
    kecamatan: Mapped[str | None] = mapped_column(String(100))
    kota_code: Mapped[str | None] = mapped_column(String(8), index=True)
    kota: Mapped[str | None] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    category: Mapped[Category] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    reporter: Mapped[Reporter | None] = relationship()
    history: Mapped[list["StatusChange"]] = relationship(
        order_by="StatusChange.id", back_populates="complaint"
    )


class StatusChange(CreatedAtMixin, Base):
    """One move of the status machine: who, when, from, to, and the note."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    from_status: Mapped[Status | None] = mapped_column(str_enum(Status))
    to_status: Mapped[Status] = mapped_column(str_enum(Status))
    note: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(default=True)
    actor: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="history")
    unit: Mapped[Unit] = relationship(lazy="joined")


class Supporter(CreatedAtMixin, Base):
    """A citizen following someone else's report of the same problem."""

    __tablename__ = "complaint_supporters"
    __table_args__ = (UniqueConstraint("complaint_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"))

    reporter: Mapped[Reporter] = relationship(lazy="joined")


class IdempotencyKey(CreatedAtMixin, Base):
    """The first result of a request, so that a retry with the same key returns it."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
