"""Bodies and answers of the funding API. Amounts are exact yuan: decimals of at most two places."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["member_pay", "office", "public_service", "other"]
Payer = Literal["province", "city", "county", "collective"]
FIRST_YEAR = 2000
Year = Field(ge=FIRST_YEAR, le=2100, description="the budget year")


def Yuan(**kw):  # noqa: N802 — a field maker, read like a type
    return Field(max_digits=14, decimal_places=2, **kw)


class LineIn(BaseModel):
    area_code: str = Field(min_length=12, max_length=12, description="the village or community")
    year: int = Year
    kind: Kind
    payer: Payer
    amount: Decimal = Yuan(ge=0, description="yuan, two places")
    basis: str = Field(min_length=1, max_length=300, description="the document the amount rests on")


class PaymentIn(BaseModel):
    paid_on: date
    amount: Decimal = Yuan(gt=0, description="yuan, two places")
    payer: Payer | None = Field(None, description="must be the line's payer; empty: the line's payer")
    voucher: str = Field(min_length=1, max_length=64, description="the voucher (凭证) number")


class PaymentOut(BaseModel):
    id: int
    paid_on: date
    amount: Decimal
    payer: str
    voucher: str
    generated: bool


class LineOut(BaseModel):
    id: int
    area_code: str
    year: int
    kind: str
    payer: str
    amount: Decimal
    paid: Decimal
    remaining: Decimal
    basis: str
    generated: bool


class LineDetail(LineOut):
    payments: list[PaymentOut]


class Sums(BaseModel):
    budgeted: Decimal
    paid: Decimal


class ChildRow(Sums):
    area_code: str
    places: int = Field(description="villages and communities with a line")


class PlaceAverage(BaseModel):
    place_kind: str = Field(description="community, village or other (the area's kind)")
    places: int
    budgeted: Decimal
    average: Decimal = Field(description="budgeted ÷ places, to the fen")


class PayComparison(BaseModel):
    """The county's confirmed pay runs of the year, two-committee posts only (workforce, read-only)."""

    months: list[str] = Field(description="the months with a confirmed pay run")
    two_committee_paid: Decimal
    budgeted_member_pay: Decimal


class ReportOut(Sums):
    area_code: str
    year: int
    places: int
    average: Decimal = Field(description="budgeted per village or community with a line")
    by_payer: dict[str, Sums]
    by_kind: dict[str, Sums]
    by_kind_payer: dict[str, dict[str, Sums]]
    by_place_kind: list[PlaceAverage]
    children: list[ChildRow]
    workforce: PayComparison | None = None
