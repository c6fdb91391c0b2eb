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
from tests.factories_residents import GRID, GRID_B, make_grids
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


def test_a_convention_page_offers_the_villages_held_meetings(client, session, world):
    from datetime import timedelta

    from linli.conventions import repository as conventions_repo
    from linli.conventions import service as conventions
    from linli.selfgov import repository as repo
    from linli.selfgov.schemas import MeetingIn
    from linli.selfgov.service import meetings
    from tests.factories_selfgov import adults

    adults(session, GRID_B, 2, women=1)
    today = conventions_repo.today()
    data = MeetingIn(area_code=VILLAGE_B, kind="villagers_meeting", title="村民会议LinkCase",
                     notice_on=today - timedelta(days=12), held_on=today)  # fmt: skip
    held = meetings.call(session, SYSTEM, data)
    meetings.sign_in(session, SYSTEM, held.id, [v.person_id for v in repo.voters(session, held.id)])
    meetings.close(session, SYSTEM, held.id)
    c = conventions.create(session, SYSTEM, VILLAGE_B, "村规民约LinkCase", "第一条 爱护公共设施。")
    (v,) = conventions_repo.versions_of(session, c.id)
    conventions.save_draft(session, SYSTEM, v.id, "第一条 爱护公共设施。")
    conventions.submit(session, SYSTEM, v.id)
    conventions.review(session, SYSTEM, v.id, "approve", "")
    session.commit()
    h = auth(world["tok"]) | EN
    page = client.get(f"/conventions/{c.id}", headers=h)
    assert "村民会议LinkCase" in page.text and "A meeting held before the platform" in page.text
    typed = {"body": "villagers_meeting", "adopted_on": today.isoformat(), "attendance_present": "9",
             "women_present": "4", "meeting_ref": "记录本第1页"}  # fmt: skip
    r = client.post(f"/conventions/versions/{v.id}/adopt", headers=h, data=typed)
    assert r.status_code == 422 and "choose the meeting" in r.text and 'value="记录本第1页"' in r.text
    r = client.post(f"/conventions/versions/{v.id}/adopt", headers=h, data={"meeting_id": str(held.id)})
    assert r.status_code in (200, 303)
    page = client.get(f"/conventions/{c.id}", headers=h)
    assert f'href="/selfgov/meetings/{held.id}"' in page.text and "2 present, of whom 1 women" in page.text
