"""Bad input to the residents register answers 4xx with a clear message, never 500 (issue 12, finding 9)."""

from __future__ import annotations

import pytest

from linli.residents.models import Building, Household, Person
from tests.factories import auth, token_for
from tests.factories_residents import GRID, make_building, make_family, make_staff


@pytest.fixture
def world(session, grids, client):
    h, (head, spouse, child) = make_family(session, surname="欧阳" * 26)  # names of more than 50 characters
    b = make_building(session)
    worker = make_staff(session, "worker")["worker"]
    session.commit()
    client.cookies.set("linli_lang", "en")
    return {"h": h.id, "child": child.id, "b": b.id, "worker": auth(token_for(session, worker))}


@pytest.mark.parametrize("path", [f"/grids/{GRID}/households", f"/areas/{GRID}/residents"])
def test_a_long_search_text_is_searched_not_a_server_error(client, world, path):
    q = "欧阳" * 26 + "小明"  # 54 characters: the child's whole name
    r = client.get(path, params={"q": "欧阳" * 27}, headers=world["worker"])  # no one
    # (the households page searches addresses and names: it says that no household matches)
    assert r.status_code == 200 and ("No one here has" in r.text or "No household matches the search." in r.text)
    r = client.get(path, params={"q": q}, headers=world["worker"])
    assert r.status_code == 200, r.text
    assert "1 person found" in r.text
    r = client.get(path, params={"q": "欧" * 101}, headers=world["worker"])  # longer than any name
    assert r.status_code == 422 and "at most 100 characters" in r.text


PERSON_NULLS = ["name", "id_number", "ethnicity", "relation", "party_member"]
HOUSEHOLD_NULLS = ["unit", "room", "address", "register_type", "head_person_id"]
BUILDING_NULLS = ["name", "address", "kind"]


@pytest.mark.parametrize(
    ("kind", "field"),
    [("persons", f) for f in PERSON_NULLS]
    + [("households", f) for f in HOUSEHOLD_NULLS]
    + [("buildings", f) for f in BUILDING_NULLS],
)
def test_an_explicit_null_for_a_required_field_is_refused(client, session, world, kind, field):
    model, key = {"persons": (Person, "child"), "households": (Household, "h"), "buildings": (Building, "b")}[kind]
    column = "id_number_bidx" if field == "id_number" else field
    before = getattr(session.get(model, world[key]), column)
    r = client.patch(f"/api/v1/{kind}/{world[key]}", json={field: None}, headers=world["worker"])
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"] == f"{field}: cannot be empty (null); leave it out to keep the current value"
    session.expire_all()
    assert getattr(session.get(model, world[key]), column) == before


def test_nullable_fields_may_be_cleared(client, session, world):
    r = client.patch(f"/api/v1/persons/{world['child']}", json={"moved_in_on": "2020-01-02"}, headers=world["worker"])
    assert r.status_code == 200 and r.json()["moved_in_on"] == "2020-01-02"
    r = client.patch(f"/api/v1/persons/{world['child']}", json={"moved_in_on": None}, headers=world["worker"])
    assert r.status_code == 200 and r.json()["moved_in_on"] is None
    r = client.patch(f"/api/v1/buildings/{world['b']}", json={"units": None, "lon": None}, headers=world["worker"])
    assert r.status_code == 200 and r.json()["units"] is None
