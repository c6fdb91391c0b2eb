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
from linli.workforce.schemas import (
    ApplicantIn,
    ApplicantScoresIn,
    AssessmentIn,
    HireIn,
    PostIn,
    PromoteIn,
    RoundIn,
    ScoresIn,
    WorkerIn,
)

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
BANDS = {"excellent": (90, 97), "competent": (72, 88), "basic": (61, 69), "incompetent": (45, 58)}
RATERS = ("street", "residents", "colleagues")
APPLICANTS = ("孙静怡", "郭子涵", "马晓雪", "林浩然", "何雨桐", "高俊杰", "罗欣悦", "梁思远")
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
    # The 2025 assessment from three raters' scores in the band of a drawn result (default weights and
    # thresholds: 90 excellent, 70 competent, 60 basically competent).
    low, high = BANDS[rnd.choice(RESULTS)]
    scores = {r: Decimal(rnd.randint(low, high)) for r in RATERS}
    result = service.record_scores(session, actor, worker.id, ScoresIn(year=2025, scores=scores)).result
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
    flagged = _flagged(session, actor, _communities(session, "220102")[0])
    rounds = _recruitment(session, actor, rnd, _communities(session, "220102")[0])
    account = accounts_repo.by_username(session, ACCOUNT)
    first = repository.get_worker(session, actor.scope(), made["220102"][3]) if made["220102"] else None
    if account is not None and first is not None and first.area_code.startswith("220102001001"):
        first.user_id = account.id
    session.flush()
    say(
        "workforce: pay system enabled in 南关区 and 农安县, "
        + ", ".join(f"{len(v)} workers in {k}" for k, v in made.items())
        + f", assessment year 2025 from raters' scores, worker {flagged} flagged for dismissal review, "
        + f"recruitment rounds {rounds} in 南关区 (marked generated)"
    )


def _flagged(session: Session, actor: Principal, community: str) -> int:
    """A staff worker incompetent in 2024 and 2025: flagged by the default rule (two years in a row)."""
    data = WorkerIn(area_code=community, name="赵立军（演示）", education="college", political_status="masses",
                    work_start=date(2019, 4, 1), source="recruitment", contract_start=date(2024, 1, 1),
                    contract_end=date(2029, 1, 1))  # fmt: skip
    worker = service.register_worker(session, actor, data, generated=True)
    service.assign_post(session, actor, worker.id, PostIn(post="staff", start=date(2024, 1, 1)))
    service.record_assessment(session, actor, worker.id, AssessmentIn(year=2024, result="incompetent"))
    scores = {"street": Decimal(52), "residents": Decimal(55), "colleagues": Decimal(58)}
    service.record_scores(session, actor, worker.id, ScoresIn(year=2025, scores=scores))
    return worker.id


def _recruitment(session: Session, actor: Principal, rnd: random.Random, community: str) -> list[int]:
    """南关区's 2025 round, published, its best applicant registered as a worker from 1 September 2025; and
    a 2026 round still taking scores."""
    done = service.open_round(session, actor, RoundIn(
        county="220102", year=2025, title="2025年南关区社区工作者公开招聘（演示）", posts={"staff": 3},
        conditions="35周岁以下，大专及以上学历，南关区户籍或常住（演示）", written_weight=Decimal("0.5"),
        interview_weight=Decimal("0.5"), pass_mark=Decimal("65")), generated=True)  # fmt: skip
    for name in APPLICANTS:
        row = service.add_applicant(session, actor, done.id, ApplicantIn(
            name=name + "（演示）", education=rnd.choice(("college", "bachelor", "bachelor", "master")),
            political_status=rnd.choice(("masses", "league_member", "party_member")), post="staff"),
            generated=True)  # fmt: skip
        scores = ApplicantScoresIn(written=Decimal(rnd.randint(55, 92)), interview=Decimal(rnd.randint(60, 90)))
        service.score_applicant(session, actor, row.id, scores)
    service.publish(session, actor, done.id)
    best = min((a for a in repository.applicants_of(session, done.id) if a.passed), key=lambda a: a.rank)
    service.hire(session, actor, best.id, HireIn(area_code=community, start=date(2025, 9, 1)))
    still = service.open_round(session, actor, RoundIn(
        county="220102", year=2026, title="2026年南关区社区工作者公开招聘（演示）", posts={"staff": 2, "member": 1},
        conditions="40周岁以下，本科及以上学历（演示）", written_weight=Decimal("0.6"),
        interview_weight=Decimal("0.4"), pass_mark=Decimal("60")), generated=True)  # fmt: skip
    for i, name in enumerate(("周雨萱", "吴俊熙", "郑可欣")):
        row = service.add_applicant(session, actor, still.id, ApplicantIn(
            name=name + "（演示）", education="bachelor", political_status="party_member",
            post="member" if i == 0 else "staff"), generated=True)  # fmt: skip
        if i < 2:
            marks = ApplicantScoresIn(written=Decimal(70 + i * 8), interview=Decimal(75 + i * 3))
            service.score_applicant(session, actor, row.id, marks)
    return [done.id, still.id]
