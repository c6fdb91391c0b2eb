"""Grid management in the browser: bad polygons are reported inline; a grid drawn on the map is created."""

from __future__ import annotations

import json

import pytest

from tests.browser.helpers import api_json, login, screenshot, settle, visit

VILLAGE = "220102001001"  # 南关区: its generated grids cover it
NEW_GRID_VILLAGE = "220103002001"  # 宽城区 长江路社区: no grids yet
LON, LAT = 125.24333, 44.07959  # inside 宽城区 (220103)
SIZE = 0.004
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[LON, LAT], [LON + SIZE, LAT + SIZE], [LON + SIZE, LAT], [LON, LAT + SIZE], [LON, LAT]]],
}


def grid_codes(page, village: str) -> list[str]:
    return sorted(f["properties"]["code"] for f in api_json(page, f"/api/v1/areas/{village}/grids")["features"])


def submit_new_grid(page):
    with page.expect_navigation() as nav:
        page.click("form[action$='/grids/new'] button[type=submit]")
    settle(page)
    return nav.value


@pytest.mark.parametrize(
    ("username", "upload", "expected"),
    [
        ("community", ("grid.geojson", b"this is not GeoJSON\n"), "不是有效的 GeoJSON"),
        ("admin", ("bowtie.geojson", json.dumps(BOWTIE).encode()), "多边形无效"),
    ],
    ids=["not-geojson", "self-intersecting"],
)
def test_bad_polygon_upload_is_reported_inline(page, live_server, username, upload, expected):
    login(page, live_server, username)
    before = grid_codes(page, VILLAGE)
    visit(page, f"/areas/{VILLAGE}/grids/new")
    page.fill("#name", "坏网格")
    name, data = upload
    page.set_input_files("#polygon_file", files=[{"name": name, "mimeType": "application/geo+json", "buffer": data}])
    resp = submit_new_grid(page)
    assert resp.status == 422
    assert page.url.endswith(f"/areas/{VILLAGE}/grids/new")
    errors = page.locator("#form-errors")
    assert errors.get_attribute("role") == "alert"
    assert expected in errors.inner_text(), errors.inner_text()
    assert page.input_value("#name") == "坏网格"  # the form keeps what was typed
    assert "Traceback" not in page.content()
    screenshot(page, f"grid-new-error-{name.split('.')[0]}-desktop")
    assert grid_codes(page, VILLAGE) == before


def test_pasted_self_intersecting_polygon_is_reported_inline(page, live_server):
    login(page, live_server, "admin")
    visit(page, f"/areas/{VILLAGE}/grids/new")
    page.fill("#name", "交叉网格")
    page.click("details:has(#polygon) summary")
    page.fill("#polygon", json.dumps(BOWTIE))
    resp = submit_new_grid(page)
    assert resp.status == 422
    assert "多边形无效" in page.locator("#form-errors").inner_text()
    assert json.loads(page.input_value("#polygon")) == BOWTIE
    assert not any(f.endswith(page.input_value("#seq")) for f in grid_codes(page, VILLAGE))


def test_create_grid_by_drawing_it_on_the_map(page, live_server):
    login(page, live_server, "admin")
    assert grid_codes(page, NEW_GRID_VILLAGE) == []
    visit(page, f"/areas/{NEW_GRID_VILLAGE}/grids/new")
    seq = page.input_value("#seq")
    page.fill("#name", "浏览器测试网格")
    page.select_option("#kind", "residential")
    # Draw a square with Leaflet-Geoman's polygon tool: click its corners, then the first one again.
    centre = [LAT + SIZE / 2, LON + SIZE / 2]
    page.locator("#draw-map").scroll_into_view_if_needed()  # below the fold when the menu takes two lines
    page.evaluate("c => document.getElementById('draw-map').linliMap.setView(c, 15, {animate: false})", centre)
    corners = [(LON, LAT), (LON + SIZE, LAT), (LON + SIZE, LAT + SIZE), (LON, LAT + SIZE)]
    to_pixel = "ll => { const p = document.getElementById('draw-map').linliMap.latLngToContainerPoint(ll); " + (
        "return [p.x, p.y]; }"
    )
    pixels = [page.evaluate(to_pixel, [lat, lon]) for lon, lat in corners]
    box = page.locator("#draw-map").bounding_box()
    page.click("#draw-map .leaflet-pm-icon-polygon")
    for x, y in [*pixels, pixels[0]]:
        page.mouse.click(box["x"] + x, box["y"] + y)
    # Geoman finishes the shape on the last click's events: wait for the form's field, not a fixed time.
    page.wait_for_function("() => document.getElementById('polygon').value !== ''")
    drawn = json.loads(page.input_value("#polygon"))
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5, drawn
    for (lon, lat), (dlon, dlat) in zip(corners, drawn["coordinates"][0][:4], strict=True):
        assert abs(lon - dlon) < 0.0002 and abs(lat - dlat) < 0.0002
    screenshot(page, "grid-new-drawn-desktop")
    resp = submit_new_grid(page)
    code = NEW_GRID_VILLAGE + seq
    assert resp.status == 200
    assert page.url.endswith(f"/grids/{code}?created=1"), page.url
    assert page.locator("h1").inner_text() == "浏览器测试网格"
    assert page.locator("p.notice[role=status]").count() == 1
    # The grid page draws it (the editor shows the grid's own polygon) ...
    assert page.locator("#draw-map .leaflet-overlay-pane path").count() >= 1
    # ... and so does the map of the village, with a link-like path for the new grid.
    visit(page, f"/areas/{NEW_GRID_VILLAGE}")
    assert grid_codes(page, NEW_GRID_VILLAGE) == [code]
    assert page.locator("#map .leaflet-overlay-pane path.leaflet-interactive").count() == 1
    assert page.locator(f"main table a[href='/grids/{code}']").inner_text() == "浏览器测试网格"
    screenshot(page, "village-with-new-grid-desktop")
    # The new grid is where it was drawn: the locator finds it at the square's centre.
    found = api_json(page, f"/api/v1/areas/locate?lon={LON + SIZE / 2}&lat={LAT + SIZE / 2}")
    assert code in json.dumps(found)
