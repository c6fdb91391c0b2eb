"""Bodies and answers of the workforce API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id

Post = Literal["head", "member", "staff"]
Education = Literal["secondary", "college", "bachelor", "master"]
Political = Literal["party_member", "probationary", "league_member", "masses", "other_party"]
Qualification = Literal["none", "assistant", "social_worker", "senior"]
Result = Literal["excellent", "competent", "basic", "incompetent"]
Rater = Literal["street", "residents", "colleagues", "party"]
Score = Field(ge=0, le=100, max_digits=5, decimal_places=2, description="0–100")
Weight = Field(ge=0, le=1, max_digits=4, decimal_places=3)
Year = Field(ge=2000, le=2100)
Level = Field(ge=1, le=18)
Month = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM")


class SettingIn(BaseModel):
    """The rules of an area (a county; a city or the province as the default beneath) for a year."""

    area_code: str = Field(min_length=2, max_length=12)
    year: int = Year
    pay_enabled: bool = True
    avg_manager_pay: Decimal | None = Field(None, gt=0, le=100000, max_digits=10, decimal_places=2)
    local_coefficient: Decimal | None = Field(None, gt=0, le=10, max_digits=6, decimal_places=4)
    base_share: Decimal = Field(Decimal("0.70"), gt=0, le=1, max_digits=5, decimal_places=4)
    head_min: int = Level
    head_max: int = Level
    member_min: int = Level
    member_max: int = Level
    staff_min: int = Level
    staff_max: int = Level
    promotion_years: int = Field(ge=0, le=20)
    years_per_step: int = Field(ge=1, le=20)
    max_service_steps: int = Field(ge=0, le=17)
    education_steps: dict[Education, int] = Field(default_factory=dict)
    qualification_steps: dict[Qualification, int] = Field(default_factory=dict)
    staff_base_min: int = Field(ge=1, le=200)
    staff_base_max: int = Field(ge=1, le=200)
    base_households: int = Field(ge=1, le=100000)
    households_per_extra: int = Field(ge=1, le=100000)
    coefficients: dict[int, Decimal] = Field(default_factory=dict, description="level → coefficient")
    probation_months: int = Field(6, ge=0, le=24, description="a new worker's probation from their first post")
    rater_weights: dict[Rater, Decimal] = Field(
        default_factory=lambda: {"street": Decimal("0.40"), "residents": Decimal("0.30"),
                                 "colleagues": Decimal("0.30")},
        description="each rater's weight in the annual assessment score; they sum to 1",
    )  # fmt: skip
    excellent_min: Decimal = Field(Decimal("90"), ge=0, le=100, description="lowest weighted score of excellent")
    competent_min: Decimal = Field(Decimal("70"), ge=0, le=100, description="… of competent")
    basic_min: Decimal = Field(Decimal("60"), ge=0, le=100, description="… of basically competent (below: incompetent)")
    dismiss_incompetent_years: int = Field(2, ge=1, le=10, description="incompetent years in a row that flag dismissal")
    source: str = Field(min_length=1, max_length=300)
    seeded_default: bool = False


class SettingOut(SettingIn):
    id: int


class WorkerIn(BaseModel):
    area_code: str = Field(min_length=12, max_length=12, description="the community or village served")
    person_id: Id | None = Field(None, description="their entry in the residents register, where they live there")
    name: str | None = Field(None, min_length=1, max_length=100, description="only when not in the register")
    user_id: Id | None = Field(None, description="their own account, which then sees their post and pay")
    education: Education
    political_status: Political
    qualification: Qualification = "none"
    qualified_on: date | None = None
    work_start: date
    source: Literal["transfer", "recruitment"]
    contract_start: date | None = None
    contract_end: date | None = None


class PostIn(BaseModel):
    post: Post
    start: date
    party_building: bool = False
    both_heads: bool = False
    level: int | None = Field(None, ge=1, le=18, description="set by hand; empty: the initial level rule")


class ExitIn(BaseModel):
    on: date
    reason: str = Field(min_length=1, max_length=200)


class AssessmentIn(BaseModel):
    year: int = Year
    result: Result


class PromoteIn(BaseModel):
    year: int = Field(ge=2000, le=2100, description="the assessment year; the new level counts from 1 January after")


class PayRunIn(BaseModel):
    county: str = Field(min_length=6, max_length=6)
    month: str = Month


class PostOut(BaseModel):
    post: str
    start: date
    end: date | None
    party_building: bool
    both_heads: bool


class LevelOut(BaseModel):
    level: int
    effective_from: date
    reason: str


class RatingOut(BaseModel):
    rater: str
    score: Decimal
    weight: Decimal


class AssessmentOut(BaseModel):
    year: int
    result: str
    score: Decimal | None = None
    ratings: list[RatingOut] = []


class WorkerOut(BaseModel):
    id: int
    area_code: str
    name: str
    person_id: int | None
    education: str
    political_status: str
    qualification: str
    qualified_on: date | None
    work_start: date
    source: str
    contract_start: date | None
    contract_end: date | None
    status: str
    exit_on: date | None
    probation_until: date | None = None
    post: str | None
    level: int | None
    generated: bool


class WorkerDetail(WorkerOut):
    posts: list[PostOut]
    levels: list[LevelOut]
    assessments: list[AssessmentOut]
    next_promotion: date | None = Field(description="the earliest 1 January a promotion may count from")


class PayLineOut(BaseModel):
    worker_id: int
    name: str
    area_code: str
    post: str
    level: int
    coefficient: Decimal
    amount: Decimal
    explanation: str


class PayRunOut(BaseModel):
    id: int | None = Field(description="empty for a preview")
    county: str
    month: str
    setting_id: int
    total: Decimal
    lines: list[PayLineOut]


class StaffingOut(BaseModel):
    area_code: str
    households: int
    workers: int
    fewest: int
    most: int
    verdict: Literal["below", "within", "above"]
    setting_id: int


class ScoresIn(BaseModel):
    """Each rater's score of a worker for a year; the county's weights make the score, its thresholds the grade."""

    year: int = Year
    scores: dict[Rater, Decimal] = Field(min_length=1, description="rater → score 0–100")


class RoundIn(BaseModel):
    county: str = Field(min_length=6, max_length=6)
    year: int = Year
    title: str = Field(min_length=1, max_length=200)
    conditions: str = Field(min_length=1, max_length=4000, description="who may apply")
    posts: dict[Post, int] = Field(min_length=1, description="post → places")
    written_weight: Decimal = Weight
    interview_weight: Decimal = Weight
    pass_mark: Decimal = Score


class ApplicantIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    education: Education
    political_status: Political
    post: Post


class ApplicantScoresIn(BaseModel):
    written: Decimal = Score
    interview: Decimal = Score


class HireIn(BaseModel):
    """Register a passed applicant as a worker (source: open recruitment) in a community, in their post."""

    area_code: str = Field(min_length=12, max_length=12, description="the community or village served")
    start: date = Field(description="first day in the post; the probation starts here")
    user_id: Id | None = None


class ApplicantOut(BaseModel):
    id: int
    name: str
    education: str
    political_status: str
    post: str
    written: Decimal | None
    interview: Decimal | None
    total: Decimal | None
    rank: int | None
    passed: bool
    worker_id: int | None
    generated: bool


class RoundOut(BaseModel):
    id: int
    county: str
    year: int
    title: str
    conditions: str
    posts: dict[str, int]
    written_weight: Decimal
    interview_weight: Decimal
    pass_mark: Decimal
    status: str
    published_on: date | None
    generated: bool
    applicants: list[ApplicantOut] = []


class FlagOut(BaseModel):
    """A worker whose latest assessments were incompetent for the county's number of years in a row."""

    worker_id: int
    name: str
    area_code: str
    years: list[int]
    rule_years: int
    setting_id: int
