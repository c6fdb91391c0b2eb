"""Demo warnings (marked generated): 农安县气象台's lightning yellow warning in force, and a gale blue
warning of the day before, already lifted.

So that the lightning warning's progress table shows real numbers, the demo also adds generated grid
workers to the first grids of 农安县 (the first is the demo account `nongan_gridworker`), SMS
subscriptions of a few generated residents, delivers the workers' inbox messages, and has some of
them confirm (one finds a danger, which files an event); the warning is 45 minutes old, so the
others are overdue.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.alerts import delivery, repository, service
from linli.alerts.kinds import now_cst
from linli.alerts.models import WarningMessage
from linli.alerts.schemas import AreaIn, LiftIn, WarningIn
from linli.areas import grids
from linli.authn.models import User
from linli.authn.passwords import generate_password, hash_password
from linli.authz.principal import Principal, principal_for
from linli.kit import codes
from linli.kit.errors import DomainError
from linli.notify import demo as notify_demo

COUNTY = "220122"
AGENCY = "农安县气象台"
DEMO_WORKER = "nongan_gridworker"  # a demo account (linli.cli.demo.ACCOUNTS) who has not confirmed
WORKER_GRIDS = 24
SUBSCRIBERS = 30


def _demo_staff(session: Session, actor: Principal) -> list[tuple[User, str]]:
    """Generated grid workers for the first grids of the county: [(user, grid)]."""
    grid_codes = repository.first_grids(session, COUNTY, WORKER_GRIDS)
    shared_hash = hash_password(generate_password())  # nobody signs in as them (the demo account gets its own)
    out = []
    for n, grid in enumerate(grid_codes):
        username = DEMO_WORKER if n == 0 else f"nongan-gw-{grid[6:]}"
        user = repository.user_named(session, username)
        if user is None:
            user = User(
                username=username,
                display_name=f"农安县网格员{n + 1:02d}（演示）",
                password_hash=shared_hash,
                area_code=codes.pad(grid),
            )
            session.add(user)
            session.flush()
            grids.assign_worker(session, actor, grid, user.id, "worker")
        out.append((user, grid))
    return out


def _demo_subscriptions(session: Session, actor: Principal) -> int:
    """SMS consent of a few generated residents with a phone, as if taken on a visit."""
    return notify_demo.consents(session, actor, repository.persons_with_phone(session, COUNTY, SUBSCRIBERS))


def _demo_progress(session: Session, warning: WarningMessage, staff: list[tuple[User, str]]) -> None:
    """Backdate the deliveries to the warning's time, deliver the inbox ones, and let some confirm."""
    from linli.alerts.confirm import confirm

    notify_demo.backdate(session, delivery.thread_prefix(warning.thread), warning.sent)
    notify_demo.deliver_inbox(session, delivery.thread_prefix(warning.thread))
    for n, (user, grid) in enumerate(staff[1:], 1):
        if n % 3 == 0:
            continue  # a third have not answered: overdue
        who = principal_for(user.id, user.username, [("grid_worker", grid)])
        kind = "danger_found" if n == 1 else "patrolled_ok" if n % 2 == 0 else "received"
        note = "（演示数据）院墙被雷击开裂，已设置警示" if kind == "danger_found" else None
        try:
            confirm(session, who, warning.identifier, kind, note=note)
        except DomainError:  # e.g. no event categories: the confirmation is what matters here
            if kind == "danger_found":
                confirm(session, who, warning.identifier, "received")


def generate_warnings(session: Session, actor: Principal) -> int:
    """Create the demo warnings once; returns the number of messages created."""
    if repository.generated_messages(session):
        return 0
    now = now_cst().replace(second=0)
    area = [AreaIn(area_desc="农安县", area_codes=[COUNTY])]
    old_sent = now - timedelta(days=1, hours=3)
    gale = service.issue(
        session,
        actor,
        WarningIn(
            sender_name=AGENCY,
            agency_code="QX",
            event_type="gale",
            colour="blue",
            description="（演示数据）农安县气象台发布大风蓝色预警信号：24小时内农安县将出现平均风力6级以上大风。",
            instruction="1. 注意防风，关好门窗；2. 加固围板、棚架等易被风吹动的搭建物。",
            sent=old_sent,
            expires=old_sent + timedelta(hours=24),
            areas=area,
        ),
    )
    lifted = service.lift(session, actor, gale.identifier, LiftIn(sent=old_sent + timedelta(hours=8)))
    staff = _demo_staff(session, actor)
    _demo_subscriptions(session, actor)
    sent = now - timedelta(minutes=45)
    lightning = service.issue(
        session,
        actor,
        WarningIn(
            sender_name=AGENCY,
            agency_code="QX",
            event_type="lightning",
            colour="yellow",
            description="（演示数据）农安县气象台发布雷电黄色预警信号：6小时内农安县将发生雷电活动，"
            "可能会造成雷电灾害事故。",
            instruction="1. 政府及相关部门按照职责做好防雷工作；2. 密切关注天气，尽量避免户外活动。",
            sent=sent,
            effective=sent,
            expires=sent + timedelta(hours=6),
            areas=area,
        ),
    )
    for m in (gale, lifted, lightning):
        m.generated = True
    _demo_progress(session, lightning, staff)
    return 3


def step(session: Session, actor: Principal, say) -> None:
    """农安县气象台's lightning yellow warning in force and a lifted gale warning (marked generated)."""
    n = generate_warnings(session, actor)
    if n:
        say(f"generated {n} demo warning messages in 农安县 (marked generated)")
