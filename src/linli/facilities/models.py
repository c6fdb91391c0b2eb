"""Community and village comprehensive service facilities (综合服务设施), happy-community demonstration
sites (幸福社区示范点) and community elderly university branches (老年大学) with their classes.

A facility belongs to the community or village it serves (`area_code`, 12 digits): its floor area in
m², rooms and their functions, opening hours per weekday, accessibility features, photos and where it
is. Whether a place is urban or rural is its area's kind (`areas.kind`: community vs village); the
report sums the floor area of each place's facilities. A class counts its active enrolments against
its capacity; a resident enrols themselves (`user_id`), staff enrol someone by name.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, Numeric, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow


class Facility(Base, AreaScoped, Timestamped):
    __tablename__ = "fac_facilities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    floor_area: Mapped[Decimal] = mapped_column(Numeric(9, 1), nullable=False)  # m²
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(40))  # the facility's desk, not a person's
    accessibility: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list of codes
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class FacilityRoom(Base):
    __tablename__ = "fac_rooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("fac_facilities.id"), index=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    function: Mapped[str] = mapped_column(String(20), nullable=False)
    floor_area: Mapped[Decimal | None] = mapped_column(Numeric(9, 1))


class OpeningHours(Base):
    """Open on `weekday` (0 Monday … 6 Sunday) from `opens` to `closes`; a weekday without a row is closed."""

    __tablename__ = "fac_hours"
    __table_args__ = (UniqueConstraint("facility_id", "weekday", name="uq_fac_hours_facility_weekday"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("fac_facilities.id"), index=True, nullable=False)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    opens: Mapped[time] = mapped_column(Time, nullable=False)
    closes: Mapped[time] = mapped_column(Time, nullable=False)


class FacilityPhoto(Base):
    """A photo stored by SHA-256 under `<data dir>/facility-photos/` (linli.facilities.files)."""

    __tablename__ = "fac_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("fac_facilities.id"), index=True, nullable=False)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class HappySite(Base, AreaScoped, Timestamped):
    """A happy-community demonstration site (幸福社区示范点): the community, the year designated, the
    criteria it met (codes of linli.facilities.kinds.CRITERIA, a JSON list)."""

    __tablename__ = "fac_happy_sites"
    __table_args__ = (UniqueConstraint("area_code", name="uq_fac_happy_sites_area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    criteria: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class HappyReview(Base):
    __tablename__ = "fac_happy_reviews"
    __table_args__ = (UniqueConstraint("site_id", "year", name="uq_fac_happy_reviews_site_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("fac_happy_sites.id"), index=True, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    result: Mapped[str] = mapped_column(String(12), nullable=False)  # kept / rectify / revoked
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reviewed_by: Mapped[str] = mapped_column(String(64), nullable=False)


class Branch(Base, AreaScoped, Timestamped):
    """A branch (教学点) of the community elderly university, in a community or village; its classes are
    open to the residents of its township or street."""

    __tablename__ = "fac_branches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("fac_facilities.id"))
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class ElderClass(Base):
    __tablename__ = "fac_classes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("fac_branches.id"), index=True, nullable=False)
    course: Mapped[str] = mapped_column(String(100), nullable=False)
    teacher: Mapped[str] = mapped_column(String(100), nullable=False)
    term: Mapped[str] = mapped_column(String(40), nullable=False)  # e.g. 2026年春季
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    schedule: Mapped[str] = mapped_column(String(200), nullable=False, default="")  # e.g. 每周二 9:00–10:30
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Enrolment(Base):
    """A place in a class: a resident's own (`user_id`) or entered by staff (`name` only)."""

    __tablename__ = "fac_enrolments"
    __table_args__ = (
        UniqueConstraint("class_id", "user_id", name="uq_fac_enrolments_class_user"),
        Index("ix_fac_enrolments_class_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("fac_classes.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="active")  # active / withdrawn
    enrolled_by: Mapped[str] = mapped_column(String(64), nullable=False)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
