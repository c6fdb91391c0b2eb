"""A resident's account linked to their register entry: staff link and unlink (API and pages), every
refusal, the resident's own registration (API and page), the audit entries and the table itself."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from linli.audit.models import AuditEntry
from linli.authn.models import User
from linli.residents import pii
from linli.residents.models import AccountLink
from linli.residents.schemas import MoveOutIn
from linli.residents.service import history
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, token_for
from tests.factories_residents import (
    GRID,
    GRID_B,
    GRID_C,
    SIBLING_GRID,
    make_grids,
    make_household,
    make_person,
    make_staff,
)


@pytest.fixture
def grids(areas):
    make_grids(areas, SIBLING_GRID, GRID_C, load_areas=False)  # GRID_C: the community worker's, not the grid worker's


@pytest.fixture
def world(session, family, client):
    h, (head, spouse, child) = family
    lone = make_person(session, make_household(session, GRID, address="和平街8号"), name="赵刚", phone="13900001111")
    far = make_person(session, make_household(session, GRID_B, address="远方路9号"), name="王远")
    users = {
        **make_staff(session, "worker", "community"),
        "sibling": make_user(session, "gw_sib", "grid_worker", SIBLING_GRID),
        "grid_c": make_user(session, "gw_c", "grid_worker", GRID_C),
        **make_staff(session, "official"),
        "res": make_user(session, "res1", "resident", GRID),
        "res2": make_user(session, "res2", "resident", GRID),
        "res_far": make_user(session, "res_far", "resident", GRID_B),
        "res_village": make_user(session, "res_village", "resident", VILLAGE_A),
        "staff": make_user(session, "gw_other", "grid_worker", GRID),
        "nobody": make_user(session, "norole", None, GRID),
    }
    tokens = {k: auth(token_for(session, u)) for k, u in users.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return {
        "h": h.id,
        "head": head.id,
        "spouse": spouse.id,
        "child": child.id,
        "lone": lone.id,
        "far": far.id,
        "users": users,
        **tokens,
    }


def link(client, w, person, username, who="worker"):
    return client.put(f"/api/v1/persons/{w[person]}/account", json={"username": username}, headers=w[who])


def links(session) -> list[tuple[int, int]]:
    session.expire_all()
    return list(session.execute(select(AccountLink.user_id, AccountLink.person_id).order_by(AccountLink.user_id)))


def audit_rows(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


# --- the table ----------------------------------------------------------------------------------


def test_the_migration_made_a_table_with_both_sides_unique(session, world):
    insp = inspect(session.connection())
    assert "person_accounts" in insp.get_table_names()
    columns = {c["name"] for c in insp.get_columns("person_accounts")}
    assert columns == {"user_id", "person_id", "linked_at", "linked_by"}
    assert insp.get_pk_constraint("person_accounts")["constrained_columns"] == ["user_id"]
    uniques = [u["column_names"] for u in insp.get_unique_constraints("person_accounts")]
    assert ["person_id"] in uniques
    fks = {(f["constrained_columns"][0], f["referred_table"]) for f in insp.get_foreign_keys("person_accounts")}
    assert fks == {("user_id", "users"), ("person_id", "persons")}
    version = session.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    from alembic.script import ScriptDirectory

    from linli.db.migrate import alembic_config

    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()  # 0008 or a later one
    session.add(AccountLink(user_id=world["users"]["res"].id, person_id=world["head"], linked_by="t"))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(AccountLink(user_id=world["users"]["res2"].id, person_id=world["head"], linked_by="t"))
        session.flush()


# --- staff link and unlink through the API ------------------------------------------------------


def test_link_and_unlink_through_the_api(client, session, world):
    r = link(client, world, "head", "res1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["person_id"], body["username"], body["linked_by"]) == (world["head"], "res1", "gw1")
    assert links(session) == [(world["users"]["res"].id, world["head"])]
    # Linking again the same way changes nothing and writes nothing.
    assert link(client, world, "head", "res1").status_code == 200
    assert len(audit_rows(session, "persons.account_link")) == 1
    r = client.get(f"/api/v1/persons/{world['head']}/account", headers=world["worker"])
    assert r.status_code == 200 and r.json()["username"] == "res1"

    r = client.delete(f"/api/v1/persons/{world['head']}/account", headers=world["worker"])
    assert r.status_code == 204, r.text
    assert links(session) == []
    r = client.delete(f"/api/v1/persons/{world['head']}/account", headers=world["worker"])
    assert r.status_code == 404 and "not linked" in r.json()["error"]["message"]
    assert client.get(f"/api/v1/persons/{world['head']}/account", headers=world["worker"]).status_code == 404


def test_audit_entries_name_the_account_and_never_an_id_number(client, session, world):
    assert link(client, world, "head", "res1").status_code == 200
    assert client.delete(f"/api/v1/persons/{world['head']}/account", headers=world["worker"]).status_code == 204
    session.expire_all()
    (made,) = audit_rows(session, "persons.account_link")
    (undone,) = audit_rows(session, "persons.account_unlink")
    assert (made.entity_type, made.entity_id, made.actor) == ("person", str(world["head"]), "gw1")
    assert '"username": "res1"' in made.after and made.before is None
    assert '"username": "res1"' in undone.before and '"by": "staff"' in undone.after
    clear_ids = [pii.open_id(enc, reveal=True) for enc in _id_encs(session)]
    for entry in (made, undone):
        text = f"{entry.before} {entry.after}"
        assert not any(number in text for number in clear_ids)
        assert "13812345678" not in text


def _id_encs(session):
    from linli.residents.models import Person

    return list(session.scalars(select(Person.id_number_enc)))


def test_a_grid_worker_links_an_account_of_the_persons_community(client, session, world):
    # A grid worker's reach is the grid, but a resident's account usually has the community as its
    # home: the grid worker may link it to a person of the grid (and only of the grid).
    r = link(client, world, "head", "res_village")
    assert r.status_code == 200, r.text
    assert client.delete(f"/api/v1/persons/{world['head']}/account", headers=world["worker"]).status_code == 204
    # The worker of another grid of the same community: the community's account, but not this person.
    r = link(client, world, "head", "res_village", who="grid_c")
    assert r.status_code == 404
    r = link(client, world, "head", "res_village", who="community")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("person", "username", "who", "status", "words"),
    [
        ("head", "gw_other", "worker", 422, "account gw_other is a staff account;"),
        ("head", "cw1", "community", 422, "is a staff account"),
        ("head", "norole", "worker", 422, "has no resident role"),
        ("head", "no_such_user", "worker", 404, "account no_such_user does not exist"),
        ("head", "res_far", "worker", 404, "account res_far does not exist"),
        ("head", "  ", "worker", 422, "give the user name"),
        ("far", "res1", "worker", 404, "does not exist"),
        ("head", "res1", "sibling", 404, "does not exist"),
        ("head", "res1", "official", 403, "residents.write"),
        ("head", "res1", "res", 403, "residents.write"),
    ],
)
def test_refusals_change_nothing(client, session, world, person, username, who, status, words):
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    r = link(client, world, person, username, who=who)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]["message"]
    assert links(session) == []
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_an_unknown_and_an_out_of_reach_account_answer_alike(client, world):
    far = link(client, world, "head", "res_far").json()["error"]
    missing = link(client, world, "head", "res_nope").json()["error"]
    assert far["code"] == missing["code"] == "not_found"
    assert far["message"].replace("res_far", "X") == missing["message"].replace("res_nope", "X")


def test_a_disabled_account_is_refused(client, session, world):
    session.get(User, world["users"]["res"].id).is_active = False
    session.commit()
    r = link(client, world, "head", "res1")
    assert r.status_code == 422 and "res1 is disabled" in r.json()["error"]["message"]
    assert links(session) == []


def test_dead_and_moved_away_persons_are_refused(client, session, world):
    history.record_death(session, SYSTEM, world["child"], date(2024, 1, 5))
    history.move_away(session, SYSTEM, world["spouse"], MoveOutIn(destination="外省"))
    session.commit()
    r = link(client, world, "child", "res1")
    assert r.status_code == 422 and "is deceased" in r.json()["error"]["message"]
    r = link(client, world, "spouse", "res1")
    assert r.status_code == 422 and "is moved out" in r.json()["error"]["message"]
    assert links(session) == []


def test_already_linked_either_way_is_a_conflict(client, session, world):
    assert link(client, world, "head", "res1").status_code == 200
    r = link(client, world, "head", "res2")
    assert r.status_code == 409
    assert r.json()["error"]["message"] == f"person {world['head']} is already linked to account res1; unlink it first"
    r = link(client, world, "lone", "res1")
    assert r.status_code == 409
    message = r.json()["error"]["message"]
    assert message == f"account res1 is already linked to person {world['head']}; unlink it there first"
    assert links(session) == [(world["users"]["res"].id, world["head"])]


def test_a_conflict_does_not_name_what_lies_outside_ones_reach(client, session, world):
    # Linked by the community worker to a person of another grid: the grid worker is told no more.
    far_person = make_person(session, make_household(session, GRID_C, address="别处1号"), name="钱多")
    session.commit()
    r = client.put(f"/api/v1/persons/{far_person.id}/account", json={"username": "res1"}, headers=world["community"])
    assert r.status_code == 200
    r = link(client, world, "head", "res1")
    assert r.status_code == 409
    message = r.json()["error"]["message"]
    assert "another register entry" in message and str(far_person.id) not in message and "钱多" not in message


def test_unlinking_needs_write_permission_there(client, session, world):
    assert link(client, world, "head", "res1").status_code == 200
    for who, status in (("official", 403), ("sibling", 404), ("res2", 403)):
        r = client.delete(f"/api/v1/persons/{world['head']}/account", headers=world[who])
        assert r.status_code == status, (who, r.text)
    assert len(links(session)) == 1


# --- the resident's own registration -------------------------------------------------------------


def _others_numbers(session, world) -> list[str]:
    """Clear and masked ID and phone numbers of everyone but the spouse (the linked resident here)."""
    from linli.residents.models import Person

    out = []
    for pid in (world["head"], world["child"], world["lone"]):
        p = session.get(Person, pid)
        out += [pii.open_id(p.id_number_enc, reveal=True), pii.open_id(p.id_number_enc, reveal=False)]
        if p.phone_enc:
            out += [pii.open_phone(p.phone_enc, reveal=True), pii.open_phone(p.phone_enc, reveal=False)]
    return out


def test_my_registration_through_the_api(client, session, world):
    r = client.get("/api/v1/me/registration", headers=world["res"])
    assert r.status_code == 404
    assert "not linked" in r.json()["error"]["message"] and "identity card" in r.json()["error"]["message"]
    assert link(client, world, "spouse", "res1").status_code == 200
    r = client.get("/api/v1/me/registration", headers=world["res"])
    assert r.status_code == 200, r.text
    mine = r.json()
    me = mine["person"]
    assert me["name"] == "李娜" and me["revealed"] is False and "*" in me["id_number"]
    assert mine["household"]["address"] == "幸福路1号" and mine["household"]["head_name"] == "张伟"
    assert [(m["name"], m["relation"], m["is_you"]) for m in mine["household"]["members"]] == [
        ("张伟", "head", False),
        ("李娜", "spouse", True),
        ("张小明", "child", False),
    ]
    assert set(mine["household"]["members"][0]) == {"name", "relation", "is_you"}
    assert mine["grid_name"] == "网格1"
    text = r.text
    for number in _others_numbers(session, world):
        assert number not in text
    assert "1970-03-01" not in text and "2015-01-20" not in text  # the others' birth dates
    # Another resident is not linked: 404, and nothing of this entry.
    r = client.get("/api/v1/me/registration", headers=world["res2"])
    assert r.status_code == 404 and "李娜" not in r.text


def test_own_tags_are_the_current_ones_only(client, session, world):
    assert link(client, world, "head", "res1").status_code == 200
    r = client.post(
        f"/api/v1/persons/{world['head']}/tags",
        json={"tag": "disabled", "start_on": "2020-01-01", "end_on": "2021-01-01"},
        headers=world["worker"],
    )
    assert r.status_code == 201
    tags = client.get("/api/v1/me/registration", headers=world["res"]).json()["person"]["tags"]
    assert [tg["tag"] for tg in tags] == ["veteran"]


def test_the_resident_unlinks_themself_through_the_api(client, session, world):
    assert client.delete("/api/v1/me/registration", headers=world["res"]).status_code == 404
    assert link(client, world, "head", "res1").status_code == 200
    # A resident cannot unlink someone else's link, nor use the staff route on their own person.
    assert client.delete("/api/v1/me/registration", headers=world["res2"]).status_code == 404
    assert client.delete(f"/api/v1/persons/{world['head']}/account", headers=world["res"]).status_code == 403
    assert client.delete("/api/v1/me/registration", headers=world["res"]).status_code == 204
    assert links(session) == []
    session.expire_all()
    (undone,) = audit_rows(session, "persons.account_unlink")
    assert undone.actor == "res1" and '"by": "the resident"' in undone.after


def test_my_registration_page(client, session, world):
    r = client.get("/account/registration", headers=world["res"])
    assert r.status_code == 200
    assert "not linked to an entry in the residents register yet" in r.text
    assert "Bring your identity card" in r.text and "res1" in r.text
    assert 'role="status"' in r.text
    assert link(client, world, "spouse", "res1").status_code == 200
    r = client.get("/account/registration", headers=world["res"])
    assert r.status_code == 200
    assert "<h1>My registration</h1>" in r.text and "李娜" in r.text and "张小明" in r.text
    assert "Your household" in r.text and "幸福路1号" in r.text and "(you)" in r.text
    from linli.residents.models import Person

    own = session.get(Person, world["spouse"])
    assert pii.open_id(own.id_number_enc, reveal=False) in r.text
    assert pii.open_id(own.id_number_enc, reveal=True) not in r.text
    for number in _others_numbers(session, world):
        assert number not in r.text
    assert "1970-03-01" not in r.text


def test_the_resident_unlinks_themself_on_the_page_after_confirming(client, session, world):
    assert link(client, world, "head", "res1").status_code == 200
    r = client.post("/account/registration/unlink", data={}, headers=world["res"])
    assert r.status_code == 200 and "Do you really want to unlink your account?" in r.text
    assert len(links(session)) == 1
    r = client.post("/account/registration/unlink", data={"confirm": "yes"}, headers=world["res"])
    assert r.status_code == 200 and "no longer linked" in r.text
    assert links(session) == []


def test_the_menu_offers_my_registration_to_residents(client, world):
    r = client.get("/account/password", headers=world["res"])
    assert 'href="/account/registration"' in r.text
    r = client.get("/account/password", headers=world["worker"])
    assert 'href="/account/registration"' not in r.text


# --- staff pages ---------------------------------------------------------------------------------


def test_link_and_unlink_on_the_pages(client, session, world):
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert f'href="/persons/{world["head"]}/account"' in page.text and "Link an account for 张伟" in page.text
    form = client.get(f"/persons/{world['head']}/account", headers=world["worker"])
    assert form.status_code == 200 and "identity card" in form.text and 'for="username"' in form.text
    r = client.post(
        f"/persons/{world['head']}/account", data={"username": "res1"}, headers=world["worker"], follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/households/{world['h']}?account=linked")
    page = client.get(r.headers["location"], headers=world["worker"])
    assert "Account: res1" in page.text and "The account was linked." in page.text
    assert f'action="/persons/{world["head"]}/account/unlink"' in page.text
    # A reader without write permission sees no account and no form.
    assert "Account: res1" not in client.get(f"/households/{world['h']}", headers=world["official"]).text
    r = client.post(f"/persons/{world['head']}/account/unlink", headers=world["worker"], follow_redirects=False)
    assert r.status_code == 303 and "account=unlinked" in r.headers["location"]
    assert links(session) == []
    # Both are in the household's history, without the account's name (the audit log has it).
    history_page = client.get(f"/households/{world['h']}", headers=world["official"]).text
    assert "Account linked" in history_page and "Account unlinked" in history_page
    assert "res1" not in history_page


def test_a_refused_link_is_shown_on_the_form_with_the_name_kept(client, session, world):
    r = client.post(f"/persons/{world['head']}/account", data={"username": "gw_other"}, headers=world["worker"])
    assert r.status_code == 422
    assert "Nothing was saved" in r.text and "staff account" in r.text
    assert 'value="gw_other"' in r.text and 'aria-invalid="true"' in r.text
    assert link(client, world, "head", "res1").status_code == 200
    r = client.post(f"/persons/{world['lone']}/account", data={"username": "res1"}, headers=world["worker"])
    assert r.status_code == 409 and "unlink it there first" in r.text and 'value="res1"' in r.text
    assert links(session) == [(world["users"]["res"].id, world["head"])]


def test_the_staff_pages_keep_their_scope(client, world):
    assert client.get(f"/persons/{world['head']}/account", headers=world["sibling"]).status_code == 404
    assert client.get(f"/persons/{world['head']}/account", headers=world["official"]).status_code == 403
    r = client.post(f"/persons/{world['far']}/account", data={"username": "res1"}, headers=world["worker"])
    assert r.status_code == 404


# --- the demo --------------------------------------------------------------------------------------


def test_the_demo_links_the_demo_resident_once(session, world):
    from linli.accounts.demo import DEMO_GRID, link_demo_resident

    assert DEMO_GRID == GRID
    user = make_user(session, "resident", "resident", VILLAGE_A)
    link_demo_resident(session, SYSTEM)
    assert links(session) == [(user.id, world["head"])]
    link_demo_resident(session, SYSTEM)
    assert links(session) == [(user.id, world["head"])]


def test_an_accounts_page_shows_its_register_entry_as_far_as_the_reader_may_see(client, session, world):
    from linli.kit import codes
    from linli.residents.models import Person

    res_id = world["users"]["res"].id
    assert "not linked" in client.get(f"/admin/users/{res_id}", headers=world["official"]).text
    assert link(client, world, "head", "res1").status_code == 200
    page = client.get(f"/admin/users/{res_id}", headers=world["official"]).text
    assert f'href="/households/{world["h"]}#person-{world["head"]}">张伟</a>' in page
    # The person moves beyond the official's areas (as after a transfer): the account page says it is
    # linked, and no more.
    session.get(Person, world["head"]).area_code = codes.pad(SIBLING_GRID)
    session.commit()
    page = client.get(f"/admin/users/{res_id}", headers=world["official"]).text
    assert "linked to an entry outside your areas" in page and "张伟" not in page
