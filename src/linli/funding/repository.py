"""All SQL of the funding domain that reads: lines in scope, one line with its payments, and the sums
of a report (grouped in the database, one pass over the year's lines of the area)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause
from linli.funding.models import CountyPlaces, CountySum, FundingLine, FundingPayment
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


def place_has_line(session: Session, area_code: str, year: int) -> bool:
    q = select(FundingLine.id).where(FundingLine.area_code == codes.pad(area_code), FundingLine.year == year)
    return session.scalar(q.limit(1)) is not None


def _upsert(session: Session, model, rows: list[dict], key: tuple[str, ...], added: tuple[str, ...]) -> None:
    """Add `added` of each row to its key's row, creating it: one statement on SQLite and PostgreSQL
    alike (INSERT … ON CONFLICT DO UPDATE), so two clerks adding to one county do not collide."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    stmt = upsert(model)
    table = model.__table__
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_={c: table.c[c] + stmt.excluded[c] for c in added})
    session.execute(stmt, rows)


def add_to_sums(session: Session, rows: list[dict]) -> None:
    """rows: area_code (the county, padded), year, kind, payer, place_kind, budgeted, paid."""
    key = ("area_code", "year", "kind", "payer", "place_kind")
    _upsert(session, CountySum, rows, key, ("budgeted", "paid"))


def add_to_places(session: Session, rows: list[dict]) -> None:
    """rows: area_code (the county, padded), year, place_kind, places."""
    _upsert(session, CountyPlaces, rows, ("area_code", "year", "place_kind"), ("places",))


def _wide(child_length: int) -> bool:
    """A city's or the province's report: its children are counties or cities, read from the county sums."""
    return child_length <= 6


def sums(session: Session, area_code: str, year: int, child_length: int) -> list[tuple]:
    """(child code, kind, payer, kind of place, budgeted, paid) of the year under the area: from the
    county sums for a city or the province, from the lines for a county or a township."""
    if _wide(child_length):
        child = func.substr(CountySum.area_code, 1, child_length)
        q = (
            select(child, CountySum.kind, CountySum.payer, CountySum.place_kind, func.sum(CountySum.budgeted),
                   func.sum(CountySum.paid))
            .where(CountySum.year == year, subtree_clause(CountySum.area_code, area_code))
            .group_by(child, CountySum.kind, CountySum.payer, CountySum.place_kind)
        )  # fmt: skip
        return [tuple(r) for r in session.execute(q).all()]
    child = func.substr(FundingLine.area_code, 1, child_length)
    q = (
        select(child, FundingLine.kind, FundingLine.payer, Area.kind, func.sum(FundingLine.amount),
               func.sum(FundingLine.paid))
        .outerjoin(Area, Area.code == func.substr(FundingLine.area_code, 1, 12))
        .where(FundingLine.year == year, subtree_clause(FundingLine.area_code, area_code))
        .group_by(child, FundingLine.kind, FundingLine.payer, Area.kind)
    )  # fmt: skip
    return [tuple(r) for r in session.execute(q).all()]


def places(session: Session, area_code: str, year: int, child_length: int) -> list[tuple[str, str, int]]:
    """(child code, kind of place, villages and communities with a line) under the area."""
    if _wide(child_length):
        child = func.substr(CountyPlaces.area_code, 1, child_length)
        q = (
            select(child, CountyPlaces.place_kind, func.sum(CountyPlaces.places))
            .where(CountyPlaces.year == year, subtree_clause(CountyPlaces.area_code, area_code))
            .group_by(child, CountyPlaces.place_kind)
        )
        return [(c, k, int(n)) for c, k, n in session.execute(q).all()]
    child = func.substr(FundingLine.area_code, 1, child_length)
    q = (
        select(child, Area.kind, func.count(func.distinct(FundingLine.area_code)))
        .outerjoin(Area, Area.code == func.substr(FundingLine.area_code, 1, 12))
        .where(FundingLine.year == year, subtree_clause(FundingLine.area_code, area_code))
        .group_by(child, Area.kind)
    )
    return [tuple(r) for r in session.execute(q).all()]


def generated_lines(session: Session) -> int:
    q = select(func.count()).select_from(FundingLine).where(FundingLine.generated.is_(True))
    return session.scalar(q) or 0
