"""Operator tokens say where they are accepted: the API or the console.

Revision ID: 0009
Revises: 0002, 0008 (it needs console_sessions, whose branch it joins)
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = ("0002", "0008")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operator_tokens") as batch:
        batch.add_column(
            sa.Column(
                "use",
                sa.Enum("api", "console", name="tokenuse", native_enum=False, length=16),
                nullable=False,
                server_default="api",
            )
        )
    # Tokens behind a console session are cookies: from now on only the console takes them.
    op.execute(
        "UPDATE operator_tokens SET use = 'console' "
        "WHERE id IN (SELECT token_id FROM console_sessions)"
    )
    with op.batch_alter_table("operator_tokens") as batch:
        batch.alter_column("use", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("operator_tokens") as batch:
        batch.drop_column("use")
