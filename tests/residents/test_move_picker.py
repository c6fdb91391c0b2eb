"""Moving a person: the grid is chosen from a list of the grids in reach (found by name), never typed as a
code; a grid outside reach sent by hand answers 404 like a missing one."""

from __future__ import annotations

import pytest

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.residents.models import Person
from tests.factories import SYSTEM, auth, inside_point, square, token_for
from tests.factories_residents import GRID, GRID_B, GRID_C, make_staff


@pytest.fixture
def world(session, family, client):
    _, (_, _, child) = family
    lon, lat = inside_point(GRID_C[:6])
    grids.create_grid(session, SYSTEM, GRID_C, "幸福里网格", GridKind.residential, square(lon + 0.02, lat))
    staff = make_staff(session, "community", "worker")
    session.commit()
    client.cookies.set("linli_lang", "en")
    return {
        "child": child.id,
        "chief": auth(token_for(session, staff["community"])),
        "worker": auth(token_for(session, staff["worker"])),
    }


def test_the_grids_in_reach_are_listed_by_name(client, world):
    r = client.get(f"/persons/{world['child']}/move", headers=world["chief"])
    assert r.status_code == 200
    assert f'<option value="{GRID_C}">幸福里网格 · ' in r.text  # the grid and its community, by name
    assert f'value="{GRID}"' not in r.text  # where the person lives already
    assert f'value="{GRID_B}"' not in r.text  # another village: a transfer, not a move
    assert 'name="to_area_code" value=' not in r.text  # no typed code
    assert "/static/grid-picker.js" in r.text and 'data-filters="to_area_code"' in r.text
    # The name filter works without scripts: the list comes back narrowed.
    r = client.get(f"/persons/{world['child']}/move", params={"grid_q": "幸福里"}, headers=world["chief"])
    assert f'value="{GRID_C}"' in r.text and "1 grids listed" in r.text
    r = client.get(f"/persons/{world['child']}/move", params={"grid_q": "没有这个"}, headers=world["chief"])
    assert f'value="{GRID_C}"' not in r.text and "0 grids listed" in r.text
    # A grid worker of one grid has no other grid to move to.
    r = client.get(f"/persons/{world['child']}/move", headers=world["worker"])
    assert "0 grids listed" in r.text and "ask for a transfer" in r.text


def test_a_move_to_the_chosen_grid(client, session, world):
    r = client.post(
        f"/persons/{world['child']}/move",
        data={"kind": "grid", "to_area_code": GRID_C, "on": ""},
        headers=world["chief"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Person, world["child"]).area_code == GRID_C


def test_a_grid_out_of_reach_sent_by_hand_answers_404_and_keeps_the_form(client, session, world):
    r = client.post(
        f"/persons/{world['child']}/move",
        data={"kind": "grid", "to_area_code": GRID_B, "grid_q": "网格"},
        headers=world["chief"],
    )
    assert r.status_code == 404 and "does not exist or is outside your area" in r.text
    assert 'name="grid_q" value="网格"' in r.text
    r = client.post(f"/persons/{world['child']}/move", data={"kind": "grid"}, headers=world["chief"])
    assert r.status_code == 422 and "Choose the grid the person moves to." in r.text
    session.expire_all()
    assert session.get(Person, world["child"]).area_code == GRID
