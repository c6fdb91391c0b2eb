"""Convening on request: 1/10 of the adult villagers or 1/3 of the representatives (村委会组织法第二十一条), the
share of the text in force on the day the request is opened; supporters of the base only, each once; the
request reaching its share is a to-do until the committee records the meeting it called (of that village,
of the kind asked for). The API and the pages, with their bad input."""

from __future__ import annotations

from datetime import date

import pytest

from linli.kit.errors import Conflict, InvalidInput
from linli.selfgov import repository as repo
from linli.selfgov.schemas import MemberIn
from linli.selfgov.service import bodies, convening
from linli.selfgov.todo import todos
from tests.factories import auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village, meeting, person

OTHER = GRID[:12]  # a community
DAY = date(2026, 2, 1)


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    user = make_user(session, "cv_clerk", "community_worker", VILLAGE_B)
    clerk = principal(user, ("community_worker", VILLAGE_B))
    people = adults(session, GRID_B, 21, women=10)  # 21 adults: 1/10 → 3 supporters (以上: 2.1 rounds up)
    child = person(session, GRID_B, born=date(2015, 5, 1))
    elsewhere = adults(session, GRID, 1)
    return {"user": user, "clerk": clerk, "people": people, "child": child, "elsewhere": elsewhere}


def test_a_request_of_villagers_reaches_its_share_and_is_a_todo_until_convened(session, world):
    w = world
    r = convening.open_request(session, w["clerk"], VILLAGE_B, "villagers", "修路", "路面破损", on=DAY)
    assert (r.base_count, r.required, r.rules_name, r.status) == (21, 3, "villagers-2026", "collecting")
    assert "十分之一以上的村民" in convening.words(r) and "第二十一条" in convening.words(r)
    ids = [p.id for p in w["people"]]
    for bad, words in (
        ([ids[0], ids[0]], "listed twice"),
        ([ids[0], w["child"].id], "not of those who may support"),  # under 18
        ([w["elsewhere"][0].id], "not of those who may support"),  # another place's register
        ([], "between 1 and"),
    ):
        with pytest.raises(InvalidInput, match=words):
            convening.support(session, w["clerk"], r.id, bad, on=DAY)
    assert r.supporters == 0  # a refused list adds nobody
    convening.support(session, w["clerk"], r.id, ids[:2], on=DAY)
    assert (r.supporters, r.status) == (2, "collecting")
    with pytest.raises(InvalidInput, match="already"):
        convening.support(session, w["clerk"], r.id, [ids[1], ids[2]], on=DAY)
    with pytest.raises(Conflict, match="not bound"):
        convening.convened(session, w["clerk"], r.id, 1)
    convening.support(session, w["clerk"], r.id, [ids[2]], on=date(2026, 2, 3))
    assert (r.supporters, r.status, r.reached_on) == (3, "reached", date(2026, 2, 3))
    due = {x.label: x.count for x in todos(session, w["clerk"])}
    assert due["Meetings to convene on request (the share of supporters reached)"] == 1
    wrong = meeting(session, w["clerk"], VILLAGE_B, title="代表会议")
    wrong.kind = "representatives_meeting"  # the same village, not the meeting asked for
    with pytest.raises(InvalidInput, match="not the meeting asked for"):
        convening.convened(session, w["clerk"], r.id, wrong.id)
    with pytest.raises(InvalidInput, match="not a meeting of this village"):
        convening.convened(session, w["clerk"], r.id, 999_999)
    asked = meeting(session, w["clerk"], VILLAGE_B, title="村民会议")
    convening.convened(session, w["clerk"], r.id, asked.id)
    assert (r.status, r.meeting_id) == ("convened", asked.id)
    assert not [x for x in todos(session, w["clerk"]) if "convene" in x.label]
    with pytest.raises(Conflict, match="convened already"):
        convening.support(session, w["clerk"], r.id, [ids[3]], on=DAY)


