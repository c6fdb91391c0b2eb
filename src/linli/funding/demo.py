"""Demo funding (marked generated): budget lines of 2026 for every village and community of the demo
counties (南关区, 农安县), each kind split among its payers, with the half-year payments made and some of
the second half; generated figures, not official ones. The report's member-pay total is the sum of
these lines: in the demo it is the two counties' figure, the seed's ¥73 M being the same sum over the
province's 11,860 places."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.principal import Principal
from linli.funding import repository, service
from linli.kit import codes
from linli.kit.time import utcnow

COUNTIES = ("220102", "220122")
YEAR = 2026
BASIS = "演示数据（生成）：村级组织运转经费保障办法"
# (kind, payer, yuan for a community, yuan for a village): the year's base, varied by ±20% per place.
SHARES = (
    ("member_pay", "province", 3600, 3000), ("member_pay", "county", 2400, 1800), ("member_pay", "collective", 0, 1200),
    ("office", "county", 20000, 10000), ("office", "city", 5000, 0),
    ("public_service", "province", 60000, 30000), ("public_service", "county", 40000, 20000),
    ("other", "collective", 0, 3000),
)  # fmt: skip
HALF = date(YEAR, 6, 30)
SECOND = date(YEAR, 11, 30)


def _places(session: Session, county: str) -> list[tuple[str, str]]:
    rows = area_repo.townships_and_villages(session, county)
    return [(code, kind) for code, _name, level, kind, _parent in rows if level == "village"]


def _rows(rnd: random.Random, places, actor: str) -> tuple[list[dict], list[dict]]:
    now = utcnow()
    lines, payments = [], []
    for code, kind in places:
        for share, payer, community, village in SHARES:
            base = community if kind == "community" else village
            if not base:
                continue
            amount = Decimal(round(base * rnd.uniform(0.8, 1.2), -2)).quantize(Decimal("0.01"))
            first = (amount / 2).quantize(Decimal("0.01"))
            paid = first + (amount - first if rnd.random() < 0.4 else 0)
            n = len(lines)
            lines.append({"area_code": codes.pad(code), "year": YEAR, "kind": share, "payer": payer, "amount": amount,
                          "paid": paid, "basis": BASIS, "entered_by": actor, "generated": True, "created_at": now,
                          "updated_at": now})  # fmt: skip
            for day, part in ((HALF, first), (SECOND, paid - first)):
                if part:
                    payments.append({"line": n, "paid_on": day, "amount": part, "payer": payer, "recorded_by": actor,
                                     "voucher": f"演示-{code}-{share}-{payer}-{day:%m}", "generated": True,
                                     "created_at": now, "updated_at": now})  # fmt: skip
    return lines, payments


def step(session: Session, actor: Principal, say) -> None:
    """Once: a second run adds nothing."""
    if repository.generated_lines(session):
        return
    rnd = random.Random(27)
    made = {}
    for county in COUNTIES:
        places = _places(session, county)
        lines, payments = _rows(rnd, places, actor.audit_name)
        service.add_generated(session, actor, county, lines, payments, dict(places))
        made[county] = (len(places), len(lines))
    session.flush()
    say("funding: " + ", ".join(f"{n} places, {m} budget lines of {YEAR} in {c}" for c, (n, m) in made.items())
        + " (marked generated)")  # fmt: skip
