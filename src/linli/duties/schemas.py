"""Request and response shapes of the responsibility lists' API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id

Kind = Literal["basic", "assisting", "taken_back"]
Category = Literal["party", "economy", "livelihood", "safety", "construction", "environment", "governance", "other"]
Action = Literal["add", "adjust", "cancel"]


class DutyIn(BaseModel):
    code: str = Field(max_length=12, description="the duty's code in its list, e.g. J-001 (basic), P-012, S-003")
    kind: Kind
    category: Category
    content: str = Field(min_length=1, max_length=2000)
    legal_basis: str = Field("", max_length=2000)
    lead_unit: str = Field("", max_length=200, description="the township's office that leads")
    cooperating_units: str = Field("", max_length=400)
    upper_department: str = Field("", max_length=200, description="assisting: the upper department that keeps it")
    upper_duty: str = Field("", max_length=2000, description="assisting: the upper department's duty")
    assisting_duty: str = Field("", max_length=2000, description="assisting: what the township does")
    receiving_department: str = Field("", max_length=200, description="taken back: who receives it")
    working_mode: str = Field("", max_length=2000, description="taken back: how the township works with them")


class DutyOut(DutyIn):
    id: int
    added_in: int
    removed_in: int | None
    generated: bool


class ListIn(BaseModel):
    area_code: str = Field(max_length=15, description="the township")
    title: str = Field("", max_length=200)
    effective_from: date
    note: str = Field("", max_length=2000)
    duties: list[DutyIn] = Field(min_length=1, max_length=600)


class VersionOut(BaseModel):
    number: int
    approved_by: str
    approved_at: datetime
    effective_from: date
    note: str
    change_id: int | None


class ListOut(BaseModel):
    id: int
    area_code: str
    title: str
    version: int
    duties: list[DutyOut]
    versions: list[VersionOut]


class ChangeIn(BaseModel):
    action: Action
    duty_code: str = Field(max_length=12)
    duty: DutyIn | None = Field(None, description="the duty as it should read (add, adjust)")
    reason: str = Field(min_length=1, max_length=2000)


class ReviewIn(BaseModel):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=2000, description="the reason (required to reject)")
    effective_from: date | None = Field(None, description="from when the new version applies (today when left out)")


class ChangeOut(BaseModel):
    id: int
    area_code: str
    action: Action
    duty_code: str
    proposed: dict
    reason: str
    state: str
    filed_by: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str
    version: int | None
    created_at: datetime


class LinkIn(BaseModel):
    duty_code: str = Field(max_length=12)
    event_category_code: str | None = Field(None, max_length=8)
    service_item_id: Id | None = None


class LinkOut(BaseModel):
    id: int
    duty_code: str
    event_category_code: str | None
    service_item_id: int | None
    target_name: str


class ReportRow(BaseModel):
    area_code: str
    kind: str
    category: str
    n: int


class ChangeCount(BaseModel):
    month: str
    action: str
    n: int


class UnlistedRow(BaseModel):
    area_code: str = Field(description="the township the events were dispatched to")
    category_code: str
    category_name: str
    events: int


class ReportOut(BaseModel):
    area_code: str
    items: list[ReportRow]
    changes: list[ChangeCount]
    unlisted: list[UnlistedRow]
