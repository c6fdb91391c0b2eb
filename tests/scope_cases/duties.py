"""Scope cases of the responsibility lists: a township's list, its change requests, links and the report
(404 beside the area); the county's approval and review (an ancestor reviews too)."""

from __future__ import annotations

from linli.duties import service
from linli.duties.schemas import ChangeIn
from tests.factories import SYSTEM, TOWN_A
from tests.factories_duties import duty, make_list
from tests.scope_cases import Case

COUNTY = "220102"


def setup(session, w) -> dict:
    make_list(session, TOWN_A)
    change = service.file_change(session, SYSTEM, TOWN_A, ChangeIn(action="cancel", duty_code="J-002", reason="范围"))
    return {"dt_change": change.id}


def cases(w) -> dict:
    town, county = {"code": TOWN_A}, {"code": COUNTY}
    change = {"change_id": w["dt_change"]}
    new = duty("J-100").model_dump()
    establish = {"area_code": "220102002", "effective_from": "2026-01-01", "duties": [new]}
    request = {"action": "add", "duty_code": "J-100", "duty": new, "reason": "新增"}
    form = {**{k: str(v) for k, v in new.items()}, "action": "add", "duty_code": "J-100", "reason": "新增"}
    return {
        ("GET", "/api/v1/duties/lists/{code}"): Case(path=town),
        ("POST", "/api/v1/duties/lists"): Case(body=establish),
        ("POST", "/api/v1/duties/lists/{code}/changes"): Case(path=town, body=request),
        ("GET", "/api/v1/duties/changes"): Case(params={"area": COUNTY}),
        ("POST", "/api/v1/duties/changes/{change_id}/review"): Case(path=change, body={"decision": "approve"}),
        ("GET", "/api/v1/duties/lists/{code}/links"): Case(path=town),
        ("POST", "/api/v1/duties/lists/{code}/links"): Case(
            path=town, body={"duty_code": "J-001", "event_category_code": "0301"}
        ),
        ("GET", "/api/v1/duties/report"): Case(params={"area": COUNTY}),
        ("GET", "/areas/{code}/duties"): Case(path=town),
        ("POST", "/areas/{code}/duties/changes"): Case(path=town, data=form),
        ("POST", "/areas/{code}/duties/links"): Case(path=town, data={"duty_code": "J-001", "target": "cat:0301"}),
        ("GET", "/areas/{code}/duties/review"): Case(path=county),
        ("POST", "/areas/{code}/duties/review/{change_id}"): Case(
            path={**county, **change}, data={"decision": "approve"}
        ),
    }
