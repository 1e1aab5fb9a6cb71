"""Initial schema, with the categories, agencies, units and routing of CONTRACT.md §3.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:07:20.314182
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agencies")),
    )
    op.create_table(
        "reporters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "telegram", "whatsapp", "web", "api", name="channel", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("chat_id", sa.String(length=128), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporters")),
        sa.UniqueConstraint("channel", "chat_id", name=op.f("uq_reporters_channel")),
    )
    op.create_table(
        "service_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_clients")),
        sa.UniqueConstraint("name", name=op.f("uq_service_clients_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_service_clients_token_hash")),
    )
    op.create_table(
        "categories",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("photo_required", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_categories_agency_code_agencies")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_categories")),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("kota_code", sa.String(length=8), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_units_agency_code_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("code", name=op.f("uq_units_code")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_agency_code"), ["agency_code"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(length=13), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
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
        sa.Column(
            "channel",
            sa.Enum(
                "telegram", "whatsapp", "web", "api", name="channel", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("kelurahan_code", sa.String(length=16), nullable=True),
        sa.Column("kelurahan", sa.String(length=100), nullable=True),
        sa.Column("kecamatan", sa.String(length=100), nullable=True),
        sa.Column("kota_code", sa.String(length=8), nullable=True),
        sa.Column("kota", sa.String(length=100), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["categories.code"],
            name=op.f("fk_complaints_category_code_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["complaints.id"],
            name=op.f("fk_complaints_duplicate_of_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["reporters.id"], name=op.f("fk_complaints_reporter_id_reporters")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_complaints_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_complaints_ticket_id")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_category_code"), ["category_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_kelurahan_code"), ["kelurahan_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_kota_code"), ["kota_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_reporter_id"), ["reporter_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_created_at"), ["created_at"], unique=False)

    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "operator", "agency", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_operators_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        sa.UniqueConstraint("username", name=op.f("uq_operators_username")),
    )
    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("kota_code", sa.String(length=8), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["categories.code"],
            name=op.f("fk_routing_rules_category_code_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_routing_rules_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
        sa.UniqueConstraint(
            "category_code", "kota_code", name=op.f("uq_routing_rules_category_code")
        ),
    )
    op.create_table(
        "complaint_supporters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_supporters_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["reporters.id"],
            name=op.f("fk_complaint_supporters_reporter_id_reporters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_supporters")),
        sa.UniqueConstraint(
            "complaint_id", "reporter_id", name=op.f("uq_complaint_supporters_complaint_id")
        ),
    )
    with op.batch_alter_table("complaint_supporters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_supporters_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_idempotency_keys_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_idempotency_keys_scope")),
    )
    op.create_table(
        "operator_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operators.id"], name=op.f("fk_operator_tokens_operator_id_operators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_operator_tokens_token_hash")),
    )
    with op.batch_alter_table("operator_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operator_tokens_operator_id"), ["operator_id"], unique=False
        )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending", "sent", "failed", name="deliverystate", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_outbox_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["reporters.id"], name=op.f("fk_outbox_reporter_id_reporters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_complaint_id"), ["complaint_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)

    op.create_table(
        "photos",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("publishable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_photos_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_complaint_id"), ["complaint_id"], unique=False)

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
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
            nullable=True,
        ),
        sa.Column(
            "to_status",
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
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_status_changes_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_status_changes_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_changes_complaint_id"), ["complaint_id"], unique=False
        )

    _seed()


def downgrade() -> None:
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_complaint_id"))

    op.drop_table("status_changes")
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_complaint_id"))

    op.drop_table("photos")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_complaint_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("operator_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_tokens_operator_id"))

    op.drop_table("operator_tokens")
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("complaint_supporters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_supporters_complaint_id"))

    op.drop_table("complaint_supporters")
    op.drop_table("routing_rules")
    op.drop_table("operators")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_updated_at"))
        batch_op.drop_index(batch_op.f("ix_complaints_created_at"))
        batch_op.drop_index(batch_op.f("ix_complaints_unit_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_complaints_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_complaints_kota_code"))
        batch_op.drop_index(batch_op.f("ix_complaints_kelurahan_code"))
        batch_op.drop_index(batch_op.f("ix_complaints_category_code"))

    op.drop_table("complaints")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_agency_code"))

    op.drop_table("units")
    op.drop_table("categories")
    op.drop_table("service_clients")
    op.drop_table("reporters")
    op.drop_table("agencies")


# Reference data as of this migration (CONTRACT.md §3). Later changes are new
# migrations or admin edits, never edits of this list.
AGENCIES = [
    ("dlh", "Dinas Lingkungan Hidup", "Suku Dinas Lingkungan Hidup {kota}"),
    ("binamarga", "Dinas Bina Marga", "Suku Dinas Bina Marga {kota}"),
    ("sda", "Dinas Sumber Daya Air", "Suku Dinas SDA {kota}"),
    ("distamhut", "Dinas Pertamanan dan Hutan Kota", "Suku Dinas Pertamanan dan Hutan Kota {kota}"),
    ("dishub", "Dinas Perhubungan", "Suku Dinas Perhubungan {kota}"),
    ("satpolpp", "Satpol PP", "Satpol PP {kota}"),
    ("dinsos", "Dinas Sosial", "Suku Dinas Sosial {kota}"),
    (
        "citata",
        "Dinas Cipta Karya, Tata Ruang dan Pertanahan",
        "Suku Dinas Cipta Karya, Tata Ruang dan Pertanahan {kota}",
    ),
    ("inspektorat", "Inspektorat", "Inspektorat Pembantu {kota}"),
    ("dinkes", "Dinas Kesehatan", "Suku Dinas Kesehatan {kota}"),
    ("dukcapil", "Dinas Dukcapil", "Suku Dinas Dukcapil {kota}"),
    ("pamjaya", "PAM Jaya", None),
    ("crm", "Tim CRM", None),
]
KOTA = [
    ("31.71", "jakpus", "Jakarta Pusat"),
    ("31.72", "jakut", "Jakarta Utara"),
    ("31.73", "jakbar", "Jakarta Barat"),
    ("31.74", "jaksel", "Jakarta Selatan"),
    ("31.75", "jaktim", "Jakarta Timur"),
    ("31.01", "seribu", "Kepulauan Seribu"),
]
# code, label, agency, photo required
CATEGORIES = [
    ("sampah", "Sampah", "dlh", False),
    ("jalan_rusak", "Jalan & Trotoar Rusak", "binamarga", True),
    ("banjir", "Banjir & Genangan", "sda", False),
    ("saluran_air", "Saluran Air", "sda", False),
    ("penerangan_jalan", "Lampu Penerangan Jalan", "binamarga", False),
    ("pohon", "Pohon & Taman", "distamhut", False),
    ("parkir_liar", "Parkir Liar", "dishub", False),
    ("pkl", "Pedagang Kaki Lima", "satpolpp", False),
    ("fasilitas_umum", "Fasilitas Umum", "binamarga", False),
    ("lalu_lintas", "Lalu Lintas", "dishub", False),
    ("bansos", "Bantuan Sosial", "dinsos", False),
    ("pertanahan", "Pertanahan & Bangunan", "citata", False),
    ("pungli", "Pungutan Liar", "inspektorat", False),
    ("kesehatan", "Kesehatan", "dinkes", False),
    ("kependudukan", "Administrasi Kependudukan", "dukcapil", False),
    ("pencemaran", "Pencemaran", "dlh", False),
    ("ketertiban", "Ketertiban Umum", "satpolpp", False),
    ("air_bersih", "Air Bersih", "pamjaya", False),
    ("lainnya", "Lainnya", "crm", False),
]


def _seed() -> None:
    agencies = sa.table("agencies", sa.column("code"), sa.column("name"))
    units = sa.table(
        "units",
        sa.column("id", sa.Integer),
        sa.column("code"),
        sa.column("agency_code"),
        sa.column("kota_code"),
        sa.column("name"),
    )
    categories = sa.table(
        "categories",
        sa.column("code"),
        sa.column("label"),
        sa.column("agency_code"),
        sa.column("photo_required", sa.Boolean),
        sa.column("sort_order", sa.Integer),
    )
    rules = sa.table(
        "routing_rules",
        sa.column("category_code"),
        sa.column("kota_code"),
        sa.column("unit_id", sa.Integer),
    )
    op.bulk_insert(agencies, [{"code": code, "name": name} for code, name, _ in AGENCIES])
    unit_rows = []
    unit_ids: dict[tuple[str, str | None], int] = {}
    for code, name, kota_pattern in AGENCIES:
        unit_ids[(code, None)] = len(unit_rows) + 1
        unit_rows.append({"code": code, "agency_code": code, "kota_code": None, "name": name})
        if kota_pattern is None:
            continue
        for kota_code, short, kota in KOTA:
            unit_ids[(code, kota_code)] = len(unit_rows) + 1
            unit_rows.append(
                {
                    "code": f"{code}-{short}",
                    "agency_code": code,
                    "kota_code": kota_code,
                    "name": kota_pattern.format(kota=kota),
                }
            )
    op.bulk_insert(units, [{"id": i, **row} for i, row in enumerate(unit_rows, start=1)])
    op.bulk_insert(
        categories,
        [
            {
                "code": code,
                "label": label,
                "agency_code": agency,
                "photo_required": photo,
                "sort_order": order,
            }
            for order, (code, label, agency, photo) in enumerate(CATEGORIES)
        ],
    )
    op.bulk_insert(
        rules,
        [
            {
                "category_code": code,
                "kota_code": kota_code,
                "unit_id": unit_ids.get((agency, kota_code), unit_ids[(agency, None)]),
            }
            for code, _label, agency, _photo in CATEGORIES
            for kota_code, _short, _kota in KOTA
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('units_id_seq', (SELECT max(id) FROM units))")
