"""The road chiefs' pages: the community's list with its forms (a refused appointment keeps what was typed),
the chief's own page with the open events and the patrol form, a patrol with a finding reported as an event."""

from __future__ import annotations

from linli.events.models import Event
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_chiefs import chiefs_world
from tests.factories_events import GRID, SIBLING_GRID


def test_the_community_appoints_and_the_chief_patrols_on_the_pages(session, client):
    w = chiefs_world(session)
    tok = {k: token_for(session, w["people"][k]) for k in ("community", "gridworker")}
    session.commit()
    cw = auth(tok["community"])
    page = client.get(f"/areas/{VILLAGE_A}/chiefs", headers=cw)
    assert page.status_code == 200 and "华阳街" in page.text and "任命街长/路长/巷长" in page.text
    refused = client.post(
        f"/areas/{VILLAGE_A}/chiefs", headers=cw,
        data={"level": "road", "name": "王五", "unit": "华阳社区", "grids": [GRID, SIBLING_GRID]},
    )  # fmt: skip
    assert refused.status_code == 422 and "不存在" in refused.text and 'value="王五"' in refused.text
    made = client.post(
        f"/areas/{VILLAGE_A}/chiefs",
        headers=cw,
        data={"level": "road", "username": "gw1", "grids": [GRID]},
        follow_redirects=False,
    )
    assert made.status_code == 303
    chief_url = made.headers["location"].split("?")[0]
    gw = auth(tok["gridworker"])
    mine = client.get(chief_url, headers=gw)
    assert mine.status_code == 200 and "记录巡查" in mine.text
    lon, lat = w["point"]
    data = {"road_id": str(w["road"].id), "findings": "井盖缺损", "category_code": "0103", "title": "井盖缺损",
            "lon": str(lon), "lat": "north"}  # fmt: skip
    bad = client.post(f"{chief_url}/patrols", headers=gw, data=data)
    assert bad.status_code == 422 and "north" in bad.text and "井盖缺损" in bad.text
    done = client.post(f"{chief_url}/patrols", headers=gw, data={**data, "lat": str(lat)}, follow_redirects=True)
    assert done.status_code == 200 and "已上报为事件" in done.text
    assert session.query(Event).filter(Event.source == "chief_patrol").count() == 1
