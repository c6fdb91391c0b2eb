"""The safety API and pages as people use them: an appointment beyond one's places is 404 and saves
nothing, a case is linked only to a dispute and closed once (409), a refused form keeps what was typed,
and a grid worker's phone page has the duty lines to call, a resident's no personal phone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from linli.authn.models import User
from linli.safety.models import Appointment, MediationCase
from tests.factories import TOWN_A, VILLAGE_A, auth, token_for
from tests.factories_safety import GRID, appoint, safety_world

START = (date.today() - timedelta(days=10)).isoformat()


@pytest.fixture
def w(areas):
    world = safety_world(areas)
    users = {u.username: u for u in areas.scalars(select(User).where(User.username.like("sf_%")))}
    world["tok"] = {name[3:]: token_for(areas, u) for name, u in users.items()}
    areas.commit()
    return world


def test_api_appointments_within_places_only(session, client, w):
    body = {"area_code": GRID, "duty": "judge", "name": "周正", "starts_on": START, "duty_phone": "0431-88600001"}
    r = client.post("/api/v1/safety/appointments", json=body, headers=auth(w["tok"]["other_street"]))
    assert r.status_code == 404 and "does not exist" in r.text
    bad = {**body, "ends_on": (date.today() - timedelta(days=30)).isoformat()}
    r = client.post("/api/v1/safety/appointments", json=bad, headers=auth(w["tok"]["street"]))
    assert r.status_code == 422
    assert session.query(Appointment).count() == 0
    r = client.post("/api/v1/safety/appointments", json=body, headers=auth(w["tok"]["street"]))
    assert r.status_code == 201 and r.json()["duty_phone"] == "043188600001"
    listed = client.get("/api/v1/safety/appointments", params={"area": TOWN_A}, headers=auth(w["tok"]["cw"]))
    assert listed.status_code == 404  # the community worker's place is the community, not the street
    listed = client.get("/api/v1/safety/appointments", params={"area": GRID}, headers=auth(w["tok"]["gw"]))
    assert [a["name"] for a in listed.json()["items"]] == ["周正"]
    figures = client.get("/api/v1/safety/counts", params={"area": TOWN_A}, headers=auth(w["tok"]["street"])).json()
    assert figures["total"]["grids_with_judge"] == 1


def test_api_cases_linked_to_disputes_and_closed_once(session, client, w):
    ev = w["events"]
    body = {"title": "纠纷", "parties": "甲乙两户", "mediator": "调委会", "opened_on": START}
    for event, status in ((ev["rubbish"], 422), (ev["sibling"], 404)):
        r = client.post("/api/v1/safety/cases", json={**body, "event_id": event.id}, headers=auth(w["tok"]["cw"]))
        assert r.status_code == status, r.text
    assert session.query(MediationCase).count() == 0
    r = client.post("/api/v1/safety/cases", json={**body, "event_id": ev["dispute"].id}, headers=auth(w["tok"]["cw"]))
    assert r.status_code == 201 and r.json()["area_code"] == GRID
    case_id = r.json()["id"]
    close = f"/api/v1/safety/cases/{case_id}/close"
    assert client.post(close, json={"outcome": "agreement"}, headers=auth(w["tok"]["cw"])).status_code == 200
    again = client.post(close, json={"outcome": "failed"}, headers=auth(w["tok"]["appointee"]))
    assert again.status_code == 409
    assert client.get(f"/api/v1/safety/cases/{case_id}", headers=auth(w["tok"]["cw"])).json()["outcome"] == "agreement"


def test_pages_keep_what_was_typed_and_show_whom_to_call(session, client, w):
    appoint(session, duty="judge", area_code=GRID, name="周正", duty_phone="043188600001", phone="13743100001")
    appoint(session, name="王建军", duty_phone="043188900001", hours="周二上午", phone="13843100001")
    session.commit()
    page = client.get(f"/areas/{VILLAGE_A}/safety", headers=auth(w["tok"]["cw"]))
    assert page.status_code == 200 and "周正" in page.text and "138****0001" in page.text
    assert "13843100001" not in page.text
    typed = {"title": "噪声纠纷ABC", "parties": "张某 22010219800101123X", "mediator": "调委会", "opened_on": START,
             "area_code": VILLAGE_A}  # fmt: skip
    refused = client.post(f"/areas/{VILLAGE_A}/safety/cases", data=typed, headers=auth(w["tok"]["cw"]))
    assert refused.status_code == 422 and "噪声纠纷ABC" in refused.text and 'role="alert"' in refused.text
    assert session.query(MediationCase).count() == 0
    gw = client.get("/safety", headers=auth(w["tok"]["gw"]))
    assert gw.status_code == 200 and 'href="tel:043188600001"' in gw.text and 'href="tel:043188900001"' in gw.text
    resident = client.get("/safety", headers=auth(w["tok"]["resident"]))
    assert "王建军" in resident.text and "周正" not in resident.text
    assert "138****0001" not in resident.text and "13843100001" not in resident.text
