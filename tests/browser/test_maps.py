"""Maps that help, offline: each map shows the reader's place and its neighbours (no tiles: the test
machine has no network), the report form says at once whether a tapped, typed or located point is in
the service area, the events map groups its markers, and the warning map shows the reader's place."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.browser.helpers import PHONE, api_json, screenshot, visit
from tests.browser.test_warning_map import to_pixels

GRID = "220102001001001"  # the demo grid worker's grid; the demo resident is registered in it


def bounds(page, map_id: str) -> dict:
    return page.evaluate(
        f"() => {{ const b = document.getElementById('{map_id}').linliMap.getBounds(); "
        "return {w: b.getWest(), s: b.getSouth(), e: b.getEast(), n: b.getNorth()}; }"
    )


def grid_centre(page, code: str) -> tuple[float, float]:
    grid = api_json(page, f"/api/v1/areas/{code}")
    return grid["rep_point"][0], grid["rep_point"][1]


def assert_centred_on(page, map_id: str, lon: float, lat: float) -> None:
    b = bounds(page, map_id)
    assert b["w"] < lon < b["e"] and b["s"] < lat < b["n"], (b, lon, lat)
    # A grid's map, not the province's (Jilin is about 10 degrees wide).
    assert b["e"] - b["w"] < 0.2 and b["n"] - b["s"] < 0.2, b


def test_the_report_form_centres_on_the_grid_and_answers_a_tap_before_submitting(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="gridworker").new_page()
    visit(page, f"/areas/{GRID}/events/new")
    lon, lat = grid_centre(page, GRID)
    assert_centred_on(page, "pick-map", lon, lat)
    # Its own grid thick and blue, its neighbours dashed grey: outlines, no blank grey.
    assert page.locator("#pick-map path[stroke='#0a4f99'][stroke-width='3']").count() == 1
    assert page.locator("#pick-map path[stroke='#5c6066']").count() >= 1
    # A tap inside the grid: the grid's name, at once.
    (x, y) = to_pixels(page, "pick-map", [(lon, lat)])[0]
    page.mouse.click(x, y)
    status = page.locator("#place-status")
    page.wait_for_selector("#pick-map[data-place='inside']", state="attached")
    name = api_json(page, f"/api/v1/areas/{GRID}")["name"]
    assert name in status.inner_text() and "在服务范围内" in status.inner_text()
    assert abs(float(page.input_value("#lon")) - lon) < 0.001 and abs(float(page.input_value("#lat")) - lat) < 0.001
    # A tap outside it (at the map's edge, in the neighbouring grids): said before anything is sent.
    b = bounds(page, "pick-map")
    (x, y) = to_pixels(page, "pick-map", [(b["w"] + (b["e"] - b["w"]) * 0.03, b["n"] - (b["n"] - b["s"]) * 0.03)])[0]
    page.mouse.click(x, y)
    page.wait_for_selector("#pick-map[data-place='outside']", state="attached")
    assert "此处不在服务范围内" in status.inner_text()
    assert page.url.endswith("/events/new")  # nothing submitted
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "event-new-outside-phone")
    # Submitted anyway: refused with the same words, and what was typed is kept.
    page.fill("#title", "地图测试")
    page.select_option("#category_code", index=1)
    with page.expect_navigation() as nav:
        page.click("button[type=submit][form='report-form']")
    assert nav.value.status == 422
    assert "此处不在服务范围内" in page.locator("main").inner_text()
    assert page.input_value("#title") == "地图测试"


def test_typed_numbers_are_checked_as_they_are_typed(new_context):
    page = new_context(as_user="gridworker").new_page()
    visit(page, f"/areas/{GRID}/events/new")
    page.fill("#lon", "126.9")  # Jilin, far from the grid
    page.fill("#lat", "43.1")
    page.dispatch_event("#lat", "change")
    page.wait_for_selector("#pick-map[data-place='outside']", state="attached")
    assert "此处不在服务范围内" in page.inner_text("#place-status")
    page.fill("#lat", "abc")
    page.dispatch_event("#lat", "change")
    assert "经度和纬度是数字" in page.inner_text("#place-status")


def test_use_my_location_fills_the_place_or_says_why_not(new_context):
    ctx = new_context(as_user="resident", geolocation={"longitude": 0, "latitude": 0}, permissions=["geolocation"])
    page = ctx.new_page()
    # The resident's home links to the report form of their community; the map starts at their own grid.
    visit(page, "/")
    page.click("a[href$='/events/new']")
    page.wait_for_selector("#pick-map[data-ready='1']", state="attached")
    lon, lat = grid_centre(page, GRID)
    assert_centred_on(page, "pick-map", lon, lat)
    ctx.set_geolocation({"longitude": lon, "latitude": lat})
    # The open reports near the located point are looked up too (the fields were set by script).
    with page.expect_request(lambda r: "/events/nearby" in r.url and f"lon={lon:.6f}"[:12] in r.url):
        page.click("#use-location")
    page.wait_for_selector("#pick-map[data-place='inside']", state="attached")
    assert abs(float(page.input_value("#lon")) - lon) < 1e-5 and abs(float(page.input_value("#lat")) - lat) < 1e-5
    assert api_json(page, f"/api/v1/areas/{GRID}")["name"] in page.inner_text("#place-status")

    refused = new_context(as_user="resident").new_page()  # no permission granted: the browser refuses
    visit(refused, f"/areas/{GRID[:12]}/events/new")
    refused.click("#use-location")
    refused.wait_for_selector("#pick-map[data-place='outside']", state="attached")
    assert "未获准提供您的位置" in refused.inner_text("#place-status")


def test_the_events_map_clusters_markers_over_the_outlines(new_context):
    page = new_context(as_user="county").new_page()
    visit(page, "/areas/220102/events/map")
    m = page.locator("#events-map")
    assert int(m.get_attribute("data-count")) > 100 and m.get_attribute("data-mode") == "points"
    clusters = page.locator("#events-map .marker-cluster")
    assert clusters.count() >= 1
    # The groups count all the events, and there are far fewer of them than events.
    counts = [int(t) for t in clusters.all_inner_texts() if t.strip()]
    assert sum(counts) <= int(m.get_attribute("data-count")) and clusters.count() < 200
    assert page.locator("#events-map .leaflet-overlay-pane path").count() >= 1  # the county's outline
    b = bounds(page, "events-map")
    assert b["e"] - b["w"] < 4, b  # the county, not the province (Jilin is about 10 degrees wide)
    # A group opens by zooming in; at the end a marker's popup names the event, its state and grid.
    markers = page.locator("#events-map path.leaflet-interactive[stroke='#ffffff']")  # events: white rims
    for _ in range(12):
        if markers.count():
            break
        page.locator("#events-map .marker-cluster").first.click()
        page.wait_for_timeout(400)
    markers.first.click(force=True)
    popup = page.locator("#events-map .leaflet-popup-content")
    link = popup.locator("a[href^='/events/']")
    link.wait_for()
    page.wait_for_function("() => /#\\d+ \\S/.test(document.querySelector('.leaflet-popup-content a').textContent)")
    text = popup.inner_text()
    event_id = re.match(r"#(\d+) ", text).group(1)
    event = api_json(page, f"/api/v1/events/{event_id}")
    assert event["title"] in text.splitlines()[0]
    assert text.splitlines()[-1] == api_json(page, f"/api/v1/areas/{event['area_code']}")["name"], text
    assert not re.search(r"\d{15}", text), text  # names, not codes
    screenshot(page, "events-map-clusters-desktop")


def test_the_warning_map_of_a_grid_worker_shows_their_place_and_says_only_that(new_context, live_server):
    from linli.alerts.models import WarningMessage
    from linli.db.session import unit_of_work

    with unit_of_work(live_server.session_factory) as session:
        warning = session.scalar(
            select(WarningMessage.identifier).where(
                WarningMessage.event_type == "lightning", WarningMessage.is_current.is_(True)
            )
        )
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="nongan_gridworker").new_page()
    visit(page, f"/warnings/{warning}")
    # The warning names 农安县, which this grid worker cannot see: their own grid is what is drawn.
    place = page.locator("#warning-map path[stroke='#1b1b1b']")
    assert place.count() == 1
    assert page.locator("#warning-map path[stroke='#0a4f99'], #warning-map path[stroke='#a1000f']").count() == 0
    caption = page.inner_text("#warning-map-caption")
    assert "黑色虚线" in caption and "红色" not in caption and "蓝线" not in caption, caption
    b = bounds(page, "warning-map")
    assert b["e"] - b["w"] < 0.2, b  # fitted to the grid
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "warning-map-gridworker-phone")


def test_the_warning_map_of_the_issuer_draws_the_county_named(new_context, live_server):
    from linli.alerts.models import WarningMessage
    from linli.db.session import unit_of_work

    with unit_of_work(live_server.session_factory) as session:
        warning = session.scalar(
            select(WarningMessage.identifier).where(
                WarningMessage.event_type == "lightning", WarningMessage.is_current.is_(True)
            )
        )
    page = new_context(as_user="weather").new_page()
    visit(page, f"/warnings/{warning}")
    assert page.locator("#warning-map path[stroke='#0a4f99']").count() >= 1
    caption = page.inner_text("#warning-map-caption")
    assert "蓝线" in caption and "红色" not in caption, caption  # no polygon was drawn with it


def test_an_events_page_map_shows_the_point_in_its_grid(new_context):
    page = new_context(as_user="gridworker").new_page()
    event = api_json(page, f"/api/v1/events?area={GRID}")["items"][0]
    visit(page, f"/events/{event['id']}")
    assert page.locator("#point-map path[stroke='#0a4f99'][stroke-width='3']").count() == 1  # the grid
    assert page.locator("#point-map path[stroke='#5c6066']").count() >= 1  # its neighbours
    b = bounds(page, "point-map")
    assert b["w"] < event["lon"] < b["e"] and b["s"] < event["lat"] < b["n"]
