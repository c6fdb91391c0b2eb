"""Warnings on the map: the issuer draws the affected area on the form (the textarea gets it in CAP's
"lat,lon" form), the issued warning's page draws it back, and a polygon typed into the textarea is drawn."""

from __future__ import annotations

from tests.browser.helpers import login, screenshot, settle, visit

COUNTY = "220122"  # 农安县: the demo's weather bureau issues here
LON, LAT = 124.96, 44.42  # inside 农安县
SIZE = 0.01


def to_pixels(page, map_id: str, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    script = (
        f"ll => {{ const p = document.getElementById('{map_id}').linliMap.latLngToContainerPoint(ll); "
        "return [p.x, p.y]; }"
    )
    page.locator(f"#{map_id}").scroll_into_view_if_needed()  # mouse clicks land only inside the viewport
    box = page.locator(f"#{map_id}").bounding_box()
    return [(box["x"] + x, box["y"] + y) for x, y in (page.evaluate(script, [lat, lon]) for lon, lat in points)]


def cap_pairs(text: str) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in pair.split(",")) for pair in text.split()]


def test_a_warning_drawn_on_the_map_is_issued_and_drawn_on_its_page(page, live_server):
    login(page, live_server, "weather")
    visit(page, f"/areas/{COUNTY}/warnings/new")
    # The county's divisions are drawn for orientation (blue outlines, not editable).
    assert page.locator("#cap-draw-map .leaflet-overlay-pane path").count() >= 1
    # The square goes below and right of the map's centre, clear of the drawing toolbar (top left).
    page.evaluate(
        "c => document.getElementById('cap-draw-map').linliMap.setView(c, 13, {animate: false})",
        [LAT + SIZE * 1.5, LON - SIZE],
    )
    corners = [(LON, LAT), (LON + SIZE, LAT), (LON + SIZE, LAT + SIZE), (LON, LAT + SIZE)]
    page.click("#cap-draw-map .leaflet-pm-icon-polygon")  # may scroll: the pixels are taken after it
    pixels = to_pixels(page, "cap-draw-map", corners)
    for x, y in [*pixels, pixels[0]]:
        page.mouse.click(x, y)
    pairs = cap_pairs(page.input_value("#polygon"))
    assert len(pairs) == 5 and pairs[0] == pairs[-1], pairs  # closed, as CAP wants
    for (lon, lat), (plat, plon) in zip(corners, pairs[:4], strict=True):  # CAP's order: latitude first
        assert abs(lat - plat) < 0.0005 and abs(lon - plon) < 0.0005, (lat, lon, plat, plon)
    screenshot(page, "warning-new-drawn-desktop")

    page.fill("#sender_name", "农安县气象台")
    page.fill("#agency_code", "QX")
    page.select_option("#event_type", index=1)
    page.select_option("#colour", index=1)
    page.fill("#description", "浏览器测试：画出的预警范围。")
    with page.expect_navigation() as nav:
        page.click("form[action$='/warnings/new'] button[type=submit]")
    settle(page)
    assert nav.value.status == 200, page.locator("main").inner_text()
    assert "/warnings/" in page.url
    # The warning's page draws the polygon (red) over the county it names (blue outline).
    paths = page.locator("#warning-map .leaflet-overlay-pane path")
    assert paths.count() >= 2
    strokes = {paths.nth(i).get_attribute("stroke") for i in range(paths.count())}
    assert {"#a1000f", "#0a4f99"} <= strokes, strokes
    screenshot(page, "warning-drawn-desktop")


def test_a_polygon_typed_in_cap_form_is_drawn_and_a_bad_one_is_not(page, live_server):
    login(page, live_server, "weather")
    visit(page, f"/areas/{COUNTY}/warnings/new")
    red = "#cap-draw-map .leaflet-overlay-pane path[stroke='#a1000f']"
    assert page.locator(red).count() == 0
    ring = [(LAT, LON), (LAT, LON + SIZE), (LAT + SIZE, LON + SIZE), (LAT, LON)]
    page.fill("#polygon", " ".join(f"{a},{b}" for a, b in ring))
    page.dispatch_event("#polygon", "change")
    page.wait_for_selector(red, state="attached")
    page.fill("#polygon", "not a polygon")
    page.dispatch_event("#polygon", "change")
    assert page.locator(red).count() == 1  # the last good drawing stays until a good one replaces it
    assert page.input_value("#polygon") == "not a polygon"  # what was typed is left as typed
