"""Web pages of events beyond the list: counts, map, handling units and their queues, supervision, "me too"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.events.models import Event, EventLog
from linli.kit.time import utcnow
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_events import as_principal, events_world, report, step


@pytest.fixture
def world(session, client):
    w = events_world(session)
    people = w["people"]
    resident = as_principal(session, people["resident"])
    community = as_principal(session, people["community"])
    lon, lat = w["point"]
    ids = [report(session, resident, (lon + i * 0.0001, lat), title=f"PagesEvent{i}").id for i in range(4)]
    # Three dispatched to the unit, one of them past its deadline; the fourth is closed as rejected.
    for i in ids[:3]:
        step(session, community, i, "register")
        step(session, community, i, "dispatch", unit_id=w["unit"].id)
    step(session, community, ids[3], "reject", reason="不属实")
    late = session.get(Event, ids[1])
    late.stage_deadline = utcnow() - timedelta(days=3)
    other = report(session, as_principal(session, people["sibling"]), w["sibling_point"], title="PagesSibling")
    w.update(ids=ids, late=ids[1], other=other.id)
    w["h"] = {k: auth(token_for(session, u)) for k, u in people.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def _row(html: str, code: str) -> list[str]:
    """The cells of the counts table's row of one child area."""
    row = re.search(rf'<tr>\s*<th scope="row"><a href="/areas/{code}/events/counts">.*?</tr>', html, re.S)
    assert row, f"no row for {code}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)]


def test_counts_page_numbers_links_and_scope(client, world):
    h = world["h"]["county"]
    r = client.get("/areas/220102/events/counts", headers=h)
    assert r.status_code == 200, r.text
    # Places: total, open, overdue, rate, then the states that occur (rejected, dispatched).
    assert _row(r.text, "220102001") == ["4", "3", "1", "33.3%", "1", "3"]
    assert 'href="/areas/220102001/events?overdue=1"' in r.text
    assert 'href="/areas/220102001/events?state=dispatched"' in r.text
    assert 'id="counts-chart"' in r.text and "<caption" in r.text and 'scope="col"' in r.text
    # Down the hierarchy to the village, where the rows are grids (no counts page of their own).
    r = client.get("/areas/220102001/events/counts", headers=h)
    assert r.status_code == 200 and _row(r.text, VILLAGE_A) == ["4", "3", "1", "33.3%", "1", "3"]
    r = client.get(f"/areas/{VILLAGE_A}/events/counts", headers=h)
    assert r.status_code == 200 and f'href="/areas/{VILLAGE_A}001/events"' in r.text
    assert f'href="/areas/{VILLAGE_A}001/events/counts"' not in r.text
    # The sibling county, and an unknown area, are both 404.
    assert client.get("/areas/220103/events/counts", headers=h).status_code == 404
    assert client.get("/areas/229999/events/counts", headers=h).status_code == 404
    # The city official sees the county's numbers rolled up.
    r = client.get("/areas/2201/events/counts", headers=world["h"]["city"])
    assert r.status_code == 200 and '<a href="/areas/220102/events/counts">' in r.text


def test_map_page_has_the_points_source_and_a_text_list(client, world):
    r = client.get("/areas/220102/events/map", headers=world["h"]["county"])
    assert r.status_code == 200, r.text
    assert 'data-source="/api/v1/events/map-points?area=220102"' in r.text and "/static/events.js" in r.text
    assert 'data-outlines="/api/v1/areas/220102/outlines"' in r.text and "leaflet.markercluster.js" in r.text
    for i in world["ids"][:3]:
        assert f'href="/events/{i}"' in r.text
    assert f'href="/events/{world["ids"][3]}"' not in r.text  # rejected: not open
    assert "PagesSibling" not in r.text and r.text.count("overdue-tag") == 1
    api = client.get("/api/v1/events/map", params={"area": "220102"}, headers=world["h"]["county"]).json()
    assert {f["id"] for f in api["features"]} == set(world["ids"][:3])
    assert client.get("/areas/220103/events/map", headers=world["h"]["county"]).status_code == 404


