"""Builders of the safety domain's rows for tests: a grid in 220102001001 and one in the sibling county,
a police station and a court, dispute and other events, and the people who appoint, record and call."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.events.models import Event
from linli.events.seed import seed_categories
from linli.kit import codes
from linli.safety import service
from linli.safety.schemas import AppointmentIn, CaseIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, inside_point, make_user, principal, square
from tests.factories_organizations import make_org

GRID = VILLAGE_A + "001"
VILLAGE_B = "220102001002"
OTHER_TOWN = "220102002"
SIBLING_VILLAGE = "220103002001"
SIBLING_GRID = SIBLING_VILLAGE + "001"
START = date.today() - timedelta(days=30)


def make_event(session: Session, area: str, category: str = "0601", title: str = "邻里噪声纠纷") -> Event:
    """An event row at `area` (only what a link to it needs: its place and category)."""
    e = Event(category_code=category, state="registered", title=title, lon=125.3, lat=43.8, source="api",
              area_code=codes.pad(area))  # fmt: skip
    session.add(e)
    session.flush()
    return e


def appoint(session: Session, who=SYSTEM, **fields):
    values = {"area_code": VILLAGE_A, "duty": "police", "name": "王建军", "starts_on": START, **fields}
    return service.appoint(session, who, AppointmentIn(**values))


def open_case(session: Session, who=SYSTEM, **fields):
    values = {"title": "噪声纠纷", "parties": "楼上张某与楼下李某", "mediator": "调委会 王建军",
              "opened_on": date.today() - timedelta(days=3), **fields}  # fmt: skip
    if "event_id" not in values:
        values.setdefault("area_code", VILLAGE_A)
    return service.open_case(session, who, CaseIn(**values))


def safety_world(session: Session) -> dict:
    """The grids, units, events and people of the safety tests (the areas are loaded by the caller)."""
    seed_categories(session)
    lon, lat = inside_point("220102")
    grids.create_grid(session, SYSTEM, GRID, "第一网格", GridKind.residential, square(lon, lat))
    slon, slat = inside_point("220103")
    grids.create_grid(session, SYSTEM, SIBLING_GRID, "邻县网格", GridKind.residential, square(slon, slat))
    orgs = {
        "police": make_org(session, "南岭派出所", "police_station", TOWN_A),
        "court": make_org(session, "南关区人民法院", "court", "220102"),
        "school": make_org(session, "华阳小学", "school", VILLAGE_A),
    }
    events = {
        "dispute": make_event(session, GRID),
        "dispute_b": make_event(session, VILLAGE_B, "0602", "拖欠工资"),
        "rubbish": make_event(session, GRID, "0301", "垃圾堆积"),
        "sibling": make_event(session, SIBLING_GRID),
    }
    roles = {
        "street": ("official", TOWN_A),
        "other_street": ("official", OTHER_TOWN),
        "county": ("official", "220102"),
        "cw": ("community_worker", VILLAGE_A),
        "gw": ("grid_worker", GRID),
        "resident": ("resident", VILLAGE_A),
        "appointee": ("safety_appointee", VILLAGE_A),
        "sibling": ("official", "220103"),
    }
    p = {k: principal(make_user(session, f"sf_{k}", role, area), (role, area)) for k, (role, area) in roles.items()}
    session.flush()
    return {"orgs": orgs, "events": events, "p": p}
