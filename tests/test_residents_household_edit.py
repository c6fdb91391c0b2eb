"""The page that edits a household (address, unit, room, building, register type, head), and the refusal
of a tag that a person already has."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict
from linli.residents import history, service
from linli.residents.models import Household, Person, PersonTag, ResidentEvent
from linli.residents.schemas import MergeIn, PersonIn, TagIn
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, token_for
from tests.factories_residents import (
    GRID,
    GRID_B,
    make_building,
    make_family,
    make_grids,
    make_household,
    make_person,
    new_id,
)

TODAY = date.today()


@pytest.fixture
def world(session, client):
    make_grids(session)
    h, (head, spouse, child) = make_family(session)
    neighbour = make_household(session, GRID, address="和平街8号")
    stranger = make_person(session, neighbour, name="赵刚")
    tower = make_building(session, GRID, name="幸福小区2号楼")
    far_tower = make_building(session, GRID_B, name="远方小区9号楼")
    worker = make_user(session, "gw1", "grid_worker", GRID)
    outsider = make_user(session, "gw2", "grid_worker", GRID_B)
    official = make_user(session, "off1", "official", VILLAGE_A)
    w = {
        "h": h.id,
        "head": head.id,
        "spouse": spouse.id,
        "child": child.id,
        "neighbour": neighbour.id,
        "stranger": stranger.id,
        "tower": tower.id,
        "far_tower": far_tower.id,
        "worker": auth(token_for(session, worker)),
        "outsider": auth(token_for(session, outsider)),
        "official": auth(token_for(session, official)),
    }
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def register_state(session) -> tuple:
    """Everything the page could change: households, members' relations, tags, history, audit entries."""
    session.expire_all()
    households = session.scalars(select(Household).order_by(Household.id))
    return (
        tuple((h.id, h.status, h.head_person_id, h.address, h.unit, h.room, h.register_type, h.building_id)
              for h in households),
        tuple(session.execute(select(Person.id, Person.household_id, Person.relation).order_by(Person.id))),
        tuple(session.execute(select(PersonTag.id, PersonTag.tag, PersonTag.end_on).order_by(PersonTag.id))),
        count(session, ResidentEvent),
        count(session, AuditEntry),
    )  # fmt: skip


def form_of(world, **changes) -> dict[str, str]:
    """The edit form as the page fills it in for the family's household, with some fields changed."""
    return {"address": "幸福路1号", "unit": "", "room": "", "register_type": "local", "building_id": "",
            "head": str(world["head"]), **changes}  # fmt: skip


# --- a tag that is already current --------------------------------------------------------------


def test_the_api_refuses_a_tag_the_person_already_has(client, session, world):
    url = f"/api/v1/persons/{world['head']}/tags"
    before = register_state(session)
    r = client.post(url, json={"tag": "veteran"}, headers=world["worker"])
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "tag_current"
    assert error["message"].startswith(f"张伟 already has the tag veteran since {TODAY.isoformat()}")
    assert register_state(session) == before
    # Another tag is added; once the current one has ended, the same tag may be added again.
    assert client.post(url, json={"tag": "disabled"}, headers=world["worker"]).status_code == 201
    veteran = session.scalar(select(PersonTag.id).where(PersonTag.person_id == world["head"]))
    end = client.post(f"{url}/{veteran}/end", params={"on": TODAY.isoformat()}, headers=world["worker"])
    assert end.status_code == 200, end.text
    again = client.post(url, json={"tag": "veteran", "start_on": TODAY.isoformat()}, headers=world["worker"])
    assert again.status_code == 201, again.text
    tags = session.scalars(select(PersonTag.tag).where(PersonTag.person_id == world["head"])).all()
    assert sorted(tags) == ["disabled", "veteran", "veteran"]


def test_a_tag_ending_later_or_starting_later_is_current_too(session, world):
    tag = session.scalars(select(PersonTag).where(PersonTag.person_id == world["head"])).one()
    tag.end_on = TODAY + timedelta(days=30)
    session.flush()
    with pytest.raises(Conflict):
        service.add_tag(session, SYSTEM, world["head"], TagIn(tag="veteran", start_on=TODAY + timedelta(days=40)))
    service.add_tag(session, SYSTEM, world["spouse"], TagIn(tag="key_care", start_on=TODAY + timedelta(days=5)))
    with pytest.raises(Conflict):
        service.add_tag(session, SYSTEM, world["spouse"], TagIn(tag="key_care"))


def test_a_new_person_with_the_same_tag_twice_is_refused(session, world):
    body = PersonIn(household_id=world["neighbour"], relation="spouse", name="钱双", id_number=new_id(),
                    tags=[TagIn(tag="disabled"), TagIn(tag="disabled")])  # fmt: skip
    with pytest.raises(Conflict):
        service.register_person(session, SYSTEM, body)


def test_the_tags_page_shows_the_refusal_and_keeps_one_tag(client, session, world):
    before = register_state(session)
    url = f"/persons/{world['head']}/tags"
    r = client.post(url, data={"tag": "veteran", "note": "重复点击"}, headers=world["worker"])
    assert r.status_code == 409, r.text
    assert f"张伟 already has the tag Veteran since {TODAY.isoformat()}" in r.text
    assert 'role="alert"' in r.text and 'aria-describedby="form-errors"' in r.text and 'value="重复点击"' in r.text
    assert register_state(session) == before
    assert count(session, PersonTag, PersonTag.person_id == world["head"], PersonTag.tag == "veteran") == 1
    client.cookies.delete("linli_lang")
    r = client.post(url, data={"tag": "veteran"}, headers=world["worker"])
    assert r.status_code == 409 and f"张伟 自 {TODAY.isoformat()} 起已有标签“退役军人”" in r.text
