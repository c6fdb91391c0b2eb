"""Bodies and answers of the road chiefs' API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id

Level = Literal["street", "road", "lane"]


class RoadIn(BaseModel):
    area_code: str = Field(max_length=15, description="the grid or community the road lies in")
    name: str = Field(min_length=1, max_length=100)
    kind: Level = "road"
    line: dict | None = Field(default=None, description="a GeoJSON LineString (lon/lat), or none")


class RoadOut(BaseModel):
    id: int
    area_code: str
    name: str
    kind: str
    line: dict | None
    generated: bool


class AppointmentIn(BaseModel):
    area_code: str = Field(max_length=15, description="the street or community the chief is appointed in")
    level: Level
    username: str | None = Field(default=None, max_length=64, description="the cadre's account, if any")
    name: str | None = Field(default=None, max_length=100, description="the cadre's name (without an account)")
    unit: str = Field(default="", max_length=200, description="the cadre's unit")
    appointed_on: date | None = None
    grids: list[str] = Field(default_factory=list, max_length=50, description="grid codes covered")
    road_ids: list[Id] = Field(default_factory=list, max_length=100, description="roads covered")


class EndIn(BaseModel):
    ended_on: date | None = None


class CoverageOut(BaseModel):
    area_code: str
    road_id: int | None


class AppointmentOut(BaseModel):
    id: int
    area_code: str
    level: str
    user_id: int | None
    name: str
    unit: str
    appointed_on: date
    ended_on: date | None
    status: str
    generated: bool
    covers: list[CoverageOut]


class FindingEventIn(BaseModel):
    """A finding reported as a grid event (as a grid worker reports one)."""

    category_code: str = Field(max_length=32)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    lon: float
    lat: float


class PatrolIn(BaseModel):
    road_id: Id
    patrolled_on: date | None = None
    route: str = Field(default="", max_length=2000)
    findings: str = Field(default="", max_length=5000)
    event: FindingEventIn | None = None


class PatrolOut(BaseModel):
    id: int
    appointment_id: int
    road_id: int
    area_code: str
    patrolled_on: date
    route: str
    findings: str
    event_id: int | None
    generated: bool


class CountRowOut(BaseModel):
    area_code: str
    chiefs: int
    street: int
    road: int
    lane: int
    roads: int
    patrols: int


class CountsOut(BaseModel):
    area_code: str
    rows: list[CountRowOut]
    total: CountRowOut
