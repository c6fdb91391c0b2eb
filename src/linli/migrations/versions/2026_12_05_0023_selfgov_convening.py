"""selfgov: requests to convene a villagers' (residents') meeting and their supporters; consultation
participants linked to a register person or a registry organization

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "selfgov_convene_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("rules_name", sa.String(length=32), nullable=False),
        sa.Column("base_count", sa.Integer(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("supporters", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["selfgov_meetings.id"],
            name=op.f("fk_selfgov_convene_requests_meeting_id_selfgov_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_convene_requests")),
    )
    op.create_index(
        op.f("ix_selfgov_convene_requests_area_code"), "selfgov_convene_requests", ["area_code"], unique=False
    )
    op.create_index(
        "ix_selfgov_convene_requests_area_status", "selfgov_convene_requests", ["area_code", "status"], unique=False
    )
    op.create_table(
        "selfgov_convene_supporters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_selfgov_convene_supporters_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["selfgov_convene_requests.id"],
            name=op.f("fk_selfgov_convene_supporters_request_id_selfgov_convene_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_convene_supporters")),
        sa.UniqueConstraint("request_id", "person_id", name="uq_selfgov_convene_supporters_person"),
    )

    with op.batch_alter_table("consultation_participants") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_consultation_participants_person_id_persons"), "persons", ["person_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_consultation_participants_organization_id_organizations"),
            "organizations",
            ["organization_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_participants") as batch:
        batch.drop_constraint(op.f("fk_consultation_participants_organization_id_organizations"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_consultation_participants_person_id_persons"), type_="foreignkey")
        batch.drop_column("organization_id")
        batch.drop_column("person_id")
    op.drop_table("selfgov_convene_supporters")
    op.drop_index("ix_selfgov_convene_requests_area_status", table_name="selfgov_convene_requests")
    op.drop_index(op.f("ix_selfgov_convene_requests_area_code"), table_name="selfgov_convene_requests")
    op.drop_table("selfgov_convene_requests")
