"""The residents register through the API: masking and reveal, validation, roles and scope, audit hygiene."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, text

from linli.audit.models import AuditEntry
from linli.residents import pii
from linli.residents.models import Household, Person, ResidentEvent
from tests.factories import auth, make_user, token_for
from tests.factories_residents import (
    GRID,
    GRID_B,
    SIBLING_GRID,
    make_grids,
    make_household,
    make_person,
    new_id,
)


@pytest.fixture
def grids(areas):
    make_grids(areas, SIBLING_GRID, load_areas=False)


@pytest.fixture
def world(session, family):
    h, members = family
    session.commit()
    return {"household": h, "head": members[0], "spouse": members[1], "child": members[2]}


@pytest.fixture
def tok(session):
    """tok(role, area) → bearer headers of a new user holding that role there."""
    made = {}

    def make(role: str, area: str):
        key = (role, area)
        if key not in made:
            user = make_user(session, f"u{len(made)}_{role}", role, area)
            made[key] = auth(token_for(session, user))
            session.commit()
        return made[key]

    return make


def raw_audit(session) -> str:
    session.expire_all()
    rows = session.execute(text("SELECT * FROM audit_log")).all()
    return "\n".join(json.dumps([str(v) for v in row], ensure_ascii=False) for row in rows)


def test_person_is_masked_and_reveal_is_permitted_and_audited(client, session, world, tok):
    head = world["head"]
    clear_id = pii.open_id(head.id_number_enc, reveal=True)
    r = client.get(f"/api/v1/persons/{head.id}", headers=tok("grid_worker", GRID))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id_number"] == clear_id[:6] + "********" + clear_id[-4:]
    assert body["phone"] == "138****5678" and body["revealed"] is False
    assert clear_id not in r.text and "13812345678" not in r.text
    # A grid worker may read and write but not reveal: 403 in scope.
    assert client.post(f"/api/v1/persons/{head.id}/reveal", headers=tok("grid_worker", GRID)).status_code == 403
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    r = client.post(f"/api/v1/persons/{head.id}/reveal", headers=tok("community_worker", "220102001001"))
    assert r.status_code == 200 and r.json()["id_number"] == clear_id and r.json()["phone"] == "13812345678"
    session.expire_all()
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "persons.reveal")).all()
    assert len(entries) == 1 and entries[0].entity_id == str(head.id)
    assert entries[0].actor.startswith("u") and session.scalar(select(func.count()).select_from(AuditEntry)) > before
    # Outside the area: as if the person did not exist.
    assert client.post(f"/api/v1/persons/{head.id}/reveal", headers=tok("admin", "220103")).status_code == 404


def test_audit_log_never_holds_id_or_phone_numbers(client, session, world, tok):
    h = tok("community_worker", "220102001001")
    idn = new_id(date(1988, 8, 8))
    r = client.post(
        "/api/v1/persons",
        json={"area_code": GRID, "name": "孙悟空", "id_number": idn, "phone": "139 0000 1111"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    new_idn = new_id(date(1988, 8, 8))
    assert client.patch(
        f"/api/v1/persons/{pid}", json={"phone": "13900002222", "id_number": new_idn}, headers=h
    ).is_success
    assert client.post(f"/api/v1/persons/{pid}/reveal", headers=h).is_success
    log = raw_audit(session)
    for secret in (idn, new_idn, "13900001111", "13900002222", "139 0000 1111"):
        assert secret not in log
    assert "[redacted]" in log
    stored = session.execute(text("SELECT * FROM persons")).all()
    assert idn not in str(stored) and new_idn not in str(stored) and "13900002222" not in str(stored)


@pytest.mark.parametrize(
    "patch, code",
    [
        ({"id_number": "220102198005170011"}, "invalid_id_number"),
        ({"birth_date": "1981-01-01"}, "birth_date_mismatch"),
        ({"gender": "female"}, "gender_mismatch"),
        ({"phone": "12345"}, "invalid_phone"),
    ],
)
def test_bad_personal_data_is_refused_and_nothing_written(client, session, world, tok, patch, code):
    body = {"area_code": GRID, "name": "错误", "id_number": new_id(date(1980, 5, 17)), "phone": "13812345678"}
    body["id_number"] = body["id_number"][:16] + "1" + body["id_number"][17]  # odd 17th digit: male
    from linli.residents.idcard import check_digit

    body["id_number"] = body["id_number"][:17] + check_digit(body["id_number"][:17])
    body.update(patch)
    count = session.scalar(select(func.count()).select_from(Person))
    r = client.post("/api/v1/persons", json=body, headers=tok("grid_worker", GRID))
    assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Person)) == count


def test_duplicate_person_and_person_in_two_households(client, session, world, tok):
    h = tok("grid_worker", GRID)
    head = world["head"]
    clear_id = pii.open_id(head.id_number_enc, reveal=True)
    r = client.post("/api/v1/persons", json={"area_code": GRID, "name": "重复", "id_number": clear_id}, headers=h)
    assert r.status_code == 409 and "already registered" in r.json()["error"]["message"]
    other = make_household(session)
    session.commit()
    r = client.post(
        f"/api/v1/households/{other.id}/members", json={"person_id": head.id, "relation": "other"}, headers=h
    )
    assert r.status_code == 409 and "one household at a time" in r.json()["error"]["message"]
    session.expire_all()
    assert session.get(Person, head.id).household_id == world["household"].id


def test_roles(client, world, tok):
    pid = world["head"].id
    for role, status in (("official", 200), ("auditor", 200), ("department_handler", 403), ("resident", 403)):
        assert client.get(f"/api/v1/persons/{pid}", headers=tok(role, "220102")).status_code == status, role
    # Readers cannot write.
    r = client.patch(f"/api/v1/persons/{pid}", json={"ethnicity": "满族"}, headers=tok("official", "220102"))
    assert r.status_code == 403
    # A grid worker's reach is their grid: a person in the next village's grid is invisible.
    p2 = world["head"]
    assert client.get(f"/api/v1/persons/{p2.id}", headers=tok("grid_worker", GRID_B)).status_code == 404


def test_move_outside_scope_is_refused_then_done_by_transfer(client, session, world, tok):
    child = world["child"]
    worker = tok("grid_worker", GRID)
    r = client.post(f"/api/v1/persons/{child.id}/move", json={"to_area_code": SIBLING_GRID}, headers=worker)
    assert r.status_code == 404 and "transfer request" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/persons/{child.id}/move", json={"to_area_code": GRID_B}, headers=worker)
    assert r.status_code == 404  # the next village's grid is outside a grid worker's reach too
    session.expire_all()
    assert session.get(Person, child.id).area_code == GRID
    assert session.scalar(select(func.count()).select_from(ResidentEvent).where(ResidentEvent.kind == "moved")) == 0
    # The transfer: requested here, invisible to a third county, accepted on the other side.
    r = client.post("/api/v1/transfers", json={"person_id": child.id, "to_area_code": SIBLING_GRID}, headers=worker)
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    assert r.json()["subject"].startswith("张小明") and "********" in r.json()["subject"]
    assert client.get(f"/api/v1/transfers/{tid}", headers=tok("admin", "220103002002")).status_code == 404
    assert client.post(f"/api/v1/transfers/{tid}/accept", json={}, headers=worker).status_code == 403
    other_side = tok("community_worker", SIBLING_GRID[:12])
    listed = client.get("/api/v1/transfers", headers=other_side).json()
    assert [t["id"] for t in listed["items"]] == [tid]
    r = client.post(f"/api/v1/transfers/{tid}/accept", json={"note": "欢迎"}, headers=other_side)
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    assert client.post(f"/api/v1/transfers/{tid}/reject", json={}, headers=other_side).status_code == 409
    session.expire_all()
    moved = session.get(Person, child.id)
    assert moved.area_code == SIBLING_GRID and moved.household_id is None
    # Now the person belongs to the other county: the old grid worker cannot see them, the new side can.
    assert client.get(f"/api/v1/persons/{child.id}", headers=worker).status_code == 404
    hist = client.get(f"/api/v1/persons/{child.id}/history", headers=other_side).json()
    kinds = [e["kind"] for e in hist]
    assert kinds[0] == "registered" and "transfer_requested" in kinds and "left_household" in kinds
    assert "moved" in kinds and next(e for e in hist if e["kind"] == "moved")["to_area"] == SIBLING_GRID


def test_cross_county_move_is_direct_for_a_principal_covering_both(client, session, world, tok):
    h = world["household"]
    r = client.post(
        f"/api/v1/households/{h.id}/move", json={"to_area_code": SIBLING_GRID}, headers=tok("admin", "2201")
    )
    assert r.status_code == 200, r.text
    session.expire_all()
    assert {p.area_code for p in session.scalars(select(Person).where(Person.household_id == h.id))} == {SIBLING_GRID}
    tags = session.execute(text("SELECT area_code FROM person_tags")).scalars().all()
    assert set(tags) == {SIBLING_GRID}
    events = client.get(f"/api/v1/households/{h.id}/history", headers=tok("admin", "2201")).json()
    assert events[-1]["kind"] == "household_moved" and events[-1]["from_area"] == GRID


def test_transfer_reject_and_cancel(client, session, world, tok):
    h = world["household"]
    worker = tok("community_worker", "220102001001")
    r = client.post("/api/v1/transfers", json={"household_id": h.id, "to_area_code": SIBLING_GRID}, headers=worker)
    tid = r.json()["id"]
    again = client.post("/api/v1/transfers", json={"household_id": h.id, "to_area_code": SIBLING_GRID}, headers=worker)
    assert again.status_code == 409
    r = client.post(f"/api/v1/transfers/{tid}/reject", json={"note": "地址不符"}, headers=tok("admin", "220103"))
    assert r.json()["status"] == "rejected"
    r = client.post("/api/v1/transfers", json={"household_id": h.id, "to_area_code": SIBLING_GRID}, headers=worker)
    tid2 = r.json()["id"]
    assert client.post(f"/api/v1/transfers/{tid2}/cancel", headers=tok("admin", "220103")).status_code == 403
    assert client.post(f"/api/v1/transfers/{tid2}/cancel", headers=worker).json()["status"] == "cancelled"
    session.expire_all()
    assert session.get(Household, h.id).area_code == GRID


def test_death_split_merge_and_history(client, session, world, tok):
    h = tok("community_worker", "220102001001")
    hh, head, spouse, child = world["household"], world["head"], world["spouse"], world["child"]
    today = date.today().isoformat()
    r = client.post(f"/api/v1/persons/{head.id}/death", json={"died_on": today}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "deceased"
    assert r.json()["tags"] and all(t["end_on"] == today for t in r.json()["tags"])
    again = client.post(f"/api/v1/persons/{head.id}/death", json={"died_on": today}, headers=h)
    assert again.status_code == 409
    household = client.get(f"/api/v1/households/{hh.id}", headers=h).json()
    assert household["head_person_id"] is None and household["member_count"] == 2
    assert client.patch(f"/api/v1/households/{hh.id}", json={"head_person_id": spouse.id}, headers=h).is_success
    r = client.post(
        f"/api/v1/households/{hh.id}/split",
        json={"person_ids": [child.id], "head_person_id": child.id, "room": "302"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    new_id_ = r.json()["id"]
    assert [m["id"] for m in r.json()["members"]] == [child.id] and r.json()["head_person_id"] == child.id
    r = client.post(f"/api/v1/households/{hh.id}/split", json={"person_ids": [spouse.id], "head_person_id": spouse.id},
                    headers=h)  # fmt: skip
    assert r.status_code == 422 and "at least one member stays" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/households/{new_id_}/merge", json={"into_household_id": hh.id}, headers=h)
    assert r.status_code == 200 and {m["id"] for m in r.json()["members"]} == {spouse.id, child.id}
    session.expire_all()
    assert session.get(Household, new_id_).status == "merged"
    # Nothing was deleted: the deceased head is still there, with a history.
    assert session.get(Person, head.id).status == "deceased"
    kinds = [e["kind"] for e in client.get(f"/api/v1/persons/{child.id}/history", headers=h).json()]
    assert kinds == ["registered", "left_household", "joined_household", "joined_household"]
    hk = [e["kind"] for e in client.get(f"/api/v1/households/{hh.id}/history", headers=h).json()]
    assert hk == ["household_created", "head_died", "head_changed", "household_split", "household_absorbed"]


def test_search_by_name_id_phone_tag_and_age(client, session, world, tok):
    make_person(session, None, name="独居老人甲", grid=GRID, born=date(1940, 1, 1), tags=("elderly_alone",))
    make_person(session, None, name="隔壁张三", grid=SIBLING_GRID, born=date(1950, 1, 1))
    session.commit()
    h = tok("official", "220102")

    def find(**q):
        r = client.post("/api/v1/persons/search", json={"area_code": "220102", **q}, headers=h)
        assert r.status_code == 200, r.text
        return sorted(p["name"] for p in r.json()["items"])

    assert find(name="张") == sorted(["张小明", "张伟"])
    clear = pii.open_id(world["spouse"].id_number_enc, reveal=True)
    assert find(id_number=clear.lower()) == ["李娜"]
    assert find(phone="+86 138-1234-5678") == sorted(["张伟", "独居老人甲"])
    assert find(tag="elderly_alone") == ["独居老人甲"]
    assert find(age_min=80) == ["独居老人甲"]
    assert find(age_max=17) == ["张小明"]
    assert find(age_min=18, age_max=70) == sorted(["李娜", "张伟"])
    # The ancestor sees both counties; the sibling county's official is refused the area.
    r = client.post("/api/v1/persons/search", json={"area_code": "2201", "name": "张"}, headers=tok("official", "2201"))
    assert sorted(p["name"] for p in r.json()["items"]) == sorted(["张小明", "张伟", "隔壁张三"])
    r = client.post("/api/v1/persons/search", json={"area_code": "220102"}, headers=tok("official", "220103"))
    assert r.status_code == 404


def test_stats_roll_up_the_hierarchy(client, session, world, tok):
    make_person(session, None, name="老人", grid=GRID_B, born=date(1930, 1, 1), tags=("elderly_alone", "disabled"))
    make_person(session, None, name="别县", grid=SIBLING_GRID, tags=("veteran",))
    session.commit()
    county = client.get("/api/v1/areas/220102/residents/stats", headers=tok("official", "220102")).json()
    assert county["persons"] == 4 and county["by_tag"]["veteran"] == 1 and county["by_tag"]["elderly_alone"] == 1
    assert county["by_age_band"] == {"0-14": 1, "15-59": 2, "60-79": 0, "80+": 1}
    assert [(c["code"], c["persons"]) for c in county["children"]] == [("220102001", 4)]
    village = client.get("/api/v1/areas/220102001/residents/stats", headers=tok("official", "220102")).json()
    assert {c["code"]: c["persons"] for c in village["children"]} == {"220102001001": 3, "220102001002": 1}
    city = client.get("/api/v1/areas/2201/residents/stats", headers=tok("official", "2201")).json()
    assert city["persons"] == 5 and {c["code"] for c in city["children"]} == {"220102", "220103"}
    # A grid worker counts in their own grid; the village above it is not theirs to see.
    mine = client.get(f"/api/v1/areas/{GRID}/residents/stats", headers=tok("grid_worker", GRID)).json()
    assert mine["persons"] == 3 and mine["children"] == []
    assert client.get("/api/v1/areas/220102001/residents/stats", headers=tok("grid_worker", GRID)).status_code == 404
    assert client.get("/api/v1/areas/220102/residents/stats", headers=tok("admin", "220103")).status_code == 404


def test_households_list_of_a_grid(client, session, world, tok):
    make_household(session, GRID_B)
    session.commit()
    r = client.get(f"/api/v1/areas/{GRID}/households", headers=tok("grid_worker", GRID)).json()
    assert r["total"] == 1 and r["items"][0]["head_name"] == "张伟" and r["items"][0]["member_count"] == 3
    assert client.get(f"/api/v1/areas/{GRID_B}/households", headers=tok("grid_worker", GRID)).status_code == 404
    assert client.get("/api/v1/areas/220102001/households", headers=tok("official", "220102")).json()["total"] == 2
