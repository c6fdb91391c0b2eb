"""The funding report of an area (a township, county, city or the province) for a year: budgeted and
paid, by payer, by kind, by kind and payer, per village or community on average, and by the area's
children. The seed's "¥73 M a year of subsidies for two-committee members" is the province report's
`by_kind["member_pay"].budgeted`. A county's report sets beside its member-pay budget what the
workforce's confirmed pay runs of that year paid to two-committee posts (read-only)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.funding import repository as repo
from linli.funding.models import KINDS, PAYERS
from linli.funding.schemas import ChildRow, PayComparison, PlaceAverage, ReportOut, Sums
from linli.funding.service import READ
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.workforce import repository as workforce_repo

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TWO_COMMITTEE_POSTS = ("head", "member")


def _sums(pair: list[Decimal]) -> Sums:
    return Sums(budgeted=pair[0], paid=pair[1])


def _average(total: Decimal, n: int) -> Decimal:
    return (total / n).quantize(CENT) if n else ZERO


def _place(kind: str | None) -> str:
    return kind if kind in ("community", "village") else "other"


def _check(principal: Principal, area: str, year: int) -> None:
    if not codes.is_valid(area):
        raise NotFound(t("area {code} does not exist", code=area))
    principal.check(READ, area, what=t("area {code}", code=area))
    if len(area) > 9:
        raise InvalidInput(t("a report is of a township, county, city or the province; a village has its lines"))
    if not 2000 <= year <= 2100:
        raise InvalidInput(t("the year {year} is outside {first}–{last}", year=year, first=2000, last=2100))


def report(session: Session, principal: Principal, area: str, year: int) -> ReportOut:
    _check(principal, area, year)
    child_length = codes.child_length(area)
    by_payer = {p: [ZERO, ZERO] for p in PAYERS}
    by_kind = {k: [ZERO, ZERO] for k in KINDS}
    matrix = {k: {p: [ZERO, ZERO] for p in PAYERS} for k in KINDS}
    children: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    per_kind: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for child, kind, payer, place_kind, budgeted, paid in repo.sums(session, area, year, child_length):
        budgeted, paid = Decimal(budgeted or 0), Decimal(paid or 0)
        for bucket in (by_payer[payer], by_kind[kind], matrix[kind][payer], children[child]):
            bucket[0] += budgeted
            bucket[1] += paid
        per_kind[_place(place_kind)][1] += budgeted
    places_of: dict[str, int] = defaultdict(int)
    for child, place_kind, n in repo.places(session, area, year, child_length):
        places_of[child] += n
        per_kind[_place(place_kind)][0] += n
    budgeted = sum((v[0] for v in by_kind.values()), ZERO)
    paid = sum((v[1] for v in by_kind.values()), ZERO)
    places = sum(places_of.values())
    return ReportOut(
        area_code=area, year=year, budgeted=budgeted, paid=paid, places=places, average=_average(budgeted, places),
        by_payer={p: _sums(v) for p, v in by_payer.items()}, by_kind={k: _sums(v) for k, v in by_kind.items()},
        by_kind_payer={k: {p: _sums(v) for p, v in row.items()} for k, row in matrix.items()},
        by_place_kind=[
            PlaceAverage(place_kind=k, places=n, budgeted=b, average=_average(b, n))
            for k, (n, b) in sorted(per_kind.items())
        ],
        children=[
            ChildRow(area_code=c, budgeted=v[0], paid=v[1], places=places_of.get(c, 0))
            for c, v in sorted(children.items())
        ],
        workforce=comparison(session, area, year, by_kind["member_pay"][0]) if len(area) == 6 else None,
    )  # fmt: skip


def comparison(session: Session, county: str, year: int, budgeted: Decimal) -> PayComparison | None:
    """What the county's confirmed monthly pay runs of the year paid to two-committee posts (community
    heads and members), through the workforce's repository; None when no month was run."""
    months, total = [], ZERO
    for m in range(1, 13):
        month = f"{year}-{m:02d}"
        run = workforce_repo.pay_run_of(session, county, month)
        if run is None:
            continue
        months.append(month)
        total += sum((x.amount for x in workforce_repo.pay_lines(session, run.id) if x.post in TWO_COMMITTEE_POSTS),
                     ZERO)  # fmt: skip
    if not months:
        return None
    return PayComparison(months=months, two_committee_paid=total, budgeted_member_pay=budgeted)
