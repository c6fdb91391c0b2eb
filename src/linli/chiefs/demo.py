"""Demo road chiefs on 南岭街道 (南关区, marked generated): roads of the demo community's grids, the street's
official as street chief, the community worker as road chief, the grid worker as lane chief, a named cadre
of the street's office without an account; patrols of the last weeks, one finding reported as a grid event."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.accounts import repository as accounts_repo
from linli.accounts.demo import ensure_accounts
from linli.areas import repository as area_repo
from linli.areas.demo import DEMO_GRID
from linli.authz.principal import Principal, principal_for
from linli.chiefs import repository, service
from linli.chiefs.schemas import AppointmentIn, FindingEventIn, PatrolIn, RoadIn
from linli.kit import codes

CHIEF_ACCOUNTS = ("street", "community", "gridworker")  # demo accounts (linli.accounts.demo) appointed chiefs
STREET = "220102001"  # 南岭街道
COMMUNITY = "220102001001"
# (grid index under the demo community, name, kind)
ROADS = (
    (0, "华阳街", "street"),
    (0, "南岭大街（华阳段）", "road"),
    (0, "华阳胡同", "lane"),
    (1, "自由大路（演示段）", "road"),
    (2, "幸福巷", "lane"),
)


def _as(session: Session, username: str) -> Principal | None:
    """The demo account acting on its own (a chief records their own patrols)."""
    user = accounts_repo.by_username(session, username)
    if user is None:
        return None
    grants = accounts_repo.grants_of(session, [user.id]).get(user.id, [])
    return principal_for(user.id, user.username, [(g.role, codes.unpad(g.area_code)) for g in grants])


def _roads(session: Session, actor: Principal, grids: list[str]) -> list:
    made = []
    for i, name, kind in ROADS:
        place = grids[i] if i < len(grids) else COMMUNITY
        made.append(service.create_road(session, actor, RoadIn(area_code=place, name=name, kind=kind), generated=True))
    return made


def _appoint(session: Session, actor: Principal, grids: list[str], roads: list) -> list:
    start = service.today() - timedelta(days=90)
    plans = [
        AppointmentIn(area_code=STREET, level="street", username="street", unit="南岭街道办事处", appointed_on=start,
                      grids=grids[:2]),
        AppointmentIn(area_code=COMMUNITY, level="road", username="community", unit="华阳社区居委会",
                      appointed_on=start, road_ids=[roads[1].id, roads[3].id]),
        AppointmentIn(area_code=COMMUNITY, level="lane", username="gridworker", unit="华阳社区",
                      appointed_on=start, road_ids=[roads[2].id]),
        AppointmentIn(area_code=COMMUNITY, level="lane", name="李建国（演示）", unit="南岭街道城建办",
                      appointed_on=start, road_ids=[roads[4].id]),
    ]  # fmt: skip
    out = []
    for body in plans:
        if body.username and accounts_repo.by_username(session, body.username) is None:
            continue
        out.append(service.appoint(session, actor, body, generated=True))
    return out


def _patrols(session: Session, roads: list) -> int:
    """Patrols by the chiefs' own accounts; the grid worker's finding on 华阳胡同 becomes a grid event."""
    today = service.today()
    n = 0
    for username, road, days in (("street", roads[0], 7), ("community", roads[1], 3), ("gridworker", roads[2], 1)):
        chief = _as(session, username)
        if chief is None:
            continue
        event = None
        if username == "gridworker":
            grid = area_repo.find_area(session, codes.unpad(road.area_code))
            if grid is not None and grid.rep_lon is not None:
                event = FindingEventIn(category_code="0103", title="华阳胡同井盖缺损（演示）", lon=grid.rep_lon,
                                       lat=grid.rep_lat, description="巷长巡查发现井盖缺损，已设置警示。")  # fmt: skip
        body = PatrolIn(
            road_id=road.id, patrolled_on=today - timedelta(days=days), route=f"{road.name}全程步行巡查",
            findings="井盖缺损一处" if event else "路面整洁，未见问题", event=event,
        )  # fmt: skip
        patrol = service.patrol(session, chief, body, generated=True)
        if patrol.event_id is not None:
            service.mark_event_generated(session, patrol.event_id)
        n += 1
    return n


def step(session: Session, actor: Principal, say) -> None:
    """The demo street's roads, chiefs and patrols, once (a second run adds nothing)."""
    if repository.generated_appointments(session):
        return
    if area_repo.find_area(session, COMMUNITY) is None:
        say(f"chiefs: area {COMMUNITY} is missing; no demo road chiefs")
        return
    grids = sorted(area_repo.child_names(session, COMMUNITY))
    if DEMO_GRID in grids:
        grids.remove(DEMO_GRID)
        grids.insert(0, DEMO_GRID)
    if any(accounts_repo.by_username(session, name) is None for name in CHIEF_ACCOUNTS):
        # The demo accounts are made after every domain's data (linli.cli.demo); the chiefs need theirs now.
        # Made here once, they are given fresh passwords (and printed) when the accounts step runs.
        ensure_accounts(session, actor)
    roads = _roads(session, actor, grids)
    chiefs = _appoint(session, actor, grids, roads)
    patrols = _patrols(session, roads)
    say(
        f"appointed {len(chiefs)} road chiefs on 南岭街道 with {len(roads)} roads and {patrols} patrols "
        "(marked generated)"
    )
