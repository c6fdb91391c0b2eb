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


class AssessmentOut(BaseModel):
    year: int
    result: str


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
