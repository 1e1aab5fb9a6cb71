"""SLA targets per category and open status, seeded with the per-status defaults.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied, not imported (a migration must not change when the code does); the
# reasons are in docs/kpi.md.
STAGE_DEFAULT_HOURS = {"menunggu": 24, "koordinasi": 24, "disposisi": 48, "proses": 72}


def upgrade() -> None:
    op.create_table(
        "sla_stage_targets",
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "menunggu",
                "koordinasi",
                "disposisi",
                "proses",
                "selesai",
                "ditolak",
                name="status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("hours > 0", name=op.f("ck_sla_stage_targets_hours_positive")),
        sa.CheckConstraint(
            "status IN ('menunggu', 'koordinasi', 'disposisi', 'proses')",
            name=op.f("ck_sla_stage_targets_open_status"),
        ),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["categories.code"],
            name=op.f("fk_sla_stage_targets_category_code_categories"),
        ),
        sa.PrimaryKeyConstraint("category_code", "status", name=op.f("pk_sla_stage_targets")),
    )
    for status, hours in STAGE_DEFAULT_HOURS.items():
        op.execute(
            sa.text(
                "INSERT INTO sla_stage_targets (category_code, status, hours, updated_at) "
                "SELECT code, :status, :hours, CURRENT_TIMESTAMP FROM categories"
            ).bindparams(status=status, hours=hours)
        )


def downgrade() -> None:
    op.drop_table("sla_stage_targets")
