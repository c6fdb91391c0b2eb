"""Bodies and answers of an alliance's agreements, meetings and annual reviews, and of a unit's annual
evaluations by the communities it reported to."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Grade = Literal["excellent", "good", "fair", "poor"]


class AgreementIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    signed_on: date
    starts_on: date
    ends_on: date


class AgreementOut(BaseModel):
    id: int
    alliance_id: int
    title: str
    signed_on: date
    starts_on: date
    ends_on: date
    file_name: str | None
    file_type: str | None
    file_size: int | None
    generated: bool


class MeetingIn(BaseModel):
    held_on: date
    title: str = Field(min_length=1, max_length=200)
    attendees: int = Field(0, ge=0, le=100_000)
    minutes: str = Field("", max_length=20_000)


class MeetingOut(BaseModel):
    id: int
    alliance_id: int
    held_on: date
    title: str
    attendees: int
    minutes: str
    generated: bool


class ReviewIn(BaseModel):
    year: int = Field(ge=2000, le=2100)
    grade: Grade
    summary: str = Field("", max_length=5000)


class ReviewOut(BaseModel):
    id: int
    alliance_id: int
    year: int
    grade: str
    summary: str
    generated: bool


class EvaluationIn(BaseModel):
    area_code: str = Field(max_length=15, description="the community the unit reported to")
    year: int = Field(ge=2000, le=2100)
    grade: Grade
    comment: str = Field("", max_length=2000)


class EvaluationOut(BaseModel):
    id: int
    organization_id: int
    area_code: str
    year: int
    grade: str
    comment: str
    generated: bool
