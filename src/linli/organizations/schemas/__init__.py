"""Request and response shapes of the organizations API (an alliance's agreements, meetings and reviews and a
unit's evaluations in `schemas.records`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id, Patch

Kind = Literal[
    "party_committee",
    "party_general_branch",
    "party_branch",
    "government_department",
    "residents_committee",
    "villagers_committee",
    "enterprise",
    "school",
    "hospital",
    "public_institution",
    "social_organization",
    "police_station",
    "court",
    "property_company",
]
Status = Literal["active", "suspended", "dissolved"]
Category = Literal[
    "elderly", "children", "medical", "legal", "employment", "environment", "culture", "safety", "assistance", "other"
]
Registration = Literal["registered", "filed"]
SocialType = Literal["social_group", "private_non_enterprise", "foundation", "community_based"]
MemberRole = Literal["lead", "member", "part_time_member"]
Lon = Field(None, ge=-180, le=180)
Lat = Field(None, ge=-90, le=90)


class OrganizationIn(BaseModel):
    area_code: str = Field(max_length=15, description="where the organization sits")
    kind: Kind
    name: str = Field(max_length=200)
    parent_id: Id | None = Field(None, description="a Party organization's higher organization")
    uscc: str | None = Field(None, max_length=30, description="统一社会信用代码 (18 characters, GB 32100)")
    address: str = Field("", max_length=300)
    lon: float | None = Lon
    lat: float | None = Lat
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=30)
    status: Status = "active"
    registration: Registration | None = None
    social_type: SocialType | None = None
    service_field: Category | None = None
    rating: int | None = Field(None, ge=1, le=5, description="a social organization's rating (1A–5A)")


class OrganizationUpdate(Patch):
    nullable = frozenset({"parent_id", "uscc", "lon", "lat", "registration", "social_type", "service_field", "rating"})

    name: str | None = Field(None, max_length=200)
    parent_id: Id | None = None
    uscc: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    lon: float | None = Lon
    lat: float | None = Lat
    contact_name: str | None = Field(None, max_length=100)
    contact_phone: str | None = Field(None, max_length=30)
    status: Status | None = None
    registration: Registration | None = None
    social_type: SocialType | None = None
    service_field: Category | None = None
    rating: int | None = Field(None, ge=1, le=5)


class OrganizationOut(BaseModel):
    id: int
    area_code: str
    kind: Kind
    name: str
    parent_id: int | None
    uscc: str | None
    address: str
    lon: float | None
    lat: float | None
    contact_name: str
    contact_phone: str
    status: Status
    registration: Registration | None
    social_type: SocialType | None
    service_field: Category | None
    rating: int | None
    generated: bool


class ContactIn(BaseModel):
    username: str = Field(max_length=64, description="an account holding org_contact over the organization's place")


class ContactOut(BaseModel):
    user_id: int
    username: str
    display_name: str


class AllianceIn(BaseModel):
    area_code: str = Field(max_length=15, description="the area the alliance covers (a street, a community)")
    name: str = Field(max_length=200)
    lead_org_id: Id
    signed_on: date | None = None
    ends_on: date | None = None


class AllianceOut(BaseModel):
    id: int
    area_code: str
    name: str
    lead_org_id: int
    signed_on: date | None
    ends_on: date | None
    status: Literal["active", "ended"]
    members: int
    generated: bool


class MemberIn(BaseModel):
    organization_id: Id
    role: MemberRole = "member"
    joined_on: date | None = None
    cross_area: bool = Field(False, description="admit a unit sitting outside the alliance's area")


class MemberOut(BaseModel):
    organization_id: int
    name: str
    kind: Kind
    area_code: str
    role: MemberRole
    joined_on: date | None
    cross_area: bool


class NeedIn(BaseModel):
    area_code: str = Field(max_length=15, description="where the need was raised (a community or a grid)")
    title: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    category: Category
    raised_by: Literal["resident", "grid", "community"] = "community"
    event_id: Id | None = Field(None, description="the grid event the need comes from")
    lon: float | None = Lon
    lat: float | None = Lat


class NeedOut(BaseModel):
    id: int
    area_code: str
    title: str
    description: str
    category: Category
    raised_by: Literal["resident", "grid", "community"]
    event_id: int | None
    lon: float | None
    lat: float | None
    status: Literal["open", "claimed", "met", "closed"]
    created_by: str
    generated: bool


class ResourceIn(BaseModel):
    organization_id: Id
    resource_type: Category
    title: str = Field(max_length=200)
    capacity: int = Field(1, ge=1, le=1_000_000, description="people (or times) per period")
    availability: str = Field("", max_length=200, description="when it is available, e.g. 周末全天")


class ResourceOut(BaseModel):
    id: int
    alliance_id: int
    organization_id: int
    area_code: str
    resource_type: Category
    title: str
    capacity: int
    availability: str
    status: Literal["active", "withdrawn"]


class ClaimIn(BaseModel):
    resource_id: Id
    starts_on: date
    ends_on: date


class ResultIn(BaseModel):
    result: str = Field(max_length=5000)
    done_on: date | None = None


class RatingIn(BaseModel):
    rating: int = Field(ge=-1000, le=1000, description="the residents' rating, 1 (poor) to 5 (very good)")


class ProjectOut(BaseModel):
    id: int
    alliance_id: int
    need_id: int
    resource_id: int
    organization_id: int
    area_code: str
    starts_on: date
    ends_on: date
    status: Literal["claimed", "done", "dropped"]
    result: str | None
    done_on: date | None
    rating: int | None
    claimed_by: str


class SuggestionOut(BaseModel):
    need_id: int
    need_title: str
    need_area: str
    category: Category
    resource_id: int
    resource_title: str
    alliance_id: int
    organization_id: int
    organization_name: str
    distance_m: int | None


class UnitReportIn(BaseModel):
    area_code: str = Field(max_length=15, description="the community the unit reports to (where it sits)")
    reported_on: date | None = None


class MemberReportIn(BaseModel):
    person_id: Id = Field(description="the Party member in the residents register")
    organization_id: Id = Field(description="the unit they work for")
    reported_on: date | None = None


class ReportOut(BaseModel):
    id: int
    organization_id: int
    area_code: str
    reported_on: date
    person_id: int | None = None


class ServiceRecordIn(BaseModel):
    organization_id: Id
    member_report_id: Id | None = Field(None, description="a reported member of the unit who served")
    area_code: str | None = Field(None, max_length=15, description="the community served (default: reported to)")
    served_on: date
    hours: float = Field(gt=0, le=24)
    content: str = Field(max_length=2000)
    rating: int | None = Field(None, ge=-1000, le=1000, description="the beneficiaries' rating, 1 to 5")


class ServiceRecordOut(BaseModel):
    id: int
    organization_id: int
    member_report_id: int | None
    area_code: str
    served_on: date
    hours: float
    content: str
    rating: int | None


class SummaryOut(BaseModel):
    organization_id: int
    organization_name: str
    member_report_id: int | None
    member_name: str | None
    records: int
    hours: float
    average_rating: float | None


class CountsRowOut(BaseModel):
    area_code: str
    alliances: int
    members: int
    pairs: int
    projects_done: int
    needs_open: int
    needs_met: int
    social_orgs: int
    residents: int
    social_orgs_per_10k: float | None


class CountsOut(BaseModel):
    area_code: str
    rows: list[CountsRowOut]
    total: CountsRowOut


class PairingIn(BaseModel):
    organization_id: Id
    area_code: str = Field(max_length=15, description="the community (or village) paired with")
    kind: Literal["one_to_one", "many_to_one"] = "many_to_one"
    started_on: date | None = None


class PairingEndIn(BaseModel):
    ended_on: date | None = None


class PairingOut(BaseModel):
    id: int
    organization_id: int
    area_code: str
    kind: Literal["one_to_one", "many_to_one"]
    started_on: date
    ended_on: date | None
    status: Literal["active", "ended"]
    activities: int = 0


class ActivityIn(BaseModel):
    held_on: date
    title: str = Field(max_length=200)
    participants: int = Field(0, ge=0, le=100_000)
    content: str = Field("", max_length=5000)


class ActivityOut(BaseModel):
    id: int
    pairing_id: int
    held_on: date
    title: str
    participants: int
    content: str
