"""Pydantic shapes of the residents API. ID and phone numbers go out masked unless revealed."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from linli.kit.types import Id, PageNumber, Patch
from linli.residents.kinds import BuildingKind, Gender, PersonStatus, RegisterType, Relation, Tag, TransferStatus


class BuildingIn(BaseModel):
    area_code: str = Field(description="the grid (15 digits)")
    name: str = Field(min_length=1, max_length=200)
    address: str = Field("", max_length=300)
    kind: BuildingKind
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    units: int | None = Field(None, ge=1, le=200)
    floors: int | None = Field(None, ge=1, le=200)


class BuildingPatch(Patch):
    nullable = frozenset({"lon", "lat", "units", "floors"})

    name: str | None = Field(None, min_length=1, max_length=200)
    address: str | None = Field(None, max_length=300)
    kind: BuildingKind | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    units: int | None = Field(None, ge=1, le=200)
    floors: int | None = Field(None, ge=1, le=200)


class BuildingOut(BaseModel):
    id: int
    area_code: str
    name: str
    address: str
    kind: str
    lon: float | None
    lat: float | None
    units: int | None
    floors: int | None
    generated: bool


class TagIn(BaseModel):
    tag: Tag
    start_on: date | None = Field(None, description="default: today")
    end_on: date | None = None
    note: str = Field("", max_length=200)


class TagOut(BaseModel):
    id: int
    tag: str
    start_on: date
    end_on: date | None
    note: str


class PersonIn(BaseModel):
    household_id: Id | None = Field(None, description="the household joined (its grid is the person's)")
    area_code: str | None = Field(None, description="the grid, when the person joins no household")
    relation: Relation | None = None
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(max_length=40)
    gender: Gender | None = Field(None, description="derived from the ID number; if given, must agree")
    birth_date: date | None = Field(None, description="derived from the ID number; if given, must agree")
    ethnicity: str = Field("", max_length=20)
    phone: str | None = Field(None, max_length=40)
    moved_in_on: date | None = None
    party_member: bool = False
    registered_as: str = Field("existing", pattern="^(existing|birth|move_in)$")
    tags: list[TagIn] = []


class PersonPatch(Patch):
    nullable = frozenset({"phone", "moved_in_on"})  # null removes the phone number (like ""), or the day

    name: str | None = Field(None, min_length=1, max_length=100)
    id_number: str | None = Field(None, max_length=40, description="a correction of a mistyped number")
    ethnicity: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=40, description='"" removes the phone number')
    relation: Relation | None = None
    moved_in_on: date | None = None
    party_member: bool | None = None


class PersonOut(BaseModel):
    id: int
    area_code: str
    household_id: int | None
    relation: str | None
    name: str
    gender: str
    birth_date: date
    age: int
    ethnicity: str
    id_number: str
    phone: str | None
    revealed: bool
    status: PersonStatus
    moved_in_on: date | None
    moved_out_on: date | None
    died_on: date | None
    party_member: bool
    generated: bool
    tags: list[TagOut] = []


class AccountLinkIn(BaseModel):
    username: str = Field(min_length=1, max_length=64, description="the resident's account (role resident only)")


class AccountLinkOut(BaseModel):
    person_id: int
    person_name: str
    user_id: int
    username: str
    display_name: str
    linked_at: datetime
    linked_by: str


class HouseholdMemberOut(BaseModel):
    """Another member as the resident sees them: a name and a relation, nothing else."""

    name: str
    relation: str | None
    is_you: bool


class MyHouseholdOut(BaseModel):
    id: int
    address: str
    unit: str
    room: str
    register_type: str
    head_name: str | None
    members: list[HouseholdMemberOut]


class RegistrationOut(BaseModel):
    """A resident's own register entry (ID and phone masked) and their household, for themself."""

    person: PersonOut
    grid_name: str
    community_name: str
    household: MyHouseholdOut | None
    linked_at: datetime


class HouseholdIn(BaseModel):
    area_code: str = Field(description="the grid (15 digits)")
    building_id: Id | None = None
    unit: str = Field("", max_length=20)
    room: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    register_type: RegisterType


class NewMemberIn(BaseModel):
    """A member of a household being registered, as typed on its form: checked by the service."""

    relation: str = ""
    name: str = ""
    id_number: str = ""
    phone: str = ""
    ethnicity: str = ""
    tags: list[str] = []


class HouseholdPatch(Patch):
    nullable = frozenset({"building_id"})  # the household is in no building

    building_id: Id | None = None
    unit: str | None = Field(None, max_length=20)
    room: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=300)
    register_type: RegisterType | None = None
    head_person_id: Id | None = Field(None, description="a member who becomes the head")


