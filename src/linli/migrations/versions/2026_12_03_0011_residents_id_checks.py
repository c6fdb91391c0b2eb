"""residents id checks: every ID number set on an entry, for the worker to compare with the register

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A queue: rows live from the request that sets a number until the worker has checked it. The blind
    # index is indexed: until then the entry counts as registered with the number (lookups, search).
    op.create_table(
        "id_checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("id_number_bidx", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_id_checks_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_id_checks")),
    )
    with op.batch_alter_table("id_checks") as batch_op:
        batch_op.create_index(batch_op.f("ix_id_checks_id_number_bidx"), ["id_number_bidx"], unique=False)


def downgrade() -> None:
    op.drop_table("id_checks")
