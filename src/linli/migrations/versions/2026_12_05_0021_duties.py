"""duties: townships' responsibility lists (履职事项清单), versions, change requests, links

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 00:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_lists",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_lists")),
        sa.UniqueConstraint("area_code", name="uq_duty_lists_area"),
    )
    op.create_table(
        "duties",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("lead_unit", sa.String(length=200), nullable=False),
        sa.Column("cooperating_units", sa.String(length=400), nullable=False),
        sa.Column("upper_department", sa.String(length=200), nullable=False),
        sa.Column("upper_duty", sa.Text(), nullable=False),
        sa.Column("assisting_duty", sa.Text(), nullable=False),
        sa.Column("receiving_department", sa.String(length=200), nullable=False),
        sa.Column("working_mode", sa.Text(), nullable=False),
        sa.Column("added_in", sa.Integer(), nullable=False),
        sa.Column("removed_in", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["list_id"], ["duty_lists.id"], name=op.f("fk_duties_list_id_duty_lists")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duties")),
        sa.UniqueConstraint("list_id", "code", "added_in", name="uq_duties_list_code_version"),
    )
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.create_index(
            "ix_duties_current",
            ["area_code", "kind", "category"],
            unique=False,
            sqlite_where=sa.text("removed_in IS NULL"),
            postgresql_where=sa.text("removed_in IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_duties_list_id"), ["list_id"], unique=False)

    op.create_table(
        "duty_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("duty_code", sa.String(length=12), nullable=False),
        sa.Column("proposed", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_duty_changes_filed_by_id_users")),
        sa.ForeignKeyConstraint(["list_id"], ["duty_lists.id"], name=op.f("fk_duty_changes_list_id_duty_lists")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_changes")),
    )
    with op.batch_alter_table("duty_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_changes_list_id"), ["list_id"], unique=False)
        batch_op.create_index(
            "ix_duty_changes_pending",
            ["area_code"],
            unique=False,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )

    op.create_table(
        "duty_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("duty_code", sa.String(length=12), nullable=False),
        sa.Column("event_category_code", sa.String(length=8), nullable=True),
        sa.Column("service_item_id", sa.Integer(), nullable=True),
        sa.Column("linked_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_category_code"],
            ["event_categories.code"],
            name=op.f("fk_duty_links_event_category_code_event_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["service_item_id"], ["service_items.id"], name=op.f("fk_duty_links_service_item_id_service_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_links")),
        sa.UniqueConstraint("area_code", "duty_code", "event_category_code", "service_item_id", name="uq_duty_links"),
    )
    op.create_table(
        "duty_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"], ["duty_changes.id"], name=op.f("fk_duty_versions_change_id_duty_changes")
        ),
        sa.ForeignKeyConstraint(["list_id"], ["duty_lists.id"], name=op.f("fk_duty_versions_list_id_duty_lists")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_versions")),
        sa.UniqueConstraint("list_id", "number", name="uq_duty_versions_list_number"),
    )


def downgrade() -> None:
    op.drop_table("duty_versions")
    op.drop_table("duty_links")
    with op.batch_alter_table("duty_changes", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_duty_changes_pending",
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_duty_changes_list_id"))

    op.drop_table("duty_changes")
    with op.batch_alter_table("duties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duties_list_id"))
        batch_op.drop_index(
            "ix_duties_current",
            sqlite_where=sa.text("removed_in IS NULL"),
            postgresql_where=sa.text("removed_in IS NULL"),
        )

    op.drop_table("duties")
    op.drop_table("duty_lists")
