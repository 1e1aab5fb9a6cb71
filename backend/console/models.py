"""Console sessions: a browser login, bound to an operator token, with its CSRF token."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.auth.models import OperatorToken
from backend.db import Base, CreatedAtMixin


class ConsoleSession(CreatedAtMixin, Base):
    """The cookie holds the operator token issued at login; only its hash is stored.

    Expiry and the operator's `active` flag come from the token row, so the API
    and the console share one notion of "logged in". Every form carries
    `csrf_token`, checked on every POST.
    """

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(
        ForeignKey("operator_tokens.id", ondelete="CASCADE"), unique=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))

    token: Mapped[OperatorToken] = relationship(lazy="joined")
