"""notify delivery: message content, subscriptions, outbox leases and refs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 03:40:53
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "notify_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_notify_messages_key")),
    )
    with op.batch_alter_table("notify_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notify_messages_ref"), ["ref"], unique=False)

    op.create_table(
        "notify_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("address_enc", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("user_id IS NOT NULL OR person_id IS NOT NULL", name=op.f("ck_notify_subscriptions_who")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_notify_subscriptions_person_id_persons")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notify_subscriptions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_subscriptions")),
    )
    with op.batch_alter_table("notify_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notify_subscriptions_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_notify_subscriptions_topic_area", ["topic", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_notify_subscriptions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ref", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("area_code", sa.String(length=15), nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subscription_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbox_ref_area", ["ref", "area_code"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_ref_area")
        batch_op.drop_column("subscription_id")
        batch_op.drop_column("user_id")
        batch_op.drop_column("area_code")
        batch_op.drop_column("ref")
        batch_op.drop_column("message_id")
        batch_op.drop_column("lease_until")

    with op.batch_alter_table("notify_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_subscriptions_user_id"))
        batch_op.drop_index("ix_notify_subscriptions_topic_area")
        batch_op.drop_index(batch_op.f("ix_notify_subscriptions_person_id"))

    op.drop_table("notify_subscriptions")
    with op.batch_alter_table("notify_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_messages_ref"))

    op.drop_table("notify_messages")