class HouseholdOut(BaseModel):
    id: int
    area_code: str
    building_id: int | None
    unit: str
    room: str
    address: str
    register_type: str
    head_person_id: int | None
    head_name: str | None
    status: str
    merged_into_id: int | None
    member_count: int
    generated: bool
    members: list[PersonOut] | None = None


class MemberIn(BaseModel):
    person_id: Id
    relation: Relation


class MoveIn(BaseModel):
    to_area_code: str = Field(description="the grid moved to")
    household_id: Id | None = Field(None, description="for a person: the household joined there")
    relation: Relation | None = None
    on: date | None = Field(None, description="the day of the move (default today)")


class MoveOutIn(BaseModel):
    on: date | None = None
    destination: str = Field("", max_length=200, description="where to, in words (outside the system)")


class DeathIn(BaseModel):
    died_on: date


class SplitIn(BaseModel):
    person_ids: list[Id] = Field(min_length=1)
    head_person_id: Id
    address: str | None = Field(None, max_length=300)
    unit: str | None = Field(None, max_length=20)
    room: str | None = Field(None, max_length=20)
    building_id: Id | None = None
    register_type: RegisterType | None = None
    on: date | None = None


class MergeIn(BaseModel):
    into_household_id: Id
    on: date | None = None


class EventOut(BaseModel):
    id: int
    kind: str
    on: date
    at: datetime
    person_id: int | None
    household_id: int | None
    other_household_id: int | None
    from_area: str | None
    to_area: str | None
    details: dict | None
    actor: str


class TransferIn(BaseModel):
    person_id: Id | None = None
    household_id: Id | None = None
    to_area_code: str
    reason: str = Field("", max_length=300)


class DecisionIn(BaseModel):
    note: str = Field("", max_length=300)
    household_id: Id | None = Field(None, description="accepting a person: the household they join")
    relation: Relation | None = None


class TransferOut(BaseModel):
    id: int
    status: TransferStatus
    from_area: str
    to_area: str
    person_id: int | None
    household_id: int | None
    subject: str = Field(description="who moves, masked: name, gender, birth year, masked ID")
    reason: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class SearchIn(BaseModel):
    area_code: str = Field(description="search within this area's subtree")
    name: str | None = Field(None, max_length=100, description="part of the name (names are up to 100 characters)")
    id_number: str | None = Field(None, max_length=40, description="exact ID number")
    phone: str | None = Field(None, max_length=40, description="exact phone number")
    tag: Tag | None = None
    register_type: RegisterType | None = Field(None, description="persons of households of this register type")
    age_min: int | None = Field(None, ge=0, le=150)
    age_max: int | None = Field(None, ge=0, le=150)
    status: PersonStatus | None = PersonStatus.present
    page: PageNumber = Field(1)
    size: int = Field(50, ge=1, le=500)


class HouseholdSearchIn(BaseModel):
    """A search of the active households under an area; every criterion given must hold."""

    area_code: str = Field(description="search within this area's subtree")
    text: str = Field("", max_length=100, description="part of the address or of a present member's name")
    room: str = Field("", max_length=20, description="the room (室), as registered or in the address")
    building_id: Id | None = None
    id_number: str | None = Field(None, max_length=40, description="a member's exact ID number")
    phone: str | None = Field(None, max_length=40, description="a member's exact phone number")
    tag: Tag | None = Field(None, description="a present member holds this tag today")
    register_type: RegisterType | None = None
    page: PageNumber = Field(1)
    size: int = Field(50, ge=1, le=500)


class CountsOut(BaseModel):
    code: str
    name: str
    persons: int
    by_tag: dict[str, int]
    by_age_band: dict[str, int]


class StatsOut(CountsOut):
    children: list[CountsOut]


class IdReviewDecision(BaseModel):
    outcome: str = Field(
        pattern="^(moved|not_moved|different)$",
        description="moved: the same person moved (the older entry moves away); not_moved: the same person did not"
        " move (the new entry is withdrawn); different: different people (the new entry's ID number is wrong)",
    )
    note: str = Field("", max_length=300)


class IdReviewOut(BaseModel):
    """Two entries with one ID number, in areas of different workers (both masked)."""

    id: int
    status: str
    area_code: str = Field(description="the lowest area containing both entries")
    person: PersonOut = Field(description="the newer (provisional) entry")
    existing_person: PersonOut = Field(description="the older entry")
    created_by: str
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    note: str
