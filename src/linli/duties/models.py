"""Townships' responsibility lists (履职事项清单): the list, its duties, its approved versions, the change
requests a township files and its county reviews, and the links from a duty to what discharges it.

A `DutyList` is one township's list (area_code: the township, padded); `version` is its latest approved
version. A `Duty` is valid from the version that added it (`added_in`) until the version that removed it
(`removed_in`, None while it is in the list): adjusting a duty ends its row and adds a new one with the same
code, so every version of the list can be read back. A `DutyVersion` records who approved a version and from
when it applies. A `DutyChange` is a request to add, adjust or cancel one duty; approving it makes the next
version. A `DutyLink` ties a duty (by its code, stable across versions) to an event category or a service
item it discharges: event routing and "who is responsible" read the same list.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow


class DutyList(Base, AreaScoped, Timestamped):
    __tablename__ = "duty_lists"
    __table_args__ = (UniqueConstraint("area_code", name="uq_duty_lists_area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the township (its unique constraint)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # the latest approved version
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Duty(Base, AreaScoped):
    __tablename__ = "duties"
    __table_args__ = (
        UniqueConstraint("list_id", "code", "added_in", name="uq_duties_list_code_version"),
        # The current lists of an area's townships, by kind and category (the report).
        Index(
            "ix_duties_current",
            "area_code",
            "kind",
            "category",
            sqlite_where=text("removed_in IS NULL"),
            postgresql_where=text("removed_in IS NULL"),
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the township (ix_duties_current)
    list_id: Mapped[int] = mapped_column(ForeignKey("duty_lists.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(12), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # kinds.KINDS
    category: Mapped[str] = mapped_column(String(16), nullable=False)  # kinds.CATEGORIES
    content: Mapped[str] = mapped_column(Text, nullable=False)
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lead_unit: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    cooperating_units: Mapped[str] = mapped_column(String(400), nullable=False, default="")
    # Assisting duties: the upper department, its duty, the township's part.
    upper_department: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    upper_duty: Mapped[str] = mapped_column(Text, nullable=False, default="")
    assisting_duty: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Duties taken back: the department that receives it, and how the township still works with it.
    receiving_department: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    working_mode: Mapped[str] = mapped_column(Text, nullable=False, default="")
    added_in: Mapped[int] = mapped_column(Integer, nullable=False)
    removed_in: Mapped[int | None] = mapped_column(Integer)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DutyVersion(Base, AreaScoped):
    __tablename__ = "duty_versions"
    __table_args__ = (UniqueConstraint("list_id", "number", name="uq_duty_versions_list_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # read by its list, never by area
    list_id: Mapped[int] = mapped_column(ForeignKey("duty_lists.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    approved_by: Mapped[str] = mapped_column(String(64), nullable=False)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    change_id: Mapped[int | None] = mapped_column(ForeignKey("duty_changes.id"))  # None: the list's first version
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DutyChange(Base, AreaScoped, Timestamped):
    """A township's request to add, adjust or cancel one duty of its list; the county approves or rejects."""

    __tablename__ = "duty_changes"
    __table_args__ = (
        Index(
            "ix_duty_changes_pending",
            "area_code",
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the township (and ix_duty_changes_pending)
    list_id: Mapped[int] = mapped_column(ForeignKey("duty_lists.id"), nullable=False, index=True)
    action: Mapped[str] = mapped_column(String(8), nullable=False)  # add / adjust / cancel
    duty_code: Mapped[str] = mapped_column(String(12), nullable=False)
    proposed: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON: the duty's fields (add, adjust)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    filed_by: Mapped[str] = mapped_column(String(64), nullable=False)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int | None] = mapped_column(Integer)  # the version its approval made
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DutyLink(Base, AreaScoped):
    """A duty of a township's list discharged by an event category (大类 covers its 小类) or a service item."""

    __tablename__ = "duty_links"
    __table_args__ = (
        UniqueConstraint("area_code", "duty_code", "event_category_code", "service_item_id", name="uq_duty_links"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the township (uq_duty_links leads with it)
    duty_code: Mapped[str] = mapped_column(String(12), nullable=False)
    event_category_code: Mapped[str | None] = mapped_column(ForeignKey("event_categories.code"))
    service_item_id: Mapped[int | None] = mapped_column(ForeignKey("service_items.id"))
    linked_by: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
