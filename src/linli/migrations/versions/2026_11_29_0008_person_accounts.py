"""person accounts: a resident's account linked to their entry in the residents register

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table, not a column on users: on SQLite that would rebuild users, which the rows of
    # api_tokens, web_sessions and grants refer to (see linli.residents.models.AccountLink).
    op.create_table(
        "person_accounts",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_accounts_person_id_persons")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_person_accounts_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_person_accounts")),
        sa.UniqueConstraint("person_id", name=op.f("uq_person_accounts_person_id")),
    )


def downgrade() -> None:
    op.drop_table("person_accounts")
