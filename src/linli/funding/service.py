"""Writes of the funding domain: budget lines and the subsidies paid against them. Entered by the
county's civil-affairs staff (funding.manage held over the whole county); each write is checked whole,
audited with ids, codes and amounts, and changes nothing when refused."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.funding import repository as repo
from linli.funding.kinds import KINDS, PAYERS
from linli.funding.models import FundingLine, FundingPayment
from linli.funding.schemas import FIRST_YEAR, LineIn, PaymentIn
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import gettext, t
from linli.kit.time import utcnow

MANAGE = Permission.funding_manage
READ = Permission.funding_read
CENT = Decimal("0.01")


def missing_line(line_id: int) -> NotFound:
    return NotFound(t("budget line {id} does not exist", id=line_id))


def last_year() -> int:
    """Budgets are entered for the years up to the next one (a budget is set before its year begins)."""
    return utcnow().year + 1


def check_county_staff(principal: Principal, area_code: str) -> None:
    """404 outside the principal's sight; 403 unless funding.manage covers the place's whole county: a
    street or a community reads its lines but does not enter them."""
    principal.check(MANAGE, area_code, what=t("area {code}", code=area_code))
    if not principal.can(MANAGE, area_code[:6]):
        raise Forbidden(t("budget lines and payments are entered by the county's civil-affairs staff"))


def _line_problems(data: LineIn) -> list[str]:
    problems = []
    if not FIRST_YEAR <= data.year <= last_year():
        problems.append(t("the year {year} is outside {first}–{last}", year=data.year, first=FIRST_YEAR,
                          last=last_year()))  # fmt: skip
    if data.amount < 0 or data.amount != data.amount.quantize(CENT):
        problems.append(t("the amount must be zero or more, in yuan with at most two decimals"))
    return problems


def add_line(session: Session, principal: Principal, data: LineIn, *, generated: bool = False) -> FundingLine:
    """A payer's share of one kind of money for a village or community in a year; one per
    (place, year, kind, payer)."""
    if not codes.is_valid(data.area_code) or len(data.area_code) != 12:
        raise NotFound(t("area {code} does not exist", code=data.area_code))
    check_county_staff(principal, data.area_code)
    place = area_repo.find_area(session, data.area_code)
    if place is None:
        raise NotFound(t("area {code} does not exist", code=data.area_code))
    problems = _line_problems(data)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    if repo.line_at(session, data.area_code, data.year, data.kind, data.payer) is not None:
        raise Conflict(
            t("this place has a {year} line of {kind} paid by the {payer} already", year=data.year,
              kind=gettext(KINDS[data.kind]), payer=gettext(PAYERS[data.payer])),
            code="duplicate_line",
        )  # fmt: skip
    first = not repo.place_has_line(session, data.area_code, data.year)
    line = FundingLine(
        area_code=codes.pad(data.area_code), year=data.year, kind=data.kind, payer=data.payer, amount=data.amount,
        paid=Decimal("0.00"), basis=data.basis, entered_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(line)
    session.flush()
    _tally(session, line, place.kind, budgeted=data.amount, paid=Decimal("0.00"), new_place=first)
    record(
        session, principal, "funding.line_add", "funding_line", line.id, line.area_code,
        after={"year": data.year, "kind": data.kind, "payer": data.payer, "amount": str(data.amount)},
    )  # fmt: skip
    return line


def pay(session: Session, principal: Principal, line_id: int, data: PaymentIn, *, generated: bool = False):
    """A subsidy paid against a line: by the line's payer, not more than what remains of it."""
    line = repo.get_line(session, principal.scope(READ), line_id, for_update=True)
    if line is None:
        raise missing_line(line_id)
    check_county_staff(principal, codes.unpad(line.area_code))
    payer = data.payer or line.payer
    if payer != line.payer:
        raise InvalidInput(
            t("this line is paid by the {line}; a payment by the {payer} belongs on that payer's line",
              line=gettext(PAYERS[line.payer]), payer=gettext(PAYERS[payer]))
        )  # fmt: skip
    if data.amount <= 0 or data.amount != data.amount.quantize(CENT):
        raise InvalidInput(t("a payment must be above zero, in yuan with at most two decimals"))
    remaining = line.amount - line.paid
    if data.amount > remaining:
        raise InvalidInput(
            t("a payment of {amount} yuan is more than remains of the line: {amount_line} budgeted, {paid} paid, "
              "{remaining} remaining", amount=data.amount, amount_line=line.amount, paid=line.paid,
              remaining=remaining),
            details={"amount": str(data.amount), "budgeted": str(line.amount), "paid": str(line.paid),
                     "remaining": str(remaining)},
            code="over_remaining",
        )  # fmt: skip
    if repo.voucher_used(session, line.id, data.voucher):
        raise Conflict(t("voucher {voucher} is recorded on this line already", voucher=data.voucher))
    payment = FundingPayment(
        line_id=line.id, paid_on=data.paid_on, amount=data.amount, payer=payer, voucher=data.voucher,
        recorded_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    before = line.paid
    line.paid = before + data.amount
    session.add(payment)
    session.flush()
    place = area_repo.find_area(session, codes.unpad(line.area_code))
    _tally(session, line, place.kind if place else "other", budgeted=Decimal("0.00"), paid=data.amount)
    record(
        session, principal, "funding.pay", "funding_line", line.id, line.area_code,
        before={"paid": str(before)},
        after={"paid": str(line.paid), "amount": str(data.amount), "voucher": data.voucher, "payment": payment.id},
    )  # fmt: skip
    return payment


def _tally(session: Session, line: FundingLine, place_kind: str, *, budgeted, paid, new_place: bool = False) -> None:
    """Add a write's amounts to its county's sums (and the place to its places, on its first line of the year)."""
    county = codes.pad(codes.unpad(line.area_code)[:6])
    repo.add_to_sums(session, [{"area_code": county, "year": line.year, "kind": line.kind, "payer": line.payer,
                                "place_kind": place_kind, "budgeted": budgeted, "paid": paid}])  # fmt: skip
    if new_place:
        repo.add_to_places(session, [{"area_code": county, "year": line.year, "place_kind": place_kind, "places": 1}])


def _generated_tallies(session: Session, county: str, lines: list[dict], place_kinds: dict[str, str]) -> None:
    sums: dict[tuple, list[Decimal]] = {}
    places: dict[tuple, set] = {}
    for row in lines:
        place_kind = place_kinds.get(codes.unpad(row["area_code"]), "other")
        pair = sums.setdefault((row["year"], row["kind"], row["payer"], place_kind), [Decimal(0), Decimal(0)])
        pair[0] += row["amount"]
        pair[1] += row["paid"]
        places.setdefault((row["year"], place_kind), set()).add(row["area_code"])
    padded = codes.pad(county)
    repo.add_to_sums(session, [
        {"area_code": padded, "year": y, "kind": k, "payer": p, "place_kind": pk, "budgeted": b, "paid": pd}
        for (y, k, p, pk), (b, pd) in sums.items()
    ])  # fmt: skip
    repo.add_to_places(session, [
        {"area_code": padded, "year": y, "place_kind": pk, "places": len(found)} for (y, pk), found in places.items()
    ])  # fmt: skip


def add_generated(
    session: Session, principal: Principal, county: str, lines: list[dict], payments: list[dict],
    place_kinds: dict[str, str],
) -> None:  # fmt: skip
    """The demo's lines and payments of one county (whose places have no line of the year yet), written in
    bulk (marked generated), with one audit entry for the county: each line dict as FundingLine's columns,
    each payment with its line's index; `place_kinds` the kind of each place (community, village)."""
    check_county_staff(principal, county)
    if not lines:
        return
    _generated_tallies(session, county, lines, place_kinds)
    made = insert(FundingLine).returning(FundingLine.id, sort_by_parameter_order=True)
    ids = session.execute(made, lines).scalars().all()
    if payments:
        rows = [{k: v for k, v in p.items() if k != "line"} | {"line_id": ids[p["line"]]} for p in payments]
        session.execute(insert(FundingPayment), rows)
    record(session, principal, "funding.generate", "funding_county", county, codes.pad(county),
           after={"lines": len(lines), "payments": len(payments)})  # fmt: skip
