"""Funding of villages and communities (村/社区经费保障): budget lines per place, year, kind and payer,
and the subsidies paid against them.

A line is one payer's share of one kind of money for one village or community in one year (the
two-committee members' pay, office funds 办公经费, public service funds 服务群众专项经费, other), with
the document it rests on. Amounts are exact yuan (Numeric, two places). `paid` is the sum of the line's
payments, kept on the line so that a province's report reads one table; a payment over what remains is
refused, so `paid` never exceeds `amount`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped

KINDS = ("member_pay", "office", "public_service", "other")
PAYERS = ("province", "city", "county", "collective")


class FundingLine(Base, AreaScoped, Timestamped):
    __tablename__ = "fd_lines"
    __table_args__ = (
        UniqueConstraint("area_code", "year", "kind", "payer", name="uq_fd_lines_area_year_kind_payer"),
        Index("ix_fd_lines_year_area", "year", "area_code"),
        CheckConstraint("amount >= 0 AND paid >= 0 AND paid <= amount", name="amounts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    payer: Mapped[str] = mapped_column(String(12), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    paid: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False, default=Decimal("0.00"))
    basis: Mapped[str] = mapped_column(String(300), nullable=False)  # the document the amount rests on
    entered_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class FundingPayment(Base, Timestamped):
    """A subsidy paid against a line, by the line's payer, with its voucher (凭证) number."""

    __tablename__ = "fd_payments"
    __table_args__ = (
        UniqueConstraint("line_id", "voucher", name="uq_fd_payments_line_voucher"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("fd_lines.id"), index=True, nullable=False)
    paid_on: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    payer: Mapped[str] = mapped_column(String(12), nullable=False)
    voucher: Mapped[str] = mapped_column(String(64), nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class CountySum(Base, AreaScoped):
    """What a county's lines of a year add up to, per kind, payer and kind of place (community, village):
    kept on every write so that a city's or the province's report reads a few rows per county, not every
    line (tests/funding check it against the lines)."""

    __tablename__ = "fd_county_sums"
    __table_args__ = (
        UniqueConstraint("area_code", "year", "kind", "payer", "place_kind", name="uq_fd_county_sums_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    payer: Mapped[str] = mapped_column(String(12), nullable=False)
    place_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    budgeted: Mapped[Decimal] = mapped_column(Numeric(16, 2), nullable=False)
    paid: Mapped[Decimal] = mapped_column(Numeric(16, 2), nullable=False)


class CountyPlaces(Base, AreaScoped):
    """How many villages and communities of a county have a line in a year, per kind of place."""

    __tablename__ = "fd_county_places"
    __table_args__ = (UniqueConstraint("area_code", "year", "place_kind", name="uq_fd_county_places_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    place_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    places: Mapped[int] = mapped_column(Integer, nullable=False)
