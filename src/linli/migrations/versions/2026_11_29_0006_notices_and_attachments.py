"""notices and attachments

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 04:14:56
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("tag", sa.String(length=24), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_notices_status_area", ["status", "area_code"], unique=False)

    op.create_table(
        "notice_attachments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], name=op.f("fk_notice_attachments_notice_id_notices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_attachments")),
    )
    with op.batch_alter_table("notice_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_attachments_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_attachments_sha256"), ["sha256"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("notice_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_attachments_sha256"))
        batch_op.drop_index(batch_op.f("ix_notice_attachments_notice_id"))

    op.drop_table("notice_attachments")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_status_area")
        batch_op.drop_index(batch_op.f("ix_notices_area_code"))

    op.drop_table("notices")
