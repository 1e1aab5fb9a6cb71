"""Who may call the backend: service clients (actions, gateway) and operators."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.agencies.models import Unit
from backend.db import Base, CreatedAtMixin, str_enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    AGENCY = "agency"


class ServiceClient(CreatedAtMixin, Base):
    __tablename__ = "service_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class Operator(CreatedAtMixin, Base):
    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit | None] = relationship(lazy="joined")


class TokenUse(enum.StrEnum):
    """Where a token is accepted: an API bearer token is not a console cookie,
    nor the reverse (a stolen cookie must not open the API)."""

    API = "api"
    CONSOLE = "console"


class OperatorToken(CreatedAtMixin, Base):
    __tablename__ = "operator_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    use: Mapped[TokenUse] = mapped_column(str_enum(TokenUse), default=TokenUse.API)

    operator: Mapped[Operator] = relationship(lazy="joined")


class LoginThrottle(Base):
    """Recent failed logins from one source address, for one username or, with
    the username "", for any (`backend/auth/lockout.py`)."""

    __tablename__ = "login_throttles"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]
