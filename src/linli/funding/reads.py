"""What the funding pages and API show of lines: a line with what remains of it and its payments,
the lines of an area in the reader's scope."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.funding import repository as repo
from linli.funding.models import FundingLine
from linli.funding.schemas import LineDetail, LineOut, PaymentOut
from linli.funding.service import READ, missing_line
from linli.kit import codes


def line_out(line: FundingLine) -> LineOut:
    return LineOut(
        id=line.id, area_code=codes.unpad(line.area_code), year=line.year, kind=line.kind, payer=line.payer,
        amount=line.amount, paid=line.paid, remaining=line.amount - line.paid, basis=line.basis,
        generated=line.generated,
    )  # fmt: skip


def detail(session: Session, line: FundingLine) -> LineDetail:
    payments = [_payment(p) for p in repo.payments_of(session, line.id)]
    return LineDetail(**line_out(line).model_dump(), payments=payments)


def readable_line(session: Session, principal: Principal, line_id: int, *, under: str | None = None) -> FundingLine:
    """The line in the principal's reach (and under the area `under`, where a page names one), or 404."""
    line = repo.get_line(session, principal.scope(READ), line_id)
    if line is None or (under is not None and not codes.in_subtree(line.area_code, under)):
        raise missing_line(line_id)
    return line


def details_of(session: Session, principal: Principal, area: str, year: int) -> list[LineDetail]:
    """The year's lines of a village or community with their payments: two queries."""
    rows, _ = repo.list_lines(session, principal.scope(READ), area, year, 0, 100)
    paid = repo.payments_of_lines(session, [x.id for x in rows])
    return [LineDetail(**line_out(x).model_dump(), payments=[_payment(p) for p in paid.get(x.id, [])]) for x in rows]


def _payment(p) -> PaymentOut:
    return PaymentOut(id=p.id, paid_on=p.paid_on, amount=p.amount, payer=p.payer, voucher=p.voucher,
                      generated=p.generated)  # fmt: skip


def lines(session: Session, principal: Principal, area: str | None, year: int | None, offset: int, limit: int):
    rows, total = repo.list_lines(session, principal.scope(READ), area, year, offset, limit)
    return [line_out(x) for x in rows], total
