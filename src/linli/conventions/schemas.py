"""Request and response shapes of the conventions API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Body = Literal[
    "villagers_meeting", "residents_meeting", "villagers_representatives_meeting", "residents_representatives_meeting"
]


class AdoptIn(BaseModel):
    """The meeting that adopted a version: its kind and date, who attended (women counted), and a reference to
    the meeting's record (linked to the self-government meetings later)."""

    body: Body | None = None
    adopted_on: date | None = None
    attendance_expected: int | None = Field(None, ge=1, le=1_000_000, description="entitled to attend, if known")
    attendance_present: int | None = Field(
        None, ge=1, le=1_000_000, description="typed for a meeting before the platform"
    )
    women_present: int | None = Field(None, ge=0, le=1_000_000, description="typed for a meeting before the platform")
    meeting_ref: str | None = Field(None, max_length=100, description="the record of a meeting before the platform")
    meeting_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="the self-government meeting that adopted it (its figures are read)"
    )


class VersionOut(BaseModel):
    id: int
    number: int
    status: str
    text: str
    opinions: int
    review_note: str | None
    adopted_by: str | None
    adopted_on: date | None
    attendance_expected: int | None
    attendance_present: int | None
    women_present: int | None
    meeting_ref: str | None
    rules: str | None
    filing_due_on: date | None
    filed_on: date | None
    filing_late: bool
    filing_received: bool
    published_on: date | None
    superseded_on: date | None


class ConventionOut(BaseModel):
    id: int
    area_code: str
    title: str
    in_force_version_id: int | None
    generated: bool


class ConventionDetail(ConventionOut):
    versions: list[VersionOut]
