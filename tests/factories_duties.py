"""Builders of the responsibility lists' rows: a township's list of a few duties of each kind, its staff and
the county's, and events dispatched to a unit of the township (for the report of unlisted dispatches)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.duties import service
from linli.duties.schemas import DutyIn, ListIn
from linli.events.catalog import create_unit
from linli.events.models import Event
from linli.events.schemas import UnitIn
from linli.events.seed import seed_categories
from linli.kit import codes
from linli.kit.time import utcnow
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, load_world, make_user, principal

SIBLING_TOWN = "220103002"


def duty(code: str, kind: str = "basic", category: str = "livelihood", **kw) -> DutyIn:
    extra = {
        "assisting": {
            "upper_department": "区市场监督管理局",
            "upper_duty": "食品安全监管",
            "assisting_duty": "发现报告",
        },
        "taken_back": {"receiving_department": "区城市管理局", "working_mode": "发现报告"},
    }.get(kind, {})
    return DutyIn(**{"code": code, "kind": kind, "category": category, "content": f"职责{code}", **extra, **kw})


def make_list(session: Session, town: str = TOWN_A, actor=SYSTEM):
    duties = [duty("J-001"), duty("J-002", category="construction"), duty("P-001", "assisting", "safety"),
              duty("S-001", "taken_back", "construction")]  # fmt: skip
    return service.establish_list(
        session, actor, ListIn(area_code=town, effective_from=date(2026, 1, 1), duties=duties)
    )


def duties_world(session: Session) -> dict:
    """Areas, event categories, a list at TOWN_A, the street's and the county's officials, a sibling county's."""
    load_world(session)
    seed_categories(session)
    row = make_list(session)
    users = {
        "street": make_user(session, "dt_street", "official", TOWN_A),
        "county": make_user(session, "dt_county", "official", "220102"),
        "county2": make_user(session, "dt_county2", "official", "220102"),
        "sibling": make_user(session, "dt_sibling", "official", "220103"),
        "community": make_user(session, "dt_cw", "community_worker", VILLAGE_A),
    }
    p = {
        "street": principal(users["street"], ("official", TOWN_A)),
        "county": principal(users["county"], ("official", "220102")),
        "county2": principal(users["county2"], ("official", "220102")),
        "sibling": principal(users["sibling"], ("official", "220103")),
        "community": principal(users["community"], ("community_worker", VILLAGE_A)),
    }
    return {"list": row, "users": users, "p": p}


def dispatched_events(session: Session, category: str, n: int = 1, town: str = TOWN_A) -> list[Event]:
    """`n` events in the town's first village, dispatched to a street-office unit of the town."""
    unit = create_unit(session, SYSTEM, UnitIn(name=f"街道办{category}", kind="street_department", area_code=town))
    rows = [
        Event(category_code=category, state="dispatched", title="测试事件", lon=125.3, lat=43.8, source="api",
              area_code=codes.pad(VILLAGE_A if town == TOWN_A else town + "001"), unit_id=unit.id,
              dispatched_at=utcnow())
        for _ in range(n)
    ]  # fmt: skip
    session.add_all(rows)
    session.flush()
    return rows
