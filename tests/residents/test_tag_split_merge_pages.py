"""Web pages of a person's tags and of splitting and merging households (分户, 合户)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.authz.principal import principal_for
from linli.residents.models import Household, Person, PersonTag
from linli.residents.service import households as household_service
from tests.factories import auth, token_for
from tests.factories_residents import GRID, GRID_B, make_household, make_person, make_staff

TODAY = date.today()


@pytest.fixture
def world(session, family, client):
    h, (head, spouse, child) = family
    neighbour = make_household(session, GRID, address="和平街8号")
    make_person(session, neighbour, name="赵刚")
    far = make_household(session, GRID_B, address="远方路9号")
    make_person(session, far, name="王远")
    staff = make_staff(session, "worker", "outsider", "official")
    veteran = session.scalar(select(PersonTag.id).where(PersonTag.person_id == head.id))
    w = {
        "h": h.id,
        "head": head.id,
        "spouse": spouse.id,
        "child": child.id,
        "neighbour": neighbour.id,
        "far": far.id,
        "veteran": veteran,
        **{key: auth(token_for(session, user)) for key, user in staff.items()},
    }
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def register_state(session) -> tuple:
    """Everything the pages could change: households, memberships, tags, audit entries."""
    session.expire_all()
    return (
        tuple(session.execute(select(Household.id, Household.status, Household.head_person_id).order_by(Household.id))),
        tuple(session.execute(select(Person.id, Person.household_id, Person.relation).order_by(Person.id))),
        tuple(session.execute(select(PersonTag.id, PersonTag.tag, PersonTag.end_on).order_by(PersonTag.id))),
        count(session, AuditEntry),
    )


# --- tags ---------------------------------------------------------------------------------------


def test_add_a_tag_shows_it_here_and_on_the_household_page_and_audits_it(client, session, world):
    url = f"/persons/{world['head']}/tags"
    page = client.get(url, headers=world["worker"])
    assert page.status_code == 200, page.text
    assert "Tags of 张伟" in page.text and "Veteran" in page.text and 'name="csrf_token"' in page.text
    assert f'action="{url}"' in page.text and "Key care" in page.text  # the add form lists the known tags
    audits = count(session, AuditEntry, AuditEntry.action == "persons.tag")
    r = client.post(
        url,
        data={"tag": "disabled", "start_on": "2024-03-01", "note": "二级肢体残疾"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"], headers=world["worker"])
    assert 'role="status"' in page.text and "Tag added: Disabled" in page.text
    assert "2024-03-01" in page.text and "二级肢体残疾" in page.text
    assert count(session, AuditEntry, AuditEntry.action == "persons.tag") == audits + 1
    household = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert "Disabled" in household.text and f'href="/persons/{world["head"]}/tags"' in household.text
    assert "Tags of 张伟" in household.text


def test_end_a_tag_keeps_it_among_the_ended(client, session, world):
    url = f"/persons/{world['head']}/tags/{world['veteran']}/end"
    r = client.post(url, data={"on": TODAY.isoformat()}, headers=world["worker"], follow_redirects=False)
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(PersonTag, world["veteran"]).end_on == TODAY
    page = client.get(r.headers["location"], headers=world["worker"])
    assert "Tag ended: Veteran" in page.text
    ended = page.text.split('id="ended-h"')[1]
    assert "Veteran" in ended and TODAY.isoformat() in ended
    assert f'action="{url}"' not in page.text  # an ended tag offers no end form
    assert count(session, AuditEntry, AuditEntry.action == "persons.untag") == 1


def test_bad_tag_input_is_shown_with_the_values_kept_and_changes_nothing(client, session, world):
    before = register_state(session)
    url = f"/persons/{world['head']}/tags"
    r = client.post(url, data={"tag": "king", "note": "保留的备注"}, headers=world["worker"])
    assert r.status_code == 422 and "Choose a tag from the list." in r.text and 'value="保留的备注"' in r.text
    assert 'aria-describedby="form-errors"' in r.text and 'role="alert"' in r.text
    r = client.post(url, data={"tag": "", "note": "x"}, headers=world["worker"])
    assert r.status_code == 422 and "Choose a tag from the list." in r.text
    r = client.post(
        url, data={"tag": "subsistence", "start_on": "2024-05-01", "end_on": "2024-04-01"}, headers=world["worker"]
    )
    assert r.status_code == 422 and "cannot end before it starts" in r.text
    assert '<option value="subsistence" selected>' in r.text and 'value="2024-04-01"' in r.text
    r = client.post(url, data={"tag": "subsistence", "start_on": "2024-13-01"}, headers=world["worker"])
    assert r.status_code == 422 and "give a date as YYYY-MM-DD" in r.text
    end = f"/persons/{world['head']}/tags/{world['veteran']}/end"
    r = client.post(end, data={"on": "1900-01-01"}, headers=world["worker"])
    assert r.status_code == 422 and "before it starts" in r.text and 'value="1900-01-01"' in r.text
    r = client.post(f"/persons/{world['head']}/tags/999999/end", data={"on": ""}, headers=world["worker"])
    assert r.status_code == 404 and "does not exist" in r.text
    # A tag of another person cannot be ended through this person.
    r = client.post(f"/persons/{world['spouse']}/tags/{world['veteran']}/end", headers=world["worker"])
    assert r.status_code == 404
    assert register_state(session) == before


def test_someone_who_moved_away_keeps_their_tags_but_gets_no_new_ones(client, session, world):
    r = client.post(
        f"/persons/{world['head']}/move",
        data={"kind": "away", "destination": "北京"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(f"/persons/{world['head']}/tags", headers=world["worker"])
    assert page.status_code == 200 and "Tags are added only to people who live here now." in page.text
    assert 'method="post"' not in page.text.split("<main")[1] and "Veteran" in page.text.split('id="ended-h"')[1]
    before = register_state(session)
    r = client.post(f"/persons/{world['head']}/tags", data={"tag": "disabled"}, headers=world["worker"])
    assert r.status_code == 422 and "tags are for present residents" in r.text
    assert register_state(session) == before


# --- split --------------------------------------------------------------------------------------


def test_split_moves_exactly_the_chosen_members_into_a_new_household(client, session, world):
    url = f"/households/{world['h']}/split"
    page = client.get(url, headers=world["worker"])
    assert page.status_code == 200, page.text
    assert "<fieldset>" in page.text and "<legend>" in page.text and 'value="幸福路1号"' in page.text
    audits = count(session, AuditEntry, AuditEntry.action == "households.split")
    r = client.post(
        url,
        data={
            "person_ids": [str(world["spouse"]), str(world["child"])],
            "head": str(world["spouse"]),
            "address": "幸福路1号",
            "unit": "2单元",
            "room": "302",
            "register_type": "resident",
            "on": TODAY.isoformat(),
        },
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    new_id = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
    session.expire_all()
    new = session.get(Household, new_id)
    assert new.head_person_id == world["spouse"] and new.status == "active" and new.area_code.startswith(GRID)
    assert (new.unit, new.room, new.register_type) == ("2单元", "302", "resident")
    moved = session.scalars(select(Person.id).where(Person.household_id == new_id).order_by(Person.id)).all()
    assert moved == [world["spouse"], world["child"]]
    assert session.scalars(select(Person.id).where(Person.household_id == world["h"])).all() == [world["head"]]
    assert session.get(Person, world["spouse"]).relation == "head"
    assert count(session, AuditEntry, AuditEntry.action == "households.split") == audits + 1
    page = client.get(r.headers["location"], headers=world["worker"])
    assert 'role="status"' in page.text and "The household was split." in page.text
    assert f'href="/households/{world["h"]}"' in page.text and "李娜" in page.text


def test_bad_split_input_is_shown_with_the_values_kept_and_changes_nothing(client, session, world):
    before = register_state(session)
    url = f"/households/{world['h']}/split"
    base = {"address": "新地址7号", "unit": "", "room": "", "register_type": "local", "on": ""}
    r = client.post(url, data={**base, "head": str(world["spouse"])}, headers=world["worker"])
    assert r.status_code == 422 and "Choose at least one member for the new household." in r.text
    assert 'value="新地址7号"' in r.text and 'aria-describedby="form-errors"' in r.text
    r = client.post(url, data={**base, "person_ids": [str(world["child"])]}, headers=world["worker"])
    assert r.status_code == 422 and "Choose the head of the new household." in r.text
    r = client.post(
        url, data={**base, "person_ids": [str(world["child"])], "head": str(world["spouse"])}, headers=world["worker"]
    )
    assert r.status_code == 422 and "must be one of the members who leave" in r.text
    assert f'value="{world["child"]}" checked' in r.text and f'value="{world["spouse"]}" checked' in r.text
    everyone = [str(world[k]) for k in ("head", "spouse", "child")]
    r = client.post(url, data={**base, "person_ids": everyone, "head": str(world["head"])}, headers=world["worker"])
    assert r.status_code == 422 and "at least one member stays" in r.text
    stranger = str(world["far"] + 1000)
    r = client.post(url, data={**base, "person_ids": [stranger], "head": stranger}, headers=world["worker"])
    assert r.status_code == 422 and "not present members" in r.text
    r = client.post(url, data={**base, "person_ids": ["x"], "head": "x"}, headers=world["worker"])
    assert r.status_code == 422 and "Choose from the list." in r.text
    assert register_state(session) == before


# --- merge --------------------------------------------------------------------------------------


def test_merge_confirms_then_moves_the_members_and_closes_the_household(client, session, world):
    url = f"/households/{world['h']}/merge"
    page = client.get(url, headers=world["worker"])
    assert page.status_code == 200, page.text
    # The other active households of the grid, by head and address; not this one, not another grid's.
    assert "和平街8号" in page.text and "赵刚" in page.text and f'value="{world["neighbour"]}"' in page.text
    assert f'name="into" value="{world["h"]}"' not in page.text and "远方路9号" not in page.text
    assert "closed" in page.text  # the warning
    before = register_state(session)
    r = client.post(url, data={"into": str(world["neighbour"]), "on": TODAY.isoformat()}, headers=world["worker"])
    assert r.status_code == 200 and "Yes, merge household" in r.text and "赵刚" in r.text and "李娜" in r.text
    assert register_state(session) == before  # the confirmation step changes nothing
    r = client.post(
        url,
        data={"into_id": str(world["neighbour"]), "on": TODAY.isoformat(), "confirm": "yes"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"/households/{world['neighbour']}?")
    session.expire_all()
    old = session.get(Household, world["h"])
    assert (old.status, old.merged_into_id, old.head_person_id) == ("merged", world["neighbour"], None)
    members = session.scalars(select(Person.id).where(Person.household_id == world["neighbour"])).all()
    assert {world["head"], world["spouse"], world["child"]} <= set(members) and len(members) == 4
    assert count(session, AuditEntry, AuditEntry.action == "households.merge") == 1
    page = client.get(r.headers["location"], headers=world["worker"])
    assert 'role="status"' in page.text and f"Household {world['h']} was merged into this household" in page.text
    closed = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert f"Merged into household {world['neighbour']}" in closed.text
    assert "/split" not in closed.text and "/merge" not in closed.text
    again = client.get(url, headers=world["worker"])
    assert again.status_code == 200 and "can no longer be merged" in again.text and 'name="into"' not in again.text


def test_bad_merge_input_is_shown_with_the_values_kept_and_changes_nothing(client, session, world):
    before = register_state(session)
    url = f"/households/{world['h']}/merge"
    r = client.post(url, data={"on": "2024-02-02", "confirm": "yes"}, headers=world["worker"])
    assert r.status_code == 422 and "Choose the household to merge into." in r.text and 'value="2024-02-02"' in r.text
    r = client.post(url, data={"into_id": str(world["h"]), "confirm": "yes"}, headers=world["worker"])
    assert r.status_code == 422 and "cannot merge into itself" in r.text
    # (another number than the chosen household's: the same number twice is one choice, not two)
    other = str(world["neighbour"] + 100_000)
    r = client.post(url, data={"into": str(world["neighbour"]), "into_id": other}, headers=world["worker"])
    assert r.status_code == 422 and "not both" in r.text and f'value="{world["neighbour"]}" checked' in r.text
    r = client.post(url, data={"into_id": "第五户"}, headers=world["worker"])
    assert r.status_code == 422 and "in digits" in r.text and 'value="第五户"' in r.text
    # A household outside the worker's grids reads like a missing one.
    r = client.post(url, data={"into_id": str(world["far"]), "confirm": "yes"}, headers=world["worker"])
    assert r.status_code == 404 and "does not exist" in r.text and 'name="into_id"' in r.text
    assert register_state(session) == before


def test_merge_choices_filter_by_address_or_head_and_skip_closed_households(session, world):
    worker = principal_for(None, "gw1", [("grid_worker", GRID)])
    choices, total = household_service.merge_choices(session, worker, world["h"])
    assert [c.id for c in choices] == [world["neighbour"]] and total == 1 and choices[0].head_name == "赵刚"
    assert household_service.merge_choices(session, worker, world["h"], "赵")[1] == 1
    assert household_service.merge_choices(session, worker, world["h"], "和平街")[1] == 1
    assert household_service.merge_choices(session, worker, world["h"], "%")[1] == 0  # no LIKE wildcards
    empty = make_household(session, GRID, address="空房1号")
    empty.status = "dissolved"
    session.flush()
    assert household_service.merge_choices(session, worker, world["h"], "空房")[1] == 0


# --- access -------------------------------------------------------------------------------------


def test_a_worker_of_another_grid_gets_404_and_changes_nothing(client, session, world):
    before = register_state(session)
    who = world["outsider"]
    assert client.get(f"/persons/{world['head']}/tags", headers=who).status_code == 404
    assert client.post(f"/persons/{world['head']}/tags", data={"tag": "disabled"}, headers=who).status_code == 404
    end = f"/persons/{world['head']}/tags/{world['veteran']}/end"
    assert client.post(end, headers=who).status_code == 404
    for page in ("split", "merge"):
        assert client.get(f"/households/{world['h']}/{page}", headers=who).status_code == 404
    data = {"person_ids": [str(world["child"])], "head": str(world["child"]), "register_type": "local"}
    assert client.post(f"/households/{world['h']}/split", data=data, headers=who).status_code == 404
    data = {"into_id": str(world["far"]), "confirm": "yes"}
    assert client.post(f"/households/{world['h']}/merge", data=data, headers=who).status_code == 404
    assert register_state(session) == before


def test_a_read_only_user_sees_no_forms_and_may_not_post(client, session, world):
    before = register_state(session)
    who = world["official"]
    household = client.get(f"/households/{world['h']}", headers=who)
    assert household.status_code == 200
    assert "/split" not in household.text and "/merge" not in household.text and "/tags" not in household.text
    page = client.get(f"/persons/{world['head']}/tags", headers=who)
    assert page.status_code == 200 and "Veteran" in page.text and 'method="post" action="/persons' not in page.text
    assert client.post(f"/persons/{world['head']}/tags", data={"tag": "disabled"}, headers=who).status_code == 403
    end = f"/persons/{world['head']}/tags/{world['veteran']}/end"
    assert client.post(end, headers=who).status_code == 403
    for page in ("split", "merge"):
        assert client.get(f"/households/{world['h']}/{page}", headers=who).status_code == 403
    data = {"person_ids": [str(world["child"])], "head": str(world["child"]), "register_type": "local"}
    assert client.post(f"/households/{world['h']}/split", data=data, headers=who).status_code == 403
    data = {"into_id": str(world["neighbour"]), "confirm": "yes"}
    assert client.post(f"/households/{world['h']}/merge", data=data, headers=who).status_code == 403
    assert register_state(session) == before


def test_a_signed_in_browser_must_send_the_csrf_token(client, session, world):
    from linli.authn.models import User
    from tests.factories import csrf_of, login

    assert login(client, "gw1", "Passw0rd-test").status_code == 303
    csrf = csrf_of(session, session.scalar(select(User).where(User.username == "gw1")))
    before = register_state(session)
    url = f"/persons/{world['head']}/tags"
    assert client.post(url, data={"tag": "disabled"}).status_code == 403
    data = {"person_ids": [str(world["child"])], "head": str(world["child"]), "register_type": "local"}
    assert client.post(f"/households/{world['h']}/split", data=data).status_code == 403
    data = {"into_id": str(world["neighbour"]), "confirm": "yes"}
    assert client.post(f"/households/{world['h']}/merge", data=data).status_code == 403
    assert register_state(session) == before
    page = client.get(url)
    assert f'name="csrf_token" value="{csrf}"' in page.text
    r = client.post(url, data={"tag": "disabled", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303


# --- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("en", ("Tags of 张伟", "Add a tag", "Split household", "Merge household", "Yes, merge household")),
        (None, ("张伟的标签", "添加标签", "分户", "合户", "确认将第")),
    ],
)
def test_pages_in_english_and_chinese(client, world, lang, texts):
    if lang is None:
        client.cookies.delete("linli_lang")  # pages default to Chinese
    who = world["worker"]
    pages = [
        client.get(f"/persons/{world['head']}/tags", headers=who),
        client.get(f"/persons/{world['head']}/tags", headers=who),
        client.get(f"/households/{world['h']}/split", headers=who),
        client.get(f"/households/{world['h']}/merge", headers=who),
        client.post(f"/households/{world['h']}/merge", data={"into": str(world["neighbour"])}, headers=who),
    ]
    for page, text in zip(pages, texts, strict=True):
        assert page.status_code == 200, page.text
        assert text in page.text, text
    if lang is None:
        assert "Add a tag" not in pages[0].text.split("<main")[1]
        r = client.post(f"/persons/{world['head']}/tags", data={"tag": "king"}, headers=who)
        assert "请从列表中选择标签。" in r.text
