"""disclosure boards (items, questions, settings), conventions (versions, opinions, settings), consultations

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _created_updated() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _disclosure() -> None:
    op.create_table(
        "disclosure_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("rules", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("shown_until", sa.Date(), nullable=True),
        sa.Column("objection_until", sa.Date(), nullable=True),
        sa.Column("answer_days", sa.Integer(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("matter_ref", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        *_created_updated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_items")),
    )
    op.create_index("ix_disclosure_items_board", "disclosure_items", ["area_code", "due_on"])
    op.create_index(
        "ix_disclosure_items_unpublished",
        "disclosure_items",
        ["due_on", "area_code"],
        sqlite_where=sa.text("published_on IS NULL"),
        postgresql_where=sa.text("published_on IS NULL"),
    )
    op.create_index(
        "ix_disclosure_items_late",
        "disclosure_items",
        ["area_code"],
        sqlite_where=sa.text("late"),
        postgresql_where=sa.text("late"),
    )
    op.create_table(
        "disclosure_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer_due_on", sa.Date(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["disclosure_items.id"], name=op.f("fk_disclosure_questions_item_id_disclosure_items")
        ),
        sa.ForeignKeyConstraint(["asked_by"], ["users.id"], name=op.f("fk_disclosure_questions_asked_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_questions")),
    )
    op.create_index(op.f("ix_disclosure_questions_item_id"), "disclosure_questions", ["item_id"])
    op.create_index(op.f("ix_disclosure_questions_asked_by"), "disclosure_questions", ["asked_by"])
    op.create_index(op.f("ix_disclosure_questions_area_code"), "disclosure_questions", ["area_code"])
    op.create_index(
        "ix_disclosure_questions_open",
        "disclosure_questions",
        ["answer_due_on", "area_code"],
        sqlite_where=sa.text("answered_at IS NULL"),
        postgresql_where=sa.text("answered_at IS NULL"),
    )
    op.create_table(
        "disclosure_settings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("objection_days", sa.Integer(), nullable=False),
        sa.Column("answer_days", sa.Integer(), nullable=False),
        sa.Column("prompt_days", sa.Integer(), nullable=False),
        sa.Column("after_period_days", sa.Integer(), nullable=False),
        sa.Column("finances_monthly", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_settings")),
    )
    op.create_index(op.f("ix_disclosure_settings_area_code"), "disclosure_settings", ["area_code"])


def _conventions() -> None:
    op.create_table(
        "conventions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("in_force_version_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        *_created_updated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conventions")),
    )
    op.create_index(op.f("ix_conventions_area_code"), "conventions", ["area_code"])
    op.create_table(
        "convention_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opinions_until", sa.Date(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("adopted_by", sa.String(length=40), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("attendance_expected", sa.Integer(), nullable=True),
        sa.Column("attendance_present", sa.Integer(), nullable=True),
        sa.Column("women_present", sa.Integer(), nullable=True),
        sa.Column("meeting_ref", sa.String(length=100), nullable=True),
        sa.Column("rules", sa.String(length=40), nullable=True),
        sa.Column("filing_due_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("filing_late", sa.Boolean(), nullable=False),
        sa.Column("filing_received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("filing_received_by", sa.String(length=64), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("superseded_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        *_created_updated(),
        sa.ForeignKeyConstraint(
            ["convention_id"], ["conventions.id"], name=op.f("fk_convention_versions_convention_id_conventions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convention_versions")),
        sa.UniqueConstraint("convention_id", "number", name=op.f("uq_convention_versions_convention_id")),
    )
    op.create_index(op.f("ix_convention_versions_convention_id"), "convention_versions", ["convention_id"])
    op.create_index(op.f("ix_convention_versions_area_code"), "convention_versions", ["area_code"])
    op.create_index("ix_convention_versions_status", "convention_versions", ["status", "area_code"])
    op.create_table(
        "convention_opinions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["convention_versions.id"],
            name=op.f("fk_convention_opinions_version_id_convention_versions"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_convention_opinions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convention_opinions")),
    )
    op.create_index(op.f("ix_convention_opinions_version_id"), "convention_opinions", ["version_id"])
    op.create_index(op.f("ix_convention_opinions_area_code"), "convention_opinions", ["area_code"])
    op.create_table(
        "convention_settings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("filing_days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convention_settings")),
    )
    op.create_index(op.f("ix_convention_settings_area_code"), "convention_settings", ["area_code"])


def _consultation() -> None:
    op.create_table(
        "consultation_topics",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.String(length=12), nullable=False),
        sa.Column("raised_by_user", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("form", sa.String(length=12), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("participants_present", sa.Integer(), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("declined_reason", sa.Text(), nullable=True),
        sa.Column("event_ref", sa.String(length=100), nullable=True),
        sa.Column("matter_ref", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        *_created_updated(),
        sa.ForeignKeyConstraint(
            ["raised_by_user"], ["users.id"], name=op.f("fk_consultation_topics_raised_by_user_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_topics")),
    )
    op.create_index(op.f("ix_consultation_topics_area_code"), "consultation_topics", ["area_code"])
    op.create_index("ix_consultation_topics_status", "consultation_topics", ["status", "area_code"])
    op.create_table(
        "consultation_participants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["consultation_topics.id"],
            name=op.f("fk_consultation_participants_topic_id_consultation_topics"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_participants")),
    )
    op.create_index(op.f("ix_consultation_participants_topic_id"), "consultation_participants", ["topic_id"])
    op.create_table(
        "consultation_opinions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["consultation_topics.id"], name=op.f("fk_consultation_opinions_topic_id_consultation_topics")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consultation_opinions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_opinions")),
    )
    op.create_index(op.f("ix_consultation_opinions_topic_id"), "consultation_opinions", ["topic_id"])
    op.create_index(op.f("ix_consultation_opinions_area_code"), "consultation_opinions", ["area_code"])


def upgrade() -> None:
    _disclosure()
    _conventions()
    _consultation()


def downgrade() -> None:
    for table in (
        "consultation_opinions",
        "consultation_participants",
        "consultation_topics",
        "convention_settings",
        "convention_opinions",
        "convention_versions",
        "conventions",
        "disclosure_settings",
        "disclosure_questions",
        "disclosure_items",
    ):
        op.drop_table(table)
