"""events closed index: events closed since a date, by area, for the officials' overview

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 12:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "Closed this month" per child area: a range of closed_at, its area codes read from the index alone
    # (reopening clears closed_at, so no state is needed).
    op.create_index("ix_events_closed", "events", ["closed_at", "area_code"])


def downgrade() -> None:
    op.drop_index("ix_events_closed", table_name="events")
