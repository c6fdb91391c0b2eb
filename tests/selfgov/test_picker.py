"""The seat form's person picker: a name searched in the village's own register lists its persons by name,
masked ID number and grid (never the full number, never another place's people); the form posts the one
picked or a typed register number; bad input is refused with the search and the form kept."""

from __future__ import annotations

import pytest

from linli.residents import pii
from linli.selfgov import repository as repo
from tests.factories import auth, make_user, token_for
from tests.factories_residents import GRID, GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    users = {
        "clerk": make_user(session, "pk_clerk", "community_worker", VILLAGE_B),
        "resident": make_user(session, "pk_res", "resident", GRID_B),
    }
    mine = adults(session, GRID_B, 3, women=1)  # 李… (a woman), 王…, 王…
    theirs = adults(session, GRID, 2)  # 王… of the next community
    tokens = {k: token_for(session, u) for k, u in users.items()}
    session.commit()
    return {"tokens": tokens, "mine": mine, "theirs": theirs}


def page(client, tok, **params):
    return client.get(f"/areas/{VILLAGE_B}/selfgov", params=params, headers=auth(tok))


def test_a_name_lists_the_village_s_persons_masked(client, world):
    tok = world["tokens"]["clerk"]
    r = page(client, tok, who="王")
    assert r.status_code == 200
    for p in world["mine"][1:]:
        full = pii.open_id(p.id_number_enc, reveal=True)
        assert p.name in r.text and f'value="{p.id}"' in r.text
        assert full not in r.text and pii.open_id(p.id_number_enc, reveal=False) in r.text
    for p in world["theirs"]:  # the next community's 王 are not this village's
        assert p.name not in r.text
    assert world["mine"][0].name not in r.text  # 李: not matched
    r = page(client, tok, who="赵")
    assert "No one in the register" in r.text or "没有此姓名" in r.text


def test_bad_searches_are_refused_and_kept(client, world):
    tok = world["tokens"]["clerk"]
    r = page(client, tok, who="王" * 51)
    assert r.status_code == 422 and ("at most 50" in r.text or "最多 50" in r.text)
    assert 'value="' + "王" * 51 + '"' in r.text  # what was typed stays in the field
    r = page(client, tok, who="   ")
    assert r.status_code == 200  # nothing typed: no search, no list
    r = page(client, world["tokens"]["resident"], who="王")
    assert r.status_code == 200 and world["mine"][1].name not in r.text  # readers get no picker


def test_the_picked_person_is_seated_and_bad_posts_keep_the_list(client, session, world):
    tok = world["tokens"]["clerk"]
    url = f"/areas/{VILLAGE_B}/selfgov/members"
    base = {"body": "villagers_committee", "post": "member", "term_from": "2021-01-01", "who": "王"}
    picked = world["mine"][1]
    r = client.post(url, data=base, headers=auth(tok), follow_redirects=False)
    assert r.status_code == 422 and picked.name in r.text  # none chosen: refused, the list shown again
    assert "choose the person" in r.text or "请从查找结果中选择" in r.text
    r = client.post(url, data={**base, "person_number": "12ab"}, headers=auth(tok), follow_redirects=False)
    assert r.status_code == 422 and 'value="12ab"' in r.text
    r = client.post(url, data={**base, "person_number": str(world["theirs"][0].id)}, headers=auth(tok),
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 422 and ("not in the register" in r.text or "人口登记" in r.text)
    r = client.post(url, data={**base, "person_id": str(picked.id)}, headers=auth(tok), follow_redirects=False)
    assert r.status_code == 303, r.text
    typed = {**base, "body": "party_committee", "post": "secretary", "person_number": str(world["mine"][2].id)}
    r = client.post(url, data=typed, headers=auth(tok), follow_redirects=False)
    assert r.status_code == 303, r.text
    session.expire_all()
    assert sorted(m.person_id for m in repo.members_of(session, VILLAGE_B)) == sorted([picked.id, world["mine"][2].id])
