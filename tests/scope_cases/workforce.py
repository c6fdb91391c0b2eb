"""Scope cases of the workforce routes: workers, posts, assessments, promotions, rules, staffing, pay runs."""

from __future__ import annotations

from datetime import date

from linli.workforce import payroll, service
from linli.workforce.schemas import AssessmentIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_workforce import COUNTY, county_rules, make_worker
from tests.scope_cases import Case

NAME = "ScopeCaseWorker"
SOURCE = "ScopeCaseRules"


def setup(session, w) -> dict:
    county_rules(session, promotion_years=0, source=SOURCE)
    worker = make_worker(session, name=NAME, level=4, start=date(2026, 1, 1), user_id=w["users"]["in"].id)
    service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="excellent"))
    run = payroll.confirm(session, SYSTEM, COUNTY, "2026-01")
    return {"wf_worker": worker.id, "wf_run": run.id}


def cases(w) -> dict:
    worker = {"worker_id": w["wf_worker"]}
    run = {"run_id": w["wf_run"]}
    new = {"area_code": VILLAGE_A, "name": "新社工", "education": "college", "political_status": "masses",
           "work_start": "2024-05-01", "source": "recruitment"}  # fmt: skip
    rules = {"area_code": COUNTY, "year": 2027, "head_min": 7, "head_max": 18, "member_min": 4, "member_max": 15,
             "staff_min": 1, "staff_max": 12, "promotion_years": 3, "years_per_step": 3, "max_service_steps": 4,
             "staff_base_min": 10, "staff_base_max": 15, "base_households": 3000, "households_per_extra": 400,
             "source": "县文件"}  # fmt: skip
    pay = {"county": COUNTY, "month": "2026-02"}
    return {
        ("GET", "/api/v1/workforce/workers"): Case(kind="list", hidden=NAME),
        ("POST", "/api/v1/workforce/workers"): Case(body=new),
        ("GET", "/api/v1/workforce/me"): Case(kind="owner"),
        ("GET", "/api/v1/workforce/workers/{worker_id}"): Case(path=worker),
        ("POST", "/api/v1/workforce/workers/{worker_id}/posts"): Case(
            path=worker, body={"post": "member", "start": "2026-06-01", "level": 6}
        ),
        ("POST", "/api/v1/workforce/workers/{worker_id}/exit"): Case(
            path=worker, body={"on": "2026-11-30", "reason": "辞职"}
        ),
        ("POST", "/api/v1/workforce/workers/{worker_id}/assessments"): Case(
            path=worker, body={"year": 2026, "result": "competent"}
        ),
        ("POST", "/api/v1/workforce/workers/{worker_id}/promotions"): Case(path=worker, body={"year": 2026}),
        ("GET", "/api/v1/workforce/staffing"): Case(params={"area": COUNTY}),
        ("GET", "/api/v1/workforce/settings"): Case(kind="list", hidden=SOURCE),
        ("PUT", "/api/v1/workforce/settings"): Case(body=rules),
        ("POST", "/api/v1/workforce/pay-runs/preview"): Case(body=pay),
        ("POST", "/api/v1/workforce/pay-runs"): Case(body=pay),
        ("GET", "/api/v1/workforce/pay-runs/{run_id}"): Case(path=run),
        ("GET", "/api/v1/workforce/pay-runs/{run_id}/table.xlsx"): Case(path=run),
        ("GET", "/api/v1/workforce/pay-runs/{run_id}/table.pdf"): Case(path=run),
        ("GET", "/workforce"): Case(kind="self"),
        ("GET", "/areas/{code}/workforce"): Case(path={"code": COUNTY}),
        ("GET", "/areas/{code}/workforce/pay"): Case(path={"code": COUNTY}, params={"month": "2026-01"}),
        ("POST", "/areas/{code}/workforce/pay"): Case(path={"code": COUNTY}, data={"month": "2026-02"}),
    }
