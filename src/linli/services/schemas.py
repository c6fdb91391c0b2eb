"""Request and response shapes of the services API: items, offers, applications, statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id

ItemType = Literal["XK", "JF", "QR", "JL", "CJ", "QT", "GG"]
OnlineDepth = Literal["info", "apply", "full"]
CommunityRole = Literal["accept", "agent", "help"]
LevelName = Literal["community", "township", "county"]
Action = Literal["accept", "return", "reject", "advance", "decide", "deliver", "withdraw", "resubmit"]


class MaterialIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    original: bool = Field(True, description="the original (true) or a copy (false)")
    count: int = Field(1, ge=1, le=20)
    required: bool = True
    template: str = Field("", max_length=200, description="file name of a blank form or sample")


class StepIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    unit: str = Field(min_length=1, max_length=100, description="the implementing unit of the step")
    level: LevelName = Field(description="where the unit sits: its handlers hold services.handle there")
    days: int = Field(ge=0, le=365, description="the step's limit in working days")
    counts: bool = Field(True, description="whether the step's time counts toward the promised limit")


class ItemIn(BaseModel):
    area_code: str = Field(max_length=15, description="the area defining the item (the province, usually)")
    basic_code: str = Field(max_length=40, description="TYPE-DEPARTMENT-SEQUENCE, e.g. GG-MZ-00012")
    main_name: str = Field(min_length=1, max_length=200)
    sub_name: str = Field("", max_length=200)
    name: str = Field(min_length=1, max_length=200, description="the handling item's name")
    item_type: ItemType
    department: str = Field(min_length=1, max_length=100)
    department_code: str = Field(max_length=8)
    implementing_unit: str = Field(min_length=1, max_length=100)
    level: LevelName
    legal_basis: str = Field("", max_length=4000)
    conditions: str = Field("", max_length=4000)
    materials: list[MaterialIn] = Field(default_factory=list, max_length=40)
    steps: list[StepIn] = Field(default_factory=list, max_length=12)
    statutory_days: int = Field(ge=0, le=365)
    promised_days: int = Field(ge=0, le=365)
    fee: str = Field("不收费", max_length=100)
    fee_basis: str = Field("", max_length=2000)
    online_depth: OnlineDepth = "apply"
    max_visits: int = Field(1, ge=0, le=10)
    consult_phone: str = Field("", max_length=40)
    complaint_phone: str = Field("", max_length=40)
    community_role: CommunityRole = "accept"
    example: bool = False


class ItemOut(ItemIn):
    id: int
    active: bool
    generated: bool


class OfferIn(BaseModel):
    item_id: Id
    area_code: str = Field(max_length=15, description="the county, street or community enabling the item")
    promised_days: int | None = Field(None, ge=0, le=365, description="the local promise; the item's when left out")
    place: str = Field("", max_length=200)
    hours: str = Field("", max_length=200)
    consult_phone: str = Field("", max_length=40)
    complaint_phone: str = Field("", max_length=40)
    enabled: bool = True


class OfferOut(BaseModel):
    id: int
    item_id: int
    area_code: str
    implementation_code: str
    name: str
    basic_code: str
    statutory_days: int
    promised_days: int
    place: str
    hours: str
    consult_phone: str
    complaint_phone: str
    enabled: bool
    example: bool


class ApplicationIn(BaseModel):
    offer_id: Id
    person_id: Id | None = Field(None, description="the applicant; a resident's own entry when left out")
    assist: Literal["none", "agent", "help"] = Field(
        "none", description="at the counter: the worker acts as agent (代办) or helps (帮办)"
    )
    note: str = Field("", max_length=2000)


class TransitionIn(BaseModel):
    action: Action
    note: str = Field("", max_length=2000, description="the reason of a rejection or decision; any remark")
    missing: list[str] = Field(default_factory=list, max_length=40, description="return: what is missing")
    outcome: Literal["approved", "denied"] | None = Field(None, description="decide: the decision")


class SeenIn(BaseModel):
    position: int = Field(ge=0, le=39, description="the item's material, by its place in the list")


class MaterialOut(BaseModel):
    position: int
    name: str
    required: bool
    original: bool
    count: int
    how: Literal["uploaded", "seen"] | None
    file_name: str | None


class LogOut(BaseModel):
    action: str
    from_state: str | None
    to_state: str
    step_index: int | None
    unit: str
    actor: str
    note: str
    at: datetime


class ApplicationOut(BaseModel):
    id: int
    number: str
    offer_id: int
    item_id: int
    item_name: str
    area_code: str
    applicant_name: str
    channel: str
    assist: str
    acted_by: str | None
    state: str
    step_index: int | None
    step_name: str | None
    step_unit: str | None
    step_due_at: datetime | None
    due_at: datetime | None
    overdue: bool
    remaining_working_hours: float | None
    submitted_at: datetime
    accepted_at: datetime | None
    decided_at: datetime | None
    delivered_at: datetime | None
    outcome: str | None
    reason: str
    missing: list[str]
    visits: int
    generated: bool


class ApplicationDetail(ApplicationOut):
    materials: list[MaterialOut]
    log: list[LogOut]
    actions: list[str] = Field(description="what the reader may do next")


class StatsRow(BaseModel):
    key: str = Field(description="item id or area code")
    name: str
    total: int
    open: int
    decided: int
    on_time: int
    on_time_rate: float | None
    average_working_days: float | None
    average_visits: float | None


class ImportOut(BaseModel):
    items: int
    offers: int


class OfferDetail(OfferOut):
    item: ItemOut
