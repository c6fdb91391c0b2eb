"""residents: buildings, households, persons, tags, history events, transfer requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:24:34.173529
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("units", sa.Integer(), nullable=True),
        sa.Column("floors", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
    )
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buildings_area_code"), ["area_code"], unique=False)

    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("room", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("register_type", sa.String(length=12), nullable=False),
        sa.Column("head_person_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_households_building_id_buildings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
        sa.UniqueConstraint("area_code", "import_key", name="uq_households_area_import_key"),
    )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_households_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_households_building_id"), ["building_id"], unique=False)

    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("ethnicity", sa.String(length=20), nullable=False),
        sa.Column("id_number_enc", sa.Text(), nullable=False),
        sa.Column("id_number_bidx", sa.String(length=64), nullable=False),
        sa.Column("phone_enc", sa.Text(), nullable=True),
        sa.Column("phone_bidx", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("moved_in_on", sa.Date(), nullable=True),
        sa.Column("moved_out_on", sa.Date(), nullable=True),
        sa.Column("died_on", sa.Date(), nullable=True),
        sa.Column("party_member", sa.Boolean(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"], name=op.f("fk_persons_household_id_households")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("id_number_bidx", name=op.f("uq_persons_id_number_bidx")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(
            "ix_persons_area_birth",
            ["area_code", "birth_date"],
            unique=False,
            postgresql_where=sa.text("status = 'present'"),
            sqlite_where=sa.text("status = 'present'"),
        )
        batch_op.create_index("ix_persons_area_household", ["area_code", "household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_phone_bidx"), ["phone_bidx"], unique=False)

    op.create_table(
        "person_tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=24), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_tags_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_tags")),
    )
    with op.batch_alter_table("person_tags", schema=None) as batch_op:
        batch_op.create_index("ix_person_tags_area_tag", ["area_code", "tag", "end_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_tags_person_id"), ["person_id"], unique=False)

    op.create_table(
        "resident_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_area", sa.String(length=15), nullable=True),
        sa.Column("to_area", sa.String(length=15), nullable=True),
        sa.Column("other_household_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_resident_events_household_id_households")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_resident_events_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_events")),
    )
    with op.batch_alter_table("resident_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resident_events_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_resident_events_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resident_events_person_id"), ["person_id"], unique=False)

    op.create_table(
        "transfer_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("to_area", sa.String(length=15), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=300), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_transfer_requests_household_id_households")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_transfer_requests_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_requests")),
    )
    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_requests_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfer_requests_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfer_requests_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfer_requests_to_area"), ["to_area"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_requests_to_area"))
        batch_op.drop_index(batch_op.f("ix_transfer_requests_person_id"))
        batch_op.drop_index(batch_op.f("ix_transfer_requests_household_id"))
        batch_op.drop_index(batch_op.f("ix_transfer_requests_area_code"))

    op.drop_table("transfer_requests")
    with op.batch_alter_table("resident_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resident_events_person_id"))
        batch_op.drop_index(batch_op.f("ix_resident_events_household_id"))
        batch_op.drop_index(batch_op.f("ix_resident_events_area_code"))

    op.drop_table("resident_events")
    with op.batch_alter_table("person_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_tags_person_id"))
        batch_op.drop_index("ix_person_tags_area_tag")

    op.drop_table("person_tags")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_phone_bidx"))
        batch_op.drop_index(batch_op.f("ix_persons_household_id"))
        batch_op.drop_index("ix_persons_area_household")
        batch_op.drop_index("ix_persons_area_birth")

    op.drop_table("persons")
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_building_id"))
        batch_op.drop_index(batch_op.f("ix_households_area_code"))

    op.drop_table("households")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buildings_area_code"))

    op.drop_table("buildings")
