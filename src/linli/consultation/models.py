"""Community consultation (城乡社区协商): a topic raised by residents or the committee, its participants,
its content published in advance, held in a meeting or online, the opinion formed, and the report back
on its implementation; linked to an event or a self-government matter by reference."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow

# proposed → scheduled (content published, date set) → held (opinion formed) → reported (implementation)
# or declined (with the reason) from proposed.
STATUSES = ("proposed", "scheduled", "held", "reported", "declined")
FORMS = ("meeting", "online")
PARTICIPANT_KINDS = ("residents", "unit", "social_org", "owners_committee", "property_company", "other")


class ConsultationTopic(Base, AreaScoped, Timestamped):
    __tablename__ = "consultation_topics"
    __table_args__ = (Index("ix_consultation_topics_status", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    raised_by: Mapped[str] = mapped_column(String(12), nullable=False)  # "resident" or "committee"
    raised_by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="proposed")
    form: Mapped[str | None] = mapped_column(String(12))
    place: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(Text)  # what is put to the consultation, published in advance
    published_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)  # planned, then actual
    participants_present: Mapped[int | None] = mapped_column(Integer)
    opinion: Mapped[str | None] = mapped_column(Text)  # the opinion formed (协商意见)
    feedback: Mapped[str | None] = mapped_column(Text)  # implementation reported back (落实反馈)
    reported_on: Mapped[date | None] = mapped_column(Date)
    declined_reason: Mapped[str | None] = mapped_column(Text)
    event_ref: Mapped[str | None] = mapped_column(String(100))
    matter_ref: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ConsultationParticipant(Base):
    """A party to a consultation: residents (a group, never a list of names), a unit based in the
    community, a social organisation, the owners' committee, the property company; by name, optionally
    linked to a register person or a registry organization."""

    __tablename__ = "consultation_participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("consultation_topics.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)  # as typed: what the public page shows
    # Optional links beside the name (never for "residents", a group): a person of the village's register,
    # or an organization of the registry (a unit, a social organisation, an owners' committee, a company).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))


class ConsultationOpinion(Base, AreaScoped):
    """A resident's opinion given online while a consultation is scheduled."""

    __tablename__ = "consultation_opinions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("consultation_topics.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
