"""Warning messages (one row per CAP message) and the places each one covers.

A warning is a thread of messages: the first Alert, then Updates (same or another colour) and at
most one Cancel (解除). Each message refers to the previous one; exactly one message of a thread is
current (`is_current`), and a thread whose current message is a Cancel is lifted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, UTCDateTime
from linli.kit.time import utcnow


class WarningMessage(Base, AreaScoped):
    """One CAP message. `area_code` is the deepest area containing every place it covers."""

    __tablename__ = "warning_messages"
    __table_args__ = (Index("ix_warning_messages_current", "is_current", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identifier: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    thread: Mapped[str] = mapped_column(String(200), index=True, nullable=False)  # identifier of the first Alert
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("warning_messages.id"))
    references: Mapped[str | None] = mapped_column(Text)  # CAP "sender,identifier,sent" triples
    sender: Mapped[str] = mapped_column(String(200), nullable=False)
    sender_name: Mapped[str] = mapped_column(String(200), nullable=False)  # the agency, 农安县气象台
    agency_code: Mapped[str] = mapped_column(String(20), nullable=False)
    msg_type: Mapped[str] = mapped_column(String(8), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)
    scope: Mapped[str] = mapped_column(String(12), nullable=False)
    restriction: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), nullable=False, default="zh-CN")
    event_type: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    event: Mapped[str] = mapped_column(String(200), nullable=False)  # CAP <event> text, 雷电预警
    colour: Mapped[str] = mapped_column(String(8), nullable=False)
    severity: Mapped[str] = mapped_column(String(10), nullable=False)
    urgency: Mapped[str] = mapped_column(String(10), nullable=False)
    certainty: Mapped[str] = mapped_column(String(10), nullable=False)
    headline: Mapped[str] = mapped_column(String(500), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    instruction: Mapped[str | None] = mapped_column(Text)
    web: Mapped[str | None] = mapped_column(String(500))
    contact: Mapped[str | None] = mapped_column(String(500))
    sent: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    effective: Mapped[datetime | None] = mapped_column(UTCDateTime)
    onset: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The offsets the sender wrote (minutes east of UTC), so an export writes +08:00 as it came.
    tz_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=480)
    is_current: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    lifted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    source: Mapped[str] = mapped_column(String(10), nullable=False)  # issued, imported, pushed
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    @property
    def public(self) -> bool:
        from linli.alerts.audience import is_public

        return is_public(self)


class WarningArea(Base):
    """One CAP <area> block of a message, kept as sent (lossless), with its shape as GeoJSON."""

    __tablename__ = "warning_areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("warning_messages.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    area_desc: Mapped[str] = mapped_column(String(500), nullable=False)
    polygons: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list of CAP polygon strings
    circles: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list of "lat,lon r"
    geocodes: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list of [valueName, value]
    geojson: Mapped[str | None] = mapped_column(Text)  # union of polygons and circles, lon/lat
    altitude: Mapped[str | None] = mapped_column(String(40))
    ceiling: Mapped[str | None] = mapped_column(String(40))


class WarningCoverage(Base, AreaScoped):
    """A Linli area a message covers (padded `area_code`): what feeds, lists and scope checks read."""

    __tablename__ = "warning_coverage"
    __table_args__ = (Index("ix_warning_coverage_message_area", "message_id", "area_code", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("warning_messages.id"), nullable=False)
    via: Mapped[str] = mapped_column(String(10), nullable=False)  # geocode, polygon, circle


class WarningConfirmation(Base, AreaScoped):
    """A staff recipient's answer to a warning: received, patrolled with no danger, or danger found.

    `area_code` is the worker's grid (or community) as on their delivery; a danger found links the
    event it created. One answer of each kind per person and message: pressing twice changes nothing.
    """

    __tablename__ = "warning_confirmations"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id", "kind", name="uq_warning_confirmations_message_user_kind"),
        Index("ix_warning_confirmations_thread_user", "thread", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread: Mapped[str] = mapped_column(String(200), nullable=False)
    message_id: Mapped[int] = mapped_column(ForeignKey("warning_messages.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # received, patrolled_ok, danger_found
    note: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
