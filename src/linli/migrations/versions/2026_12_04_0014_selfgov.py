"""selfgov: bodies of villages and communities, meetings with frozen voter bases, attendance, motions,
recorded votes and paper ballots with their confirmation and recounts, matters through 四议两公开

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "selfgov_matters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_matters")),
    )
    op.create_index(op.f("ix_selfgov_matters_area_code"), "selfgov_matters", ["area_code"], unique=False)
    op.create_index(
        "ix_selfgov_matters_area_status", "selfgov_matters", ["area_code", "status", "updated_at"], unique=False
    )
    op.create_table(
        "selfgov_meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("base", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("notice_on", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("materials_on", sa.Date(), nullable=True),
        sa.Column("rules_name", sa.String(length=32), nullable=False),
        sa.Column("base_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("official", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("rescheduled_from_id", sa.Integer(), nullable=True),
        sa.Column("rescheduled_to_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["selfgov_matters.id"], name=op.f("fk_selfgov_meetings_matter_id_selfgov_matters")
        ),
        sa.ForeignKeyConstraint(
            ["rescheduled_from_id"],
            ["selfgov_meetings.id"],
            name=op.f("fk_selfgov_meetings_rescheduled_from_id_selfgov_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_meetings")),
    )
    op.create_index(op.f("ix_selfgov_meetings_area_code"), "selfgov_meetings", ["area_code"], unique=False)
    op.create_index("ix_selfgov_meetings_area_held", "selfgov_meetings", ["area_code", "held_on"], unique=False)
    op.create_index(op.f("ix_selfgov_meetings_matter_id"), "selfgov_meetings", ["matter_id"], unique=False)
    op.create_table(
        "selfgov_suspensions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suspended_by", sa.String(length=64), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resumed_by", sa.String(length=64), nullable=True),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resume_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["selfgov_matters.id"], name=op.f("fk_selfgov_suspensions_matter_id_selfgov_matters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_suspensions")),
    )
    op.create_index(op.f("ix_selfgov_suspensions_matter_id"), "selfgov_suspensions", ["matter_id"], unique=False)
    op.create_table(
        "selfgov_matter_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=True),
        sa.Column("disclosure_place", sa.String(length=200), nullable=False),
        sa.Column("disclosure_ref", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["selfgov_matters.id"], name=op.f("fk_selfgov_matter_steps_matter_id_selfgov_matters")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["selfgov_meetings.id"], name=op.f("fk_selfgov_matter_steps_meeting_id_selfgov_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_matter_steps")),
        sa.UniqueConstraint("matter_id", "step", name="uq_selfgov_matter_steps_matter_step"),
    )
    op.create_table(
        "selfgov_motions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("result", sa.String(length=12), nullable=True),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("abstain", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["selfgov_meetings.id"], name=op.f("fk_selfgov_motions_meeting_id_selfgov_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_motions")),
    )
    op.create_index(op.f("ix_selfgov_motions_meeting_id"), "selfgov_motions", ["meeting_id"], unique=False)
    op.create_table(
        "selfgov_voters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("woman", sa.Boolean(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["selfgov_meetings.id"], name=op.f("fk_selfgov_voters_meeting_id_selfgov_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_voters")),
        sa.UniqueConstraint("meeting_id", "person_id", name="uq_selfgov_voters_meeting_person"),
    )
    op.create_table(
        "selfgov_ballot_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("abstain", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["selfgov_motions.id"], name=op.f("fk_selfgov_ballot_batches_motion_id_selfgov_motions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_ballot_batches")),
    )
    op.create_index(op.f("ix_selfgov_ballot_batches_motion_id"), "selfgov_ballot_batches", ["motion_id"], unique=False)
    op.create_table(
        "selfgov_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("body", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("post", sa.String(length=24), nullable=False),
        sa.Column("term_from", sa.Date(), nullable=False),
        sa.Column("term_to", sa.Date(), nullable=True),
        sa.Column("households", sa.Integer(), nullable=True),
        sa.Column("group_code", sa.String(length=15), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_selfgov_members_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_members")),
    )
    op.create_index("ix_selfgov_members_area_body", "selfgov_members", ["area_code", "body"], unique=False)
    op.create_index(op.f("ix_selfgov_members_area_code"), "selfgov_members", ["area_code"], unique=False)
    op.create_index(op.f("ix_selfgov_members_person_id"), "selfgov_members", ["person_id"], unique=False)
    op.create_table(
        "selfgov_recounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("counted_by", sa.String(length=64), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("abstain", sa.Integer(), nullable=False),
        sa.Column("matches", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["selfgov_ballot_batches.id"],
            name=op.f("fk_selfgov_recounts_batch_id_selfgov_ballot_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_recounts")),
    )
    op.create_index(op.f("ix_selfgov_recounts_batch_id"), "selfgov_recounts", ["batch_id"], unique=False)
    op.create_table(
        "selfgov_votes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["selfgov_ballot_batches.id"], name=op.f("fk_selfgov_votes_batch_id_selfgov_ballot_batches")
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["selfgov_motions.id"], name=op.f("fk_selfgov_votes_motion_id_selfgov_motions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_votes")),
        sa.UniqueConstraint("motion_id", "person_id", name="uq_selfgov_votes_motion_person"),
    )
    op.create_index(op.f("ix_selfgov_votes_batch_id"), "selfgov_votes", ["batch_id"], unique=False)


def downgrade() -> None:
    for table in (
        "selfgov_votes",
        "selfgov_recounts",
        "selfgov_ballot_batches",
        "selfgov_voters",
        "selfgov_motions",
        "selfgov_matter_steps",
        "selfgov_suspensions",
        "selfgov_meetings",
        "selfgov_members",
        "selfgov_matters",
    ):
        op.drop_table(table)
