"""The page that edits a household (address, unit, room, building, register type, head), and the refusal
of a tag that a person already has."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict
from linli.residents import service
from linli.residents.models import Household, Person, PersonTag, ResidentEvent
from linli.residents.schemas import MergeIn, PersonIn, TagIn
from linli.residents.service import history
from tests.factories import SYSTEM, auth, token_for
from tests.factories_residents import GRID, GRID_B, make_building, make_household, make_person, make_staff, new_id

TODAY = date.today()


@pytest.fixture
def world(session, family, client):
    h, (head, spouse, child) = family
    neighbour = make_household(session, GRID, address="和平街8号")
    stranger = make_person(session, neighbour, name="赵刚")
    tower = make_building(session, GRID, name="幸福小区2号楼")
    far_tower = make_building(session, GRID_B, name="远方小区9号楼")
    staff = make_staff(session, "worker", "outsider", "official")
    w = {
        "h": h.id,
        "head": head.id,
        "spouse": spouse.id,
        "child": child.id,
        "neighbour": neighbour.id,
        "stranger": stranger.id,
        "tower": tower.id,
        "far_tower": far_tower.id,
        **{key: auth(token_for(session, user)) for key, user in staff.items()},
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


# --- the page -----------------------------------------------------------------------------------


def test_the_household_page_links_to_the_prefilled_edit_form(client, world):
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert page.status_code == 200 and f'href="/households/{world["h"]}/edit"' in page.text
    assert "Edit household" in page.text
    r = client.get(f"/households/{world['h']}/edit", headers=world["worker"])
    assert r.status_code == 200, r.text
    assert f"Edit household {world['h']}" in r.text and 'name="csrf_token"' in r.text
    assert 'value="幸福路1号"' in r.text and '<label for="address">' in r.text and '<label for="unit">' in r.text
    # The head among the present members, as radio buttons in a fieldset, with names and relations.
    assert "<fieldset>" in r.text and "<legend>Head of household</legend>" in r.text
    assert f'name="head" value="{world["head"]}" checked' in r.text
    assert f'name="head" value="{world["spouse"]}">' in r.text and "李娜" in r.text and "Spouse" in r.text
    assert "赵刚" not in r.text  # another household's member is no choice
    # Register types with their labels; the grid's buildings, not another grid's.
    assert '<option value="local" selected>Local register (户籍)</option>' in r.text
    assert '<option value="floating">Floating (流动)</option>' in r.text
    assert f'<option value="{world["tower"]}">幸福小区2号楼' in r.text and "远方小区9号楼" not in r.text
    assert '<option value="">— no building —</option>' in r.text


def test_edit_saves_audits_and_records_the_new_head(client, session, world):
    audits = count(session, AuditEntry, AuditEntry.action == "households.update")
    data = form_of(world, address="幸福路1号院", unit="2单元", room="302", register_type="resident",
                   building_id=str(world["tower"]), head=str(world["spouse"]))  # fmt: skip
    r = client.post(f"/households/{world['h']}/edit", data=data, headers=world["worker"], follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/households/{world['h']}?saved=1"
    session.expire_all()
    h = session.get(Household, world["h"])
    assert (h.address, h.unit, h.room, h.register_type) == ("幸福路1号院", "2单元", "302", "resident")
    assert (h.building_id, h.head_person_id) == (world["tower"], world["spouse"])
    assert session.get(Person, world["spouse"]).relation == "head"
    assert session.get(Person, world["head"]).relation == "other"  # the former head stays, as "other"
    assert count(session, AuditEntry, AuditEntry.action == "households.update") == audits + 1
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "households.update")).all()[-1]
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert before["address"] == "幸福路1号" and after["address"] == "幸福路1号院"
    assert before["head_person_id"] == world["head"] and after["head_person_id"] == world["spouse"]
    assert "unit" in after and "register_type" in after and after["building_id"] == world["tower"]
    changed = session.scalars(
        select(ResidentEvent).where(ResidentEvent.household_id == world["h"], ResidentEvent.kind == "head_changed")
    ).all()
    assert len(changed) == 1
    page = client.get(r.headers["location"], headers=world["worker"])
    assert 'role="status"' in page.text and "Your changes were saved." in page.text
    assert "幸福路1号院" in page.text and "New head of household" in page.text


def test_only_what_changed_is_written_and_an_unchanged_form_writes_nothing(client, session, world):
    before = register_state(session)
    r = client.post(f"/households/{world['h']}/edit", data=form_of(world), headers=world["worker"])
    assert r.status_code == 200 and "Your changes were saved." in r.text  # followed to the household page
    assert register_state(session) == before
    r = client.post(
        f"/households/{world['h']}/edit", data=form_of(world, room="101"), headers=world["worker"],
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "households.update")).one()
    assert json.loads(entry.after) == {"room": "101"}
    assert count(session, ResidentEvent, ResidentEvent.kind == "head_changed") == 0  # the head did not change
    # A building is removed by choosing "no building".
    client.post(f"/households/{world['h']}/edit", data=form_of(world, building_id=str(world["tower"])),
                headers=world["worker"])  # fmt: skip
    client.post(f"/households/{world['h']}/edit", data=form_of(world), headers=world["worker"])
    session.expire_all()
    assert session.get(Household, world["h"]).building_id is None


def test_in_a_grid_with_many_buildings_the_building_is_given_by_its_number(client, session, world, monkeypatch):
    from linli.residents.views import household_edit

    monkeypatch.setattr(household_edit, "BUILDINGS", 0)
    page = client.get(f"/households/{world['h']}/edit", headers=world["worker"])
    assert '<label for="building_id">Building number (optional)</label>' in page.text
    assert 'id="building_id" name="building_id" value=""' in page.text and "幸福小区2号楼" not in page.text
    url = f"/households/{world['h']}/edit"
    r = client.post(url, data=form_of(world, building_id=str(world["far_tower"])), headers=world["worker"])
    assert r.status_code == 422 and f"There is no building {world['far_tower']} in this grid." in r.text
    assert f'value="{world["far_tower"]}"' in r.text
    r = client.post(url, data=form_of(world, building_id=str(world["tower"])), headers=world["worker"],
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Household, world["h"]).building_id == world["tower"]


def test_a_head_is_set_after_a_split_that_took_the_old_one(client, session, world):
    r = client.post(
        f"/households/{world['h']}/split",
        data={"person_ids": [str(world["head"])], "head": str(world["head"]), "register_type": "local",
              "address": "新居5号"},
        headers=world["worker"],
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Household, world["h"]).head_person_id is None
    page = client.get(f"/households/{world['h']}/edit", headers=world["worker"])
    assert page.status_code == 200 and "This household has no head yet" in page.text
    heads = page.text.split("<legend>")[1].split("</fieldset>")[0]
    assert 'name="head" value="' in heads and " checked" not in heads
    assert f'name="head" value="{world["head"]}"' not in page.text  # gone with the split
    # Saving other changes without a head is fine: the household stays without one.
    r = client.post(f"/households/{world['h']}/edit", data=form_of(world, head="", address="幸福路1号甲"),
                    headers=world["worker"], follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Household, world["h"]).head_person_id is None
    r = client.post(f"/households/{world['h']}/edit", data=form_of(world, head=str(world["spouse"])),
                    headers=world["worker"], follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Household, world["h"]).head_person_id == world["spouse"]
    assert session.get(Person, world["spouse"]).relation == "head"
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert "李娜" in page.text.split("<dt>Head</dt>")[1].split("</dd>")[0]


@pytest.mark.parametrize(
    ("changes", "status", "message", "kept"),
    [
        ({"head": "STRANGER"}, 422, "The head must be one of the present members of this household.", None),
        ({"head": "x", "address": "保留的地址"}, 422, "The head must be one of the present members", "保留的地址"),
        ({"head": ""}, 422, "Choose the head of household among the members.", None),
        ({"register_type": "royal", "room": "808"}, 422, "Choose a register type from the list.", "808"),
        ({"address": "长" * 301}, 422, "Address: at most 300 characters (this one has 301).", "长" * 301),
        ({"unit": "单" * 21}, 422, "Unit: at most 20 characters (this one has 21).", "单" * 21),
        ({"building_id": "FAR", "unit": "3单元"}, 422, "There is no building", "3单元"),
        ({"building_id": "999999"}, 422, "There is no building 999999 in this grid.", None),
        ({"building_id": "二号楼"}, 422, "number in digits, or choose from the list", None),
    ],
)
def test_bad_input_is_shown_with_the_values_kept_and_changes_nothing(
    client, session, world, changes, status, message, kept
):
    names = {"STRANGER": str(world["stranger"]), "FAR": str(world["far_tower"])}
    changes = {k: names.get(v, v) for k, v in changes.items()}
    before = register_state(session)
    r = client.post(f"/households/{world['h']}/edit", data=form_of(world, **changes), headers=world["worker"])
    assert r.status_code == status, r.text
    assert message in r.text
    assert 'role="alert"' in r.text and 'aria-describedby="form-errors"' in r.text and "Nothing was saved:" in r.text
    assert 'aria-invalid="true"' in r.text or "head" in changes
    if kept:
        assert f'value="{kept}"' in r.text
    assert register_state(session) == before


def test_several_mistakes_are_listed_together(client, session, world):
    before = register_state(session)
    data = form_of(world, register_type="", room="室" * 25, head=str(world["stranger"]), address="新地址")
    r = client.post(f"/households/{world['h']}/edit", data=data, headers=world["worker"])
    assert r.status_code == 422
    assert "Room: at most 20 characters" in r.text and "Choose a register type from the list." in r.text
    assert "The head must be one of the present members" in r.text and 'value="新地址"' in r.text
    assert register_state(session) == before


# --- access and state ---------------------------------------------------------------------------


def test_a_worker_of_another_grid_gets_404_and_changes_nothing(client, session, world):
    before = register_state(session)
    url = f"/households/{world['h']}/edit"
    assert client.get(url, headers=world["outsider"]).status_code == 404
    r = client.post(url, data=form_of(world, address="别处"), headers=world["outsider"])
    assert r.status_code == 404 and "别处" not in r.text
    assert client.get("/households/99999999/edit", headers=world["worker"]).status_code == 404
    assert register_state(session) == before


def test_a_read_only_user_sees_no_link_and_may_not_edit(client, session, world):
    before = register_state(session)
    page = client.get(f"/households/{world['h']}", headers=world["official"])
    assert page.status_code == 200 and f"/households/{world['h']}/edit" not in page.text
    url = f"/households/{world['h']}/edit"
    assert client.get(url, headers=world["official"]).status_code == 403
    assert client.post(url, data=form_of(world, address="别处"), headers=world["official"]).status_code == 403
    assert register_state(session) == before


def test_a_signed_in_browser_must_send_the_csrf_token(client, session, world):
    from linli.authn.models import User
    from tests.factories import csrf_of, login

    assert login(client, "gw1", "Passw0rd-test").status_code == 303
    csrf = csrf_of(session, session.scalar(select(User).where(User.username == "gw1")))
    before = register_state(session)
    url = f"/households/{world['h']}/edit"
    assert client.post(url, data=form_of(world, address="无令牌")).status_code == 403
    assert register_state(session) == before
    page = client.get(url)
    assert f'name="csrf_token" value="{csrf}"' in page.text
    r = client.post(url, data={**form_of(world, address="有令牌"), "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Household, world["h"]).address == "有令牌"


def test_a_merged_or_dissolved_household_cannot_be_edited(client, session, world):
    history.merge_households(session, SYSTEM, world["h"], MergeIn(into_household_id=world["neighbour"]))
    session.commit()
    before = register_state(session)
    url = f"/households/{world['h']}/edit"
    r = client.get(url, headers=world["worker"])
    assert r.status_code == 409 and f"was merged into household {world['neighbour']}" in r.text
    assert 'name="address"' not in r.text
    r = client.post(url, data=form_of(world, address="合并后"), headers=world["worker"])
    assert r.status_code == 409 and "it can no longer be edited" in r.text and 'name="address"' not in r.text
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert url not in page.text
    assert register_state(session) == before
    gone = make_household(session, GRID, address="空户1号")
    gone.status = "dissolved"
    session.commit()
    r = client.get(f"/households/{gone.id}/edit", headers=world["worker"])
    assert r.status_code == 409 and f"Household {gone.id} is dissolved" in r.text


@pytest.mark.parametrize(
    ("lang", "title", "error"),
    [
        ("en", "Edit household", "The head must be one of the present members of this household."),
        (None, "编辑第", "户主必须是本户现有成员之一。"),
    ],
)
def test_the_page_in_english_and_chinese(client, world, lang, title, error):
    if lang is None:
        client.cookies.delete("linli_lang")  # pages default to Chinese
    page = client.get(f"/households/{world['h']}/edit", headers=world["worker"])
    assert page.status_code == 200 and title in page.text
    if lang is None:
        assert "户籍类型" in page.text and "保存修改" in page.text and "Head of household" not in page.text
        assert "编辑本户" in client.get(f"/households/{world['h']}", headers=world["worker"]).text
    r = client.post(
        f"/households/{world['h']}/edit", data=form_of(world, head=str(world["stranger"])), headers=world["worker"]
    )
    assert r.status_code == 422 and error in r.text


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
