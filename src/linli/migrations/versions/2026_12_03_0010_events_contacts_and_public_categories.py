"""events: reporters' phone and e-mail encrypted at rest; categories flagged public or not for Open311

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00

The clear values already stored are encrypted with the data keys (LINLI_DATA_KEYS or the key file of
the data directory, as the application reads them), in batches, and the clear columns are dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The contexts of linli.events.models (spelled out: a migration must not change when the code does).
PHONE_CONTEXT = "events.contact_phone"
EMAIL_CONTEXT = "events.contact_email"
BATCH = 1000
# Disputes, help for a person in need, public-security hazards: not in the anonymous Open311 list.
NOT_PUBLIC_PREFIXES = ("06", "08", "0704")

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("contact_phone", sa.String),
    sa.column("contact_email", sa.String),
    sa.column("contact_phone_enc", sa.Text),
    sa.column("contact_email_enc", sa.Text),
)
categories = sa.table("event_categories", sa.column("code", sa.String), sa.column("public", sa.Boolean))


def _convert(source: tuple[str, str], target: tuple[str, str], change) -> None:
    """Copy the two contact columns `source` into `target` through `change(value, context)`, in batches."""
    conn = op.get_bind()
    src = [events.c[name] for name in source]
    last = 0
    while True:
        rows = conn.execute(
            sa.select(events.c.id, *src)
            .where(events.c.id > last, sa.or_(*(c.is_not(None) for c in src)))
            .order_by(events.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = [
            {
                "_id": row[0],
                "_phone": change(row[1], PHONE_CONTEXT) if row[1] else None,
                "_email": change(row[2], EMAIL_CONTEXT) if row[2] else None,
            }
            for row in rows
        ]
        conn.execute(
            events.update()
            .where(events.c.id == sa.bindparam("_id"))
            .values({target[0]: sa.bindparam("_phone"), target[1]: sa.bindparam("_email")}),
            values,
        )
        last = rows[-1][0]


def _keyring():
    from linli.kit import crypto  # only when there is something to convert: an empty database needs no keys

    return crypto.keyring()


def upgrade() -> None:
    op.add_column("events", sa.Column("contact_phone_enc", sa.Text(), nullable=True))
    op.add_column("events", sa.Column("contact_email_enc", sa.Text(), nullable=True))
    rings = []

    def encrypt(value: str, context: str) -> str:
        if not rings:
            rings.append(_keyring())
        return rings[0].encrypt(value.strip(), context) if value.strip() else None

    _convert(("contact_phone", "contact_email"), ("contact_phone_enc", "contact_email_enc"), encrypt)
    op.drop_column("events", "contact_phone")
    op.drop_column("events", "contact_email")

    op.add_column("event_categories", sa.Column("public", sa.Boolean(), server_default=sa.text("true"), nullable=False))
    op.execute(
        categories.update()
        .where(sa.or_(*(categories.c.code.startswith(p) for p in NOT_PUBLIC_PREFIXES)))
        .values(public=False)
    )


def downgrade() -> None:
    op.drop_column("event_categories", "public")
    op.add_column("events", sa.Column("contact_phone", sa.String(length=40), nullable=True))
    op.add_column("events", sa.Column("contact_email", sa.String(length=200), nullable=True))
    rings = []

    def decrypt(value: str, context: str) -> str:
        if not rings:
            rings.append(_keyring())
        return rings[0].decrypt(value, context)

    _convert(("contact_phone_enc", "contact_email_enc"), ("contact_phone", "contact_email"), decrypt)
    op.drop_column("events", "contact_phone_enc")
    op.drop_column("events", "contact_email_enc")
