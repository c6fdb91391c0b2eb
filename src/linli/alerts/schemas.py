"""Warning messages in and out of the JSON API (and between CAP, the web form and the service)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class AreaIn(BaseModel):
    """One affected area: Linli area codes and/or CAP shapes (polygons "lat,lon …", circles "lat,lon km")."""

    area_desc: str = Field("", max_length=500)
    area_codes: list[str] = Field(default_factory=list, description="Linli / GB/T 2260 codes (6-digit county etc.)")
    polygons: list[str] = Field(default_factory=list)
    circles: list[str] = Field(default_factory=list)
    geocodes: list[tuple[str, str]] = Field(default_factory=list, description="[valueName, value] pairs as in CAP")
    altitude: str | None = Field(None, max_length=40)
    ceiling: str | None = Field(None, max_length=40)


class WarningIn(BaseModel):
    """A complete message (an Alert issued here, or any message read from CAP)."""

    msg_type: str = "Alert"
    identifier: str | None = Field(None, max_length=200, description="kept when given (imports); generated otherwise")
    references: str | None = Field(None, description="CAP references; Update and Cancel name the previous message")
    sender: str | None = Field(None, max_length=200)
    sender_name: str = Field(..., min_length=1, max_length=200, description="issuing agency, e.g. 农安县气象台")
    agency_code: str = Field(..., min_length=2, max_length=8, pattern=r"^[0-9A-Za-z]+$")
    status: str = "Actual"
    scope: str = "Public"
    restriction: str | None = None
    note: str | None = None
    language: str = Field("zh-CN", max_length=16)
    event_type: str
    event: str | None = Field(None, max_length=200)
    colour: str
    severity: str | None = None
    urgency: str = "Expected"
    certainty: str = "Likely"
    headline: str | None = Field(None, max_length=500)
    description: str = Field(..., min_length=1)
    instruction: str | None = None
    web: str | None = Field(None, max_length=500)
    contact: str | None = Field(None, max_length=500)
    sent: datetime | None = None
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    areas: list[AreaIn] = Field(default_factory=list)


class UpdateIn(BaseModel):
    """An Update of a warning's current message: what is not given stays as it was."""

    colour: str | None = Field(None, description="another colour raises or lowers the warning")
    headline: str | None = Field(None, max_length=500)
    description: str | None = Field(None, min_length=1)
    instruction: str | None = None
    severity: str | None = None
    urgency: str | None = None
    certainty: str | None = None
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    areas: list[AreaIn] | None = None
    sent: datetime | None = None


class LiftIn(BaseModel):
    """Lifting (解除) a warning: a Cancel message."""

    headline: str | None = Field(None, max_length=500)
    description: str | None = Field(None, min_length=1)
    instruction: str | None = None
    sent: datetime | None = None


class AreaOut(BaseModel):
    area_desc: str
    polygons: list[str]
    circles: list[str]
    geocodes: list[tuple[str, str]]


class MessageOut(BaseModel):
    identifier: str
    thread: str
    msg_type: str
    status: str
    scope: str
    sender: str
    sender_name: str
    agency_code: str
    event_type: str
    event: str
    colour: str
    level: str
    severity: str
    urgency: str
    certainty: str
    headline: str
    description: str
    instruction: str | None
    sent: datetime
    effective: datetime | None
    onset: datetime | None
    expires: datetime | None
    references: str | None
    is_current: bool
    lifted: bool
    area_codes: list[str]
    generated: bool
    cap_url: str


class WarningDetail(MessageOut):
    areas: list[AreaOut]
    chain: list[MessageOut]


class Accepted(BaseModel):
    identifier: str
    created: bool


class ConfirmIn(BaseModel):
    """A grid or community worker's answer to a warning they were sent."""

    kind: str = Field(..., description="received, patrolled_ok (patrolled, no danger) or danger_found")
    note: str | None = Field(None, max_length=2000)
    lon: float | None = Field(None, description="danger_found: where (WGS 84); default: the worker's grid")
    lat: float | None = None
    category_code: str | None = Field(None, description="danger_found: the event sub-category (default 0502)")


class ConfirmationOut(BaseModel):
    id: int
    thread: str
    message_id: int
    user_id: int
    area_code: str
    kind: str
    note: str | None
    event_id: int | None
    at: datetime


class ChannelCountsOut(BaseModel):
    total: int
    delivered: int
    failed: int
    pending: int


class AreaProgressOut(BaseModel):
    area_code: str
    name: str
    staff: int = Field(description="grid and community workers sent the warning (each once)")
    reached: int = Field(description="of them, with a delivered message")
    confirmed: int
    patrolled_ok: int
    danger_found: int
    overdue: int = Field(description="not confirmed after LINLI_WARNING_CONFIRM_MINUTES")
    residents: dict[str, ChannelCountsOut] = Field(description="deliveries of the current message, by channel")


class ProgressOut(BaseModel):
    area_code: str
    confirm_minutes: int
    total: AreaProgressOut
    areas: list[AreaProgressOut]
