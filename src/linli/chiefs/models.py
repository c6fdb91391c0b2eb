"""Road and lane chiefs (街长/路长/巷长, the "three leaders" linkage): the roads of a place, the cadres
appointed as chiefs with the roads and grids they cover, and their patrols.

A road is a named line inside a grid or a community (`area_code`), with its GeoJSON line when drawn. An
appointment sits in the place it was made for (a street or a community, `area_code`) and covers grids and
roads inside it (`chief_coverage`: one row per covered grid, or per covered road with the road's place). A
patrol is of one road, by the chief's own account, in the road's place; a finding reported as a grid event
keeps the event's id.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped

LEVELS = ("street", "road", "lane")  # 街长 / 路长 / 巷长
ROAD_KINDS = ("street", "road", "lane")  # 街 / 路 / 巷
STATUSES = ("active", "ended")


class Road(Base, AreaScoped, Timestamped):
    """A named street, road or lane in a grid or community; `line` is a GeoJSON LineString (lon/lat) or None."""

    __tablename__ = "chief_roads"
    __table_args__ = (UniqueConstraint("area_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="road")
    line: Mapped[str | None] = mapped_column(Text)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Appointment(Base, AreaScoped, Timestamped):
    """A cadre appointed street, road or lane chief in a street or community (`area_code`): an account
    (`user_id`, who then records patrols) or a named person with their unit."""

    __tablename__ = "chief_appointments"
    # The figures count serving chiefs by level: one range of this index per child area.
    __table_args__ = (Index("ix_chief_appointments_status_level_area", "status", "level", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    level: Mapped[str] = mapped_column(String(8), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    appointed_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="active")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Coverage(Base, AreaScoped):
    """What an appointment covers: a grid (`road_id` None, `area_code` the grid) or a road (its place)."""

    __tablename__ = "chief_coverage"
    __table_args__ = (UniqueConstraint("appointment_id", "area_code", "road_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("chief_appointments.id"), nullable=False, index=True)
    road_id: Mapped[int | None] = mapped_column(ForeignKey("chief_roads.id"), index=True)


class Patrol(Base, AreaScoped, Timestamped):
    """A chief's patrol of a road (the road's place): the day, the route walked, what was found, and the
    grid event a finding was reported as."""

    __tablename__ = "chief_patrols"
    # The figures count this year's patrols by area: a range of this index per child area, read alone.
    __table_args__ = (Index("ix_chief_patrols_area_date", "area_code", "patrolled_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("chief_appointments.id"), nullable=False, index=True)
    road_id: Mapped[int] = mapped_column(ForeignKey("chief_roads.id"), nullable=False, index=True)
    patrolled_on: Mapped[date] = mapped_column(Date, nullable=False)
    route: Mapped[str] = mapped_column(Text, nullable=False, default="")
    findings: Mapped[str] = mapped_column(Text, nullable=False, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
