"""Event categories, handling units and routing rules, events, their timeline, photos and "me too"s."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit import crypto
from linli.kit.time import utcnow

# Kept in step with workflow.OPEN_STATES (a test checks it); spelled out for the partial index.
OPEN_SQL = "'reported', 'registered', 'dispatched', 'returned', 'accepted', 'handled', 'verified'"
QUEUE_SQL = "'dispatched', 'accepted'"
PHONE_CONTEXT = "events.contact_phone"
EMAIL_CONTEXT = "events.contact_email"
crypto.register_encrypted("events", "id", "contact_phone_enc", PHONE_CONTEXT)
crypto.register_encrypted("events", "id", "contact_email_enc", EMAIL_CONTEXT)


class StageLimitColumns:
    """The time limits of the three stages (register, handle, verify): a number and a unit ("hours":
    working hours, "days": working days) each. The columns of schemas.StageLimits, the one declaration
    of these fields in the API and the catalogue (a test keeps the two alike)."""

    register_limit: Mapped[int] = mapped_column(Integer, nullable=False)
    register_unit: Mapped[str] = mapped_column(String(8), nullable=False)
    handle_limit: Mapped[int] = mapped_column(Integer, nullable=False)
    handle_unit: Mapped[str] = mapped_column(String(8), nullable=False)
    verify_limit: Mapped[int] = mapped_column(Integer, nullable=False)
    verify_unit: Mapped[str] = mapped_column(String(8), nullable=False)


class EventCategory(Base, StageLimitColumns, Timestamped):
    """A node of the two-level category tree (大类 code of 2 digits, 小类 of 4) with default time limits.

    Limits are a number and a unit ("hours": working hours, "days": working days); officials may
    override them for their area (CategoryLimit).
    """

    __tablename__ = "event_categories"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("event_categories.code"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    name_en: Mapped[str] = mapped_column(String(100), nullable=False)
    unit_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    # Whether anyone may see its accepted events through the anonymous Open311 list (disputes, help for a
    # person in need and public-security hazards are not for the public).
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class CategoryLimit(Base, AreaScoped, StageLimitColumns, Timestamped):
    """An area's own time limits for a category; the most specific area above an event wins."""

    __tablename__ = "event_category_limits"
    __table_args__ = (UniqueConstraint("category_code", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("event_categories.code"), nullable=False)


class HandlingUnit(Base, AreaScoped, Timestamped):
    """A unit that handles events (street-office department, county department, utility, property
    company, police station, court, the township's dispatch desk); area_code is where it sits."""

    __tablename__ = "handling_units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class UnitArea(Base, AreaScoped):
    """An area (subtree) a unit serves, besides the one it sits in."""

    __tablename__ = "unit_areas"
    __table_args__ = (UniqueConstraint("unit_id", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"), nullable=False, index=True)


class UnitMember(Base):
    """A user acting for a handling unit (a department handler, or staff of the dispatch desk)."""

    __tablename__ = "unit_members"
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)


class RoutingRule(Base, AreaScoped, Timestamped):
    """(category, area subtree) → unit; the rule of the deepest area above an event wins."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("category_code", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("event_categories.code"), nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("handling_units.id"), nullable=False)


class Event(Base, AreaScoped):
    """A problem reported at a place; `area_code` is the grid (or deepest area) the point lies in."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("reporter_id", "idempotency_key"),
        Index("ix_events_area_state", "area_code", "state", "stage_deadline"),
        Index("ix_events_unit", "unit_id", "id"),
        # A unit's work queue, nearest deadline first: only the events waiting for a unit.
        Index(
            "ix_events_queue",
            "unit_id",
            "stage_deadline",
            "id",
            postgresql_where=text(f"state IN ({QUEUE_SQL})"),
            sqlite_where=text(f"state IN ({QUEUE_SQL})"),
        ),
        Index("ix_events_dup", "category_code", "lat", "lon"),
        # Events closed since a date by area (the officials' overview: closed this month), read from the
        # index alone: a reopened event's closed_at is cleared.
        Index("ix_events_closed", "closed_at", "area_code"),
        # Open events by deadline (overdue counts, escalation): a partial index holds only open events.
        Index(
            "ix_events_open_deadline",
            "stage_deadline",
            "area_code",
            postgresql_where=text(f"state IN ({OPEN_SQL})"),
            sqlite_where=text(f"state IN ({OPEN_SQL})"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("event_categories.code"), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lon: Mapped[float] = mapped_column(Float, nullable=False)
    lat: Mapped[float] = mapped_column(Float, nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    source: Mapped[str] = mapped_column(String(16), nullable=False)  # api, web, open311, demo
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    # The reporter's phone and e-mail, encrypted (see events.contacts); the name stays in clear, as in
    # the residents register.
    contact_email_enc: Mapped[str | None] = mapped_column(Text)
    contact_phone_enc: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("handling_units.id"))
    # Supervision level: 0 township, 1 county, 2 city; raised by the overdue escalation job.
    escalation_level: Mapped[int] = mapped_column(SmallInteger, default=0, nullable=False)
    next_escalation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stage_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    evaluation: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    me_too_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class EventCount(Base):
    """Events per village and state, kept in the same transaction as every state change, so counts for
    a city or a province read a few thousand rows instead of every event."""

    __tablename__ = "event_counts"

    area_code: Mapped[str] = mapped_column(String(15), primary_key=True)  # the village's code, padded
    state: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class EventLog(Base):
    """One step of an event's timeline: a transition, a supervision note (督办), an escalation."""

    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    data: Mapped[str | None] = mapped_column(Text)  # JSON: unit, satisfaction, photos, deadline


class EventPhoto(Base, AreaScoped):
    """A stored photo (EXIF stripped, named by content hash); area_code is its event's, or the uploader's
    home area until it is attached to an event."""

    __tablename__ = "event_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    stage: Mapped[str | None] = mapped_column(String(16))  # report, handling
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    media_type: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    exif_lon: Mapped[float | None] = mapped_column(Float)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class MeToo(Base):
    """A resident saying "me too" on an event instead of filing a new one."""

    __tablename__ = "event_me_too"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
