"""socialwork: social work stations (centres, stations, rooms), staff, services, service records, cases

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 00:11:32.255615
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "sw_stations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["sw_stations.id"], name=op.f("fk_sw_stations_parent_id_sw_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sw_stations")),
    )
    with op.batch_alter_table("sw_stations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sw_stations_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_stations_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_sw_stations_status_level_area", ["status", "level", "area_code"], unique=False)

    op.create_table(
        "sw_services",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["sw_stations.id"], name=op.f("fk_sw_services_station_id_sw_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sw_services")),
        sa.UniqueConstraint("station_id", "kind", name="uq_sw_services_station_kind"),
    )
    with op.batch_alter_table("sw_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sw_services_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_services_station_id"), ["station_id"], unique=False)

    op.create_table(
        "sw_staff",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("qualification", sa.String(length=16), nullable=False),
        sa.Column("qualified_on", sa.Date(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["sw_stations.id"], name=op.f("fk_sw_staff_station_id_sw_stations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sw_staff_user_id_users")),
        sa.ForeignKeyConstraint(["worker_id"], ["wf_workers.id"], name=op.f("fk_sw_staff_worker_id_wf_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sw_staff")),
        sa.UniqueConstraint("station_id", "user_id", name="uq_sw_staff_station_user"),
    )
    with op.batch_alter_table("sw_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sw_staff_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_staff_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_sw_staff_status_area", ["status", "area_code"], unique=False)
        batch_op.create_index(
            "ix_sw_staff_status_qualification_area", ["status", "qualification", "area_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sw_staff_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_staff_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "sw_cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_sw_cases_person_id_persons")),
        sa.ForeignKeyConstraint(["station_id"], ["sw_stations.id"], name=op.f("fk_sw_cases_station_id_sw_stations")),
        sa.ForeignKeyConstraint(["worker_id"], ["sw_staff.id"], name=op.f("fk_sw_cases_worker_id_sw_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sw_cases")),
    )
    with op.batch_alter_table("sw_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sw_cases_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_cases_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_cases_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_sw_cases_status_area", ["status", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_cases_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "sw_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_sw_records_person_id_persons")),
        sa.ForeignKeyConstraint(["staff_id"], ["sw_staff.id"], name=op.f("fk_sw_records_staff_id_sw_staff")),
        sa.ForeignKeyConstraint(["station_id"], ["sw_stations.id"], name=op.f("fk_sw_records_station_id_sw_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sw_records")),
    )
    with op.batch_alter_table("sw_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sw_records_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_sw_records_area_minutes", ["area_code", "minutes"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_records_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_sw_records_staff_day", ["staff_id", "served_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_sw_records_station_id"), ["station_id"], unique=False)

    op.create_table(
        "sw_case_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=8), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["sw_cases.id"], name=op.f("fk_sw_case_entries_case_id_sw_cases")),
        sa.ForeignKeyConstraint(["staff_id"], ["sw_staff.id"], name=op.f("fk_sw_case_entries_staff_id_sw_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sw_case_entries")),
    )
    with op.batch_alter_table("sw_case_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sw_case_entries_case_id"), ["case_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("sw_case_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sw_case_entries_case_id"))

    op.drop_table("sw_case_entries")
    with op.batch_alter_table("sw_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sw_records_station_id"))
        batch_op.drop_index("ix_sw_records_staff_day")
        batch_op.drop_index(batch_op.f("ix_sw_records_person_id"))
        batch_op.drop_index("ix_sw_records_area_minutes")
        batch_op.drop_index(batch_op.f("ix_sw_records_area_code"))

    op.drop_table("sw_records")
    with op.batch_alter_table("sw_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sw_cases_worker_id"))
        batch_op.drop_index("ix_sw_cases_status_area")
        batch_op.drop_index(batch_op.f("ix_sw_cases_station_id"))
        batch_op.drop_index(batch_op.f("ix_sw_cases_person_id"))
        batch_op.drop_index(batch_op.f("ix_sw_cases_area_code"))

    op.drop_table("sw_cases")
    with op.batch_alter_table("sw_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sw_staff_worker_id"))
        batch_op.drop_index(batch_op.f("ix_sw_staff_user_id"))
        batch_op.drop_index("ix_sw_staff_status_qualification_area")
        batch_op.drop_index("ix_sw_staff_status_area")
        batch_op.drop_index(batch_op.f("ix_sw_staff_station_id"))
        batch_op.drop_index(batch_op.f("ix_sw_staff_area_code"))

    op.drop_table("sw_staff")
    with op.batch_alter_table("sw_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sw_services_station_id"))
        batch_op.drop_index(batch_op.f("ix_sw_services_area_code"))

    op.drop_table("sw_services")
    with op.batch_alter_table("sw_stations", schema=None) as batch_op:
        batch_op.drop_index("ix_sw_stations_status_level_area")
        batch_op.drop_index(batch_op.f("ix_sw_stations_parent_id"))
        batch_op.drop_index(batch_op.f("ix_sw_stations_area_code"))

    op.drop_table("sw_stations")
