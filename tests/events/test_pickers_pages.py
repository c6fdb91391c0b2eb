"""Pickers instead of typed ids on the event page (the unit to dispatch to, the event to merge into), the
verification queue, and the open reports a reporter sees near the point before filing ("me too")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from linli.authz.permissions import Permission
from linli.events.models import Event, HandlingUnit, MeToo, UnitArea
from linli.kit import codes
from linli.kit.time import utcnow
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_events import GRID, as_principal, events_world, report, step


@pytest.fixture
def world(session, client):
    w = events_world(session)
    people = w["people"]
    resident = as_principal(session, people["resident"])
    community = as_principal(session, people["community"])
    lon, lat = w["point"]
    ev = report(session, resident, (lon, lat), title="PickerEvent")
    step(session, community, ev.id, "register")
    # Units: one of the street (serves the place), one of another community of the street (does not), one of
    # another county listed as serving the street, and one of another county that serves nothing here.
    town = HandlingUnit(name="一街城管中队", kind="street_department", area_code=codes.pad("220102001"), active=True)
    beside = HandlingUnit(name="二社区物业", kind="property_company", area_code=codes.pad("220102001002"), active=True)
    listed = HandlingUnit(name="朝阳区水务局", kind="county_department", area_code=codes.pad("220103"), active=True)
    far = HandlingUnit(name="朝阳区园林局", kind="county_department", area_code=codes.pad("220103"), active=True)
    session.add_all([town, beside, listed, far])
    session.flush()
    session.add(UnitArea(unit_id=listed.id, area_code=codes.pad("220102001")))
    # Near the event: an open one of the same category 30 m away, one of another category 10 m away, one
    # closed, one 5 km away; and one in the sibling county.
    same = report(session, resident, (lon + 0.0003, lat), title="SameCategoryNear")
    other = report(session, resident, (lon, lat + 0.0001), category="0101", title="OtherCategoryNear")
    kin = report(session, resident, (lon, lat + 0.00015), category="0302", title="SameFamilyNear")
    gone = report(session, resident, (lon + 0.0002, lat), title="RejectedNear")
    step(session, community, gone.id, "reject", reason="不属实")
    session.flush()
    w.update(ev=ev.id, town=town, beside=beside, listed=listed, far=far, same=same.id, other=other.id, kin=kin.id)
    w["gone"] = gone.id
    w["h"] = {k: auth(token_for(session, u)) for k, u in people.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def _dispatch_form(html: str) -> str:
    return re.search(r'<form[^>]*id="step-dispatch".*?</form>', html, re.S).group(0)


def test_the_dispatch_form_offers_the_units_serving_the_place_by_area(client, world):
    r = client.get(f"/events/{world['ev']}", headers=world["h"]["community"])
    assert r.status_code == 200, r.text
    form = _dispatch_form(r.text)
    assert 'name="unit_id" inputmode="numeric"' not in form  # no typed id
    for u in (world["unit"], world["town"], world["listed"]):
        assert f'name="unit_id" value="{u.id}"' in form and u.name in form
    for u in (world["beside"], world["far"]):  # not serving the place; out of reach
        assert f'value="{u.id}"' not in form
    # Grouped by the area each unit sits at, by name (the code in a tooltip), the county first.
    legends = re.findall(r'<legend><span title="(\d+)">([^<]+)</span></legend>', form)
    assert [c for c, _ in legends] == ["220102", "220103", "220102001"]
    assert all(name != code for code, name in legends)
    # The routed unit is chosen already.
    ev_unit = re.search(r'value="(\d+)" checked', form)
    assert ev_unit is not None


def test_the_unit_search_filters_on_the_server(client, world):
    r = client.get(f"/events/{world['ev']}", params={"unit_q": "城管"}, headers=world["h"]["community"])
    form = _dispatch_form(r.text)
    assert f'value="{world["town"].id}"' in form and f'value="{world["listed"].id}"' not in form
    assert 'form="unit-search"' in form and 'id="unit-search"' in r.text
    r = client.get(f"/events/{world['ev']}", params={"unit_q": "没有这个单位"}, headers=world["h"]["community"])
    assert 'name="unit_id"' not in _dispatch_form(r.text) and "No unit serving this place" in r.text


def test_dispatching_with_the_picker_and_a_unit_out_of_reach_sent_by_hand(client, session, world):
    url, h = f"/events/{world['ev']}/step", world["h"]["community"]
    r = client.post(url, data={"action": "dispatch", "unit_id": str(world["far"].id)}, headers=h)
    assert r.status_code == 404 and "does not exist" in r.text
    r = client.post(url, data={"action": "dispatch", "unit_id": "987654"}, headers=h)
    assert r.status_code == 404
    api = f"/api/v1/events/{world['ev']}/transitions"  # the API answers alike
    r = client.post(api, json={"action": "dispatch", "unit_id": world["far"].id}, headers=h)
    assert r.status_code == 404 and "does not exist" in r.json()["error"]["message"]
    # Another community's unit: out of the community worker's reach (404); in the street official's reach
    # but not serving the place (422, with the reason).
    beside = {"action": "dispatch", "unit_id": str(world["beside"].id)}
    assert client.post(url, data=beside, headers=h).status_code == 404
    r = client.post(url, data=beside, headers=world["h"]["street"])
    assert r.status_code == 422 and "does not serve the place" in r.text
    session.expire_all()
    assert session.get(Event, world["ev"]).state == "registered"
    chosen = {"action": "dispatch", "unit_id": str(world["listed"].id)}
    r = client.post(url, data=chosen, headers=h, follow_redirects=False)
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Event, world["ev"]).unit_id == world["listed"].id


def test_the_merge_form_lists_open_events_nearby_same_category_first(client, session, world):
    r = client.get(f"/events/{world['ev']}", headers=world["h"]["community"])
    form = re.search(r'<form[^>]*id="step-merge".*?</form>', r.text, re.S).group(0)
    assert 'name="into_id" inputmode' not in form
    offered = [int(i) for i in re.findall(r'name="into_id" value="(\d+)"', form)]
    # The same category first, then its 大类 (03), then the rest, though nearer; not the rejected one, not itself.
    assert offered == [world["same"], world["kin"], world["other"]]
    assert re.search(r"SameCategoryNear\s*<span class=\"meta\">2\d m · ", form), form
    r = client.post(
        f"/events/{world['ev']}/step",
        data={"action": "merge", "into_id": str(world["same"])},
        headers=world["h"]["community"],
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Event, world["ev"]).merged_into_id == world["same"]


def test_merging_into_an_event_out_of_scope_is_404(client, session, world):
    sibling = report(session, as_principal(session, world["people"]["sibling"]), world["sibling_point"], title="Far")
    session.commit()
    r = client.post(
        f"/events/{world['ev']}/step",
        data={"action": "merge", "into_id": str(sibling.id)},
        headers=world["h"]["community"],
    )
    assert r.status_code == 404 and 'name="into_id"' in r.text


def test_verification_queue_oldest_deadline_first_and_linked_from_the_workbench(client, session, world):
    community = as_principal(session, world["people"]["community"])
    handler = as_principal(session, world["people"]["handler"])
    lon, lat = world["point"]
    ids = []
    for i in range(3):
        e = report(session, community, (lon + i * 0.00005, lat), title=f"ToVerify{i}")
        step(session, community, e.id, "register")
        step(session, community, e.id, "dispatch", unit_id=world["unit"].id)
        step(session, handler, e.id, "accept")
        step(session, handler, e.id, "handle", report="已清理")
        ids.append(e.id)
    session.get(Event, ids[2]).stage_deadline = utcnow() - timedelta(hours=5)  # overdue: first
    session.get(Event, ids[0]).stage_deadline = utcnow() + timedelta(days=3)  # last
    session.commit()
    h = world["h"]["gridworker"]
    r = client.get(f"/areas/{GRID}/events/verify", headers=h)
    assert r.status_code == 200, r.text
    order = [int(i) for i in re.findall(r'<li[^>]*>\s*<a href="/events/(\d+)#step-verify"', r.text)]
    assert order == [ids[2], ids[1], ids[0]]
    assert "overdue" in r.text and 'class="late"' in r.text
    page = client.get(f"/events/{ids[2]}", headers=h)
    assert 'id="step-verify"' in page.text
    home = client.get("/", headers=h)
    assert f'href="/areas/{GRID}/events/verify"' in home.text
    # Out of the verifier's scope: 404; without events.verify: 403 in scope.
    assert client.get("/areas/220103/events/verify", headers=world["h"]["county"]).status_code == 404
    assert client.get(f"/areas/{GRID}/events/verify", headers=world["h"]["handler"]).status_code == 403


def test_a_resident_sees_open_reports_near_the_point_with_me_too(client, session, world):
    lon, lat = world["point"]
    people = world["people"]
    # The neighbour's report has a phone number in its title: another resident sees it masked.
    mine = report(session, as_principal(session, people["neighbour"]), (lon, lat), title="垃圾堆 13812345678")
    session.commit()
    h = world["h"]["resident"]
    url = f"/areas/{VILLAGE_A}/events/nearby"
    r = client.get(url, params={"lon": lon, "lat": lat, "category_code": "0101"}, headers=h)
    assert r.status_code == 200, r.text
    ids = [int(i) for i in re.findall(r'<li id="nearby-(\d+)"', r.text)]
    assert ids[0] == world["other"]  # the chosen category first
    assert set(ids) == {world["other"], world["same"], world["kin"], world["ev"], mine.id}  # not the rejected one
    assert "13812345678" not in r.text and "138****5678" in r.text
    assert people["neighbour"].username not in r.text and "resident2" not in r.text
    assert f'action="/events/{mine.id}/me-too"' in r.text  # another's report: me too
    assert f'action="/events/{world["ev"]}/me-too"' not in r.text and "Your report" in r.text
    assert 'id="nearby-seen"' in r.text and 'hx-swap-oob="true"' in r.text
    # Far from every report: nothing; no point yet: the hint.
    r = client.get(url, params={"lon": lon + 0.05, "lat": lat, "category_code": "0301"}, headers=h)
    assert 'id="nearby-none"' in r.text
    assert 'id="nearby-hint"' in client.get(url, headers=h).text
    # "Me too" instead of a duplicate.
    r = client.post(f"/events/{mine.id}/me-too", headers=h, follow_redirects=False)
    assert r.status_code == 303
    said = session.scalar(select(MeToo.id).where(MeToo.event_id == mine.id, MeToo.user_id == people["resident"].id))
    assert said is not None
    r = client.get(url, params={"lon": lon, "lat": lat}, headers=h)
    assert "You said “me too”" in r.text and f'action="/events/{mine.id}/me-too"' not in r.text


def test_nearby_reports_stay_in_the_readers_scope(client, session, world):
    slon, slat = world["sibling_point"]
    report(session, as_principal(session, world["people"]["sibling"]), (slon, slat), title="SiblingNear")
    session.commit()
    h = world["h"]["resident"]
    r = client.get(f"/areas/{VILLAGE_A}/events/nearby", params={"lon": slon, "lat": slat}, headers=h)
    assert r.status_code == 200 and "SiblingNear" not in r.text
    r = client.get("/areas/220103002001/events/nearby", params={"lon": slon, "lat": slat}, headers=h)
    assert r.status_code == 404


def test_the_report_step_keeps_the_photo(client, session, world):
    from tests.factories_events import image_bytes

    lon, lat = world["point"]
    url = f"/areas/{VILLAGE_A}/events/new"
    h = world["h"]["neighbour"]
    form = {"category_code": "0301", "title": "WithPhoto", "lon": str(lon), "lat": str(lat)}
    r = client.post(url, data=form, files={"photo": ("p.jpg", image_bytes(), "image/jpeg")}, headers=h)
    assert r.status_code == 200 and 'id="nearby-step"' in r.text and 'id="photo-kept"' in r.text
    photo_id = re.search(r'name="photo_id" value="(\d+)"', r.text).group(1)
    seen = re.search(r'name="nearby_seen" value="([^"]+)"', r.text).group(1)
    data = form | {"photo_id": photo_id, "nearby_seen": seen}
    r = client.post(url, data=data, headers=h, follow_redirects=False)
    assert r.status_code == 303, r.text
    event = session.scalar(select(Event).where(Event.title == "WithPhoto"))
    assert event is not None and f"/events/{event.id}" in r.headers["location"]
    assert client.get(f"/api/v1/events/{event.id}", headers=h).json()["photos"]


def test_a_unit_listed_for_an_area_is_in_reach_through_that_area(session, world):
    from linli.events.repository import pickers

    scope = as_principal(session, world["people"]["community"]).scope(Permission.events_manage)
    assert pickers.unit_in_reach(session, scope, world["listed"].id) is not None
    assert pickers.unit_in_reach(session, scope, world["far"].id) is None


def test_a_crowded_place_still_offers_the_same_category_first(session, world):
    """More open reports of other categories nearby than are read: the chosen category is read first."""
    from linli.events import pickers

    lon, lat = world["point"]
    gridworker = as_principal(session, world["people"]["gridworker"])
    for i in range(105):
        report(session, gridworker, (lon + (i % 10) * 0.00001, lat + (i // 10) * 0.00001), category="0101")
    found = pickers.report_nearby(session, as_principal(session, world["people"]["neighbour"]), lon, lat, "0302")
    assert found[0].id == world["kin"] and len(found) == pickers.NEARBY_CHOICES
