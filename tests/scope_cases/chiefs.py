"""Scope cases of the road chiefs' routes: roads, appointments, patrols, figures and their pages."""

from __future__ import annotations

from datetime import timedelta

from linli.chiefs import service
from linli.chiefs.schemas import AppointmentIn, RoadIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def setup(session, w) -> dict:
    road = service.create_road(session, SYSTEM, RoadIn(area_code=GRID, name="范围路"))
    on = service.today() - timedelta(days=10)
    body = AppointmentIn(area_code=VILLAGE_A, level="road", username="admin_in", road_ids=[road.id], appointed_on=on)
    chief = service.appoint(session, SYSTEM, body)
    return {"ch_road": road.id, "ch_chief": chief.id}


def cases(w) -> dict:
    v1 = "/api/v1"
    road = {"road_id": w["ch_road"]}
    chief = {"appointment_id": w["ch_chief"]}
    area = {"area": "220102"}
    appoint = {"area_code": VILLAGE_A, "level": "lane", "name": "张三", "grids": [GRID]}
    # Only the chief (the account inside) records patrols of the road: the ancestor may patrol, but is no chief.
    return {
        ("GET", f"{v1}/chief-roads"): Case(params=area),
        ("POST", f"{v1}/chief-roads"): Case(body={"area_code": GRID, "name": "新路"}),
        ("GET", f"{v1}/chief-roads/{{road_id}}"): Case(path=road),
        ("GET", f"{v1}/chiefs"): Case(params=area),
        ("POST", f"{v1}/chiefs"): Case(body=appoint),
        ("GET", f"{v1}/chiefs/{{appointment_id}}"): Case(path=chief),
        ("POST", f"{v1}/chiefs/{{appointment_id}}/end"): Case(path=chief, body={}),
        ("GET", f"{v1}/chief-patrols"): Case(params=area),
        ("POST", f"{v1}/chief-patrols"): Case(body={"road_id": w["ch_road"], "findings": "整洁"}, ancestor_status=403),
        ("GET", f"{v1}/chief-counts"): Case(params=area),
        ("GET", "/areas/{code}/chiefs"): Case(path={"code": "220102"}),
        ("POST", "/areas/{code}/chief-roads"): Case(path={"code": VILLAGE_A}, data={"area_code": GRID, "name": "新路"}),
        ("POST", "/areas/{code}/chiefs"): Case(
            path={"code": VILLAGE_A}, data={"level": "lane", "name": "张三", "grids": GRID}
        ),
        ("GET", "/chiefs/{appointment_id}"): Case(path=chief),
        ("POST", "/chiefs/{appointment_id}/patrols"): Case(
            path=chief, data={"road_id": str(w["ch_road"]), "findings": "整洁"}, ancestor_status=422
        ),
        ("POST", "/chiefs/{appointment_id}/end"): Case(path=chief, data={}),
    }
