"""Social work stations (社工站): a county's centre, its townships' stations and their villages' and
communities' rooms, the hierarchy following the area codes (a room hangs under the station of its own
township, a station under its county's centre). Staff, services offered, service records and cases
belong to a station; every row carries the station's `area_code`, so scope and roll-ups are ranges.

A staff member may point at the workforce register (`worker_id`) and at the account they sign in with
(`user_id`): only staff with an account see and write cases. A service record's beneficiary and a
case's client may point at the residents register (`person_id`); no ID number is ever stored here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped


class Station(Base, AreaScoped, Timestamped):
    """A centre (county), station (township) or room (village); `parent_id` the one above it."""

    __tablename__ = "sw_stations"
    __table_args__ = (Index("ix_sw_stations_status_level_area", "status", "level", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    level: Mapped[str] = mapped_column(String(8), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sw_stations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    opened_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="active")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Staff(Base, AreaScoped, Timestamped):
    """A person working at a station; certified when `qualification` is not "none"."""

    __tablename__ = "sw_staff"
    __table_args__ = (
        Index("ix_sw_staff_status_area", "status", "area_code"),
        Index("ix_sw_staff_status_qualification_area", "status", "qualification", "area_code"),
        UniqueConstraint("station_id", "user_id", name="uq_sw_staff_station_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("sw_stations.id"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str] = mapped_column(String(60), nullable=False, default="")  # 站长, 督导, 社工 …
    qualification: Mapped[str] = mapped_column(String(16), nullable=False, default="none")
    qualified_on: Mapped[date | None] = mapped_column(Date)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("wf_workers.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="active")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class StationService(Base, AreaScoped):
    """A kind of service the station offers (linli.socialwork.kinds.SERVICES), once per station."""

    __tablename__ = "sw_services"
    __table_args__ = (UniqueConstraint("station_id", "kind", name="uq_sw_services_station_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("sw_stations.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class ServiceRecord(Base, AreaScoped, Timestamped):
    """A service given on a day by a staff member: hours, kind, how many people it reached."""

    __tablename__ = "sw_records"
    # The roll-up sums the time over a range of areas: the index covers it (an integer sums fast; numeric
    # hours took 60 ms of the province's 170 on PostgreSQL at ten times the seed).
    __table_args__ = (
        Index("ix_sw_records_area_minutes", "area_code", "minutes"),
        Index("ix_sw_records_staff_day", "staff_id", "served_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("sw_stations.id"), index=True, nullable=False)
    staff_id: Mapped[int] = mapped_column(ForeignKey("sw_staff.id"), nullable=False)
    served_on: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)  # the hours given (to 0.1 h), in minutes
    beneficiaries: Mapped[int] = mapped_column(Integer, nullable=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


class Case(Base, AreaScoped, Timestamped):
    """A case (个案) of a station, with its case worker; open until closed."""

    __tablename__ = "sw_cases"
    __table_args__ = (Index("ix_sw_cases_status_area", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("sw_stations.id"), index=True, nullable=False)
    worker_id: Mapped[int] = mapped_column(ForeignKey("sw_staff.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    client: Mapped[str] = mapped_column(String(100), nullable=False, default="")  # when not in the register
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="opened")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class CaseEntry(Base):
    """A record of a case: its opening, assessment, plan, a note, its closing; by a staff member."""

    __tablename__ = "sw_case_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("sw_cases.id"), index=True, nullable=False)
    step: Mapped[str] = mapped_column(String(8), nullable=False)
    on: Mapped[date] = mapped_column(Date, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    staff_id: Mapped[int] = mapped_column(ForeignKey("sw_staff.id"), nullable=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
