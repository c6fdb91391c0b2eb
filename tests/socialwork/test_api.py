"""The API and the pages over HTTP: bad input answers a clear 4xx and changes nothing (a form keeps what
was typed), a case answers its staff only, the area's page shows its stations with their figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.socialwork.models import ServiceRecord, Station
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_socialwork import OTHER_TOWN_VILLAGE, open_case, sw_world


@pytest.fixture
def w(areas):
    world = sw_world(areas)
    world["tok"] = {k: token_for(areas, u) for k, u in world["users"].items()}
    world["case"] = open_case(areas, world["p"]["worker"], world["stations"]["station"].id, client="周某")
    areas.commit()
    return world


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_hours_and_a_misplaced_room_over_the_api(client, session, w):
    st = w["stations"]["station"].id
    body = {"served_on": date.today().isoformat(), "kind": "elderly", "hours": 25, "beneficiaries": 1}
    r = client.post(f"/api/v1/socialwork/stations/{st}/records", json=body, headers=auth(w["tok"]["worker"]))
    assert r.status_code == 422 and "at most 24" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/socialwork/stations/{st}/records", json=body | {"hours": 3},
                    headers=auth(w["tok"]["other"]))  # fmt: skip
    assert r.status_code == 403 and "only the staff" in r.json()["error"]["message"]
    assert _count(session, ServiceRecord) == 0
    r = client.post(f"/api/v1/socialwork/stations/{st}/records", json=body | {"hours": 3},
                    headers=auth(w["tok"]["worker"]))  # fmt: skip
    assert r.status_code == 201 and r.json()["staff_name"] == "王社工" and r.json()["hours"] == 3.0
    before = _count(session, Station)
    room = {"area_code": OTHER_TOWN_VILLAGE, "name": "错挂", "parent_id": st}
    r = client.post("/api/v1/socialwork/stations", json=room, headers=auth(w["tok"]["centre"]))
    assert r.status_code == 422 and "own township" in r.json()["error"]["message"]
    r = client.post("/api/v1/socialwork/stations", json=room | {"area_code": "220103002001"},
                    headers=auth(w["tok"]["centre"]))  # fmt: skip
    assert r.status_code == 404
    assert _count(session, Station) == before
    counts = client.get("/api/v1/socialwork/counts", params={"area": "220102"}, headers=auth(w["tok"]["centre"]))
    assert counts.json()["total"] | {"area_code": None} == {
        "area_code": None, "stations": 3, "rooms": 1, "staff": 4, "certified": 2, "records": 1, "hours": 3.0,
        "open_cases": 1,
    }  # fmt: skip


def test_a_case_over_the_api_is_for_staff(client, w):
    case = w["case"].id
    r = client.get(f"/api/v1/socialwork/cases/{case}", headers=auth(w["tok"]["worker"]))
    assert r.status_code == 200 and r.json()["client_name"] == "周某" and r.json()["status"] == "opened"
    assert client.get(f"/api/v1/socialwork/cases/{case}", headers=auth(w["tok"]["other"])).status_code == 403
    assert client.get(f"/api/v1/socialwork/cases/{case}", headers=auth(w["tok"]["sibling"])).status_code == 404
    r = client.post(f"/api/v1/socialwork/cases/{case}/entries", json={"step": "planned", "text": "计划"},
                    headers=auth(w["tok"]["worker"]))  # fmt: skip
    assert r.status_code == 422 and "follows" in r.json()["error"]["message"]


def test_pages_keep_what_was_typed_and_hide_cases_from_others(client, session, w):
    st = w["stations"]["station"].id
    page = client.get("/areas/220102/socialwork", headers=auth(w["tok"]["centre"]))
    assert page.status_code == 200 and "南岭街道社工站" in page.text and "华阳社区社工室" in page.text
    mine = client.get(f"/socialwork/stations/{st}", headers=auth(w["tok"]["worker"]))
    assert mine.status_code == 200 and f"/socialwork/cases/{w['case'].id}" in mine.text and "登记服务" in mine.text
    theirs = client.get(f"/socialwork/stations/{st}", headers=auth(w["tok"]["other"]))
    assert theirs.status_code == 200 and "/socialwork/cases/" not in theirs.text and "登记服务" not in theirs.text
    form = {"served_on": date.today().isoformat(), "kind": "elderly", "hours": "25", "beneficiaries": "4",
            "content": "陪同就医，往返县医院"}  # fmt: skip
    r = client.post(f"/socialwork/stations/{st}/records", data=form, headers=auth(w["tok"]["worker"]))
    assert r.status_code == 422 and "不超过 24 小时" in r.text and "陪同就医，往返县医院" in r.text
    r = client.post(f"/socialwork/stations/{st}/records", data=form | {"hours": "2"}, headers=auth(w["tok"]["other"]))
    assert r.status_code == 403 and "只有南岭街道社工站及县级" in r.text
    assert _count(session, ServiceRecord) == 0
    case = client.get(f"/socialwork/cases/{w['case'].id}", headers=auth(w["tok"]["centre"]))
    assert case.status_code == 200 and "周某" in case.text
    assert client.get(f"/socialwork/cases/{w['case'].id}", headers=auth(w["tok"]["other"])).status_code == 403
    room = {"area_code": VILLAGE_A, "name": "第二个社工室", "parent_id": str(w["stations"]["far"].id)}
    r = client.post("/areas/220102/socialwork", data=room, headers=auth(w["tok"]["centre"]))
    assert r.status_code == 422 and "所在乡镇（街道）的社工站" in r.text and "第二个社工室" in r.text
