"""funding: budget lines of villages and communities by year, kind and payer; subsidies paid against them

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 00:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fd_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payer", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("basis", sa.String(length=300), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0 AND paid >= 0 AND paid <= amount", name=op.f("ck_fd_lines_amounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fd_lines")),
        sa.UniqueConstraint("area_code", "year", "kind", "payer", name="uq_fd_lines_area_year_kind_payer"),
    )
    with op.batch_alter_table("fd_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fd_lines_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_fd_lines_year_area", ["year", "area_code"], unique=False)

    op.create_table(
        "fd_payments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("payer", sa.String(length=12), nullable=False),
        sa.Column("voucher", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_fd_payments_amount_positive")),
        sa.ForeignKeyConstraint(["line_id"], ["fd_lines.id"], name=op.f("fk_fd_payments_line_id_fd_lines")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fd_payments")),
        sa.UniqueConstraint("line_id", "voucher", name="uq_fd_payments_line_voucher"),
    )
    with op.batch_alter_table("fd_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fd_payments_line_id"), ["line_id"], unique=False)

    op.create_table(
        "fd_county_sums",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payer", sa.String(length=12), nullable=False),
        sa.Column("place_kind", sa.String(length=40), nullable=False),
        sa.Column("budgeted", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fd_county_sums")),
        sa.UniqueConstraint("area_code", "year", "kind", "payer", "place_kind", name="uq_fd_county_sums_key"),
    )
    with op.batch_alter_table("fd_county_sums", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fd_county_sums_area_code"), ["area_code"], unique=False)

    op.create_table(
        "fd_county_places",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("place_kind", sa.String(length=40), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fd_county_places")),
        sa.UniqueConstraint("area_code", "year", "place_kind", name="uq_fd_county_places_key"),
    )
    with op.batch_alter_table("fd_county_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fd_county_places_area_code"), ["area_code"], unique=False)


def downgrade() -> None:
    for table in ("fd_county_places", "fd_county_sums"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_area_code"))
        op.drop_table(table)
    with op.batch_alter_table("fd_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fd_payments_line_id"))
    op.drop_table("fd_payments")
    with op.batch_alter_table("fd_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_fd_lines_year_area")
        batch_op.drop_index(batch_op.f("ix_fd_lines_area_code"))
    op.drop_table("fd_lines")
