"""Web pages of events: an area's list, an event page with timeline and steps, the report form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from linli.events.models import Event
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_events import SIBLING_VILLAGE, as_principal, events_world, report


@pytest.fixture
def world(session, client):
    w = events_world(session)
    people = w["people"]
    event = report(session, as_principal(session, people["resident"]), w["point"], title="WebEventOne")
    other = report(session, as_principal(session, people["sibling"]), w["sibling_point"], title="WebEventSibling")
    w["event"], w["other"] = event.id, other.id
    w["h"] = {k: auth(token_for(session, u)) for k, u in people.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def test_list_shows_area_events_and_sibling_is_404(client, world):
    r = client.get("/areas/220102/events", headers=world["h"]["county"])
    assert r.status_code == 200, r.text
    assert "WebEventOne" in r.text and "WebEventSibling" not in r.text and "Reported" in r.text
    assert client.get("/areas/220103/events", headers=world["h"]["county"]).status_code == 404
    r = client.get("/areas/220102/events", params={"state": "closed"}, headers=world["h"]["county"])
    assert r.status_code == 200 and "WebEventOne" not in r.text
    r = client.get("/areas/220102/events", params={"overdue": "1"}, headers=world["h"]["county"])
    assert r.status_code == 200
    # The navigation leads to the events list.
    assert "/areas/220102/events" in client.get("/", headers=world["h"]["county"]).text


def test_event_page_timeline_and_allowed_forms(client, world, session):
    ev = world["event"]
    r = client.get(f"/events/{ev}", headers=world["h"]["community"])
    assert r.status_code == 200, r.text
    assert "Timeline" in r.text and "WebEventOne" in r.text and 'id="point-map"' in r.text
    assert 'id="step-register"' in r.text and 'id="step-reject"' in r.text
    assert 'id="step-accept"' not in r.text and 'id="step-handle"' not in r.text
    # The place is named (village · grid), its code only in the tooltip.
    grid = session.get(Event, ev).area_code
    place = r.text.split(">Place<", 1)[1].split("</dd>", 1)[0]
    assert f'title="{grid}"' in place and f">{grid}<" not in place and " · " in place
    # A neighbour sees the public part and no step forms.
    r = client.get(f"/events/{ev}", headers=world["h"]["neighbour"])
    assert r.status_code == 200 and "public part" in r.text and 'id="step-register"' not in r.text
    assert client.get(f"/events/{world['other']}", headers=world["h"]["community"]).status_code == 404


def test_transition_through_the_form(client, session, world):
    ev = world["event"]
    url = f"/events/{ev}/step"
    r = client.post(url, data={"action": "reject"}, headers=world["h"]["community"])
    assert r.status_code == 422 and "reason" in r.text and 'role="alert"' in r.text
    r = client.post(url, data={"action": "accept"}, headers=world["h"]["community"])
    assert r.status_code == 409 and "allowed next steps" in r.text
    r = client.post(
        url, data={"action": "register", "note": "ok"}, headers=world["h"]["community"], follow_redirects=False
    )
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Event, ev).state == "registered"
    page = client.get(f"/events/{ev}", headers=world["h"]["community"])
    assert "Register" in page.text and 'id="step-dispatch"' in page.text


def test_report_through_the_form(client, session, world):
    lon, lat = world["point"]
    url = f"/areas/{VILLAGE_A}/events/new"
    assert client.get(url, headers=world["h"]["resident"]).status_code == 200
    before = session.scalar(select(func.count()).select_from(Event))
    r = client.post(
        url,
        data={"category_code": "9999", "title": "坏类别", "lon": str(lon), "lat": str(lat)},
        headers=world["h"]["resident"],
    )
    assert r.status_code == 422 and "unknown event category" in r.text and 'value="坏类别"' in r.text
    r = client.post(url, data={"category_code": "0301", "title": "x", "lon": "abc"}, headers=world["h"]["resident"])
    assert r.status_code == 422 and "must be a number" in r.text
    assert session.scalar(select(func.count()).select_from(Event)) == before
    form = {"category_code": "0301", "title": "WebReported", "description": "d", "lon": str(lon), "lat": str(lat)}
    # An open report lies at the same place: the post stops at the step that shows it (with "me too"),
    # keeping what was typed; posting again, as the page's form does, files the report.
    r = client.post(url, data=form, headers=world["h"]["resident"], follow_redirects=False)
    assert r.status_code == 200 and 'id="nearby-step"' in r.text and 'value="WebReported"' in r.text
    assert f'href="/events/{world["event"]}"' in r.text and "Your report" in r.text  # their own: no "me too"
    assert session.scalar(select(func.count()).select_from(Event)) == before
    seen = re.search(r'name="nearby_seen" value="([^"]+)"', r.text).group(1)
    r = client.post(url, data=form | {"nearby_seen": seen}, headers=world["h"]["resident"], follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"], headers=world["h"]["resident"])
    assert page.status_code == 200 and "WebReported" in page.text and "The event was reported." in page.text
    assert "Reported on the web page" in page.text  # its source, in words
    assert session.scalar(select(Event.source).where(Event.title == "WebReported")) == "web"
    assert client.get(f"/areas/{SIBLING_VILLAGE}/events/new", headers=world["h"]["resident"]).status_code == 404


def test_pages_show_times_in_beijing_time(client, session, world):
    from datetime import UTC, datetime

    event = session.get(Event, world["event"])
    event.reported_at = datetime(2026, 7, 1, 7, 2, tzinfo=UTC)  # 15:02 in Beijing
    session.commit()
    r = client.get(f"/events/{world['event']}", headers=world["h"]["community"])
    assert r.status_code == 200 and "2026-07-01 15:02" in r.text and "2026-07-01 07:02" not in r.text


def test_the_beijing_filter():
    from datetime import UTC, date, datetime

    from linli.web.templating import beijing

    assert beijing(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == "2027-01-01 00:30"
    assert beijing(datetime(2026, 12, 31, 16, 30)) == "2027-01-01 00:30"  # naive values are stored UTC
    assert beijing(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), "%Y-%m-%d") == "2027-01-01"
    assert beijing(date(2026, 5, 1), "%Y-%m-%d") == "2026-05-01" and beijing(None) == ""


def test_the_event_page_says_where_a_report_came_from_and_calls_a_registered_event_registered(client, session, world):
    ev = world["event"]
    page = client.get(f"/events/{ev}", headers=world["h"]["community"]).text
    assert "Reported by a program (API)" in page and ">api<" not in page
    r = client.post(f"/events/{ev}/step", data={"action": "register"}, headers=world["h"]["community"])
    assert r.status_code in (200, 303)
    page = client.get(f"/events/{ev}", headers=world["h"]["community"])
    assert "Case registered" in page.text
    page = client.get(f"/events/{ev}", headers=world["h"]["community"] | {"Cookie": "linli_lang=zh-CN"})
    assert "已立案" in page.text


def test_the_reporter_sees_the_steps_but_not_the_staff_accounts_names(client, session, world):
    ev = world["event"]
    step = {"action": "register", "note": "已受理"}
    r = client.post(f"/events/{ev}/step", data=step, headers=world["h"]["community"])
    assert r.status_code in (200, 303)
    mine = client.get(f"/api/v1/events/{ev}", headers=world["h"]["resident"]).json()["timeline"]
    register = [s for s in mine if s["action"] == "register"][0]
    assert register["actor"] is None and register["note"] == "已受理"  # what happened, not which account
    assert [s for s in mine if s["action"] == "report"][0]["actor"] == "resident1"  # their own step
    staff = client.get(f"/api/v1/events/{ev}", headers=world["h"]["county"]).json()["timeline"]
    assert [s for s in staff if s["action"] == "register"][0]["actor"] == "cw1"
    page = client.get(f"/events/{ev}", headers=world["h"]["resident"]).text
    assert "cw1" not in page


def test_a_resident_reads_all_their_reports_from_home(client, session, world):
    resident = as_principal(session, world["people"]["resident"])
    lon, lat = world["point"]
    for i in range(11):
        report(session, resident, (lon + i * 0.00005, lat), title=f"MyReport{i}")
    report(session, as_principal(session, world["people"]["neighbour"]), (lon, lat), title="NotMine")
    session.commit()
    h = world["h"]["resident"]
    home = client.get("/", headers=h).text
    assert 'href="/my/reports"' in home  # 10 of 12 shown there
    r = client.get("/my/reports", headers=h)
    assert r.status_code == 200
    titles = re.findall(r'<a href="/events/\d+">#\d+ ([^<]+)</a>', r.text)
    assert len(titles) == 12 and "WebEventOne" in titles and "NotMine" not in titles
    assert titles[0] == "MyReport10"  # newest first
    assert "Reported" in r.text  # the state, in words
