"""Request and response bodies of the events API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from linli.kit.types import Id

LimitUnit = Literal["hours", "days"]
LimitAmount = Annotated[int, Field(ge=1, le=1000)]


class StageLimits(BaseModel):
    """A category's time limits, for each stage (register, handle, verify) a number and a unit ("hours":
    working hours, "days": working days). Declared here once: the category in the API, the limits an
    official sets, and the catalogue's snapshot (catalog_cache) take these fields; the tables' columns
    are models.StageLimitColumns."""

    register_limit: LimitAmount
    register_unit: LimitUnit
    handle_limit: LimitAmount
    handle_unit: LimitUnit
    verify_limit: LimitAmount
    verify_unit: LimitUnit

    def of(self, stage: str) -> tuple[int, str]:
        """(amount, unit) of a stage."""
        return getattr(self, f"{stage}_limit"), getattr(self, f"{stage}_unit")

    @classmethod
    def of_row(cls, row: Any) -> StageLimits:
        """The limits of a row with these fields (a category, an area's limits), as stored: not checked
        again."""
        return cls.model_construct(**{name: getattr(row, name) for name in cls.model_fields})


class _CategoryHead(BaseModel):
    """The fields of a category that come before its limits (a base class only for the order of the
    fields in the JSON and the OpenAPI document)."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    parent_code: str | None
    name: str
    name_en: str
    unit_kind: str


class CategoryOut(StageLimits, _CategoryHead):
    public: bool = Field(True, description="whether Open311 without an api_key shows its accepted events")


class _AreaOfLimits(BaseModel):
    area_code: str = Field(description="the area (subtree) these limits apply to")


class LimitsIn(StageLimits, _AreaOfLimits):
    pass


class LimitsOut(LimitsIn):
    category_code: str


class UnitIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str
    area_code: str = Field(description="the area the unit sits in; it serves that subtree")
    serves: list[str] = Field(default_factory=list, description="further areas (subtrees) it serves")


class UnitOut(BaseModel):
    id: int
    name: str
    kind: str
    area_code: str
    serves: list[str]
    active: bool
    generated: bool


class MemberIn(BaseModel):
    user_id: Id


class RuleIn(BaseModel):
    category_code: str
    area_code: str
    unit_id: Id


class RuleOut(BaseModel):
    id: int
    category_code: str
    area_code: str
    unit_id: int


class ReportIn(BaseModel):
    category_code: str
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    lon: float | None = Field(default=None, description="WGS 84; taken from a photo's EXIF when omitted")
    lat: float | None = None
    address: str = Field(default="", max_length=300)
    photo_ids: list[Id] = Field(default_factory=list, max_length=9)
    contact_phone: str | None = Field(default=None, max_length=40)


class TransitionIn(BaseModel):
    action: str
    reason: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)
    report: str | None = Field(default=None, max_length=5000, description="handling report (handle)")
    unit_id: Id | None = Field(default=None, description="dispatch: the unit (default: the routed one)")
    into_id: Id | None = Field(default=None, description="merge: the event that survives")
    passed: bool | None = Field(default=None, description="verify: passed on site, or back to handling")
    satisfaction: int | None = Field(default=None, description="evaluate: 1–5")
    comment: str | None = Field(default=None, max_length=2000)
    photo_ids: list[Id] = Field(default_factory=list, max_length=9)


class NoteIn(BaseModel):
    note: str = Field(min_length=1, max_length=2000)


class TimelineEntry(BaseModel):
    at: datetime
    action: str
    from_state: str | None
    to_state: str | None
    actor: str | None = None
    note: str | None = None
    data: dict | None = None


class PhotoOut(BaseModel):
    id: int
    stage: str | None
    url: str
    width: int | None = None
    height: int | None = None
    exif_point: list[float] | None = None


class DeadlineOut(BaseModel):
    stage: str
    due: datetime
    overdue: bool
    remaining_working_hours: float


class EventOut(BaseModel):
    """An event; `public` is true when personal data (reporter, contact, photo metadata) was left out."""

    id: int
    category_code: str
    category_name: str
    state: str
    title: str
    description: str
    lon: float
    lat: float
    address: str
    area_code: str
    reported_at: datetime
    updated_at: datetime
    unit_id: int | None
    unit_name: str | None = None
    escalation_level: int
    deadline: DeadlineOut | None
    me_too_count: int
    merged_into_id: int | None
    satisfaction: int | None
    generated: bool
    public: bool
    source: str | None = None
    reporter_id: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    allowed_actions: list[str] | None = None


class ContactOut(BaseModel):
    """A reporter's contact details in clear (a reveal, audited)."""

    event_id: int
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None


class EventDetail(EventOut):
    timeline: list[TimelineEntry]
    photos: list[PhotoOut]


class Duplicate(BaseModel):
    id: int
    title: str
    state: str
    distance_m: float
    reported_at: datetime


class ReportPlaceOut(BaseModel):
    """Whether a point is inside the area the reporter may report in, and the place's names there."""

    lon: float
    lat: float
    inside: bool
    code: str | None = None
    name: str | None = None
    village: str | None = None
    message: str


class ReportOut(BaseModel):
    event: EventOut
    created: bool
    possible_duplicates: list[Duplicate]


class StatsRow(BaseModel):
    code: str
    name: str
    total: int
    open: int
    overdue: int
    overdue_rate: float
    by_state: dict[str, int]


class StatsOut(BaseModel):
    area: StatsRow
    children: list[StatsRow]
