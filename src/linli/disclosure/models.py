"""Disclosure boards (村务公开栏/居务公开栏): the items a village or community discloses, the questions
residents ask about them within the objection window, and each area's local settings.

An item belongs to its village (`area_code`, padded). Its `due_on` is fixed when it is written, from its
kind, the period or act it covers, the rules in force and the area's settings; `late` is set once, when
it is published after that day (with `days_late` and the reason given), and never cleared. The
province-wide overdue report reads only the partial indexes on unpublished and late items.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow

STATUSES = ("draft", "published", "withdrawn")


class DisclosureItem(Base, AreaScoped, Timestamped):
    __tablename__ = "disclosure_items"
    __table_args__ = (
        # A board: its items by due date.
        Index("ix_disclosure_items_board", "area_code", "due_on"),
        # The overdue report: items not published (drafts and withdrawn ones past due are overdue), by due date.
        Index(
            "ix_disclosure_items_unpublished",
            "due_on",
            "area_code",
            sqlite_where=text("published_on IS NULL"),
            postgresql_where=text("published_on IS NULL"),
        ),
        # ... and those published late.
        Index("ix_disclosure_items_late", "area_code", sqlite_where=text("late"), postgresql_where=text("late")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Indexed by ix_disclosure_items_board (area first): the mixin's own index would be a second copy.
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    period_from: Mapped[date | None] = mapped_column(Date)  # the period a periodic item covers
    period_to: Mapped[date | None] = mapped_column(Date)
    occurred_on: Mapped[date | None] = mapped_column(Date)  # the decision or completion a prompt item reports
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    rules: Mapped[str] = mapped_column(String(40), nullable=False)  # the RuleSet the due date came from
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    published_on: Mapped[date | None] = mapped_column(Date)
    shown_until: Mapped[date | None] = mapped_column(Date)  # last day on the board (the period)
    objection_until: Mapped[date | None] = mapped_column(Date)  # last day residents may ask
    answer_days: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    days_late: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    late_reason: Mapped[str | None] = mapped_column(Text)
    matter_ref: Mapped[str | None] = mapped_column(String(100))  # a self-government matter, linked later
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    published_by: Mapped[str | None] = mapped_column(String(64))
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DisclosureQuestion(Base, AreaScoped):
    """A resident's question (查询/异议) about a published item, and the committee's answer."""

    __tablename__ = "disclosure_questions"
    __table_args__ = (
        Index(
            "ix_disclosure_questions_open",
            "answer_due_on",
            "area_code",
            sqlite_where=text("answered_at IS NULL"),
            postgresql_where=text("answered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("disclosure_items.id"), nullable=False, index=True)
    asked_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    asked_on: Mapped[date] = mapped_column(Date, nullable=False)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    answer_due_on: Mapped[date] = mapped_column(Date, nullable=False)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DisclosureSettings(Base, AreaScoped):
    """An area's local settings (linli.disclosure.rules.Settings): the nearest ancestor's row applies."""

    __tablename__ = "disclosure_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period_days: Mapped[int] = mapped_column(Integer, nullable=False)
    objection_days: Mapped[int] = mapped_column(Integer, nullable=False)
    answer_days: Mapped[int] = mapped_column(Integer, nullable=False)
    prompt_days: Mapped[int] = mapped_column(Integer, nullable=False)
    after_period_days: Mapped[int] = mapped_column(Integer, nullable=False)
    finances_monthly: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
