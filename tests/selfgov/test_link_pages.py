"""The links on the pages: the matter page's "disclose the resolution" writes the item on the village's board
and leads to it, the item links back to the matter; a bad item number is refused with the form kept."""

from __future__ import annotations

from datetime import date

import pytest

from linli.disclosure.schemas import ItemIn
from linli.disclosure.service import create_item
from linli.selfgov.schemas import MatterIn
from linli.selfgov.service import matters
from tests.factories import SYSTEM, auth, make_user, principal, token_for
from tests.factories_residents import GRID, make_grids
from tests.factories_selfgov import VILLAGE_B, make_village

EN = {"Cookie": "linli_lang=en"}


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    user = make_user(session, "lp_clerk", "community_worker", VILLAGE_B)
    clerk = principal(user, ("community_worker", VILLAGE_B))
    m = matters.propose(
        session, clerk, MatterIn(area_code=VILLAGE_B, title="村道LinkCase", proposed_on=date(2026, 2, 1))
    )
    m.step = 5  # ⑥: the result (its prefill needs no deciding meeting)
    other = ItemIn(area_code=GRID[:12], kind="implementation", title="别村", body="x", occurred_on=date(2026, 3, 1))
    foreign = create_item(session, SYSTEM, other, on=date(2026, 3, 1))
    tok = token_for(session, user)
    session.commit()
    return {"tok": tok, "matter": m.id, "foreign": foreign.id}


def test_disclose_from_the_matter_page_and_back(client, world):
    h = auth(world["tok"]) | EN
    url = f"/selfgov/matters/{world['matter']}"
    page = client.get(url, headers=h)
    assert page.status_code == 200 and "Disclose the implementation result" in page.text
    r = client.post(
        f"{url}/steps/5/disclose", headers=h, data={"item_id": str(world["foreign"]), "occurred_on": "2026-03-02"}
    )
    assert r.status_code in (404, 422) and 'value="2026-03-02"' in r.text  # another board's item: refused, form kept
    r = client.post(f"{url}/steps/5/disclose", headers=h, data={"occurred_on": "2026-03-02"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/disclosure/items/")
    item = client.get(r.headers["location"], headers=h)
    assert f'href="{url}"' in item.text and "Implementation result: 村道LinkCase" in item.text
    page = client.get(url, headers=h)
    assert "draft, not yet published" in page.text and r.headers["location"] in page.text
