"""Safety units in the community: community police serving part-time in the two committees (兼任村/社区两委),
judges assigned to grids (法官进网格) and legal advisers (一村/社区一法律顾问) — their appointments —, the
people's mediation cases (人民调解) they and the community workers record, linked to events of the disputes
category, and the legal-service sessions held.

Every row is area-scoped: an appointment by the grid or community it serves, a case by the event's place
(or the community it was brought in), a session by the community where it was held.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped
from linli.kit import crypto

PHONE_CONTEXT = "safety.phone"
crypto.register_encrypted("safety_appointments", "id", "phone_enc", PHONE_CONTEXT)


class Appointment(Base, AreaScoped, Timestamped):
    """A person appointed to a grid or community (`area_code`) for a duty (kinds.DUTIES) from `starts_on`
    until `ends_on` (inclusive; open while None)."""

    __tablename__ = "safety_appointments"
    # Counts by duty (communities with police, grids with a judge): one range of the index per child area,
    # the dates in the index too (who serves today is read from the index alone).
    __table_args__ = (Index("ix_safety_appointments_duty_area", "duty", "status", "area_code", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    duty: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    # The unit from the registry (police station, court, …) where it is there; else its name as typed.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # The person's own phone: personal data, sealed at rest and shown masked.
    phone_enc: Mapped[str | None] = mapped_column(Text)
    # The duty line residents and grid workers call (the unit's, shown in full) and when someone is there.
    duty_phone: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    hours: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="active")  # active, ended
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class MediationCase(Base, AreaScoped, Timestamped):
    """A people's mediation case (人民调解): the parties described in words (never their ID numbers), the
    mediator, when it opened and closed, and its outcome; `event_id` the disputes event it came from."""

    __tablename__ = "safety_cases"
    # Closed cases and agreements per area: one range of an index each.
    __table_args__ = (
        Index("ix_safety_cases_status_area", "status", "area_code"),
        Index("ix_safety_cases_outcome_area", "outcome", "area_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    parties: Mapped[str] = mapped_column(Text, nullable=False)
    mediator: Mapped[str] = mapped_column(String(100), nullable=False)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("safety_appointments.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="open")  # open, closed
    outcome: Mapped[str | None] = mapped_column(String(12))  # agreement, failed, referred
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class LegalSession(Base, AreaScoped, Timestamped):
    """A legal-service session held in a community (`area_code`): date, place, topic, how many came."""

    __tablename__ = "safety_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("safety_appointments.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False)
    topic: Mapped[str] = mapped_column(String(200), nullable=False)
    attendance: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
