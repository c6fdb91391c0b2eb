"""Bodies and answers of the facilities API."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from linli.kit.types import Id

RoomFunction = Literal[
    "service_hall", "office", "meeting", "activity", "elderly", "children", "library", "health", "party",
    "social_work", "classroom", "other",
]  # fmt: skip
Feature = Literal[
    "ramp", "lift", "accessible_toilet", "tactile_paving", "handrails", "accessible_parking", "low_counter",
    "hearing_loop", "braille_signs",
]  # fmt: skip
Criterion = Literal[
    "party_building", "services", "facility", "elderly", "governance", "environment", "safety", "culture", "digital"
]
Village = Field(min_length=12, max_length=12, description="the community or village (12 digits)")


class RoomIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    function: RoomFunction
    floor_area: Decimal | None = Field(None, description="m², optional")


def _clock(value: time) -> time:
    """A time on the facility's wall clock (Beijing time): minutes only, no offset."""
    return value.replace(second=0, microsecond=0, tzinfo=None)


Clock = Annotated[time, AfterValidator(_clock)]
HHMM = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM, Beijing time")


class HoursIn(BaseModel):
    weekday: int = Field(ge=0, le=6, description="0 Monday … 6 Sunday")
    opens: Clock = Field(description="Beijing time")
    closes: Clock = Field(description="Beijing time; after opens")


class FacilityIn(BaseModel):
    area_code: str = Village
    name: str = Field(min_length=1, max_length=200)
    floor_area: Decimal = Field(description="m²: above 0, at most 100,000")
    address: str = Field("", max_length=300)
    lon: float | None = Field(None, ge=73, le=136)
    lat: float | None = Field(None, ge=3, le=54)
    phone: str | None = Field(None, max_length=40, description="the facility's desk")
    accessibility: list[Feature] = Field(default_factory=list, max_length=20)
    rooms: list[RoomIn] = Field(default_factory=list, max_length=60)
    hours: list[HoursIn] = Field(default_factory=list, max_length=7)
    note: str = Field("", max_length=2000)


class RoomOut(RoomIn):
    pass


class HoursOut(BaseModel):
    weekday: int = Field(description="0 Monday … 6 Sunday")
    opens: str = HHMM
    closes: str = HHMM


class PhotoOut(BaseModel):
    id: int
    file_name: str
    url: str


class FacilityOut(BaseModel):
    id: int
    area_code: str
    area_kind: str = Field(description="community (urban) or village (rural), from the area")
    name: str
    floor_area: Decimal
    address: str
    lon: float | None
    lat: float | None
    phone: str | None
    accessibility: list[str]
    rooms: list[RoomOut]
    hours: list[HoursOut]
    photos: list[PhotoOut]
    note: str
    generated: bool


class ReportRow(BaseModel):
    area_code: str
    communities: int = Field(description="urban communities (area kind community)")
    communities_with_facility: int
    over_500: int = Field(description="communities whose facilities' floor area is over 500 m²")
    over_1000: int
    share_over_1000: float | None = Field(description="over_1000 / communities_with_facility")
    villages: int = Field(description="villages (area kind village)")
    villages_with_facility: int
    village_average: Decimal | None = Field(description="average floor area of villages with a facility, m²")


class ReportOut(BaseModel):
    total: ReportRow
    rows: list[ReportRow] = Field(description="one per child area")


class HappySiteIn(BaseModel):
    area_code: str = Village
    year: int = Field(ge=2000, le=2100, description="the year designated")
    criteria: list[Criterion] = Field(min_length=1, max_length=20)
    note: str = Field("", max_length=2000)


class HappyReviewIn(BaseModel):
    year: int = Field(ge=2000, le=2100)
    result: Literal["kept", "rectify", "revoked"]
    note: str = Field("", max_length=2000)


class HappyReviewOut(HappyReviewIn):
    reviewed_by: str


class HappySiteOut(BaseModel):
    id: int
    area_code: str
    year: int
    criteria: list[str]
    note: str
    reviews: list[HappyReviewOut]
    generated: bool


class BranchIn(BaseModel):
    area_code: str = Village
    name: str = Field(min_length=1, max_length=200)
    facility_id: Id | None = None


class ClassIn(BaseModel):
    course: str = Field(min_length=1, max_length=100)
    teacher: str = Field(min_length=1, max_length=100)
    term: str = Field(min_length=1, max_length=40, description="e.g. 2026年春季")
    starts_on: date
    ends_on: date
    schedule: str = Field("", max_length=200, description="e.g. 每周二 9:00–10:30")
    capacity: int = Field(ge=1, le=1000)


class ClassOut(ClassIn):
    id: int
    branch_id: int
    enrolled: int
    seats_left: int
    generated: bool


class BranchOut(BaseModel):
    id: int
    area_code: str
    name: str
    facility_id: int | None
    classes: list[ClassOut]
    generated: bool


class EnrolmentIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="the person enrolled at the desk")


class EnrolmentOut(BaseModel):
    id: int
    class_id: int
    name: str
    status: str
    own: bool = Field(description="enrolled by the resident themselves")


class ClassDetail(ClassOut):
    enrolments: list[EnrolmentOut]
