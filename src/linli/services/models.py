"""Service items (政务服务事项), where each is offered, and applications (办件) for them.

A `ServiceItem` is defined by an area (the province, usually) for its subtree: codes, names, type,
departments, legal basis, conditions, materials and steps (as JSON lists: they are read and written
whole with the item), statutory and promised limits in working days, fee, online depth, visits.
A `ServiceOffer` enables an item at a county, street or community and localises it: the promised
limit (never above the statutory one), the place, hours and contacts, the implementation code.
An `Application` is one resident's request for an offer, moving acceptance → the item's steps →
decision → delivery; `ApplicationMaterial` is each material handed in (uploaded or seen at the
counter) and `ApplicationLog` each step taken, by whom.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow


class ServiceItem(Base, AreaScoped, Timestamped):
    __tablename__ = "service_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    basic_code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    main_name: Mapped[str] = mapped_column(String(200), nullable=False)
    sub_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(200), nullable=False)  # the handling item's name
    item_type: Mapped[str] = mapped_column(String(4), nullable=False)  # kinds.ITEM_TYPES
    department: Mapped[str] = mapped_column(String(100), nullable=False)  # competent department
    department_code: Mapped[str] = mapped_column(String(8), nullable=False)
    implementing_unit: Mapped[str] = mapped_column(String(100), nullable=False)
    level: Mapped[str] = mapped_column(String(12), nullable=False)  # where handled: community/township/county
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    conditions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    materials: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON: kinds.Material
    steps: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON: kinds.Step
    statutory_days: Mapped[int] = mapped_column(Integer, nullable=False)
    promised_days: Mapped[int] = mapped_column(Integer, nullable=False)
    fee: Mapped[str] = mapped_column(String(100), nullable=False, default="不收费")
    fee_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    online_depth: Mapped[str] = mapped_column(String(12), nullable=False)  # info / apply / full
    max_visits: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    consult_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    complaint_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    community_role: Mapped[str] = mapped_column(String(8), nullable=False)  # accept / agent / help
    example: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # a seed to localise
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ServiceOffer(Base, AreaScoped, Timestamped):
    """An item enabled at a county, street or community, with its local particulars."""

    __tablename__ = "service_offers"
    __table_args__ = (UniqueConstraint("item_id", "area_code", name="uq_service_offers_item_area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"), nullable=False, index=True)
    implementation_code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    promised_days: Mapped[int] = mapped_column(Integer, nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    hours: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    consult_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    complaint_phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    changed_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Application(Base, AreaScoped, Timestamped):
    """A resident's application; area_code is the community whose counter holds it."""

    __tablename__ = "service_applications"
    __table_args__ = (
        # The counter's queue: a community's applications in a state, newest first.
        Index("ix_service_applications_area_state", "area_code", "state", "submitted_at"),
        # An area's list, newest first: read backwards in time, the area checked in the index, until a page
        # is full (a street's share of a city is found in a few thousand entries, not sorted from all).
        Index("ix_service_applications_submitted_area", "submitted_at", "area_code"),
        # Applications in process (partial: a small share of all): those past a deadline inside an area
        # (the workbench's badge on every page of staff), and the steps waiting at a level, by deadline.
        Index(
            "ix_service_applications_in_process_area",
            "area_code",
            "step_due_at",
            "due_at",
            postgresql_where=text("state = 'in_process'"),
            sqlite_where=text("state = 'in_process'"),
        ),
        Index(
            "ix_service_applications_in_process_level",
            "step_level",
            "area_code",
            "step_due_at",
            postgresql_where=text("state = 'in_process'"),
            sqlite_where=text("state = 'in_process'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("service_offers.id"), nullable=False)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"), nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    applicant_name: Mapped[str] = mapped_column(String(100), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the applicant's account
    channel: Mapped[str] = mapped_column(String(8), nullable=False)  # online / counter
    assist: Mapped[str] = mapped_column(String(8), nullable=False, default="none")  # none / agent / help
    acted_by: Mapped[str | None] = mapped_column(String(64))  # the worker who acted for the applicant
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(12), nullable=False)
    step_index: Mapped[int | None] = mapped_column(Integer)  # the item's step in process
    step_level: Mapped[str | None] = mapped_column(String(12))  # its unit's level: whose queue it is in
    step_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    step_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the promised limit, from acceptance
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(12))  # approved / denied (decided); rejected
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")  # rejection or decision note
    missing: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON: what to supply (补正)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")  # the applicant's words
    on_time: Mapped[bool | None] = mapped_column(Boolean)  # decided by due_at
    working_days: Mapped[float | None] = mapped_column(Float)  # acceptance → decision, in working days
    visits: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # times the applicant came in
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @property
    def number(self) -> str:
        """The number printed on receipts: 办件编号."""
        return f"BJ{self.id:010d}"


class ApplicationMaterial(Base):
    """A material of an application: uploaded (a stored file) or seen at the counter (its original)."""

    __tablename__ = "service_application_materials"
    __table_args__ = (UniqueConstraint("application_id", "position", name="uq_service_application_materials_pos"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("service_applications.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)  # the item's material, by its index
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    how: Mapped[str] = mapped_column(String(8), nullable=False)  # uploaded / seen
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    by: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class ApplicationLog(Base):
    """One step of an application: who did what, when, from which state to which."""

    __tablename__ = "service_application_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("service_applications.id"), nullable=False, index=True)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12), nullable=False)
    step_index: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class ServiceFigures(Base):
    """Running totals of applications per community and item, kept with each change (the figures of a
    city read thousands of these rows instead of millions of applications); `rebuild` recounts them."""

    __tablename__ = "service_figures"
    __table_args__ = (UniqueConstraint("area_code", "item_id", name="uq_service_figures_area_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the community, padded
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"), nullable=False)
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    open: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    decided: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    on_time: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    working_days: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)  # sum over decided
    visits: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # sum over decided
