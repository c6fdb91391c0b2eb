"""residents id reviews: a second entry of an ID number registered in another worker's area, for a supervisor

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A table of its own: the unique blind index of persons stays as it is (dropping that constraint on
    # SQLite would rebuild persons, which tags, history, transfers and account links refer to).
    op.create_table(
        "id_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("existing_person_id", sa.Integer(), nullable=False),
        sa.Column("id_number_bidx", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_id_reviews_person_id_persons")),
        sa.ForeignKeyConstraint(
            ["existing_person_id"], ["persons.id"], name=op.f("fk_id_reviews_existing_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_id_reviews")),
    )
    with op.batch_alter_table("id_reviews") as batch_op:
        batch_op.create_index(batch_op.f("ix_id_reviews_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_id_reviews_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_id_reviews_existing_person_id"), ["existing_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_id_reviews_id_number_bidx"), ["id_number_bidx"], unique=False)


def downgrade() -> None:
    op.drop_table("id_reviews")
