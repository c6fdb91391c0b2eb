"""Demo workforce (marked generated): the pay system enabled in 南关区 and 农安县 with the province's seeded
defaults and each county's own pay parameters (generated figures, not official ones), six workers in
each of two communities of two streets per county at several posts and levels, and one assessment year
(2025) with the promotions it earned from 1 January 2026. The demo community worker's account is linked
to one of them, so their own page shows a post, a level and the next promotion date."""

from __future__ import annotations

import contextlib
import random
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.accounts import repository as accounts_repo
from linli.areas import repository as area_repo
from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.workforce import repository, seed, service
from linli.workforce.models import PROMOTING
from linli.workforce.schemas import AssessmentIn, PostIn, PromoteIn, WorkerIn

# (county, average monthly pay of public-institution managers, local coefficient): generated figures.
COUNTIES = (("220102", Decimal("6120.00"), Decimal("1.0500")), ("220122", Decimal("4850.00"), Decimal("1.0000")))
SOURCE = "演示数据（生成）：县（市、区）核定的参数"
# (post, party-building post, 一肩挑) of the six workers of a community.
POSTS = (("head", True, True), ("member", True, False), ("member", False, False), ("staff", False, False),
         ("staff", False, False), ("staff", False, False))  # fmt: skip
STARTS = (date(2022, 1, 1), date(2023, 1, 1), date(2024, 3, 1), date(2025, 1, 1))
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("丽华", "建国", "秀英", "志强", "海燕", "立新", "春梅", "国庆", "玉兰", "晓东")
RESULTS = ("excellent", "competent", "competent", "competent", "basic")
ACCOUNT = "community"


def _rules(session: Session, actor: Principal) -> None:
    for year in range(2022, 2027):
        service.save_setting(session, actor, seed.default("22", year))
    for county, pay, local in COUNTIES:
        for year in (2025, 2026):
            data = seed.default(county, year, pay_enabled=True, avg_manager_pay=pay, local_coefficient=local,
                                seeded_default=False, source=SOURCE)  # fmt: skip
            service.save_setting(session, actor, data)


def _communities(session: Session, county: str) -> list[str]:
    out = []
    for street in sorted(area_repo.child_names(session, county))[:2]:
        out += sorted(area_repo.child_names(session, street))[:2]
    return out


def _worker(session: Session, actor: Principal, rnd: random.Random, community: str, n: int) -> int:
    post, party, both = POSTS[n]
    start = STARTS[rnd.randrange(len(STARTS))]
    data = WorkerIn(
        area_code=community, name=rnd.choice(SURNAMES) + rnd.choice(GIVEN) + "（演示）",
        education=rnd.choice(("college", "bachelor", "bachelor", "master")),
        political_status="party_member" if party else rnd.choice(("party_member", "masses", "league_member")),
        qualification=(q := rnd.choice(("none", "assistant", "social_worker"))),
        qualified_on=date(2021, 6, 20) if q != "none" else None,
        work_start=date(rnd.randint(2008, 2021), rnd.randint(1, 12), 1), source=rnd.choice(("transfer", "recruitment")),
        contract_start=start, contract_end=date(start.year + 5, start.month, start.day) if post == "staff" else None,
    )  # fmt: skip
    worker = service.register_worker(session, actor, data, generated=True)
    service.assign_post(
        session, actor, worker.id, PostIn(post=post, start=start, party_building=party, both_heads=both)
    )
    result = rnd.choice(RESULTS)
    service.record_assessment(session, actor, worker.id, AssessmentIn(year=2025, result=result))
    if result in PROMOTING:
        # Refused (before writing anything) when the years are not met yet or the level is the post's highest.
        with contextlib.suppress(InvalidInput):
            service.promote(session, actor, worker.id, PromoteIn(year=2025))
    return worker.id


def step(session: Session, actor: Principal, say) -> None:
    """Once: a second run adds nothing."""
    if repository.generated_workers(session):
        return
    _rules(session, actor)
    rnd = random.Random(18)
    made = {}
    for county, _, _ in COUNTIES:
        ids = [_worker(session, actor, rnd, c, n) for c in _communities(session, county) for n in range(len(POSTS))]
        made[county] = ids
    account = accounts_repo.by_username(session, ACCOUNT)
    first = repository.get_worker(session, actor.scope(), made["220102"][3]) if made["220102"] else None
    if account is not None and first is not None and first.area_code.startswith("220102001001"):
        first.user_id = account.id
    session.flush()
    say(
        "workforce: pay system enabled in 南关区 and 农安县, "
        + ", ".join(f"{len(v)} workers in {k}" for k, v in made.items())
        + ", assessment year 2025 (marked generated)"
    )
