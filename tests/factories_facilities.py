"""Builders of the facilities domain's rows: facilities with hours, a branch with a class, rural villages."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal

from linli.areas.importer import import_divisions
from linli.facilities import service
from linli.facilities.schemas import BranchIn, ClassIn, FacilityIn
from tests.factories import SYSTEM, VILLAGE_A, _divisions

RURAL_COUNTY, RURAL_TOWN = "220122", "220122100"  # 农安县, a township of villages (村委会)


def add_villages(session, n: int = 3) -> list[str]:
    """The rural county with one township and `n` of its villages (area kind village)."""
    rows = [d for d in _divisions() if d["code"] in (RURAL_COUNTY, RURAL_TOWN)]
    villages = sorted((d for d in _divisions() if d["parent_code"] == RURAL_TOWN), key=lambda d: d["code"])[:n]
    import_divisions(session, SYSTEM, json.dumps({"divisions": rows + villages}))
    return [v["code"] for v in villages]


def facility_in(area: str = VILLAGE_A, floor_area="650", **kw) -> FacilityIn:
    values = dict(
        area_code=area, name="综合服务中心", floor_area=Decimal(str(floor_area)), address="测试路1号",
        hours=[{"weekday": d, "opens": time(8, 30), "closes": time(17, 0)} for d in range(5)],
        accessibility=["ramp", "accessible_toilet"], rooms=[{"name": "一站式服务大厅", "function": "service_hall"}],
    )  # fmt: skip
    values.update(kw)
    return FacilityIn(**values)


def make_facility(session, area: str = VILLAGE_A, floor_area="650", **kw):
    return service.create_facility(session, SYSTEM, facility_in(area, floor_area, **kw))


def make_class(session, area: str = VILLAGE_A, capacity: int = 2, ends_on: date = date(2099, 7, 1), **kw):
    branch = service.create_branch(session, SYSTEM, BranchIn(area_code=area, name="老年大学华阳教学点"))
    values = dict(course="书法", teacher="王老师", term="2026年春季", starts_on=date(2026, 3, 1), ends_on=ends_on,
                  schedule="每周二 9:00–10:30", capacity=capacity)  # fmt: skip
    values.update(kw)
    return branch, service.add_class(session, SYSTEM, branch.id, ClassIn(**values))
