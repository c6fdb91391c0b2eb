"""Pydantic shapes of the areas and grids API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from linli.areas.kinds import GridKind
from linli.kit.types import Id, Patch


class AreaRef(BaseModel):
    code: str
    name: str
    level: str


class AreaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    bbox: list[float] | None
    rep_point: list[float] | None = None
    generated: bool
    boundary_generated: bool
    retired_at: datetime | None = None
    ancestors: list[AreaRef] = []
    child_count: int | None = None


class LocateOut(BaseModel):
    lon: float
    lat: float
    matched: Literal["grid", "boundary", "none"]
    message: str
    area: AreaRef | None
    grid: AreaRef | None
    ancestors: list[AreaRef]


class BatchLocateIn(BaseModel):
    points: list[tuple[float, float]] = Field(..., description="[[lon, lat], ...], at most 100,000")


class BatchLocateOut(BaseModel):
    results: list[dict[str, Any]]
    located: int
    total: int


class Worker(BaseModel):
    user_id: Id
    username: str
    display_name: str
    duty: Literal["chief", "worker"]


class GridIn(BaseModel):
    code: str = Field(..., description="15 digits: the village's 12 digits and a 3-digit sequence")
    name: str = Field(..., min_length=1, max_length=200)
    kind: GridKind
    polygon: dict[str, Any] = Field(..., description="GeoJSON Polygon or MultiPolygon, lon/lat")


class GridPatch(Patch):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: GridKind | None = None
    polygon: dict[str, Any] | None = None


class GridOut(AreaOut):
    workers: list[Worker] = []
    polygon: dict[str, Any] | None = None


class AssignIn(BaseModel):
    user_id: Id
    duty: Literal["chief", "worker"] = "worker"
