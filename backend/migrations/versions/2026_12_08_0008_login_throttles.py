"""Login lockout per (username, source address) and per address, not per account.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", "address", name=op.f("pk_login_throttles")),
    )
    op.create_index(
        op.f("ix_login_throttles_last_failure_at"), "login_throttles", ["last_failure_at"]
    )
    # A running lockout ends with the upgrade: it was per account, which is the hole.
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f("ix_login_throttles_last_failure_at"), table_name="login_throttles")
    op.drop_table("login_throttles")