def test_representatives_ask_with_a_third_and_only_they_count(session, world):
    w = world
    for p in w["people"][:4]:
        bodies.seat(session, w["clerk"], MemberIn(area_code=VILLAGE_B, body="representative", person_id=p.id,
                    post="representative", term_from=date(2021, 1, 1), households=10))  # fmt: skip
    r = convening.open_request(session, w["clerk"], VILLAGE_B, "representatives", "换届", on=DAY)
    assert (r.base_count, r.required) == (4, 2)  # 1/3 of 4 is 1.33: 2 (以上)
    with pytest.raises(InvalidInput, match="not of those"):
        convening.support(session, w["clerk"], r.id, [w["people"][10].id], on=DAY)  # a villager, not a representative
    convening.support(session, w["clerk"], r.id, [w["people"][0].id, w["people"][1].id], on=DAY)
    assert r.status == "reached"


def test_a_request_must_fit_the_place(session, world):
    w = world
    with pytest.raises(InvalidInput, match="cannot be asked"):
        convening.open_request(session, w["clerk"], VILLAGE_B, "residents", "修路", on=DAY)  # a village
    with pytest.raises(InvalidInput, match="unknown basis"):
        convening.open_request(session, w["clerk"], VILLAGE_B, "everyone", "修路", on=DAY)
    with pytest.raises(InvalidInput, match="what the meeting is asked for"):
        convening.open_request(session, w["clerk"], VILLAGE_B, "villagers", "  ", on=DAY)
    with pytest.raises(InvalidInput, match="nobody"):  # no representatives seated
        convening.open_request(session, w["clerk"], VILLAGE_B, "representatives", "换届", on=DAY)


def test_the_api_and_the_pages(client, session, world):
    w = world
    tok = token_for(session, w["user"])
    session.commit()
    api = "/api/v1/selfgov/requests"
    for body in (
        {"area_code": VILLAGE_B, "basis": "all", "title": "t"},
        {"area_code": VILLAGE_B, "basis": "villagers", "title": "x" * 201},
        {"area_code": VILLAGE_B, "basis": "villagers"},
    ):
        assert client.post(api, json=body, headers=auth(tok)).status_code == 422, body
    r = client.post(api, json={"area_code": VILLAGE_B, "basis": "villagers", "title": "修路"}, headers=auth(tok))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    for body in ({"person_ids": []}, {"person_ids": [0]}, {"person_ids": ["a"]}, {}):
        assert client.post(f"{api}/{rid}/supporters", json=body, headers=auth(tok)).status_code == 422, body
    ids = [p.id for p in w["people"][:3]]
    got = client.post(f"{api}/{rid}/supporters", json={"person_ids": ids}, headers=auth(tok)).json()
    assert (got["supporters"], got["status"]) == (3, "reached")
    assert client.post(f"{api}/{rid}/convened", json={"meeting_id": 0}, headers=auth(tok)).status_code == 422
    listed = client.get(f"/api/v1/selfgov/areas/{VILLAGE_B}/requests", headers=auth(tok)).json()
    assert [x["id"] for x in listed] == [rid]

    # pages: a refused request keeps what was typed; the picker lists names; bad numbers keep the text
    r = client.post(f"/areas/{VILLAGE_B}/selfgov/requests", data={"basis": "residents", "title": "打井"},
                    headers=auth(tok), follow_redirects=False)  # fmt: skip
    assert r.status_code == 422 and 'value="打井"' in r.text
    r = client.post(f"/areas/{VILLAGE_B}/selfgov/requests", data={"basis": "villagers", "title": "打井"},
                    headers=auth(tok), follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page_id = int(r.headers["location"].rsplit("/", 1)[1])
    picked = w["people"][4]
    r = client.get(f"/selfgov/requests/{page_id}", params={"who": picked.name}, headers=auth(tok))
    assert r.status_code == 200 and f'value="{picked.id}"' in r.text and "********" in r.text
    url = f"/selfgov/requests/{page_id}/supporters"
    r = client.post(url, data={"numbers": f"{picked.id}\n12x"}, headers=auth(tok), follow_redirects=False)
    assert r.status_code == 422 and "12x" in r.text
    r = client.post(url, data={"person_id": [str(picked.id)], "numbers": str(w["people"][5].id)},
                    headers=auth(tok), follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    session.expire_all()
    assert repo.request_readable(session, w["clerk"], page_id).supporters == 2
    assert "修路" in client.get(f"/areas/{VILLAGE_B}/selfgov", headers=auth(tok)).text
