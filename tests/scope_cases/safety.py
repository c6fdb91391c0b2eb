"""Scope cases of the safety routes: appointments, mediation cases, legal-service sessions, figures, and
whom one calls (API and pages)."""

from __future__ import annotations

from datetime import date, timedelta

from linli.events.seed import seed_categories
from linli.safety import service
from linli.safety.schemas import SessionIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_safety import appoint, make_event, open_case
from tests.scope_cases import Case

NAME = "ScopeCaseJudge"
CASE = "ScopeCaseMediation"
TOPIC = "ScopeCaseTopic"
GRID = VILLAGE_A + "001"


def setup(session, w) -> dict:
    seed_categories(session)
    a = appoint(session, SYSTEM, duty="judge", area_code=GRID, name=NAME, duty_phone="043188600001")
    dispute = make_event(session, GRID)
    second = make_event(session, GRID)
    case = open_case(session, SYSTEM, event_id=dispute.id, title=CASE)
    service.record_session(session, SYSTEM, SessionIn(area_code=VILLAGE_A, held_on=date.today(), place="活动室",
                                                      topic=TOPIC, attendance=10))  # fmt: skip
    return {"sf_appointment": a.id, "sf_case": case.id, "sf_event": second.id}


def cases(w) -> dict:
    v1 = "/api/v1/safety"
    appointment, case = {"appointment_id": w["sf_appointment"]}, {"case_id": w["sf_case"]}
    area = {"area": "220102"}
    start = (date.today() - timedelta(days=10)).isoformat()
    new = {"area_code": VILLAGE_A, "duty": "police", "name": "新民警", "starts_on": start}
    new_case = {"event_id": w["sf_event"], "title": "纠纷", "parties": "甲乙两户", "mediator": "调委会",
                "opened_on": start}  # fmt: skip
    new_session = {"area_code": VILLAGE_A, "held_on": start, "place": "活动室", "topic": "讲座", "attendance": 5}
    return {
        ("GET", f"{v1}/appointments"): Case(params=area),
        ("POST", f"{v1}/appointments"): Case(body=new),
        ("GET", f"{v1}/appointments/{{appointment_id}}"): Case(path=appointment),
        ("POST", f"{v1}/appointments/{{appointment_id}}/end"): Case(path=appointment, body={}),
        ("GET", f"{v1}/contacts"): Case(kind="self"),
        ("GET", f"{v1}/cases"): Case(params=area),
        ("POST", f"{v1}/cases"): Case(body=new_case),
        ("GET", f"{v1}/cases/{{case_id}}"): Case(path=case),
        ("POST", f"{v1}/cases/{{case_id}}/close"): Case(path=case, body={"outcome": "agreement"}),
        ("GET", f"{v1}/sessions"): Case(params=area),
        ("POST", f"{v1}/sessions"): Case(body=new_session),
        ("GET", f"{v1}/counts"): Case(params=area),
        ("GET", "/areas/{code}/safety"): Case(path={"code": "220102001"}),
        ("POST", "/areas/{code}/safety/appointments"): Case(
            path={"code": "220102001"}, data={k: str(v) for k, v in new.items()}
        ),
        ("POST", "/areas/{code}/safety/cases"): Case(
            path={"code": "220102001"}, data={k: str(v) for k, v in new_case.items()}
        ),
        ("POST", "/areas/{code}/safety/sessions"): Case(
            path={"code": "220102001"}, data={k: str(v) for k, v in new_session.items()}
        ),
        ("GET", "/safety/cases/{case_id}"): Case(path=case),
        ("POST", "/safety/cases/{case_id}/close"): Case(path=case, data={"outcome": "failed"}),
        ("GET", "/safety"): Case(kind="self"),
    }
