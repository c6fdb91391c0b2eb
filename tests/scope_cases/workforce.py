"""Scope cases of the workforce routes: workers, posts, assessments, promotions, rules, staffing, pay runs."""

from __future__ import annotations

from datetime import date

from linli.workforce import payroll, service
from linli.workforce.schemas import AssessmentIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_workforce import COUNTY, add_applicant, county_rules, make_round, make_worker
from tests.scope_cases import Case

NAME = "ScopeCaseWorker"
FLAGGED = "ScopeCaseFlagged"
ROUND = "ScopeCaseRound"
SOURCE = "ScopeCaseRules"


def setup(session, w) -> dict:
    county_rules(session, promotion_years=0, source=SOURCE)
    worker = make_worker(session, name=NAME, level=4, start=date(2026, 1, 1), user_id=w["users"]["in"].id)
    service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="excellent"))
    run = payroll.confirm(session, SYSTEM, COUNTY, "2026-01")
    county_rules(session, year=2025, source=SOURCE)
    flagged = make_worker(session, name=FLAGGED, level=2, start=date(2025, 1, 1))
    for year in (2025, 2026):
        service.record_assessment(session, SYSTEM, flagged.id, AssessmentIn(year=year, result="incompetent"))
    open_round = make_round(session, title=ROUND)
    scored = add_applicant(session, open_round.id, "应聘甲", "80", "80")
    done = make_round(session, title=ROUND + "2")
    passed = add_applicant(session, done.id, "应聘乙", "90", "90")
    service.publish(session, SYSTEM, done.id)
    return {"wf_worker": worker.id, "wf_run": run.id, "wf_round": open_round.id, "wf_applicant": scored.id,
            "wf_passed": passed.id}  # fmt: skip


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
        **_recruitment(w),
        **_pages(w),
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


def _recruitment(w) -> dict:
    worker = {"worker_id": w["wf_worker"]}
    rnd, applicant, passed = (
        {"round_id": w["wf_round"]},
        {"applicant_id": w["wf_applicant"]},
        {"applicant_id": w["wf_passed"]},
    )
    new_round = {"county": COUNTY, "year": 2026, "title": "招聘", "conditions": "大专以上", "posts": {"staff": 3},
                 "written_weight": "0.5", "interview_weight": "0.5", "pass_mark": "60"}  # fmt: skip
    applicant_body = {"name": "应聘丙", "education": "college", "political_status": "masses", "post": "staff"}
    return {
        ("POST", "/api/v1/workforce/workers/{worker_id}/scores"): Case(
            path=worker, body={"year": 2026, "scores": {"street": 80, "residents": 85, "colleagues": 90}}
        ),
        ("GET", "/api/v1/workforce/flags"): Case(params={"area": COUNTY}),
        ("GET", "/api/v1/workforce/rounds"): Case(params={"area": COUNTY}),
        ("POST", "/api/v1/workforce/rounds"): Case(body=new_round),
        ("GET", "/api/v1/workforce/rounds/{round_id}"): Case(path=rnd),
        ("POST", "/api/v1/workforce/rounds/{round_id}/applicants"): Case(path=rnd, body=applicant_body),
        ("POST", "/api/v1/workforce/applicants/{applicant_id}/scores"): Case(
            path=applicant, body={"written": 70, "interview": 75}
        ),
        ("POST", "/api/v1/workforce/rounds/{round_id}/publish"): Case(path=rnd),
        ("POST", "/api/v1/workforce/applicants/{applicant_id}/hire"): Case(
            path=passed, body={"area_code": VILLAGE_A, "start": "2026-06-01"}
        ),
        ("GET", "/areas/{code}/workforce/rounds"): Case(path={"code": COUNTY}),
        ("POST", "/areas/{code}/workforce/rounds"): Case(
            path={"code": COUNTY},
            data={
                "title": "招聘",
                "year": "2026",
                "conditions": "大专以上",
                "places_staff": "3",
                "written_weight": "0.5",
                "interview_weight": "0.5",
                "pass_mark": "60",
            },
        ),  # fmt: skip
        ("GET", "/workforce/rounds/{round_id}"): Case(path=rnd),
        ("POST", "/workforce/rounds/{round_id}/applicants"): Case(path=rnd, data=applicant_body),
        ("POST", "/workforce/applicants/{applicant_id}/scores"): Case(
            path=applicant, data={"written": "70", "interview": "75"}
        ),
        ("POST", "/workforce/rounds/{round_id}/publish"): Case(path=rnd, data={}),
        ("POST", "/workforce/applicants/{applicant_id}/hire"): Case(
            path=passed, data={"area_code": VILLAGE_A, "start": "2026-06-01"}
        ),
    }


RULES_FORM = {
    "year": "2027", "pay_enabled": "on", "avg_manager_pay": "5000", "local_coefficient": "1.1", "base_share": "0.7",
    "head_min": "7", "head_max": "18", "member_min": "4", "member_max": "15", "staff_min": "1", "staff_max": "12",
    "promotion_years": "3", "years_per_step": "3", "max_service_steps": "4", "edu_bachelor": "1",
    "staff_base_min": "10", "staff_base_max": "15", "base_households": "3000", "households_per_extra": "400",
    "probation_months": "6", "weight_street": "0.5", "weight_residents": "0.5", "excellent_min": "90",
    "competent_min": "70", "basic_min": "60", "dismiss_incompetent_years": "2", "coef_1": "1.00", "source": "县文件",
}  # fmt: skip


def _pages(w) -> dict:
    worker = {"worker_id": w["wf_worker"]}
    county = {"code": COUNTY}
    new = {"name": "新社工", "area_code": VILLAGE_A, "education": "college", "political_status": "masses",
           "qualification": "none", "work_start": "2024-05-01", "source": "recruitment"}  # fmt: skip
    return {
        ("GET", "/workforce/workers/{worker_id}"): Case(path=worker),
        ("POST", "/workforce/workers/{worker_id}/posts"): Case(
            path=worker, data={"post": "member", "start": "2026-06-01", "level": "6"}
        ),
        ("POST", "/workforce/workers/{worker_id}/assessments"): Case(
            path=worker, data={"year": "2026", "result": "competent"}
        ),
        ("POST", "/workforce/workers/{worker_id}/scores"): Case(
            path=worker, data={"year": "2026", "score_street": "80", "score_residents": "85", "score_colleagues": "90"}
        ),
        ("POST", "/workforce/workers/{worker_id}/promotions"): Case(path=worker, data={"year": "2026"}),
        ("POST", "/workforce/workers/{worker_id}/exit"): Case(path=worker, data={"on": "2026-11-30", "reason": "辞职"}),
        ("GET", "/areas/{code}/workforce/workers/new"): Case(path=county),
        ("POST", "/areas/{code}/workforce/workers/new"): Case(path=county, data=new),
        ("GET", "/areas/{code}/workforce/rules"): Case(path=county, params={"year": "2026"}),
        ("POST", "/areas/{code}/workforce/rules"): Case(path=county, data=RULES_FORM),
    }
