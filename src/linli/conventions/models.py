"""Village regulations and residents' conventions (村规民约/居民公约), versioned.

A convention belongs to its village or community. Each revision is a `ConventionVersion` that goes
through opinion collection → draft → township/street review (approved, or returned with reasons) →
adoption by the villagers'/residents' meeting → filing with the township/street → publication, when
it comes into force and the version before it is superseded. Residents' opinions are rows of their own.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow

# The steps of a version, in order; "returned" goes back to drafting, "superseded" follows "in_force".
STATUSES = ("opinions", "draft", "under_review", "returned", "approved", "adopted", "filed", "in_force", "superseded")
OPEN = ("opinions", "draft", "under_review", "returned", "approved", "adopted", "filed")


class Convention(Base, AreaScoped, Timestamped):
    __tablename__ = "conventions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    in_force_version_id: Mapped[int | None] = mapped_column(Integer)  # ConventionVersion.id
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ConventionVersion(Base, AreaScoped, Timestamped):
    __tablename__ = "convention_versions"
    __table_args__ = (
        UniqueConstraint("convention_id", "number"),
        Index("ix_convention_versions_status", "status", "area_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="opinions")
    opinions_until: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    review_note: Mapped[str | None] = mapped_column(Text)  # the reasons of a return, or a note on approval
    # Adoption: by which meeting, when, and who attended (women counted); the meeting itself is linked later.
    adopted_by: Mapped[str | None] = mapped_column(String(40))
    adopted_on: Mapped[date | None] = mapped_column(Date)
    attendance_expected: Mapped[int | None] = mapped_column(Integer)
    attendance_present: Mapped[int | None] = mapped_column(Integer)
    women_present: Mapped[int | None] = mapped_column(Integer)
    meeting_ref: Mapped[str | None] = mapped_column(String(100))
    rules: Mapped[str | None] = mapped_column(String(40))  # the RuleSet adoption was judged by
    filing_due_on: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date)
    filing_late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    filing_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filing_received_by: Mapped[str | None] = mapped_column(String(64))
    published_on: Mapped[date | None] = mapped_column(Date)
    superseded_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)


class ConventionOpinion(Base, AreaScoped):
    """An opinion on a version during collection: a resident's own, or one staff recorded (a meeting of a
    villagers' group, the opinion box) with where it came from."""

    __tablename__ = "convention_opinions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("convention_versions.id"), nullable=False, index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(String(100), nullable=False)  # "resident" or where staff heard it
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # a resident's own opinion
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ConventionSettings(Base, AreaScoped):
    """An area's local setting: days after adoption within which the filing is due (nearest ancestor wins)."""

    __tablename__ = "convention_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    filing_days: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
