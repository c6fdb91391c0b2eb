"""Builders of the road chiefs' rows for tests: the events world (a grid in 220102001001 and one in the
sibling county, the categories, one person per role) with a road in each grid."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.chiefs import service
from linli.chiefs.schemas import AppointmentIn, RoadIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_events import GRID, SIBLING_GRID, as_principal, events_world


def chiefs_world(session: Session) -> dict:
    w = events_world(session)
    w["road"] = service.create_road(session, SYSTEM, RoadIn(area_code=GRID, name="华阳街", kind="street"))
    w["road2"] = service.create_road(session, SYSTEM, RoadIn(area_code=GRID, name="华阳路"))
    w["lane"] = service.create_road(session, SYSTEM, RoadIn(area_code=VILLAGE_A, name="华阳胡同", kind="lane"))
    w["far_road"] = service.create_road(session, SYSTEM, RoadIn(area_code=SIBLING_GRID, name="邻县路"))
    w["p"] = {k: as_principal(session, u) for k, u in w["people"].items()}
    return w


def appoint(session: Session, who, *, username="gw1", level="road", area=VILLAGE_A, grids=(), road_ids=(), **kw):
    on = kw.pop("appointed_on", service.today() - timedelta(days=30))
    body = AppointmentIn(area_code=area, level=level, username=username, grids=list(grids), road_ids=list(road_ids),
                         appointed_on=on, **kw)  # fmt: skip
    return service.appoint(session, who, body)
