"""organizations: the registry, alliances and the three lists, contacts, dual reporting

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("registration", sa.String(length=12), nullable=True),
        sa.Column("social_type", sa.String(length=24), nullable=True),
        sa.Column("service_field", sa.String(length=24), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["organizations.id"], name=op.f("fk_organizations_parent_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("uscc", name=op.f("uq_organizations_uscc")),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organizations_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_organizations_area_kind", ["area_code", "kind"], unique=False)
        batch_op.create_index("ix_organizations_kind_status_area", ["kind", "status", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "alliances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lead_org_id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_org_id"], ["organizations.id"], name=op.f("fk_alliances_lead_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliances")),
    )
    with op.batch_alter_table("alliances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliances_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_alliances_lead_org_id"), ["lead_org_id"], unique=False)

    op.create_table(
        "org_contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_contacts_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_org_contacts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_contacts")),
        sa.UniqueConstraint("organization_id", "user_id", name=op.f("uq_org_contacts_organization_id")),
    )
    with op.batch_alter_table("org_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_contacts_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_contacts_user_id"), ["user_id"], unique=False)

    op.create_table(
        "org_unit_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_unit_reports_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit_reports")),
        sa.UniqueConstraint("organization_id", "area_code", name=op.f("uq_org_unit_reports_organization_id")),
    )
    with op.batch_alter_table("org_unit_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_unit_reports_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_unit_reports_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "alliance_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alliance_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("cross_area", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["alliance_id"], ["alliances.id"], name=op.f("fk_alliance_members_alliance_id_alliances")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_alliance_members_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance_members")),
        sa.UniqueConstraint("alliance_id", "organization_id", name=op.f("uq_alliance_members_alliance_id")),
    )
    with op.batch_alter_table("alliance_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alliance_members_alliance_id"), ["alliance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alliance_members_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_alliance_members_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "org_needs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("raised_by", sa.String(length=12), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_org_needs_event_id_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_needs")),
    )
    with op.batch_alter_table("org_needs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_needs_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_org_needs_status_area", ["status", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_needs_event_id"), ["event_id"], unique=False)

    op.create_table(
        "org_resources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alliance_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("resource_type", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("availability", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alliance_id"], ["alliances.id"], name=op.f("fk_org_resources_alliance_id_alliances")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_resources_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_resources")),
    )
    with op.batch_alter_table("org_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_resources_alliance_id"), ["alliance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_resources_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_org_resources_area_type", ["area_code", "resource_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_resources_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "org_member_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_member_reports_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_org_member_reports_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_member_reports")),
        sa.UniqueConstraint("person_id", name=op.f("uq_org_member_reports_person_id")),
    )
    with op.batch_alter_table("org_member_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_member_reports_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_member_reports_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "org_projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alliance_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rated_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alliance_id"], ["alliances.id"], name=op.f("fk_org_projects_alliance_id_alliances")),
        sa.ForeignKeyConstraint(["need_id"], ["org_needs.id"], name=op.f("fk_org_projects_need_id_org_needs")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_projects_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["org_resources.id"], name=op.f("fk_org_projects_resource_id_org_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_projects")),
    )
    with op.batch_alter_table("org_projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_projects_alliance_id"), ["alliance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_projects_area_code"), ["area_code"], unique=False)
        batch_op.create_index("ix_org_projects_status_area", ["status", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_projects_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_projects_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_projects_resource_id"), ["resource_id"], unique=False)

    op.create_table(
        "org_service_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("member_report_id", sa.Integer(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_report_id"],
            ["org_member_reports.id"],
            name=op.f("fk_org_service_records_member_report_id_org_member_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_service_records_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_service_records")),
    )
    with op.batch_alter_table("org_service_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_service_records_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_service_records_member_report_id"), ["member_report_id"], unique=False)
        batch_op.create_index("ix_org_service_records_org_date", ["organization_id", "served_on"], unique=False)

    op.create_table(
        "org_pairings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_org_pairings_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_pairings")),
    )
    with op.batch_alter_table("org_pairings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_pairings_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_pairings_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index("ix_org_pairings_status_area", ["status", "area_code"], unique=False)

    op.create_table(
        "org_pairing_activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"], ["org_pairings.id"], name=op.f("fk_org_pairing_activities_pairing_id_org_pairings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_pairing_activities")),
    )
    with op.batch_alter_table("org_pairing_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_pairing_activities_area_code"), ["area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_pairing_activities_pairing_id"), ["pairing_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("org_pairing_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_pairing_activities_pairing_id"))
        batch_op.drop_index(batch_op.f("ix_org_pairing_activities_area_code"))

    op.drop_table("org_pairing_activities")
    with op.batch_alter_table("org_pairings", schema=None) as batch_op:
        batch_op.drop_index("ix_org_pairings_status_area")
        batch_op.drop_index(batch_op.f("ix_org_pairings_organization_id"))
        batch_op.drop_index(batch_op.f("ix_org_pairings_area_code"))

    op.drop_table("org_pairings")

    with op.batch_alter_table("org_service_records", schema=None) as batch_op:
        batch_op.drop_index("ix_org_service_records_org_date")
        batch_op.drop_index(batch_op.f("ix_org_service_records_member_report_id"))
        batch_op.drop_index(batch_op.f("ix_org_service_records_area_code"))

    op.drop_table("org_service_records")
    with op.batch_alter_table("org_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_projects_resource_id"))
        batch_op.drop_index(batch_op.f("ix_org_projects_organization_id"))
        batch_op.drop_index(batch_op.f("ix_org_projects_need_id"))
        batch_op.drop_index("ix_org_projects_status_area")
        batch_op.drop_index(batch_op.f("ix_org_projects_area_code"))
        batch_op.drop_index(batch_op.f("ix_org_projects_alliance_id"))

    op.drop_table("org_projects")
    with op.batch_alter_table("org_member_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_member_reports_organization_id"))
        batch_op.drop_index(batch_op.f("ix_org_member_reports_area_code"))

    op.drop_table("org_member_reports")
    with op.batch_alter_table("org_resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_resources_organization_id"))
        batch_op.drop_index("ix_org_resources_area_type")
        batch_op.drop_index(batch_op.f("ix_org_resources_area_code"))
        batch_op.drop_index(batch_op.f("ix_org_resources_alliance_id"))

    op.drop_table("org_resources")
    with op.batch_alter_table("org_needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_needs_event_id"))
        batch_op.drop_index("ix_org_needs_status_area")
        batch_op.drop_index(batch_op.f("ix_org_needs_area_code"))

    op.drop_table("org_needs")
    with op.batch_alter_table("alliance_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliance_members_organization_id"))
        batch_op.drop_index(batch_op.f("ix_alliance_members_area_code"))
        batch_op.drop_index(batch_op.f("ix_alliance_members_alliance_id"))

    op.drop_table("alliance_members")
    with op.batch_alter_table("org_unit_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_unit_reports_organization_id"))
        batch_op.drop_index(batch_op.f("ix_org_unit_reports_area_code"))

    op.drop_table("org_unit_reports")
    with op.batch_alter_table("org_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_contacts_user_id"))
        batch_op.drop_index(batch_op.f("ix_org_contacts_organization_id"))

    op.drop_table("org_contacts")
    with op.batch_alter_table("alliances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alliances_lead_org_id"))
        batch_op.drop_index(batch_op.f("ix_alliances_area_code"))

    op.drop_table("alliances")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_parent_id"))
        batch_op.drop_index(batch_op.f("ix_organizations_name"))
        batch_op.drop_index("ix_organizations_kind_status_area")
        batch_op.drop_index("ix_organizations_area_kind")
        batch_op.drop_index(batch_op.f("ix_organizations_area_code"))

    op.drop_table("organizations")
