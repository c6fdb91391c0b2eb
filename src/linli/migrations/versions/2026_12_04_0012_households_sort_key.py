"""households sort key: addresses in natural order ("2-1-31" before "2-1-302") for lists and search

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from linli.kit.natural import KEY_LENGTH, natural_key

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    key_type = sa.String(length=KEY_LENGTH).with_variant(sa.String(length=KEY_LENGTH, collation="C"), "postgresql")
    with op.batch_alter_table("households") as batch_op:
        batch_op.add_column(sa.Column("sort_key", key_type, nullable=False, server_default=""))
    # The keys of the households already registered, computed as the application computes them.
    conn = op.get_bind()
    households = sa.table(
        "households",
        sa.column("id", sa.Integer),
        sa.column("address", sa.String),
        sa.column("unit", sa.String),
        sa.column("room", sa.String),
        sa.column("sort_key", sa.String),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(households.c.id, households.c.address, households.c.unit, households.c.room)
            .where(households.c.id > last)
            .order_by(households.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            households.update().where(households.c.id == sa.bindparam("hid")).values(sort_key=sa.bindparam("key")),
            [{"hid": r.id, "key": natural_key(r.address, r.unit, r.room)} for r in rows],
        )
        last = rows[-1].id
    with op.batch_alter_table("households") as batch_op:
        batch_op.create_index("ix_households_area_sort", ["area_code", "sort_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("households") as batch_op:
        batch_op.drop_index("ix_households_area_sort")
        batch_op.drop_column("sort_key")
