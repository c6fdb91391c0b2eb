"""warning confirmations: grid and community workers' answers to a warning; outbox staff rows indexed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warning_confirmations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("thread", sa.String(length=200), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_warning_confirmations_event_id_events")),
        sa.ForeignKeyConstraint(
            ["message_id"], ["warning_messages.id"], name=op.f("fk_warning_confirmations_message_id_warning_messages")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_warning_confirmations_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_confirmations")),
        sa.UniqueConstraint("message_id", "user_id", "kind", name="uq_warning_confirmations_message_user_kind"),
    )
    with op.batch_alter_table("warning_confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warning_confirmations_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_warning_confirmations_thread_user", ["thread", "user_id"], unique=False)
    where = sa.text("user_id IS NOT NULL AND subscription_id IS NULL")
    op.create_index(
        "ix_outbox_staff",
        "outbox",
        ["ref", "area_code", "user_id"],
        unique=False,
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_staff", table_name="outbox")
    with op.batch_alter_table("warning_confirmations", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_confirmations_thread_user")
        batch_op.drop_index(batch_op.f("ix_warning_confirmations_area_code"))
    op.drop_table("warning_confirmations")
