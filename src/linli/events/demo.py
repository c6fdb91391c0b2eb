"""Generated demo events (marked generated) in the demo grids, across all states, with backdated timelines."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.events import catalog
from linli.events import repository as repo
from linli.events.models import Event, EventCategory, EventLog
from linli.events.service import set_stage_deadline
from linli.kit import codes
from linli.kit.time import utcnow

PATH = [
    ("register", "registered"),
    ("dispatch", "dispatched"),
    ("accept", "accepted"),
    ("handle", "handled"),
    ("verify", "verified"),
    ("close", "closed"),
    ("evaluate", "evaluated"),
]
STAMPS = {
    "registered": "registered_at",
    "dispatched": "dispatched_at",
    "accepted": "accepted_at",
    "handled": "handled_at",
    "verified": "verified_at",
    "closed": "closed_at",
}
TITLES = {
    "01": ["路灯不亮", "井盖松动", "水管漏水", "健身器材损坏"],
    "02": ["路面坑洼", "交通标志倾斜", "车辆乱停放", "共享单车堆放"],
    "03": ["垃圾堆积", "占道经营", "小广告", "夜间施工噪声"],
    "04": ["树木倒伏", "绿地被踩踏", "绿化带缺株"],
    "05": ["违建搭棚", "墙体裂缝", "物业不作为"],
    "06": ["邻里噪声纠纷", "拖欠工资", "家庭矛盾"],
    "07": ["楼道堆物", "燃气异味", "治安隐患"],
    "08": ["独居老人需要帮助", "困难家庭求助", "就业咨询"],
    "09": ["其他问题"],
}


def generate_events(
    session: Session, actor: Principal, county_codes: tuple[str, ...], count: int, seed: int = 5
) -> int:
    """Add `count` generated events unless the counties already have generated ones; returns how many."""
    rng = random.Random(seed)
    if repo.generated_count(session, county_codes):
        return 0
    grids = repo.grid_points(session, county_codes)
    cats = repo.subcategories(session)
    if not grids or not cats:
        return 0
    now = utcnow()
    for _ in range(count):
        _generate_one(session, rng, grids, cats, now)
    session.flush()
    record(session, actor, "events.demo_generate", "event", "demo", codes.pad(county_codes[0]), after={"count": count})
    return count


def _generate_one(session: Session, rng: random.Random, grids: list, cats: list[EventCategory], now) -> None:
    """One generated event at a random grid, reported up to 60 days ago and walked along its path."""
    code, lon, lat = rng.choice(grids)
    cat = rng.choice(cats)
    t = now - timedelta(days=rng.uniform(0, 60))
    event = Event(
        category_code=cat.code,
        state="reported",
        title=rng.choice(TITLES[cat.parent_code]),
        description="演示数据 generated demo event",
        lon=round(lon + rng.uniform(-2e-4, 2e-4), 6),
        lat=round(lat + rng.uniform(-2e-4, 2e-4), 6),
        source="demo",
        area_code=codes.pad(code),
        unit_id=catalog.route(session, cat, code),
        reported_at=t,
        updated_at=t,
        generated=True,
    )
    session.add(event)
    session.flush()
    steps = [EventLog(event_id=event.id, at=t, actor="demo", action="report", to_state="reported", note=event.title)]
    t = _walk(rng, event, steps, t, now)
    event.updated_at = t
    set_stage_deadline(session, event, t)
    session.add_all(steps)
    repo.move_count(session, event.area_code, None, event.state)


def _walk(rng: random.Random, event: Event, steps: list[EventLog], t, now):
    """Take the event along a random part of the usual path (or reject it), a backdated step each;
    returns the time of the last step."""
    depth = min(len(PATH), int(rng.triangular(0, len(PATH) + 1, len(PATH))))
    path = [("reject", "rejected")] if rng.random() < 0.05 else PATH[:depth]
    for action, state in path:
        t = t + timedelta(hours=rng.uniform(0.2, 30 if action in ("handle", "accept") else 6))
        if t > now:
            break
        steps.append(
            EventLog(event_id=event.id, at=t, actor="demo", action=action, from_state=event.state, to_state=state)
        )
        event.state = state
        if state in STAMPS:
            setattr(event, STAMPS[state], t)
        if action == "evaluate":
            event.satisfaction = rng.choice([3, 4, 4, 5, 5, 5])
            steps[-1].data = json.dumps({"satisfaction": event.satisfaction})
    return t


def step(session: Session, actor: Principal, say, count: int = 3000) -> None:
    """Event categories, demo handling units and routing, and generated events in the demo grids."""
    from linli.areas.demo import DEMO_COUNTIES
    from linli.events.seed import seed_categories, seed_units

    seed_categories(session)
    for code in DEMO_COUNTIES:
        seed_units(session, code)
    n = generate_events(session, actor, DEMO_COUNTIES, count)
    if n:
        say(f"generated {n} demo events (marked generated)")
