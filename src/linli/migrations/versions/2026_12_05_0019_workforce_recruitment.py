"""workforce: recruitment rounds and applicants, multi-rater assessment scores, probation and dismissal rules

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

WEIGHTS = '{"colleagues": "0.30", "residents": "0.30", "street": "0.40"}'


def upgrade() -> None:
    with op.batch_alter_table("wf_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probation_months", sa.Integer(), nullable=False, server_default="6"))
        batch_op.add_column(sa.Column("rater_weights", sa.Text(), nullable=False, server_default=WEIGHTS))
        batch_op.add_column(sa.Column("excellent_min", sa.Numeric(5, 2), nullable=False, server_default="90"))
        batch_op.add_column(sa.Column("competent_min", sa.Numeric(5, 2), nullable=False, server_default="70"))
        batch_op.add_column(sa.Column("basic_min", sa.Numeric(5, 2), nullable=False, server_default="60"))
        batch_op.add_column(sa.Column("dismiss_incompetent_years", sa.Integer(), nullable=False, server_default="2"))
    with op.batch_alter_table("wf_workers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probation_until", sa.Date(), nullable=True))
    with op.batch_alter_table("wf_assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", sa.Numeric(5, 2), nullable=True))

    op.create_table(
        "wf_ratings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rater", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Numeric(5, 2), nullable=False),
        sa.Column("weight", sa.Numeric(4, 3), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["wf_workers.id"], name=op.f("fk_wf_ratings_worker_id_wf_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wf_ratings")),
        sa.UniqueConstraint("worker_id", "year", "rater", name="uq_wf_ratings_worker_year_rater"),
    )
    with op.batch_alter_table("wf_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wf_ratings_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "wf_rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("written_weight", sa.Numeric(4, 3), nullable=False),
        sa.Column("interview_weight", sa.Numeric(4, 3), nullable=False),
        sa.Column("pass_mark", sa.Numeric(5, 2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("area_code", sa.String(length=15), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wf_rounds")),
    )
    with op.batch_alter_table("wf_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wf_rounds_area_code"), ["area_code"], unique=False)

    op.create_table(
        "wf_round_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("post", sa.String(length=8), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["wf_rounds.id"], name=op.f("fk_wf_round_posts_round_id_wf_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wf_round_posts")),
        sa.UniqueConstraint("round_id", "post", name="uq_wf_round_posts_round_post"),
    )
    with op.batch_alter_table("wf_round_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wf_round_posts_round_id"), ["round_id"], unique=False)

    op.create_table(
        "wf_applicants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("education", sa.String(length=12), nullable=False),
        sa.Column("political_status", sa.String(length=16), nullable=False),
        sa.Column("post", sa.String(length=8), nullable=False),
        sa.Column("written", sa.Numeric(5, 2), nullable=True),
        sa.Column("interview", sa.Numeric(5, 2), nullable=True),
        sa.Column("total", sa.Numeric(5, 2), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["wf_rounds.id"], name=op.f("fk_wf_applicants_round_id_wf_rounds")),
        sa.ForeignKeyConstraint(["worker_id"], ["wf_workers.id"], name=op.f("fk_wf_applicants_worker_id_wf_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wf_applicants")),
        sa.UniqueConstraint("worker_id", name=op.f("uq_wf_applicants_worker_id")),
    )
    with op.batch_alter_table("wf_applicants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wf_applicants_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_table("wf_applicants")
    op.drop_table("wf_round_posts")
    op.drop_table("wf_rounds")
    op.drop_table("wf_ratings")
    with op.batch_alter_table("wf_assessments", schema=None) as batch_op:
        batch_op.drop_column("score")
    with op.batch_alter_table("wf_workers", schema=None) as batch_op:
        batch_op.drop_column("probation_until")
    with op.batch_alter_table("wf_settings", schema=None) as batch_op:
        for column in ("dismiss_incompetent_years", "basic_min", "competent_min", "excellent_min", "rater_weights",
                       "probation_months"):  # fmt: skip
            batch_op.drop_column(column)
