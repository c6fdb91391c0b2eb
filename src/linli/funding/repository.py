"""All SQL of the funding domain that reads: lines in scope, one line with its payments, and the sums
of a report (grouped in the database, one pass over the year's lines of the area)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause
from linli.funding.models import FundingLine, FundingPayment
from linli.kit import codes


def get_line(session: Session, scope: AreaScope, line_id: int, *, for_update: bool = False) -> FundingLine | None:
    """The line when it lies in the scope; locked for the transaction when a payment is to be added."""
    q = select(FundingLine).where(FundingLine.id == line_id, scope.clause(FundingLine.area_code))
    return session.scalar(q.with_for_update() if for_update else q)


def line_at(session: Session, area_code: str, year: int, kind: str, payer: str) -> FundingLine | None:
    return session.scalar(
        select(FundingLine).where(
            FundingLine.area_code == codes.pad(area_code), FundingLine.year == year, FundingLine.kind == kind,
            FundingLine.payer == payer,
        )
    )  # fmt: skip


def list_lines(
    session: Session, scope: AreaScope, area_code: str | None, year: int | None, offset: int, limit: int
) -> tuple[list[FundingLine], int]:
    q = select(FundingLine).where(scope.clause(FundingLine.area_code))
    if area_code:
        q = q.where(subtree_clause(FundingLine.area_code, area_code))
    if year is not None:
        q = q.where(FundingLine.year == year)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    order = (FundingLine.area_code, FundingLine.year, FundingLine.kind, FundingLine.payer)
    return list(session.scalars(q.order_by(*order).offset(offset).limit(limit))), total


def payments_of(session: Session, line_id: int) -> list[FundingPayment]:
    q = select(FundingPayment).where(FundingPayment.line_id == line_id)
    return list(session.scalars(q.order_by(FundingPayment.paid_on, FundingPayment.id)))


def payments_of_lines(session: Session, line_ids: list[int]) -> dict[int, list[FundingPayment]]:
    if not line_ids:
        return {}
    out: dict[int, list[FundingPayment]] = {}
    q = select(FundingPayment).where(FundingPayment.line_id.in_(line_ids))
    for p in session.scalars(q.order_by(FundingPayment.paid_on, FundingPayment.id)):
        out.setdefault(p.line_id, []).append(p)
    return out


def voucher_used(session: Session, line_id: int, voucher: str) -> bool:
    q = select(FundingPayment.id).where(FundingPayment.line_id == line_id, FundingPayment.voucher == voucher)
    return session.scalar(q.limit(1)) is not None


def sums(session: Session, area_code: str, year: int, child_length: int) -> list[tuple[str, str, str, Decimal, Decimal]]:
    """(child code, kind, payer, budgeted, paid) of the year's lines under the area: at most
    children × 4 × 4 rows, whatever the number of lines."""
    child = func.substr(FundingLine.area_code, 1, child_length)
    q = (
        select(child, FundingLine.kind, FundingLine.payer, func.sum(FundingLine.amount), func.sum(FundingLine.paid))
        .where(FundingLine.year == year, subtree_clause(FundingLine.area_code, area_code))
        .group_by(child, FundingLine.kind, FundingLine.payer)
    )
    return [tuple(r) for r in session.execute(q).all()]


def places(session: Session, area_code: str, year: int, child_length: int) -> list[tuple[str, str, int, Decimal]]:
    """(child code, the place's kind, places with a line, their budget) under the area: places are
    counted once however many lines they have."""
    per_place = (
        select(FundingLine.area_code.label("code"), func.sum(FundingLine.amount).label("budget"))
        .where(FundingLine.year == year, subtree_clause(FundingLine.area_code, area_code))
        .group_by(FundingLine.area_code)
        .subquery()
    )
    child = func.substr(per_place.c.code, 1, child_length)
    q = (
        select(child, Area.kind, func.count(), func.sum(per_place.c.budget))
        .select_from(per_place)
        .outerjoin(Area, Area.code == func.substr(per_place.c.code, 1, 12))
        .group_by(child, Area.kind)
    )
    return [tuple(r) for r in session.execute(q).all()]


def generated_lines(session: Session) -> int:
    q = select(func.count()).select_from(FundingLine).where(FundingLine.generated.is_(True))
    return session.scalar(q) or 0
