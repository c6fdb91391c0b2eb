"""Bodies and answers of the social work API. Bounds a person can get wrong (hours, dates, states) are
checked by the service with a message in words; the schema bounds only what the database cannot hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id

Qualification = Literal["none", "assistant", "social_worker", "senior"]
ServiceKind = Literal["assistance", "elderly", "children", "disability", "community_governance", "other"]
Step = Literal["assessed", "planned", "note", "closed"]


class StationIn(BaseModel):
    """A centre (area: a county), a station (a township) or a room (a village or community; `parent_id`
    its township's station)."""

    area_code: str = Field(min_length=2, max_length=12)
    name: str = Field(max_length=200)
    address: str = Field("", max_length=300)
    opened_on: date | None = None
    parent_id: Id | None = Field(None, description="a room's station (of the room's own township)")


class StationOut(BaseModel):
    id: int
    area_code: str
    level: str
    parent_id: int | None
    name: str
    address: str
    opened_on: date | None
    status: str
    generated: bool


class StaffIn(BaseModel):
    name: str = Field("", max_length=100, description="may be left empty when worker_id is given")
    title: str = Field("", max_length=60)
    qualification: Qualification = "none"
    qualified_on: date | None = None
    worker_id: Id | None = Field(None, description="the staff member in the workforce register, if there")
    username: str | None = Field(None, max_length=64, description="the account they sign in with (for cases)")


class StaffOut(BaseModel):
    id: int
    station_id: int
    name: str
    title: str
    qualification: str
    qualified_on: date | None
    worker_id: int | None
    has_account: bool
    status: str


class ServiceIn(BaseModel):
    kind: ServiceKind
    note: str = Field("", max_length=300)


class ServiceOut(BaseModel):
    id: int
    kind: str
    note: str


class RecordIn(BaseModel):
    served_on: date
    kind: ServiceKind
    hours: Decimal = Field(ge=-1000, le=1000, max_digits=5, decimal_places=1, description="more than 0, at most 24")
    beneficiaries: int = Field(ge=-1000000, le=1000000, description="people reached, at least 1")
    person_id: Id | None = Field(None, description="a beneficiary in the residents register")
    content: str = Field("", max_length=2000)


class RecordOut(BaseModel):
    id: int
    station_id: int
    staff_id: int
    staff_name: str
    served_on: date
    kind: str
    hours: float
    beneficiaries: int
    person_id: int | None
    person_name: str | None = Field(description="shown to those who may read the register there")
    content: str


class CaseIn(BaseModel):
    kind: ServiceKind
    worker_id: Id | None = Field(None, description="the case worker (a staff member); default: oneself")
    person_id: Id | None = Field(None, description="the client in the residents register")
    client: str = Field("", max_length=100, description="the client's name when not in the register")
    summary: str = Field(max_length=5000)
    opened_on: date | None = None


class EntryIn(BaseModel):
    step: Step
    on: date | None = None
    text: str = Field(max_length=5000)


class EntryOut(BaseModel):
    id: int
    step: str
    on: date
    text: str
    staff_name: str


class CaseOut(BaseModel):
    id: int
    station_id: int
    area_code: str
    kind: str
    worker_id: int
    worker_name: str
    client_name: str
    person_id: int | None
    summary: str
    opened_on: date
    closed_on: date | None
    status: str
    entries: list[EntryOut]


class StationDetailOut(StationOut):
    staff: list[StaffOut]
    services: list[ServiceOut]
    rooms: list[StationOut]


class CountsRowOut(BaseModel):
    area_code: str
    stations: int
    rooms: int
    staff: int
    certified: int
    records: int
    hours: float
    open_cases: int


class CountsOut(BaseModel):
    area_code: str
    rows: list[CountsRowOut]
    total: CountsRowOut
