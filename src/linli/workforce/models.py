"""Community workers (社区工作者) and their pay on "three posts, eighteen levels" (三岗十八级).

A worker belongs to the community or village they serve (`area_code`); where they live in the
register they point at their person (`person_id`) and keep no name of their own. Posts and levels
are histories with dates; a level change names why (initial rule, promotion after an assessment,
set by hand). Every number of the pay rules is a dated regional setting (`WorkforceSetting`, one row
per area and year, looked up at the county, then its city, then the province) with its level
coefficients (`LevelCoefficient`); a confirmed pay run keeps its lines with the rule, the
coefficient and the setting row each amount came from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped

POSTS = ("head", "member", "staff")  # 正职 / other two-committee member / ordinary staff (社工岗)
EDUCATION = ("secondary", "college", "bachelor", "master")  # 高中及以下 / 大专 / 本科 / 研究生
POLITICAL = ("party_member", "probationary", "league_member", "masses", "other_party")
QUALIFICATIONS = ("none", "assistant", "social_worker", "senior")  # 助理社工师 / 社工师 / 高级社工师
SOURCES = ("transfer", "recruitment")
STATUSES = ("active", "exited")
RESULTS = ("excellent", "competent", "basic", "incompetent")
PROMOTING = ("excellent", "competent")
LEVEL_REASONS = ("initial", "promotion", "manual")
RATERS = ("street", "residents", "colleagues", "party")  # 街道 / 居民代表 / 同事 / 社区党组织
ROUND_STATUSES = ("open", "published")


class Worker(Base, AreaScoped, Timestamped):
    __tablename__ = "wf_workers"
    __table_args__ = (Index("ix_wf_workers_status_area", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))  # only when not in the register
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)  # their own account
    education: Mapped[str] = mapped_column(String(12), nullable=False)
    political_status: Mapped[str] = mapped_column(String(16), nullable=False)
    qualification: Mapped[str] = mapped_column(String(16), nullable=False, default="none")
    qualified_on: Mapped[date | None] = mapped_column(Date)
    work_start: Mapped[date] = mapped_column(Date, nullable=False)
    source: Mapped[str] = mapped_column(String(12), nullable=False)
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="active")
    exit_on: Mapped[date | None] = mapped_column(Date)
    exit_reason: Mapped[str | None] = mapped_column(String(200))
    # The end of the probation (试用期) that began with the worker's first post: the county's months.
    probation_until: Mapped[date | None] = mapped_column(Date)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class WorkerPost(Base):
    """A post held from `start` (until `end`, exclusive; open while None)."""

    __tablename__ = "wf_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("wf_workers.id"), index=True, nullable=False)
    post: Mapped[str] = mapped_column(String(8), nullable=False)
    party_building: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 党建专职岗
    both_heads: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 书记、主任一肩挑
    start: Mapped[date] = mapped_column(Date, nullable=False)
    end: Mapped[date | None] = mapped_column(Date)


class WorkerLevel(Base):
    """The worker's level from `effective_from`; the latest one not after a day is the level that day."""

    __tablename__ = "wf_levels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("wf_workers.id"), index=True, nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(12), nullable=False)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("wf_assessments.id"))
    setting_id: Mapped[int | None] = mapped_column(ForeignKey("wf_settings.id"))  # the rule applied