def test_units_page_and_the_queue_oldest_deadline_first(client, world, monkeypatch):
    h = world["h"]["handler"]
    unit = world["unit"].id
    r = client.get("/areas/220102/units", headers=h)
    assert r.status_code == 200, r.text
    assert "Units you act for" in r.text and f'href="/units/{unit}/queue"' in r.text
    # The navigation leads a handler to the units; a resident has no queue to see.
    assert 'href="/areas/220102/units"' in client.get("/", headers=h).text
    assert "/units" not in client.get("/", headers=world["h"]["resident"]).text
    r = client.get(f"/units/{unit}/queue", headers=h)
    assert r.status_code == 200, r.text
    ids = [int(x) for x in re.findall(r'<a href="/events/(\d+)">', r.text)]
    assert ids[0] == world["late"] and set(ids) == set(world["ids"][:3])
    assert "overdue by" in r.text and "working hours left" in r.text
    # Paginated.
    monkeypatch.setattr("linli.events.views.units.PAGE", 2)
    r = client.get(f"/units/{unit}/queue", params={"page": 2}, headers=h)
    assert r.status_code == 200 and len(re.findall(r'<a href="/events/\d+">', r.text)) == 1
    assert "Page 2 of 2" in r.text and 'rel="prev"' in r.text
    # Out of scope: 404 like an unknown unit.
    assert client.get(f"/units/{unit}/queue", headers=world["h"]["sibling"]).status_code == 404
    assert client.get("/units/999999/queue", headers=h).status_code == 404
    assert client.get("/areas/220103/units", headers=h).status_code == 404


def test_supervision_note_form(client, session, world):
    ev = world["ids"][0]
    h = world["h"]["community"]
    page = client.get(f"/events/{ev}", headers=h)
    assert 'id="supervise"' in page.text
    assert 'id="supervise"' not in client.get(f"/events/{ev}", headers=world["h"]["neighbour"]).text
    logs = select(func.count()).select_from(EventLog).where(EventLog.event_id == ev)
    before = session.scalar(logs)
    r = client.post(f"/events/{ev}/supervise", data={"note": "   "}, headers=h)
    assert r.status_code == 422 and "Write the supervision note" in r.text and 'role="alert"' in r.text
    assert 'aria-invalid="true"' in r.text
    r = client.post(f"/events/{ev}/supervise", data={"note": "x" * 2001}, headers=h)
    assert r.status_code == 422
    assert session.scalar(logs) == before
    r = client.post(f"/events/{ev}/supervise", data={"note": "请本周内处理"}, headers=h, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/events/{ev}?done=supervise"
    page = client.get(r.headers["location"], headers=h)
    assert "Done: Supervise" in page.text and "请本周内处理" in page.text
    assert session.scalar(logs) == before + 1
    # A closed event takes no note: the error shows by the form.
    rejected = world["ids"][3]
    r = client.post(f"/events/{rejected}/supervise", data={"note": "快"}, headers=h)
    assert r.status_code == 409 and "only open events" in r.text
    # A resident may not; another county's official does not see the event.
    assert client.post(f"/events/{ev}/supervise", data={"note": "n"}, headers=world["h"]["resident"]).status_code == 403
    assert client.post(f"/events/{ev}/supervise", data={"note": "n"}, headers=world["h"]["sibling"]).status_code == 404


def test_me_too_button(client, session, world):
    ev = world["ids"][0]
    assert 'id="me-too"' not in client.get(f"/events/{ev}", headers=world["h"]["resident"]).text  # the reporter
    h = world["h"]["neighbour"]
    assert 'id="me-too"' in client.get(f"/events/{ev}", headers=h).text
    r = client.post(f"/events/{ev}/me-too", headers=h, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/events/{ev}?done=me_too"
    session.expire_all()
    assert session.get(Event, ev).me_too_count == 1
    r = client.post(f"/events/{ev}/me-too", headers=h)
    assert r.status_code == 409 and "already" in r.text and 'role="alert"' in r.text
    session.expire_all()
    assert session.get(Event, ev).me_too_count == 1
    r = client.post(f"/events/{ev}/me-too", headers=world["h"]["resident"])
    assert r.status_code == 409 and "yourself" in r.text
    assert client.post(f"/events/{world['other']}/me-too", headers=h).status_code == 404


def test_area_page_and_events_list_link_to_the_pages(client, world):
    for url in ("/areas/220102", "/areas/220102/events"):
        r = client.get(url, headers=world["h"]["county"])
        assert r.status_code == 200, r.text
        for href in ("/areas/220102/events/counts", "/areas/220102/events/map", "/areas/220102/units"):
            assert f'href="{href}"' in r.text, (url, href)
    # A grid worker may not see queues: no link to the units.
    r = client.get(f"/areas/{VILLAGE_A}/events", headers=world["h"]["gridworker"])
    assert r.status_code in (200, 404)
    r = client.get(f"/areas/{VILLAGE_A}/events", headers=world["h"]["community"])
    assert f'href="/areas/{VILLAGE_A}/events/counts"' in r.text
