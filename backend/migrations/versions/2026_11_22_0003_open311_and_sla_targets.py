"""Open311 submissions and SLA targets (72 hours for every category to start with).

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_HOURS = 72  # the Jakarta Selatan desk's promise: solved within three days


def upgrade() -> None:
    op.create_table(
        "sla_targets",
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("hours > 0", name=op.f("ck_sla_targets_hours_positive")),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["categories.code"],
            name=op.f("fk_sla_targets_category_code_categories"),
        ),
        sa.PrimaryKeyConstraint("category_code", name=op.f("pk_sla_targets")),
    )
    op.create_table(
        "open311_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("media_url", sa.Text(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_open311_submissions_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["service_clients.id"],
            name=op.f("fk_open311_submissions_client_id_service_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_submissions")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_open311_submissions_complaint_id")),
    )
    with op.batch_alter_table("open311_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_open311_submissions_client_id"), ["client_id"], unique=False
        )
    op.execute(
        sa.text(
            "INSERT INTO sla_targets (category_code, hours, updated_at) "
            "SELECT code, :hours, CURRENT_TIMESTAMP FROM categories"
        ).bindparams(hours=DEFAULT_HOURS)
    )


def downgrade() -> None:
    with op.batch_alter_table("open311_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open311_submissions_client_id"))
    op.drop_table("open311_submissions")
    op.drop_table("sla_targets")
