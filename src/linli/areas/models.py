"""Areas of the hierarchy (province → city → county → township → village → grid) and grid staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow


class Area(Base, AreaScoped, Timestamped):
    """One node of the hierarchy. `area_code` is the padded code, so areas scope like any other row."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(15), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    level: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    # GeoJSON geometry (lon/lat), loaded only when asked for; bbox and a point inside for lists/maps.
    boundary: Mapped[str | None] = deferred(mapped_column(Text))
    min_lon: Mapped[float | None] = mapped_column(Float)
    min_lat: Mapped[float | None] = mapped_column(Float)
    max_lon: Mapped[float | None] = mapped_column(Float)
    max_lat: Mapped[float | None] = mapped_column(Float)
    rep_lon: Mapped[float | None] = mapped_column(Float)
    rep_lat: Mapped[float | None] = mapped_column(Float)
    # Demo data is marked: a generated area (grids) or a generated boundary (villages, townships).
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    boundary_generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def has_boundary(self) -> bool:
        return self.min_lon is not None

    @property
    def bbox(self) -> list[float] | None:
        if self.min_lon is None:
            return None
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]


class GridAssignment(Base, AreaScoped):
    """A grid worker or the grid chief (网格长) assigned to a grid; area_code is the grid's."""

    __tablename__ = "grid_assignments"
    __table_args__ = (UniqueConstraint("grid_code", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    duty: Mapped[str] = mapped_column(String(16), nullable=False)  # "chief" or "worker"
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