class Assessment(Base):
    __tablename__ = "wf_assessments"
    __table_args__ = (UniqueConstraint("worker_id", "year", name="uq_wf_assessments_worker_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("wf_workers.id"), index=True, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    result: Mapped[str] = mapped_column(String(12), nullable=False)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # the raters' weighted score, where scored
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class WorkforceSetting(Base, AreaScoped, Timestamped):
    """The rules of one area (a county, or a city/province as the default beneath) for one year."""

    __tablename__ = "wf_settings"
    __table_args__ = (UniqueConstraint("area_code", "year", name="uq_wf_settings_area_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    pay_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # Monthly base pay = avg_manager_pay × local_coefficient × base_share × level coefficient.
    avg_manager_pay: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # yuan a month
    local_coefficient: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    base_share: Mapped[Decimal] = mapped_column(Numeric(5, 4), nullable=False)  # 0.70
    head_min: Mapped[int] = mapped_column(Integer, nullable=False)
    head_max: Mapped[int] = mapped_column(Integer, nullable=False)
    member_min: Mapped[int] = mapped_column(Integer, nullable=False)
    member_max: Mapped[int] = mapped_column(Integer, nullable=False)
    staff_min: Mapped[int] = mapped_column(Integer, nullable=False)
    staff_max: Mapped[int] = mapped_column(Integer, nullable=False)
    promotion_years: Mapped[int] = mapped_column(Integer, nullable=False)  # years at a level before the next
    # Initial level: the post's lowest, plus one per `years_per_step` years of service (at most
    # `max_service_steps`), plus the steps of the education and the qualification (JSON objects).
    years_per_step: Mapped[int] = mapped_column(Integer, nullable=False)
    max_service_steps: Mapped[int] = mapped_column(Integer, nullable=False)
    education_steps: Mapped[str] = mapped_column(Text, nullable=False)
    qualification_steps: Mapped[str] = mapped_column(Text, nullable=False)
    # Staffing: base_min–base_max workers up to base_households, plus one per households_per_extra more.
    staff_base_min: Mapped[int] = mapped_column(Integer, nullable=False)
    staff_base_max: Mapped[int] = mapped_column(Integer, nullable=False)
    base_households: Mapped[int] = mapped_column(Integer, nullable=False)
    households_per_extra: Mapped[int] = mapped_column(Integer, nullable=False)
    # Probation of a new worker, in months from their first post: no promotion counts from a day in it.
    probation_months: Mapped[int] = mapped_column(Integer, nullable=False, default=6)
    # Annual assessment by several raters: each rater's weight (JSON object, summing to 1) and the lowest
    # weighted score of each grade (below basic_min: incompetent).
    rater_weights: Mapped[str] = mapped_column(Text, nullable=False)
    excellent_min: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    competent_min: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    basic_min: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    # Dismissal review when the latest this many years' assessments, in a row, were incompetent.
    dismiss_incompetent_years: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    source: Mapped[str] = mapped_column(String(300), nullable=False)  # the document the numbers come from
    seeded_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class LevelCoefficient(Base):
    __tablename__ = "wf_coefficients"
    __table_args__ = (UniqueConstraint("setting_id", "level", name="uq_wf_coefficients_setting_level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    setting_id: Mapped[int] = mapped_column(ForeignKey("wf_settings.id"), index=True, nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    coefficient: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)


class PayRun(Base, AreaScoped, Timestamped):
    """A confirmed monthly pay run of a county (`area_code`), `month` as YYYY-MM."""

    __tablename__ = "wf_pay_runs"
    __table_args__ = (UniqueConstraint("area_code", "month", name="uq_wf_pay_runs_area_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    setting_id: Mapped[int] = mapped_column(ForeignKey("wf_settings.id"), nullable=False)
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    lines: Mapped[int] = mapped_column(Integer, nullable=False)
    confirmed_by: Mapped[str] = mapped_column(String(64), nullable=False)


class PayLine(Base):
    __tablename__ = "wf_pay_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("wf_pay_runs.id"), index=True, nullable=False)
    worker_id: Mapped[int] = mapped_column(ForeignKey("wf_workers.id"), index=True, nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the worker's community
    post: Mapped[str] = mapped_column(String(8), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    coefficient_id: Mapped[int] = mapped_column(ForeignKey("wf_coefficients.id"), nullable=False)
    coefficient: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    explanation: Mapped[str] = mapped_column(Text, nullable=False)


class Rating(Base):
    """One rater's score (0–100) of a worker for a year; the weighted sum is the assessment's score."""

    __tablename__ = "wf_ratings"
    __table_args__ = (UniqueConstraint("worker_id", "year", "rater", name="uq_wf_ratings_worker_year_rater"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("wf_workers.id"), index=True, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    rater: Mapped[str] = mapped_column(String(12), nullable=False)
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    weight: Mapped[Decimal] = mapped_column(Numeric(4, 3), nullable=False)  # the county's, when scored


class Round(Base, AreaScoped, Timestamped):
    """A county's open recruitment round (公开招聘): posts and places, conditions, the weights of the
    written test and the interview, the pass mark; open while scores come in, then published."""

    __tablename__ = "wf_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    conditions: Mapped[str] = mapped_column(Text, nullable=False)
    written_weight: Mapped[Decimal] = mapped_column(Numeric(4, 3), nullable=False)
    interview_weight: Mapped[Decimal] = mapped_column(Numeric(4, 3), nullable=False)
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    published_on: Mapped[date | None] = mapped_column(Date)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class RoundPost(Base):
    __tablename__ = "wf_round_posts"
    __table_args__ = (UniqueConstraint("round_id", "post", name="uq_wf_round_posts_round_post"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("wf_rounds.id"), index=True, nullable=False)
    post: Mapped[str] = mapped_column(String(8), nullable=False)
    places: Mapped[int] = mapped_column(Integer, nullable=False)


class Applicant(Base):
    """An applicant of a round for a post, with their written and interview scores; the total, rank and
    pass are set when the round is published; `worker_id` once registered as a worker."""

    __tablename__ = "wf_applicants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("wf_rounds.id"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    education: Mapped[str] = mapped_column(String(12), nullable=False)
    political_status: Mapped[str] = mapped_column(String(16), nullable=False)
    post: Mapped[str] = mapped_column(String(8), nullable=False)
    written: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    interview: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    total: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rank: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("wf_workers.id"), unique=True)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
