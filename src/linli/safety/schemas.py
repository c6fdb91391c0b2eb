"""Request and response shapes of the safety API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id

Duty = Literal["police", "judge", "legal_adviser"]
Outcome = Literal["agreement", "failed", "referred"]


class AppointmentIn(BaseModel):
    area_code: str = Field(max_length=15, description="the grid (15 digits) or community/village (12) served")
    duty: Duty
    name: str = Field(max_length=100, description="the person's name")
    organization_id: Id | None = Field(None, description="their unit from the registry: police station, court, …")
    unit_name: str = Field("", max_length=200, description="their unit as text, when it is not in the registry")
    phone: str = Field("", max_length=30, description="their own phone: sealed, shown masked")
    duty_phone: str = Field("", max_length=30, description="the duty line residents call, shown in full")
    hours: str = Field("", max_length=200, description="when they are there, e.g. 每周三 9:00–11:30")
    starts_on: date
    ends_on: date | None = None


class AppointmentEndIn(BaseModel):
    ends_on: date | None = Field(None, description="the last day served; today when left out")


class AppointmentOut(BaseModel):
    id: int
    area_code: str
    duty: str
    name: str
    organization_id: int | None
    unit: str
    phone: str | None = Field(description="masked (138****5678)")
    duty_phone: str
    hours: str
    starts_on: date
    ends_on: date | None
    status: str
    generated: bool


class ContactOut(BaseModel):
    """What a resident sees of an appointee: the duty, the name, the duty line and the hours."""

    area_code: str
    duty: str
    name: str
    unit: str
    duty_phone: str
    hours: str


class CaseIn(BaseModel):
    area_code: str | None = Field(None, max_length=15, description="where; the event's place when an event is given")
    event_id: Id | None = Field(None, description="the event of the disputes category it came from")
    title: str = Field(max_length=200)
    parties: str = Field(max_length=2000, description="the parties in words: never their ID numbers")
    mediator: str = Field(max_length=100)
    appointment_id: Id | None = Field(None, description="the mediator's appointment, when one of them mediates")
    opened_on: date


class CaseCloseIn(BaseModel):
    outcome: Outcome
    closed_on: date | None = None
    summary: str = Field("", max_length=5000)


class CaseOut(BaseModel):
    id: int
    area_code: str
    event_id: int | None
    title: str
    parties: str
    mediator: str
    appointment_id: int | None
    opened_on: date
    closed_on: date | None
    status: str
    outcome: str | None
    summary: str
    generated: bool


class SessionIn(BaseModel):
    area_code: str = Field(max_length=15, description="the community or village where it was held")
    held_on: date
    place: str = Field(max_length=200)
    topic: str = Field(max_length=200)
    attendance: int = Field(0, ge=0, le=100000)
    appointment_id: Id | None = Field(None, description="the appointee who held it")


class SessionOut(BaseModel):
    id: int
    area_code: str
    appointment_id: int | None
    held_on: date
    place: str
    topic: str
    attendance: int
    generated: bool


class CountsRow(BaseModel):
    area_code: str
    grids_with_judge: int
    communities_with_police: int
    communities_with_adviser: int
    cases: int
    cases_closed: int
    cases_agreed: int
    success_rate: float | None = Field(description="agreements among closed cases, in percent")
    sessions: int


class CountsOut(BaseModel):
    area_code: str
    rows: list[CountsRow]
    total: CountsRow
